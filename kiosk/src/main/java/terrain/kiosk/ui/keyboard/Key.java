// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.keyboard;

import java.util.Objects;

/**
 * A key of the on-screen keyboard.
 *
 * @param kind what it does
 * @param codePoint the character it types, for a {@link Kind#CHARACTER} key; 0 otherwise
 */
public record Key(Kind kind, int codePoint) {
  /** What a key does. */
  public enum Kind {
    CHARACTER,
    SHIFT,
    SPACE,
    BACKSPACE,
    /** Switches to the other script (Arabic and Latin letters). */
    SWITCH,
    /** Done typing (the PIN pad's "Valider"). */
    ENTER
  }

  public static final Key SHIFT = new Key(Kind.SHIFT, 0);
  public static final Key SPACE = new Key(Kind.SPACE, 0);
  public static final Key BACKSPACE = new Key(Kind.BACKSPACE, 0);
  public static final Key SWITCH = new Key(Kind.SWITCH, 0);
  public static final Key ENTER = new Key(Kind.ENTER, 0);

  public Key {
    Objects.requireNonNull(kind, "Key kind must not be null");
    if ((kind == Kind.CHARACTER) != (codePoint > 0)) {
      throw new IllegalArgumentException(
          "Key " + kind + " codePoint [" + codePoint + "] must be > 0 exactly for a character");
    }
  }

  public static Key character(int codePoint) {
    return new Key(Kind.CHARACTER, codePoint);
  }

  /** A stable id for the view and tests: "key-e9" for é, "key-shift", "key-space"... */
  public String id() {
    return id("key-");
  }

  /**
   * The id with another prefix, for a second keyboard on the same scene: "pin-31" for the 1 of the
   * PIN pad.
   */
  public String id(String prefix) {
    return kind == Kind.CHARACTER
        ? prefix + Integer.toHexString(codePoint)
        : prefix + kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The character typed, as a string. */
  public String text() {
    return kind == Kind.CHARACTER ? Character.toString(codePoint) : "";
  }
}
