// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.ticket;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import terrain.core.id.EventId;
import terrain.core.id.Slug;
import terrain.core.record.DeviceId;
import terrain.core.ticket.Base32.Base32Exception;
import terrain.core.ticket.TicketException.Reason;

/**
 * Writes and reads ticket codes: a compact binary payload and its Ed25519 signature, in base32
 * (A-Z, 2-7), so that {@code HTTPS://HOST/T/CODE} fits a QR code's alphanumeric mode. See
 * docs/decisions/0006-ticket-code-base32.md.
 *
 * <p>Payload, version 1 (varints are unsigned LEB128, texts a varint length then ASCII):
 *
 * <pre>
 *   u8      version            1
 *   text    device id          DeviceId, 1 to 64 bytes
 *   varint  serial             1 or more
 *   text    event id           1 to 40 bytes
 *   u8      action             1 response, 2 idea, 3 attendance
 *   varint  briqs              0 to 10,000
 *   varint  issued             minutes since 1970-01-01T00:00Z
 *   varint  validity           days from issue to expiry, 1 to 3653
 *   u8      flags              bit 0: golden; the other bits are 0
 * </pre>
 *
 * followed by the 64-byte signature of {@code "terrain/ticket\n" + payload}. Decoding is strict:
 * only the canonical code of a ticket is accepted (shortest varints, no stray bits, no trailing
 * bytes), so one ticket has exactly one code.
 */
public final class TicketCodec {

  /** The version written by {@link #encode}. */
  public static final int VERSION = 1;

  public static final int SIGNATURE_LENGTH = 64;

  /** Characters of the human short code, without its dashes: 60 bits of the signature. */
  public static final int SHORT_CODE_LENGTH = 12;

  /** The actions in the order of their codes 1, 2, 3: never reorder. */
  static final List<String> ACTION_CODES = List.of("response", "idea", "attendance");

  private static final byte[] TICKET_DOMAIN =
      "terrain/ticket\n".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_DEVICE_ID = 64;
  private static final int MAX_EVENT_ID = 40;
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?");

  private TicketCodec() {}

  /** The ticket code of {@code ticket} signed with its device's {@code privateKey}. */
  public static String encode(Ticket ticket, PrivateKey privateKey) {
    return sign(ticket, privateKey).code();
  }

  /** The ticket with its code and signature, signed with its device's {@code privateKey}. */
  public static SignedTicket sign(Ticket ticket, PrivateKey privateKey) {
    Objects.requireNonNull(ticket, "ticket must not be null");
    Objects.requireNonNull(privateKey, "privateKey must not be null");
    if (ticket.version() != VERSION) {
      throw new IllegalArgumentException(
          "Ticket version [" + ticket.version() + "] cannot be written; only " + VERSION);
    }
    byte[] payload = payload(ticket);
    byte[] signature = DeviceKeys.sign(privateKey, signed(payload));
    byte[] all = new byte[payload.length + signature.length];
    System.arraycopy(payload, 0, all, 0, payload.length);
    System.arraycopy(signature, 0, all, payload.length, signature.length);
    return new SignedTicket(ticket, Base32.encode(all), payload, signature);
  }

  /**
   * The address a phone opens: {@code HTTPS://{HOST}/T/{CODE}}, all uppercase so that the whole URL
   * is in a QR code's alphanumeric alphabet (hosts and schemes are case-insensitive).
   *
   * @param claimHost a host name, with an optional port, e.g. {@code briqs.bordeaux.fr}
   */
  public static String url(String claimHost, String code) {
    Objects.requireNonNull(claimHost, "claimHost must not be null");
    Objects.requireNonNull(code, "code must not be null");
    if (!HOST.matcher(claimHost).matches()) {
      throw new IllegalArgumentException(
          "claimHost ["
              + claimHost
              + "] must be a host name like briqs.example.fr, with an optional :port");
    }
    return "HTTPS://" + claimHost.toUpperCase(Locale.ROOT) + "/T/" + code;
  }

