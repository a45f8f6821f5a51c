// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.keyboard;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys of the on-screen keyboard, row by row, for the resident's language: French AZERTY with
 * its accents, English QWERTY, Arabic. Every layout ends with a row of shift (when the script has
 * capitals), space and backspace.
 */
public enum KeyboardLayout {
  /** French: AZERTY, with a row of the accented letters French needs. */
  AZERTY(true, "1234567890", "azertyuiop", "qsdfghjklm", "wxcvbn',.?", "éèàçùêâôî-!"),
  /** English: QWERTY. */
  QWERTY(true, "1234567890", "qwertyuiop", "asdfghjkl'", "zxcvbnm,.?", "-!"),
  /** Arabic: the common Arabic layout; no capitals, so no shift. */
  ARABIC(false, "1234567890", "ضصثقفغعهخحجد", "شسيبلاتنمكط", "ئءؤرىةوزظذ", "أإآ،.؟!");

  private final boolean capitals;
  private final List<List<Key>> rows;

  KeyboardLayout(boolean capitals, String... rows) {
    this.capitals = capitals;
    List<List<Key>> all = new ArrayList<>();
    for (String row : rows) {
      all.add(row.codePoints().mapToObj(Key::character).toList());
    }
    List<Key> last = new ArrayList<>();
    if (capitals) {
      last.add(Key.SHIFT);
    }
    last.add(Key.SPACE);
    last.add(Key.BACKSPACE);
    all.add(List.copyOf(last));
    this.rows = List.copyOf(all);
  }

  /** The layout for a language tag: "fr", "en" or "ar"; French for any other. */
  public static KeyboardLayout forLanguage(String tag) {
    return switch (tag) {
      case "en" -> QWERTY;
      case "ar" -> ARABIC;
      default -> AZERTY;
    };
  }

  /** Whether the script has capitals, and so the layout a shift key. */
  public boolean hasCapitals() {
    return capitals;
  }

  /** The rows of keys, top to bottom, each in reading order. */
  public List<List<Key>> rows() {
    return rows;
  }
}
