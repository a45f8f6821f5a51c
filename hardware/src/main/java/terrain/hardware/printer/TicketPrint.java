// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Objects;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.TicketCodec;
import terrain.core.ticket.TicketException;

/**
 * What a printed ticket shows. The fixed texts (what to do with it, "valid until") come from {@code
 * messages_fr.properties} in the ticket's {@code language}.
 *
 * @param eventTitle the event, as residents know it
 * @param briqs what the ticket is worth
 * @param golden printed as a golden ticket
 * @param expiresOn the last day it can be claimed
 * @param qrContent the text of the QR code, {@code HTTPS://HOST/T/CODE}
 * @param shortCode the code for people who type, e.g. {@code 4Q32-EUJX-3VN4}
 * @param language the language of the fixed texts, French unless "en"
 */
public record TicketPrint(
    String eventTitle,
    int briqs,
    boolean golden,
    LocalDate expiresOn,
    String qrContent,
    String shortCode,
    Locale language) {

  public TicketPrint {
    Objects.requireNonNull(eventTitle, "TicketPrint eventTitle must not be null");
    if (eventTitle.isBlank()) {
      throw new IllegalArgumentException("TicketPrint eventTitle must not be blank");
    }
    if (briqs < 0) {
      throw new IllegalArgumentException("TicketPrint briqs [" + briqs + "] must be 0 or more");
    }
    Objects.requireNonNull(expiresOn, "TicketPrint expiresOn must not be null");
    Objects.requireNonNull(qrContent, "TicketPrint qrContent must not be null");
    if (qrContent.isBlank()) {
      throw new IllegalArgumentException("TicketPrint qrContent must not be blank");
    }
    Objects.requireNonNull(shortCode, "TicketPrint shortCode must not be null");
    Objects.requireNonNull(language, "TicketPrint language must not be null");
  }

  /**
   * What to print for a signed ticket: the QR holds its claim address on {@code claimHost}, the
   * expiry is the day, in {@code zone}, of its last valid moment.
   */
  public static TicketPrint of(
      SignedTicket ticket, String eventTitle, String claimHost, ZoneId zone, Locale language) {
    String shortCode;
    try {
      shortCode = TicketCodec.shortCode(ticket.code());
    } catch (TicketException e) {
      throw new IllegalArgumentException("SignedTicket code [" + ticket.code() + "] is broken", e);
    }
    LocalDate lastDay =
        Instant.ofEpochSecond(ticket.ticket().expiresAtEpochSecond() - 1)
            .atZone(zone)
            .toLocalDate();
    return new TicketPrint(
        eventTitle,
        ticket.ticket().briqs(),
        ticket.ticket().golden(),
        lastDay,
        TicketCodec.url(claimHost, ticket.code()),
        shortCode,
        language);
  }
}
