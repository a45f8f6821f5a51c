// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Appends the primitive values of Terrain's binary formats: varints and length-prefixed text. */
public final class ByteWriter {
  private final ByteArrayOutputStream out;

  public ByteWriter(int expectedSize) {
    out = new ByteArrayOutputStream(expectedSize);
  }

  public ByteWriter() {
    this(64);
  }

  public ByteWriter u8(int value) {
    out.write(value);
    return this;
  }

  /** Unsigned LEB128: 7 bits per byte, high bit set on every byte but the last. */
  public ByteWriter varint(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varint [" + value + "] must not be negative");
    }
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
    return this;
  }

  /** Signed values as zigzag varints, so that small negative deltas stay one byte. */
  public ByteWriter zigzag(long value) {
    long encoded = (value << 1) ^ (value >> 63);
    while ((encoded & ~0x7FL) != 0) {
      out.write((int) ((encoded & 0x7F) | 0x80));
      encoded >>>= 7;
    }
    out.write((int) encoded);
    return this;
  }

  public ByteWriter text(String value) {
    return bytes(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Length-prefixed bytes. */
  public ByteWriter bytes(byte[] value) {
    varint(value.length);
    out.write(value, 0, value.length);
    return this;
  }

  public ByteWriter raw(byte[] value) {
    out.write(value, 0, value.length);
    return this;
  }

  public int size() {
    return out.size();
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