  /**
   * Reads a ticket code or a ticket address ({@code https://host/T/CODE}), as scanned or typed: any
   * case, with spaces and dashes anywhere, and 0, 1, 8 read as O, I, B. Checks the form, not the
   * signature: see {@link #verify}.
   *
   * @throws TicketException with the reason the code cannot be a ticket
   */
  public static SignedTicket parse(String codeOrUrl) throws TicketException {
    Objects.requireNonNull(codeOrUrl, "codeOrUrl must not be null");
    String code = normalize(codeFrom(codeOrUrl.strip()));
    if (code.isEmpty()) {
      throw new TicketException(Reason.MALFORMED, "the ticket code is empty");
    }
    byte[] all;
    try {
      all = Base32.decode(code);
    } catch (Base32Exception e) {
      throw new TicketException(Reason.MALFORMED, "not a ticket code: " + e.getMessage());
    }
    Cursor in = new Cursor(all);
    int version = in.u8("version");
    if (version != VERSION) {
      throw new TicketException(
          Reason.UNSUPPORTED_VERSION,
          "ticket version " + version + " is not supported; this program reads version " + VERSION);
    }
    String device = in.ascii("device id", MAX_DEVICE_ID);
    long serial = in.varint("serial");
    String eventId = in.ascii("event id", MAX_EVENT_ID);
    int actionCode = in.u8("action");
    long briqs = in.varint("briqs");
    long issuedMinutes = in.varint("issue time");
    long validityDays = in.varint("validity");
    int flags = in.u8("flags");
    int payloadLength = in.position;
    int rest = all.length - payloadLength;
    if (rest < SIGNATURE_LENGTH) {
      throw new TicketException(
          Reason.TRUNCATED,
          "the signature is cut short: "
              + rest
              + " of "
              + SIGNATURE_LENGTH
              + " bytes; the code is incomplete");
    }
    if (rest > SIGNATURE_LENGTH) {
      throw new TicketException(
          Reason.MALFORMED,
          (rest - SIGNATURE_LENGTH) + " unexpected bytes after the signature; extra characters");
    }
    if (!DeviceId.isValid(device)) {
      throw invalid("device id [" + device + "] is not a device id");
    }
    if (actionCode < 1 || actionCode > ACTION_CODES.size()) {
      throw invalid("action code " + actionCode + " is not one of 1 to " + ACTION_CODES.size());
    }
    if ((flags & ~1) != 0) {
      throw invalid("flags " + flags + " set unknown bits; only bit 0 (golden) exists");
    }
    if (briqs > Ticket.MAX_BRIQS
        || validityDays > Ticket.MAX_VALIDITY_DAYS
        || issuedMinutes > Long.MAX_VALUE / 60 / 2) {
      throw invalid(
          "briqs "
              + briqs
              + ", issue minute "
              + issuedMinutes
              + " or validity "
              + validityDays
              + " days is out of range");
    }
    // Checked here, where the text comes in, with the words the ticket's constructor used.
    if (!EventId.isValid(eventId)) {
      throw invalid("Ticket eventId [" + eventId + "] must be " + Slug.RULE);
    }
    Ticket ticket;
    try {
      long issued = issuedMinutes * 60;
      ticket =
          new Ticket(
              version,
              DeviceId.of(device),
              serial,
              EventId.of(eventId),
              ACTION_CODES.get(actionCode - 1),
              (int) briqs,
              issued,
              issued + validityDays * 86_400,
              (flags & 1) != 0);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    byte[] payload = new byte[payloadLength];
    byte[] signature = new byte[SIGNATURE_LENGTH];
    System.arraycopy(all, 0, payload, 0, payloadLength);
    System.arraycopy(all, payloadLength, signature, 0, SIGNATURE_LENGTH);
    return new SignedTicket(ticket, code, payload, signature);
  }

  /** Whether the ticket was signed by the holder of {@code publicKey}'s private key. */
  public static boolean verify(SignedTicket ticket, PublicKey publicKey) {
    Objects.requireNonNull(ticket, "ticket must not be null");
    Objects.requireNonNull(publicKey, "publicKey must not be null");
    return DeviceKeys.verify(publicKey, signed(ticket.payload()), ticket.signature());
  }

  /**
   * The code printed under the QR for people who type: the first 60 bits of the signature in
   * base32, grouped by four ({@code ABCD-EFGH-IJKL}). It is not a ticket by itself: the claim
   * server finds the ticket it names among the TICKET records the kiosks synced. Unguessable, as
   * nobody can predict a signature without the device's private key.
   */
  public static String shortCode(String code) throws TicketException {
    SignedTicket ticket = parse(code);
    String bits = Base32.encode(ticket.signature()).substring(0, SHORT_CODE_LENGTH);
    return group(bits);
  }

  /**
   * The canonical form of a typed short code (12 letters and digits, no dashes), for looking it up.
   *
   * @throws TicketException (MALFORMED) if it is not 12 characters of A-Z and 2-7 once spaces and
   *     dashes are removed
   */
  public static String normalizeShortCode(String typed) throws TicketException {
    Objects.requireNonNull(typed, "typed must not be null");
    String code = normalize(typed);
    if (code.length() != SHORT_CODE_LENGTH || !code.chars().allMatch(TicketCodec::isBase32)) {
      throw new TicketException(
          Reason.MALFORMED,
          "a short code is "
              + SHORT_CODE_LENGTH
              + " letters and digits like ABCD-EFGH-IJKL, not ["
              + typed
              + "]");
    }
    return code;
  }

  /**
   * The exact bytes the device signed for this ticket, for a verifier with its own Ed25519 (the
   * server checks thousands a second); {@link #verify} is the reference.
   */
  public static byte[] signedMessage(SignedTicket ticket) {
    return signed(ticket.payload());
  }

  /** The message a device signs: a domain tag, so no other signature can pass for a ticket. */
  private static byte[] signed(byte[] payload) {
    byte[] message = new byte[TICKET_DOMAIN.length + payload.length];
    System.arraycopy(TICKET_DOMAIN, 0, message, 0, TICKET_DOMAIN.length);
    System.arraycopy(payload, 0, message, TICKET_DOMAIN.length, payload.length);
    return message;
  }

  static byte[] payload(Ticket ticket) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(48);
    out.write(ticket.version());
    ascii(out, ticket.device().value());
    varint(out, ticket.serial());
    ascii(out, ticket.eventId().value());
    out.write(ACTION_CODES.indexOf(ticket.action()) + 1);
    varint(out, ticket.briqs());
    varint(out, ticket.issuedAtEpochSecond() / 60);
    varint(out, ticket.validityDays());
    out.write(ticket.golden() ? 1 : 0);
    return out.toByteArray();
  }

