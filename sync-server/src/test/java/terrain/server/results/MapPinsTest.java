// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MapPinsTest {
  @Test
  void unpack_whenPacked_givesThePinsBackInOrderAtFourBytesEach() throws Exception {
    List<MapPins.Pin> pins =
        List.of(
            new MapPins.Pin(7, 0, 1000),
            new MapPins.Pin(9, 1000, 0),
            new MapPins.Pin(12, 500, 499));

    byte[] packed = MapPins.pack(pins);

    assertEquals(12, packed.length);
    assertEquals(
        List.of(new Summary.Pin(0, 1000), new Summary.Pin(1000, 0), new Summary.Pin(500, 499)),
        MapPins.unpack(packed));
  }

  @Test
  void unpack_whenLengthIsNotFourBytesAPin_saysTheRowIsDamaged() {
    SQLException e = assertThrows(SQLException.class, () -> MapPins.unpack(new byte[] {0, 1, 2}));

    assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    assertEquals("XX001", e.getSQLState());
  }
}
