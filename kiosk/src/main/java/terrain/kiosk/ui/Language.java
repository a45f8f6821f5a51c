// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.util.Locale;

/**
 * The languages a resident can choose. French is the default and the language of the event file; an
 * event text missing in a language is shown in French.
 */
public enum Language {
  FR("fr", "Français", false, true),
  EN("en", "English", false, true),
  AR("ar", "العربية", true, false);

  private final String tag;
  private final String nativeName;
  private final boolean rightToLeft;
  private final boolean inEventFiles;

  Language(String tag, String nativeName, boolean rightToLeft, boolean inEventFiles) {
    this.tag = tag;
    this.nativeName = nativeName;
    this.rightToLeft = rightToLeft;
    this.inEventFiles = inEventFiles;
  }

  /**
   * Whether event files can hold texts in this language (today French and English). For the others,
   * the event's texts show in French, and the kiosk uses its own words where it has them (yes/no,
   * the points of a scale) rather than mixing languages on one screen.
   */
  public boolean inEventFiles() {
    return inEventFiles;
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
