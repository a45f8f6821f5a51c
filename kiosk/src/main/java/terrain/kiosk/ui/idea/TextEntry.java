// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.idea;

/**
 * Where an on-screen letter pad types. Kept this small so that the pad of this screen can be
 * replaced by the kiosk's shared on-screen keyboard without touching the idea model.
 */
public interface TextEntry {
  /** Types {@code keys} (a letter, a digit, a space, a punctuation mark) where the caret is. */
  void type(String keys);

  /** Removes the last character typed. */
  void backspace();
}
