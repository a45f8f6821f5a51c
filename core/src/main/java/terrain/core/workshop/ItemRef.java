// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.workshop;

import java.util.Objects;
import terrain.core.codec.ByteReader;
import terrain.core.codec.ByteWriter;
import terrain.core.codec.WireException;
import terrain.core.record.DeviceId;

/**
 * Names an idea or a group by the identity of the record that created it, so two tablets never need
 * to agree on ids: {@code (device, seq)} is unique by construction.
 */
public record ItemRef(DeviceId device, long seq) implements Comparable<ItemRef> {
  public ItemRef {
    Objects.requireNonNull(device, "ItemRef device must not be null");
    if (seq < 1) {
      throw new IllegalArgumentException("ItemRef seq [" + seq + "] must be 1 or more");
    }
  }

  /** Reads {@code device:seq}, as {@link #toString()} writes it. */
  public static ItemRef parse(String text) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException("item [" + text + "] must be written device:seq");
    }
    try {
      return new ItemRef(
          DeviceId.of(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("item [" + text + "] must end with a number", e);
    }
  }

  void write(ByteWriter out) {
    out.text(device.value()).varint(seq);
  }

  static ItemRef read(ByteReader in, String field) throws WireException {
    String device = in.text(field + " device", 64);
    long seq = in.varint(field + " seq");
    if (!DeviceId.isValid(device) || seq < 1) {
      throw new WireException(field + " [" + device + ":" + seq + "] is not a record identity");
    }
    return new ItemRef(DeviceId.of(device), seq);
  }

  @Override
  public int compareTo(ItemRef other) {
    int byDevice = device.compareTo(other.device);
    return byDevice != 0 ? byDevice : Long.compare(seq, other.seq);
  }

  @Override
  public String toString() {
    return device.value() + ":" + seq;
  }
}
