// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.dist.bench.Chaos;

/**
 * A short chaos day, the code of {@code ./terrain bench chaos}: a server, a hub and two kiosks as
 * real processes, 10 SIGKILLs at seeded moments and uplink cuts; at the end the server holds
 * exactly what the kiosks committed.
 */
class ChaosIT {
  @TempDir Path dir;

  @Test
  void chaos_whenProcessesKilledAndUplinkCut_serverHoldsEveryCommittedRecordOnce()
      throws Exception {
    Chaos.Settings settings =
        new Chaos.Settings(
            Apps.root().resolve("examples/events/market-day.yaml"),
            dir.resolve("chaos"),
            Apps.classpath(),
            10,
            2,
            40,
            10,
            Duration.ofMillis(200),
            Duration.ofMillis(1_200),
            List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
            null);

    Chaos.Result result = new Chaos(settings, new SplittableRandom(12), System.out).run();

    System.out.println(result.lastLine());
    assertEquals(10, result.kills());
    assertTrue(result.responses() >= 2 * 40, "responses committed: " + result.responses());
    assertEquals(List.of(), result.problems());
    assertEquals(0, result.lost(), "lost");
    assertEquals(0, result.doubled(), "doubled");
    assertTrue(result.ok(), result.lastLine());
  }
}
