// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.Objects;

/**
 * A text shown to residents, in French and optionally in English.
 *
 * @param fr the French text, required and not blank
 * @param en the English text; when absent or blank it is the French text
 */
public record LocalizedText(String fr, String en) {

  public LocalizedText {
    Objects.requireNonNull(fr, "LocalizedText fr must not be null");
    if (fr.isBlank()) {
      throw new IllegalArgumentException("LocalizedText fr [" + fr + "] must not be blank");
    }
    if (en == null || en.isBlank()) {
      en = fr;
    }
  }

  /** A text in French only; English readers see the French text. */
  public static LocalizedText of(String fr) {
    return new LocalizedText(fr, null);
  }

  public static LocalizedText of(String fr, String en) {
    return new LocalizedText(fr, en);
  }

  /** The English text for {@code "en"}, the French text for any other language. */
  public String in(String lang) {
    return "en".equalsIgnoreCase(lang) ? en : fr;
  }
}
