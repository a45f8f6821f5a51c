// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.util.Locale;

/**
 * The languages a resident can choose. French is the default and the language every event text has;
 * an event text missing in a language is shown in French, and the kiosk then uses its own words
 * where it has them (yes/no, the points of a scale) rather than mixing languages.
 */
public enum Language {
  FR("fr", "Français", false),
  EN("en", "English", false),
  AR("ar", "العربية", true);

  private final String tag;
  private final String nativeName;
  private final boolean rightToLeft;

  Language(String tag, String nativeName, boolean rightToLeft) {
    this.tag = tag;
    this.nativeName = nativeName;
    this.rightToLeft = rightToLeft;
  }

  /** The language tag, as given to {@code LocalizedText.in}. */
  public String tag() {
    return tag;
  }

  /** The language's name in itself, shown on the language choice. */
  public String nativeName() {
    return nativeName;
  }

  /** Whether the screens are laid out from right to left. */
  public boolean rightToLeft() {
    return rightToLeft;
  }

  public Locale locale() {
    return Locale.forLanguageTag(tag);
  }
}
