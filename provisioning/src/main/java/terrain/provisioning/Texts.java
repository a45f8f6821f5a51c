// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import java.nio.charset.Charset;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import terrain.core.text.ConsoleLanguage;

/**
 * What {@code terrain provision} says, in French or English: its messages from {@code
 * terrain/provisioning/text/messages*.properties} ({@link MessageFormat} patterns, apostrophes
 * written twice) and its help from {@code terrain/provisioning/usage/messages*.properties} (read by
 * picocli). French is the base file of both; a key missing in English falls back to French, never
 * to the JVM's default locale.
 */
final class Texts {

  static final String MESSAGES = "terrain.provisioning.text.messages";
  static final String USAGE = "terrain.provisioning.usage.messages";

  private static final ResourceBundle.Control NO_FALLBACK =
      ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

  private final Locale locale;
  private final ResourceBundle messages;

  private Texts(Locale locale) {
    this.locale = locale;
    this.messages = bundle(MESSAGES, locale);
  }

  static Texts of(Locale locale) {
    return new Texts(locale);
  }

  static ResourceBundle bundle(String name, Locale locale) {
    return ResourceBundle.getBundle(name, locale, Texts.class.getClassLoader(), NO_FALLBACK);
  }

  Locale locale() {
    return locale;
  }

  /** The help's bundle in this language, for picocli. */
  ResourceBundle usage() {
    return bundle(USAGE, locale);
  }

  /**
   * The message {@code key} with its arguments. Numbers are written as digits without grouping
   * (line numbers, years, ports, versions must read as in the file); a pattern's {@code choice}
   * gets them as numbers.
   */
  String get(String key, Object... args) {
    MessageFormat format = new MessageFormat(messages.getString(key), locale);
    java.text.Format[] formats = format.getFormatsByArgumentIndex();
    Object[] plain = args.clone();
    for (int i = 0; i < plain.length; i++) {
      boolean own = i < formats.length && formats[i] != null;
      if (plain[i] instanceof Number n && !own) {
        plain[i] = n.toString();
      }
    }
    return format.format(plain);
  }

  /**
   * {@code fr} or {@code en} as a language, empty for anything else.
   *
   * @param text a value of {@code --lang}
   */
  static Optional<Locale> language(String text) {
    return switch (text == null ? "" : text.strip().toLowerCase(Locale.ROOT)) {
      case "fr" -> Optional.of(Locale.FRENCH);
      case "en" -> Optional.of(Locale.ENGLISH);
      default -> Optional.empty();
    };
  }

  /** The console's encoding: {@link ConsoleLanguage#charset}. */
  static Charset consoleCharset(Map<String, String> env) {
    return ConsoleLanguage.charset(env);
  }

  /** The language of the environment: {@link ConsoleLanguage#of}. */
  static Locale fromEnvironment(Map<String, String> env) {
    return ConsoleLanguage.of(env);
  }
}
