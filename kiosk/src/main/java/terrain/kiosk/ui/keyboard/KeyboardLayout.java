// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.keyboard;

import java.util.ArrayList;
import java.util.List;

/**
 * Every key grid of the kiosk, row by row, in one place: the letters for the resident's language
 * (French AZERTY with its accents, English QWERTY, Arabic), a compact form of each, and the staff
 * PIN pad. A row is written as its characters; four signs stand for the special keys: ⇧ shift, ␣
 * space, ⌫ backspace, ↵ enter.
 */
public enum KeyboardLayout {
  /** French: AZERTY, with a row of the accented letters French needs. */
  AZERTY("1234567890", "azertyuiop", "qsdfghjklm", "wxcvbn',.?", "éèàçùêâôî-!", "⇧␣⌫"),
  /** English: QWERTY. */
  QWERTY("1234567890", "qwertyuiop", "asdfghjkl'", "zxcvbnm,.?", "-!", "⇧␣⌫"),
  /** Arabic: the common Arabic layout; no capitals, so no shift. */
  ARABIC("1234567890", "ضصثقفغعهخحجد", "شسيبلاتنمكط", "ئءؤرىةوزظذ", "أإآ،.؟!", "␣⌫"),
  /**
   * French in four rows, no digits, for a screen that also holds fields and themes (the idea
   * screen); a number can be written in words.
   */
  AZERTY_COMPACT("azertyuiop", "qsdfghjklm", "wxcvbnéèàç", "⇧',.?!-␣⌫"),
  /** English in four rows, no digits. */
  QWERTY_COMPACT("qwertyuiop", "asdfghjkl'", "zxcvbnm", "⇧,.?!-␣⌫"),
  /** Arabic in four rows, no digits. */
  ARABIC_COMPACT("ضصثقفغعهخحج", "شسيبلاتنمكط", "ئءؤرىةوزظدذ", "،.؟!-␣⌫"),
  /** The staff PIN pad: digits as on a phone, backspace and enter beside the zero. */
  PIN("123", "456", "789", "⌫0↵");

  private final List<List<Key>> rows;
  private final boolean capitals;

  KeyboardLayout(String... rows) {
    List<List<Key>> all = new ArrayList<>();
    for (String row : rows) {
      all.add(row.codePoints().mapToObj(KeyboardLayout::key).toList());
    }
    this.rows = List.copyOf(all);
    this.capitals = this.rows.stream().anyMatch(r -> r.contains(Key.SHIFT));
  }

  private static Key key(int sign) {
    return switch (sign) {
      case '⇧' -> Key.SHIFT;
      case '␣' -> Key.SPACE;
      case '⌫' -> Key.BACKSPACE;
      case '↵' -> Key.ENTER;
      default -> Key.character(sign);
    };
  }

  /** The full layout for a language tag: "fr", "en" or "ar"; French for any other. */
  public static KeyboardLayout forLanguage(String tag) {
    return switch (tag) {
      case "en" -> QWERTY;
      case "ar" -> ARABIC;
      default -> AZERTY;
    };
  }

  /** The compact layout (four rows, no digits) for a language tag; French for any other. */
  public static KeyboardLayout compactFor(String tag) {
    return switch (tag) {
      case "en" -> QWERTY_COMPACT;
      case "ar" -> ARABIC_COMPACT;
      default -> AZERTY_COMPACT;
    };
  }

  /** Whether the script has capitals, and so the layout a shift key. */
  public boolean hasCapitals() {
    return capitals;
  }

  /** Whether its letters are Arabic (the switch key names the script it goes to). */
  public boolean isArabic() {
    return this == ARABIC || this == ARABIC_COMPACT;
  }

  /** The rows of keys, top to bottom, each in reading order. */
  public List<List<Key>> rows() {
    return rows;
  }
}
