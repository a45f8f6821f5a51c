// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.text;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The language a page speaks: French, unless the request prefers English. The page's own switch
 * ({@code ?lang=fr} or {@code ?lang=en}) wins over the browser's {@code Accept-Language}; a
 * missing, unknown or malformed choice gives French.
 *
 * @param explicit whether the request chose with {@code ?lang=}, so links can carry the choice on
 */
public record PageLanguage(Locale locale, boolean explicit) {
  public static final Locale FRENCH = Locale.FRENCH;
  public static final Locale ENGLISH = Locale.ENGLISH;

  /** The languages the pages speak, French first: it wins a tie in {@code Accept-Language}. */
  private static final List<String> SPOKEN = List.of("fr", "en");

  public PageLanguage {
    Objects.requireNonNull(locale, "locale");
    if (!SPOKEN.contains(locale.getLanguage()) || !locale.getCountry().isEmpty()) {
      throw new IllegalArgumentException(
          "Locale [" + locale + "] is not one the pages speak; use " + SPOKEN);
    }
  }

  /**
   * @param query the raw query string of the request, or null
   * @param acceptLanguage the {@code Accept-Language} header, or null
   */
  public static PageLanguage choose(String query, String acceptLanguage) {
    String asked = asked(query);
    if (asked != null) {
      return new PageLanguage(Locale.forLanguageTag(asked), true);
    }
    return new PageLanguage(preferred(acceptLanguage), false);
  }

  /** The language's tag, {@code fr} or {@code en}, for {@code <html lang>} and links. */
  public String tag() {
    return locale.getLanguage();
  }

  private static String asked(String query) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      String lower = pair.toLowerCase(Locale.ROOT);
      if (lower.startsWith("lang=") && SPOKEN.contains(lower.substring(5))) {
        return lower.substring(5);
      }
    }
    return null;
  }

  private static Locale preferred(String acceptLanguage) {
    if (acceptLanguage == null || acceptLanguage.isBlank()) {
      return FRENCH;
    }
    try {
      String best = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage), SPOKEN);
      return "en".equals(best) ? ENGLISH : FRENCH;
    } catch (IllegalArgumentException malformed) {
      return FRENCH;
    }
  }
}
