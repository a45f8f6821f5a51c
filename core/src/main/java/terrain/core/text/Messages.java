// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.text;

import java.text.MessageFormat;
import java.text.NumberFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * A page's words in one language, from a resource bundle whose base file is French ({@code
 * messages.properties}) with {@code messages_en.properties} beside it, and its numbers formatted
 * for that language.
 */
public final class Messages {
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

  /**
   * @param bundle the bundle's base name, e.g. {@code terrain.hub.status.messages}
   */
  public Messages(String bundle, Locale locale) {
    this.locale = locale;
    this.bundle = ResourceBundle.getBundle(bundle, locale, NO_FALLBACK);
    this.integers = NumberFormat.getIntegerInstance(locale);
    this.percents = NumberFormat.getPercentInstance(locale);
  }

  /**
   * A text without arguments, escaped for HTML. Like every text of these bundles it is a {@link
   * MessageFormat} pattern, so an apostrophe is written twice ({@code l''événement}): one rule for
   * every key, whether or not it takes arguments.
   */
  public String html(String key) {
    return format(key);
  }

  /** A {@link MessageFormat} pattern filled with {@code args}, the whole escaped for HTML. */
  public String format(String key, Object... args) {
    return Html.escape(text(key, args));
  }

  /**
   * A {@link MessageFormat} pattern filled with {@code args}, not escaped: for templates that
   * escape what they output themselves (the sync server's JTE pages, decision 0030).
   */
  public String text(String key, Object... args) {
    return new MessageFormat(bundle.getString(key), locale).format(args);
  }

  /** A count with the language's digit grouping ({@code 1 234}, {@code 1,234}). */
  public String number(long value) {
    return integers.format(value);
  }

  /** A whole percentage the language's way ({@code 12 %}, {@code 12%}). */
  public String percent(long percent) {
    return percents.format(percent / 100.0);
  }
}
