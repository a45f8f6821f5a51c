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

  /**
   * The languages of pages residents read in a room (the workshop's projector): Arabic too, as on
   * the kiosk's screens.
   */
  public static final List<String> WITH_ARABIC = List.of("fr", "en", "ar");

  public PageLanguage {
    Objects.requireNonNull(locale, "locale");
    if (!WITH_ARABIC.contains(locale.getLanguage()) || !locale.getCountry().isEmpty()) {
      throw new IllegalArgumentException(
          "Locale [" + locale + "] is not one the pages speak; use " + WITH_ARABIC);
    }
  }

  /**
   * @param query the raw query string of the request, or null
   * @param acceptLanguage the {@code Accept-Language} header, or null
   */
  public static PageLanguage choose(String query, String acceptLanguage) {
    return choose(query, acceptLanguage, SPOKEN);
  }

  /**
   * As {@link #choose(String, String)} among {@code spoken} (French first), e.g. {@link
   * #WITH_ARABIC}.
   */
  public static PageLanguage choose(String query, String acceptLanguage, List<String> spoken) {
    String asked = asked(query, spoken);
    if (asked != null) {
      return new PageLanguage(Locale.forLanguageTag(asked), true);
    }
    return new PageLanguage(preferred(acceptLanguage, spoken), false);
  }

  /** Whether the language is written right to left. */
  public boolean rightToLeft() {
    return "ar".equals(tag());
  }

  /** The language's tag, {@code fr} or {@code en}, for {@code <html lang>} and links. */
  public String tag() {
    return locale.getLanguage();
  }

  private static String asked(String query, List<String> spoken) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      String lower = pair.toLowerCase(Locale.ROOT);
      if (lower.startsWith("lang=") && spoken.contains(lower.substring(5))) {
        return lower.substring(5);
      }
    }
    return null;
  }

  private static Locale preferred(String acceptLanguage, List<String> spoken) {
    if (acceptLanguage == null || acceptLanguage.isBlank()) {
      return FRENCH;
    }
    try {
      String best = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage), spoken);
      return best == null ? FRENCH : Locale.forLanguageTag(best);
    } catch (IllegalArgumentException malformed) {
      return FRENCH;
    }
  }
}
