// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.ticket;

/**
 * RFC 4648 base32 (alphabet A-Z 2-7) without padding, strict on decode: only the canonical encoding
 * of some bytes is accepted, so no two strings decode to the same bytes.
 */
public final class Base32 {

  static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private static final int[] VALUES = new int[128];

  static {
    java.util.Arrays.fill(VALUES, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      VALUES[ALPHABET.charAt(i)] = i;
    }
  }

  private Base32() {}

  /** Why a string is not canonical base32. */
  static final class Base32Exception extends Exception {
    private static final long serialVersionUID = 1L;

    Base32Exception(String message) {
      super(message);
    }
  }

  /** The base32 text of {@code data}, without padding. */
  public static String encode(byte[] data) {
    StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  /**
   * Decodes uppercase base32 without padding.
   *
   * @throws Base32Exception for a character outside the alphabet, an impossible length or unused
   *     trailing bits that are not zero
   */
  static byte[] decode(String text) throws Base32Exception {
    int remainder = text.length() % 8;
    if (remainder == 1 || remainder == 3 || remainder == 6) {
      throw new Base32Exception(
          "length " + text.length() + " is not a possible length of base32 without padding");
    }
    byte[] out = new byte[text.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int index = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int value = c < 128 ? VALUES[c] : -1;
      if (value < 0) {
        throw new Base32Exception(
            "character '" + c + "' at position " + (i + 1) + " is not one of A-Z, 2-7");
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out[index++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
        buffer &= (1 << bits) - 1;
      }
    }
    if (buffer != 0) {
      throw new Base32Exception("the last character has unused bits set; it was changed");
    }
    return out;
  }
}
