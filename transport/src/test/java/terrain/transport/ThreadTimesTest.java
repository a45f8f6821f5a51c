// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThreadTimesTest {
  @Test
  void parse_readsTimeOnACoreAndWaitingForOne() {
    assertEquals(new ThreadTimes(8751021, 69186312), ThreadTimes.parse("8751021 69186312 5\n"));
    assertNull(ThreadTimes.parse(""));
    assertNull(ThreadTimes.parse("12"));
    assertNull(ThreadTimes.parse("a b c"));
  }

  @Test
  void since_isTheDifference_andAnUnknownWaitStaysUnknown() {
    ThreadTimes earlier = new ThreadTimes(100, 40);
    assertEquals(new ThreadTimes(50, 10), new ThreadTimes(150, 50).since(earlier));
    assertEquals(-1, new ThreadTimes(150, -1).since(earlier).runQueueNanos());
    assertEquals(-1, new ThreadTimes(150, 50).since(new ThreadTimes(100, -1)).runQueueNanos());
  }

  @Test
  void now_countsTheWorkOfThisThreadOnACore_notItsSleep() throws Exception {
    ThreadTimes start = ThreadTimes.now();
    long sum = 0;
    long until = System.nanoTime() + 50_000_000L;
    while (System.nanoTime() < until) {
      sum += Long.numberOfTrailingZeros(sum + System.nanoTime());
    }
    ThreadTimes busy = ThreadTimes.now().since(start);
    Thread.sleep(200);
    ThreadTimes slept = ThreadTimes.now().since(start);
    assertTrue(sum >= 0);
    // 50 ms of work: most of it on a core (the rest waiting for one on a busy machine).
    assertTrue(busy.cpuNanos() > 10_000_000L, busy.toString());
    // A sleeping thread uses no core: the 200 ms sleep adds little.
    assertTrue(slept.cpuNanos() - busy.cpuNanos() < 100_000_000L, slept + " after " + busy);
    if (System.getProperty("os.name").startsWith("Linux")) {
      assertTrue(ThreadTimes.waitsMeasured(), "Linux has /proc/thread-self/schedstat");
      assertTrue(busy.runQueueNanos() >= 0, busy.toString());
    }
  }

  /**
   * A commit of a millisecond that neither blocks nor meets a timer tick: the scheduler's own count
   * of time on the CPU is not brought up to date in between, and read 0 (decision 0062's tests saw
   * it). The thread's CPU clock counts it.
   */
  @Test
  void now_countsAShortPieceOfWorkThatNeitherBlocksNorMeetsATick() {
    long sum = 0;
    for (int i = 0; i < 20; i++) {
      ThreadTimes start = ThreadTimes.now();
      long until = System.nanoTime() + 200_000L;
      while (System.nanoTime() < until) {
        sum += Long.numberOfTrailingZeros(sum + System.nanoTime());
      }
      ThreadTimes work = ThreadTimes.now().since(start);
      assertTrue(work.cpuNanos() > 0, "piece " + i + ": " + work);
    }
    assertTrue(sum >= 0);
  }
}
