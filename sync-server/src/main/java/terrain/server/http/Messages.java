// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.http;

import java.text.MessageFormat;
import java.text.NumberFormat;
import java.util.Locale;
import java.util.ResourceBundle;
import terrain.core.text.Html;

/**
 * The results pages' words in one language, from {@code messages.properties} (French) and {@code
 * messages_en.properties}, and their numbers formatted for that language.
 */
final class Messages {
  private static final String BUNDLE = "terrain.server.http.messages";

  /**
   * French is the base bundle: without this control a French request on a machine whose default
   * locale is English would get the English bundle.
   */
  private static final ResourceBundle.Control NO_FALLBACK =
      ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

  private final Locale locale;
  private final ResourceBundle bundle;
  private final NumberFormat integers;
  private final NumberFormat percents;

  Messages(Locale locale) {
    this.locale = locale;
    this.bundle = ResourceBundle.getBundle(BUNDLE, locale, NO_FALLBACK);
    this.integers = NumberFormat.getIntegerInstance(locale);
    this.percents = NumberFormat.getPercentInstance(locale);
  }

  /** A plain text, escaped for HTML. */
  String html(String key) {
    return Html.escape(bundle.getString(key));
  }

  /** A {@link MessageFormat} pattern filled with {@code args}, the whole escaped for HTML. */
  String format(String key, Object... args) {
    return Html.escape(new MessageFormat(bundle.getString(key), locale).format(args));
  }

  /** A count with the language's digit grouping ({@code 1 234}, {@code 1,234}). */
  String number(long value) {
    return integers.format(value);
  }

  /** A whole percentage the language's way ({@code 12 %}, {@code 12%}). */
  String percent(long percent) {
    return percents.format(percent / 100.0);
  }
}
