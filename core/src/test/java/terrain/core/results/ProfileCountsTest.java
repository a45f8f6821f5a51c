// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileCountsTest {

  @Test
  void decode_whenEncoded_givesTheSameCountsBack() {
    Map<String, Long> ages = new LinkedHashMap<>();
    ages.put("18-29", 4L);
    ages.put("45-59", 36L);
    ProfileCounts counts = new ProfileCounts("market-day", ages, Map.of("bastide", 40L));

    byte[] wire = counts.encode();

    assertEquals(
        "terrain-profile-counts 1\nevent market-day\nage 18-29 4\nage 45-59 36\narea bastide 40\n",
        new String(wire, StandardCharsets.UTF_8));
    assertEquals(counts, ProfileCounts.decode(wire));
  }

  @Test
  void decode_whenNotProfileCounts_saysWhatIsWrong() {
    assertThrows(IllegalArgumentException.class, () -> ProfileCounts.decode(new byte[0]));
    assertTrue(
        bad("terrain-profile-counts 2\nevent e\n").contains("version 1"), "a future version");
    assertTrue(bad("terrain-profile-counts 1\n").contains("no event"));
    assertTrue(bad("terrain-profile-counts 1\nevent e\nage 18-29 -1\n").contains("out of range"));
    assertTrue(bad("terrain-profile-counts 1\nevent e\nage 18-29 x\n").contains("not a number"));
    assertTrue(bad("terrain-profile-counts 1\nevent e\nage a 1\nage a 2\n").contains("twice"));
    assertTrue(bad("terrain-profile-counts 1\nevent e\nage ../x 1\n").contains("not an id"));
    assertTrue(bad("terrain-profile-counts 1\nevent e\nwho 1\n").contains("line 3"));
    assertTrue(
        bad("terrain-profile-counts 1\nevent e\n" + "age a 1\n".repeat(1200)).contains("exceed"));
  }

  private static String bad(String wire) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> ProfileCounts.decode(wire.getBytes(StandardCharsets.UTF_8)))
        .getMessage();
  }
}
