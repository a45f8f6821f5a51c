// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CommitTimesTest {
  @Test
  void add_countsTheWallTimeAndTheCoreTimeOfEachCommit_aBlockedThreadOnlyInTheWallTime()
      throws Exception {
    CommitTimes times = new CommitTimes();
    assertEquals(0, times.wallNanos());

    long wall = System.nanoTime();
    ThreadTimes start = ThreadTimes.now();
    long until = System.nanoTime() + 30_000_000L;
    long spin = 0;
    while (System.nanoTime() < until) {
      spin += Long.bitCount(spin ^ System.nanoTime());
    }
    times.add(wall, start);
    long busyWall = times.wallNanos();
    long busyCpu = times.cpuNanos();
    assertTrue(spin > 0);
    assertTrue(busyWall >= 30_000_000L, "wall " + busyWall);
    assertTrue(
        busyCpu > 5_000_000L && busyCpu <= busyWall + 1_000_000L, busyCpu + " / " + busyWall);

    // A commit that waits (as for the disk): wall time, little time on a core.
    wall = System.nanoTime();
    start = ThreadTimes.now();
    Thread.sleep(100);
    times.add(wall, start);
    assertTrue(times.wallNanos() - busyWall >= 100_000_000L, String.valueOf(times.wallNanos()));
    assertTrue(times.cpuNanos() - busyCpu < 50_000_000L, String.valueOf(times.cpuNanos()));
    if (ThreadTimes.waitsMeasured()) {
      assertTrue(times.queuedNanos() >= 0, String.valueOf(times.queuedNanos()));
    } else {
      assertEquals(-1, times.queuedNanos());
    }
  }
}
