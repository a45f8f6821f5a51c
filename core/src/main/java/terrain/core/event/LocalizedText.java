// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.Objects;

/**
 * A text shown to residents: in French, and optionally in English and in Arabic (the kiosk's third
 * language).
 *
 * @param fr the French text, required and not blank
 * @param en the English text; when absent or blank it is the French text
 * @param ar the Arabic text, or null when the event has none: Arabic readers then see the French
 *     text, the language of the town's notices
 */
public record LocalizedText(String fr, String en, String ar) {

  public LocalizedText {
    Objects.requireNonNull(fr, "LocalizedText fr must not be null");
    if (fr.isBlank()) {
      throw new IllegalArgumentException("LocalizedText fr [" + fr + "] must not be blank");
    }
    if (en == null || en.isBlank()) {
      en = fr;
    }
    if (ar != null && ar.isBlank()) {
      ar = null;
    }
  }

  /** French and English only. */
  public LocalizedText(String fr, String en) {
    this(fr, en, null);
  }

  /** A text in French only; English readers see the French text. */
  public static LocalizedText of(String fr) {
    return new LocalizedText(fr, null, null);
  }

  public static LocalizedText of(String fr, String en) {
    return new LocalizedText(fr, en, null);
  }

  public static LocalizedText of(String fr, String en, String ar) {
    return new LocalizedText(fr, en, ar);
  }

  /**
   * The English text for {@code "en"}, the Arabic text for {@code "ar"} when there is one, the
   * French text otherwise.
   */
  public String in(String lang) {
    if ("en".equalsIgnoreCase(lang)) {
      return en;
    }
    if ("ar".equalsIgnoreCase(lang) && ar != null) {
      return ar;
    }
    return fr;
  }

  /** Whether {@link #in} gives a text written in {@code lang}, not the French one instead. */
  public boolean has(String lang) {
    return "fr".equalsIgnoreCase(lang)
        || "en".equalsIgnoreCase(lang)
        || ("ar".equalsIgnoreCase(lang) && ar != null);
  }
}
