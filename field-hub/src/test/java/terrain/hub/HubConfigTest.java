// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubConfigTest {
  @TempDir Path dir;

  @Test
  void of_whenValid_derivesFoldersAndDefaultsUplinkKeyToSiteKey() {
    HubConfig config =
        HubConfig.of(dir, 1884, 8470, "tcp://sync.example.org:1883", null, "k", null);

    assertEquals(dir.resolve("db"), config.databaseDir());
    assertEquals(dir.resolve("broker"), config.brokerDir());
    assertEquals("k", config.uplinkSiteKey());
    assertEquals("0.0.0.0", config.bindAddress());
    assertFalse(config.toString().contains("k,"), "keys never printed: " + config);
  }

  @Test
  void withKeepDays_whenOutOfRange_saysTheRule_andDefaultsTo30() {
    HubConfig config =
        HubConfig.of(dir, 1884, 8470, "tcp://sync.example.org:1883", null, "k", null);
    assertEquals(30, config.keepDays());
    assertEquals(0, config.withKeepDays(0).keepDays());

    HubConfig.InvalidConfigException e =
        assertThrows(HubConfig.InvalidConfigException.class, () -> config.withKeepDays(-3));

    assertEquals(
        List.of(
            "--keep-days -3 is out of range: pass 1 to 3650 days to keep acknowledged records,"
                + " or 0 to never prune them"),
        e.problems());
  }

  @Test
  void of_whenEverythingWrong_listsEveryProblemWithItsFix() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");

    HubConfig.InvalidConfigException e =
        assertThrows(
            HubConfig.InvalidConfigException.class,
            () -> HubConfig.of(file, 70000, -1, "http://x", "bad id!", "", null));

    List<String> problems = e.problems();
    assertEquals(6, problems.size(), String.join("\n", problems));
    assertTrue(problems.get(0).startsWith("--data " + file + " is a file"), problems.get(0));
    assertEquals(
        "--mqtt 70000 is not a port: use 1 to 65535, or 0 to pick a free one", problems.get(1));
    assertEquals(
        "--http -1 is not a port: use 1 to 65535, or 0 to pick a free one", problems.get(2));
    assertTrue(problems.get(3).contains("must start with tcp:// or ssl://"), problems.get(3));
    assertTrue(problems.get(3).contains("--uplink tcp://sync.example.org:1883"), problems.get(3));
    assertTrue(problems.get(4).contains("--hub-id [bad id!]"), problems.get(4));
    assertTrue(problems.get(5).startsWith("--site-key is empty"), problems.get(5));
    assertTrue(e.getMessage().startsWith("Cannot start the hub:\n  - --data"), e.getMessage());
  }

  @Test
  void of_whenUplinkHasNoPortOrSamePorts_saysWhatToPass() {
    HubConfig.InvalidConfigException e =
        assertThrows(
            HubConfig.InvalidConfigException.class,
            () -> HubConfig.of(dir, 8470, 8470, "tcp://sync.example.org", null, "k", null));

    assertEquals(2, e.problems().size(), e.getMessage());
    assertEquals(
        "--mqtt and --http are both 8470: give them different ports (0 picks a free one)",
        e.problems().get(0));
    assertTrue(e.problems().get(1).startsWith("--uplink [tcp://sync.example.org] has no port"));
  }

  @Test
  void of_whenPortsAreZero_acceptsThem() {
    HubConfig config = HubConfig.of(dir, 0, 0, "ssl://10.0.0.2:8883", "hub-1", "k", "other");

    assertEquals(0, config.mqttPort());
    assertEquals("other", config.uplinkSiteKey());
  }
}
