// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How often `bench sync` reads the server's status while a backlog drains. */
class SyncBenchPollTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void beforeTheCountMoves_pollsEvery50ms() {
    assertEquals(50, SyncBench.pollPauseMillis(0, 0, 0, 2 * SECOND, 122_175));
  }

  @Test
  void withMostOfTheBacklogLeft_waitsAtMostOneSecond() {
    // 10,000 records a second, 112,175 left: 11 s to go.
    assertEquals(1_000, SyncBench.pollPauseMillis(0, 0, 10_000, SECOND, 122_175));
  }

  @Test
  void nearTheEnd_waitsHalfTheTimeLeft_thenEvery50ms() {
    // 10,000 records a second, 4,000 left: 400 ms to go.
    assertEquals(200, SyncBench.pollPauseMillis(0, 0, 118_175, 11_817_500_000L, 122_175));
    assertEquals(50, SyncBench.pollPauseMillis(0, 0, 122_000, 12_200_000_000L, 122_175));
  }

  @Test
  void theRateIsTakenFromTheLastReadBeforeTheCountMoved() {
    // Idle until 3 s (the hub reconnecting), then 20,000 records in the next second: 5 s to go.
    assertEquals(1_000, SyncBench.pollPauseMillis(0, 3 * SECOND, 20_000, 4 * SECOND, 122_175));
    // 2,000 left at 20,000 a second: 100 ms to go.
    assertEquals(50, SyncBench.pollPauseMillis(100_000, 8 * SECOND, 120_175, 9 * SECOND, 122_175));
  }
}
