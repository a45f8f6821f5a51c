// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;

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

  /**
   * The console's encoding: UTF-8 when the environment's locale ({@code LC_ALL}, {@code LC_CTYPE},
   * {@code LANG}) names it, as in {@code fr_FR.UTF-8}, even when that locale is not installed (the
   * JVM then falls back to ASCII and would print the French accents as "?"); otherwise the JVM's.
   */
  static Charset consoleCharset(Map<String, String> env) {
    for (String name : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return value.toLowerCase(Locale.ROOT).matches(".*\\.utf-?8(@.*)?")
            ? StandardCharsets.UTF_8
            : Charset.defaultCharset();
      }
    }
    return Charset.defaultCharset();
  }

  /**
   * The language of the environment as a POSIX program reads it: the first of {@code LC_ALL},
   * {@code LC_MESSAGES} and {@code LANG} that is set and not empty; English for {@code en...},
   * French for anything else ({@code fr_FR.UTF-8}, {@code C}, none: the staff are French).
   */
  static Locale fromEnvironment(Map<String, String> env) {
    for (String name : new String[] {"LC_ALL", "LC_MESSAGES", "LANG"}) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return value.strip().toLowerCase(Locale.ROOT).startsWith("en")
            ? Locale.ENGLISH
            : Locale.FRENCH;
      }
    }
    return Locale.FRENCH;
  }
}
