// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.text.MessageFormat;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.ResourceBundle;

/** The words printed on a ticket, from the resource bundle in the ticket's language. */
record TicketText(
    String briqs,
    String golden,
    String instructions,
    String code,
    String expires,
    String typeCode) {

  static TicketText of(TicketPrint print) {
    Locale locale = "en".equals(print.language().getLanguage()) ? Locale.ENGLISH : Locale.FRENCH;
    ResourceBundle bundle =
        ResourceBundle.getBundle(
            "terrain.hardware.printer.messages",
            locale,
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    DateTimeFormatter date =
        DateTimeFormatter.ofPattern(bundle.getString("ticket.datePattern"), locale);
    String host = host(print.qrContent());
    return new TicketText(
        format(bundle, locale, "ticket.briqs", print.briqs()),
        print.golden() ? bundle.getString("ticket.golden") : "",
        bundle.getString("ticket.instructions"),
        format(bundle, locale, "ticket.code", print.shortCode()),
        format(bundle, locale, "ticket.expires", date.format(print.expiresOn())),
        host.isEmpty() ? "" : format(bundle, locale, "ticket.typeCode", host));
  }

  private static String format(ResourceBundle bundle, Locale locale, String key, Object value) {
    return new MessageFormat(bundle.getString(key), locale).format(new Object[] {value});
  }

  /** {@code briqs.bordeaux.fr} of {@code HTTPS://BRIQS.BORDEAUX.FR/T/...}, or empty. */
  private static String host(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return "";
    }
    int end = url.indexOf('/', scheme + 3);
    return url.substring(scheme + 3, end < 0 ? url.length() : end).toLowerCase(Locale.ROOT);
  }
}
