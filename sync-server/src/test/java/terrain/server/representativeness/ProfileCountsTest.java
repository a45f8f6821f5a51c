// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.representativeness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ProfileCountsTest {
  @Test
  void pack_thenUnpack_givesTheCountsBackAcrossParts() throws Exception {
    SortedMap<String, SortedMap<String, Long>> counts = new TreeMap<>();
    for (int q = 0; q < 5; q++) {
      SortedMap<String, Long> options = new TreeMap<>();
      for (int o = 0; o < 9; o++) {
        options.put("opt-é-" + o, (long) q * 1000 + o * 300_000L + 1);
      }
      counts.put("q-" + q, options);
    }

    List<byte[]> parts = ProfileCounts.pack(counts, 60);

    assertTrue(parts.size() > 5, "a question spans parts: " + parts.size());
    Map<String, Map<String, Long>> back = new HashMap<>();
    for (byte[] part : parts) {
      assertTrue(part.length <= 60, "part of " + part.length + " bytes");
      ProfileCounts.unpack(part, back);
    }
    assertEquals(counts, back);
    assertEquals(1, ProfileCounts.pack(counts).size(), "one part of 4,000 bytes holds them all");
    assertEquals(List.of(), ProfileCounts.pack(new TreeMap<>()));
  }

  @Test
  void unpack_whenRowIsDamaged_saysSo() throws Exception {
    SortedMap<String, SortedMap<String, Long>> counts = new TreeMap<>();
    counts.put("q-1", new TreeMap<>(Map.of("yes", 3L)));
    byte[] packed = ProfileCounts.pack(counts).get(0);

    SQLException e =
        assertThrows(
            SQLException.class,
            () -> ProfileCounts.unpack(Arrays.copyOf(packed, packed.length - 2), new HashMap<>()));

    assertTrue(e.getMessage().contains("profile_counts row"), e.getMessage());
    assertEquals("XX001", e.getSQLState());
  }
}
