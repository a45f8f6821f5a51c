// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a receiver's commits took since it started (decision 0057): their wall time (records, hooks,
 * the log written), the committing thread's time on a core, and its time runnable but waiting for a
 * core ({@link ThreadTimes}). The rest of the wall time the thread was blocked: the disk, a lock.
 */
public final class CommitTimes {
  private final AtomicLong wall = new AtomicLong();
  private final AtomicLong cpu = new AtomicLong();
  private final AtomicLong queued = new AtomicLong();

  /**
   * Counts a commit that began at {@code wallStart} ({@link System#nanoTime}) and {@code start}.
   */
  void add(long wallStart, ThreadTimes start) {
    ThreadTimes times = ThreadTimes.now().since(start);
    wall.addAndGet(System.nanoTime() - wallStart);
    cpu.addAndGet(times.cpuNanos());
    queued.addAndGet(Math.max(0, times.runQueueNanos()));
  }

  /** Wall time of the commits, in nanoseconds. */
  public long wallNanos() {
    return wall.get();
  }

  /** The committing thread's time on a core in those commits, in nanoseconds. */
  public long cpuNanos() {
    return cpu.get();
  }

  /**
   * Its time runnable but waiting for a core in those commits, in nanoseconds; -1 where it is not
   * measured ({@link ThreadTimes#waitsMeasured}).
   */
  public long queuedNanos() {
    return ThreadTimes.waitsMeasured() ? queued.get() : -1;
  }
}
