// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.gpio;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Turns the raw "down" and "up" of a button, and regular ticks, into short presses and holds. A
 * press is short when released before {@code hold}; a hold is reported once, at the first tick
 * {@code hold} after the press, while the button is still down, and its release reports nothing.
 * Thread-safe: the GPIO thread calls {@link #down()} and {@link #up()}, a scheduler {@link
 * #tick()}.
 */
public final class PressTimer {
  private final Clock clock;
  private final Duration hold;
  private Button.Listener listener;
  private long downAt = -1;
  private boolean holdReported;

  public PressTimer(Clock clock, Duration hold) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    this.hold = Objects.requireNonNull(hold, "hold must not be null");
    if (hold.isNegative() || hold.isZero()) {
      throw new IllegalArgumentException("hold " + hold + " must be longer than zero");
    }
  }

  public synchronized void listen(Button.Listener listener) {
    this.listener = listener;
  }

  /** The button went down. */
  public void down() {
    synchronized (this) {
      if (downAt >= 0) {
        return;
      }
      downAt = clock.millis();
      holdReported = false;
    }
  }

  /** The button came up. */
  public void up() {
    Button.Listener report;
    synchronized (this) {
      if (downAt < 0) {
        return;
      }
      boolean shortPress = !holdReported && clock.millis() - downAt < hold.toMillis();
      downAt = -1;
      report = shortPress ? listener : null;
    }
    if (report != null) {
      report.shortPress();
    }
  }

  /** Reports a hold if the button has been down long enough. */
  public void tick() {
    Button.Listener report;
    synchronized (this) {
      if (downAt < 0 || holdReported || clock.millis() - downAt < hold.toMillis()) {
        return;
      }
      holdReported = true;
      report = listener;
    }
    if (report != null) {
      report.held();
    }
  }
}
