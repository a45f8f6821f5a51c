// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The packed form of the pins in a {@code map_pins} row (decision 0027): 4 bytes a pin, x then y in
 * per mille (0 to 1000), two bytes each, big-endian. Pins are only read all together, for the map
 * of a question, so one row holds up to {@link #PER_ROW} of them instead of one row each.
 */
final class MapPins {
  /** The most pins one row holds (4,000 bytes, inside a Derby page). */
  static final int PER_ROW = 1000;

  /** A pin of the record {@code seq}. */
  record Pin(long seq, int x, int y) {}

  private MapPins() {}

  static byte[] pack(List<Pin> pins) {
    ByteBuffer out = ByteBuffer.allocate(pins.size() * 4);
    for (Pin pin : pins) {
      out.putShort((short) pin.x());
      out.putShort((short) pin.y());
    }
    return out.array();
  }

  /** The pins of a row; a length that is not a multiple of 4 is a damaged row. */
  static List<Summary.Pin> unpack(byte[] packed) throws SQLException {
    if (packed.length % 4 != 0) {
      throw DamagedRow.of("map_pins", packed.length, "4 bytes a pin", null);
    }
    ByteBuffer in = ByteBuffer.wrap(packed);
    List<Summary.Pin> out = new ArrayList<>(packed.length / 4);
    while (in.hasRemaining()) {
      out.add(
          new Summary.Pin(Short.toUnsignedInt(in.getShort()), Short.toUnsignedInt(in.getShort())));
    }
    return out;
  }
}
