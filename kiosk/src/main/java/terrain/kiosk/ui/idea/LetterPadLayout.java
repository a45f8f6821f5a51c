// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.idea;

import java.util.List;
import terrain.kiosk.ui.Language;

/**
 * The keys of the on-screen letter pad, row by row, for the resident's language: AZERTY with the
 * French accented letters, QWERTY for English, the Arabic letters in the usual PC layout, and the
 * common punctuation; the view adds a space bar and a key that rubs out. No digits: four rows keep
 * the pad, the fields and the themes on one screen (a number can be written in words).
 */
public final class LetterPadLayout {
  private LetterPadLayout() {}

  /** The rows of character keys for {@code language}. */
  public static List<List<String>> rows(Language language) {
    return switch (language) {
      case FR ->
          List.of(
              keys("a z e r t y u i o p"),
              keys("q s d f g h j k l m"),
              keys("w x c v b n é è à ç"),
              keys("' , . ? ! -"));
      case EN ->
          List.of(
              keys("q w e r t y u i o p"),
              keys("a s d f g h j k l '"),
              keys("z x c v b n m"),
              keys(", . ? ! -"));
      case AR ->
          List.of(
              keys("ض ص ث ق ف غ ع ه خ ح ج"),
              keys("ش س ي ب ل ا ت ن م ك ط"),
              keys("ئ ء ؤ ر ى ة و ز ظ د ذ"),
              keys("، . ؟ ! -"));
    };
  }

  private static List<String> keys(String spaced) {
    return List.of(spaced.split(" "));
  }
}
