// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.text;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The language and encoding of a command line program's console, read from the environment as a
 * POSIX program reads them. French unless the environment says English: the staff are French.
 */
public final class ConsoleLanguage {

  private ConsoleLanguage() {}

  /**
   * The first of {@code LC_ALL}, {@code LC_MESSAGES} and {@code LANG} that is set and not empty:
   * English for {@code en...}, French for anything else ({@code fr_FR.UTF-8}, {@code C}, none).
   */
  public static Locale of(Map<String, String> env) {
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

  /**
   * The console's encoding: UTF-8 when the environment's locale ({@code LC_ALL}, {@code LC_CTYPE},
   * {@code LANG}) names it, as in {@code fr_FR.UTF-8}, even when that locale is not installed (the
   * JVM then falls back to ASCII and would print the French accents as "?"); otherwise the JVM's.
   */
  public static Charset charset(Map<String, String> env) {
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
}
