// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A clock and a scheduler whose time moves only when the caller says so ({@link #advance}): the
 * scheduled actions that fall due run then, in order, on the caller's thread. Tests of timeouts are
 * instant and deterministic, and the screenshot command walks the screens the same way. In main
 * rather than in tests because {@code kiosk --screenshots} uses it.
 */
public final class ManualTime extends Clock implements UiScheduler {
  private Instant now;
  private long order;
  private final List<Pending> pending = new ArrayList<>();

  private final class Pending implements Task {
    final Instant due;
    final long seq;
    final Runnable action;
    boolean cancelled;

    Pending(Instant due, long seq, Runnable action) {
      this.due = due;
      this.seq = seq;
      this.action = action;
    }

    @Override
    public void cancel() {
      cancelled = true;
      pending.remove(this);
    }
  }

  public ManualTime(Instant start) {
    this.now = start;
  }

  public ManualTime() {
    this(Instant.parse("2026-11-28T09:30:00Z"));
  }

  /** Moves time forward by {@code step}, running every action that falls due on the way. */
  public void advance(Duration step) {
    Instant target = now.plus(step);
    while (true) {
      Optional<Pending> next =
          pending.stream()
              .filter(p -> !p.due.isAfter(target))
              .min(Comparator.comparing((Pending p) -> p.due).thenComparingLong(p -> p.seq));
      if (next.isEmpty()) {
        break;
      }
      Pending p = next.get();
      pending.remove(p);
      now = p.due;
      p.action.run();
    }
    now = target;
  }

  /** How many actions wait. */
  public int pendingCount() {
    return pending.size();
  }

  @Override
  public Task schedule(Duration delay, Runnable action) {
    Pending p = new Pending(now.plus(delay), order++, action);
    pending.add(p);
    return p;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