  private static void ascii(ByteArrayOutputStream out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    varint(out, bytes.length);
    out.write(bytes, 0, bytes.length);
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  private static String codeFrom(String input) {
    int scheme = input.indexOf("://");
    if (scheme < 0) {
      return input;
    }
    int path = input.toUpperCase(Locale.ROOT).indexOf("/T/", scheme + 3);
    if (path < 0) {
      return "";
    }
    String code = input.substring(path + 3);
    int end = code.length();
    for (char stop : new char[] {'?', '#', '/'}) {
      int at = code.indexOf(stop);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    return code.substring(0, end);
  }

  private static String normalize(String typed) {
    StringBuilder out = new StringBuilder(typed.length());
    for (int i = 0; i < typed.length(); i++) {
      char c = typed.charAt(i);
      if (c == ' ' || c == '-' || c == '\t' || c == '\n' || c == '\r' || c == '\u00A0') {
        continue;
      }
      c = Character.toUpperCase(c);
      out.append(
          switch (c) {
            case '0' -> 'O';
            case '1' -> 'I';
            case '8' -> 'B';
            default -> c;
          });
    }
    return out.toString();
  }

  private static boolean isBase32(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7');
  }

  private static String group(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i += 4) {
      if (i > 0) {
        out.append('-');
      }
      out.append(text, i, Math.min(text.length(), i + 4));
    }
    return out.toString();
  }

  private static TicketException invalid(String message) {
    return new TicketException(Reason.INVALID_FIELD, message);
  }

  /** Reads the payload from untrusted bytes; running out is {@link Reason#TRUNCATED}. */
  private static final class Cursor {
    private final byte[] data;
    private int position;

    Cursor(byte[] data) {
      this.data = data;
    }

    int u8(String field) throws TicketException {
      if (position >= data.length) {
        throw truncated(field);
      }
      return data[position++] & 0xFF;
    }

    long varint(String field) throws TicketException {
      long result = 0;
      for (int shift = 0; shift < 63; shift += 7) {
        int b = u8(field);
        if (b == 0 && shift > 0) {
          throw new TicketException(Reason.MALFORMED, field + " is not written in shortest form");
        }
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw new TicketException(Reason.MALFORMED, field + " is a number too large for a ticket");
    }

    String ascii(String field, int maxLength) throws TicketException {
      long length = varint(field + " length");
      if (length < 1 || length > maxLength) {
        throw invalid(field + " length " + length + " is not 1 to " + maxLength);
      }
      if (length > data.length - position) {
        throw truncated(field);
      }
      StringBuilder text = new StringBuilder((int) length);
      for (int i = 0; i < length; i++) {
        int b = data[position++] & 0xFF;
        if (b < 0x21 || b > 0x7E) {
          throw invalid(field + " holds byte " + b + ", not printable ASCII");
        }
        text.append((char) b);
      }
      return text.toString();
    }

    private TicketException truncated(String field) {
      return new TicketException(
          Reason.TRUNCATED,
          "the code ends inside the " + field + "; it is incomplete, check the last characters");
    }
  }
}
