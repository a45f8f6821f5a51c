// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link ByteWriter} wrote, from untrusted bytes: every read is bounds-checked and a
 * violation is a {@link WireException} naming the field and the offset.
 */
public final class ByteReader {
  private final byte[] data;
  private final int limit;
  private int position;
  // What the fields read now belong to ("record " + index), joined to a field's name only when a
  // message is built: a batch's decoder reads seven fields a record (decision 0056).
  private String context;
  private int contextIndex;

  public ByteReader(byte[] data) {
    this(data, data.length);
  }

  /**
   * Reads the first {@code length} bytes of {@code data}: a buffer reused from message to message
   * holds more than the message (decision 0060).
   */
  public ByteReader(byte[] data, int length) {
    if (length < 0 || length > data.length) {
      throw new IllegalArgumentException(
          "length " + length + " outside a buffer of " + data.length + " bytes");
    }
    this.data = data;
    this.limit = length;
  }

  /**
   * The fields read from now on belong to item {@code index} of {@code prefix}: a field {@code
   * kind} is named {@code prefix + index + " kind"} in a message. {@code null} ends it.
   */
  public void within(String prefix, int index) {
    context = prefix;
    contextIndex = index;
  }

  /** A field's name in a message: with the item it belongs to ({@link #within}). */
  public String name(String field) {
    return context == null ? field : context + contextIndex + " " + field;
  }

  public int position() {
    return position;
  }

  public boolean hasRemaining() {
    return position < limit;
  }

  public int remaining() {
    return limit - position;
  }

  public int u8(String field) throws WireException {
    if (position >= limit) {
      throw truncated(name(field));
    }
    return data[position++] & 0xFF;
  }

  public long varint(String field) throws WireException {
    return varint(field, "");
  }

  /**
   * A varint named {@code field + suffix} in a message: the name is only built for a message, not
   * for every read (a text's length is read for each id of a record).
   */
  private long varint(String field, String suffix) throws WireException {
    int start = position;
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position >= limit) {
        throw truncated(name(field) + suffix);
      }
      int b = data[position++] & 0xFF;
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (result < 0) {
          throw new WireException(
              name(field) + suffix + " at offset " + start + " is not a valid varint");
        }
        return result;
      }
    }
    throw new WireException(
        name(field) + suffix + " at offset " + start + " is a varint longer than 64 bits");
  }

  /** A varint that must fit in [0, max]; used for counts and lengths before allocating. */
  public int count(String field, int max) throws WireException {
    return count(field, "", max);
  }

  private int count(String field, String suffix, int max) throws WireException {
    int start = position;
    long value = varint(field, suffix);
    if (value > max) {
      throw new WireException(
          name(field)
              + suffix
              + " at offset "
              + start
              + " is "
              + value
              + ", more than the limit of "
              + max);
    }
    return (int) value;
  }

  public long zigzag(String field) throws WireException {
    int start = position;
    long result = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (position >= limit) {
        throw truncated(name(field));
      }
      int b = data[position++] & 0xFF;
      if (shift == 63 && (b & 0x7E) != 0) {
        break;
      }
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return (result >>> 1) ^ -(result & 1);
      }
    }
    throw new WireException(
        name(field) + " at offset " + start + " is a varint longer than 64 bits");
  }

  public byte[] bytes(String field, int maxLength) throws WireException {
    int length = count(field, " length", maxLength);
    if (length > remaining()) {
      throw truncated(name(field));
    }
    byte[] value = new byte[length];
    System.arraycopy(data, position, value, 0, length);
    position += length;
    return value;
  }

  /** The next {@code length} bytes; the caller read and bounded the length. */
  public byte[] fixed(String field, int length) throws WireException {
    if (length < 0 || length > remaining()) {
      throw truncated(name(field));
    }
    byte[] value = new byte[length];
    System.arraycopy(data, position, value, 0, length);
    position += length;
    return value;
  }

  /** A length-prefixed UTF-8 text, read straight from the message (no copy of its bytes first). */
  public String text(String field, int maxBytes) throws WireException {
    int start = position;
    int length = count(field, " length", maxBytes);
    if (length > remaining()) {
      throw truncated(name(field));
    }
    int from = position;
    position += length;
    if (ascii(from, length)) {
      // Most texts and every id: no decoder needed (one byte per character, nothing to check).
      return new String(data, from, length, StandardCharsets.US_ASCII);
    }
    // Decoded leniently (no decoder made), malformed input becoming U+FFFD; only a text holding
    // U+FFFD, sent or made, is decoded again strictly to tell the two apart.
    String text = new String(data, from, length, StandardCharsets.UTF_8);
    if (text.indexOf('\uFFFD') < 0) {
      return text;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data, from, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new WireException(name(field) + " at offset " + start + " is not valid UTF-8");
    }
  }

  private boolean ascii(int from, int length) {
    for (int i = from; i < from + length; i++) {
      if (data[i] < 0) {
        return false;
      }
    }
    return true;
  }

  public void expectEnd(String what) throws WireException {
    if (hasRemaining()) {
      throw new WireException(
          what + " has " + remaining() + " unexpected trailing bytes at offset " + position);
    }
  }

  /** {@code named} is the field's name as {@link #name} gives it. */
  private WireException truncated(String named) {
    return new WireException(
        "message is truncated: "
            + named
            + " at offset "
            + position
            + " runs past the end ("
            + limit
            + " bytes)");
  }
}
