// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prunes, at start and then once a day, the records of a hub or kiosk that the next hop
 * acknowledged more than {@code keepDays} days ago (decision 0024). Never on the server, the record
 * of truth.
 */
public final class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  /** Days kept when {@code --keep-days} is not given. */
  public static final int DEFAULT_KEEP_DAYS = 30;

  /** The most {@code --keep-days} accepts (ten years); 0 means never prune. */
  public static final int MAX_KEEP_DAYS = 3650;

  /** How often the task runs after the first run at start. */
  public static final Duration PERIOD = Duration.ofDays(1);

  private final RecordStore store;
  private final int keepDays;
  private final Clock clock;

  /**
   * @param keepDays days an acknowledged record is kept; 0: never prune
   * @throws IllegalArgumentException if {@code keepDays} is negative or above {@link
   *     #MAX_KEEP_DAYS}
   */
  public Retention(RecordStore store, int keepDays, Clock clock) {
    this.store = store;
    this.keepDays = checkKeepDays(keepDays);
    this.clock = clock;
  }

  /**
   * Checks a {@code --keep-days} value.
   *
   * @throws IllegalArgumentException naming the option, the value and the rule
   */
  public static int checkKeepDays(int keepDays) {
    if (keepDays < 0 || keepDays > MAX_KEEP_DAYS) {
      throw new IllegalArgumentException(
          "--keep-days "
              + keepDays
              + " is out of range: pass 1 to "
              + MAX_KEEP_DAYS
              + " days to keep acknowledged records, or 0 to never prune them");
    }
    return keepDays;
  }

  public int keepDays() {
    return keepDays;
  }

  /** Prunes once now; with {@code keepDays == 0} does nothing. */
  public RecordStore.Pruned runOnce() throws StoreException {
    if (keepDays == 0) {
      return new RecordStore.Pruned(0, 0);
    }
    long cutoff = clock.millis() - Duration.ofDays(keepDays).toMillis();
    long started = System.nanoTime();
    RecordStore.Pruned pruned = store.prune(cutoff);
    if (pruned.records() > 0) {
      log.info(
          "Pruned {} acknowledged records older than {} days from {} devices in {} ms",
          pruned.records(),
          keepDays,
          pruned.devices(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
    return pruned;
  }

  /**
   * Runs at once on {@code executor}, then every {@link #PERIOD}; a failure is logged and the next
   * run tries again. Nothing is scheduled with {@code keepDays == 0}.
   *
   * @return the schedule, null when nothing is scheduled
   */
  public ScheduledFuture<?> schedule(ScheduledExecutorService executor) {
    if (keepDays == 0) {
      log.info("--keep-days 0: acknowledged records are kept for ever");
      return null;
    }
    return executor.scheduleWithFixedDelay(
        () -> {
          try {
            runOnce();
          } catch (StoreException | RuntimeException e) {
            log.warn("Pruning acknowledged records failed; retrying in a day: {}", e.getMessage());
          }
        },
        0,
        PERIOD.toMillis(),
        TimeUnit.MILLISECONDS);
  }
}
