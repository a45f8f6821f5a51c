// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.keyboard;

import java.util.List;

/** Presses on-screen keys by the characters they type, as a resident's finger would. */
public final class Keys {
  private Keys() {}

  /** Presses the key of {@code codePoint} on the layout on screen (a space: the space bar). */
  public static boolean press(KeyboardModel model, int codePoint) {
    if (codePoint == ' ') {
      return model.press(Key.SPACE);
    }
    String wanted = Character.toString(codePoint);
    Key key =
        model.rows().stream()
            .flatMap(List::stream)
            .filter(k -> k.text().equals(wanted))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no key " + wanted + " on " + model.layout()));
    return model.press(key);
  }

  /** Presses the keys of every character of {@code text} in turn. */
  public static void press(KeyboardModel model, String text) {
    text.codePoints().forEach(c -> press(model, c));
  }
}
