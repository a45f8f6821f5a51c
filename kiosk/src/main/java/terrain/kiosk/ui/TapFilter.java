// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Ignores a second tap on the same control within a short window, so that a child hammering a
 * button (or a bouncing finger) counts once. Every tap, even an ignored one, restarts the window: a
 * control hammered without pause keeps being ignored until the hammering stops.
 *
 * <p>Controls are named by what they do ({@code "next"}, {@code "option:bio"}), not by their node,
 * so the "next" button of the following screen, at the same place, is the same control.
 */
public final class TapFilter {
  private final Clock clock;
  private final Duration window;
  private String lastControl;
  private Instant lastTap = Instant.MIN;

  public TapFilter(Clock clock, Duration window) {
    if (window.isNegative()) {
      throw new IllegalArgumentException("Tap window [" + window + "] must not be negative");
    }
    this.clock = clock;
    this.window = window;
  }

  /** Whether a tap on {@code control} now counts. */
  public boolean accept(String control) {
    Instant now = clock.instant();
    boolean repeat =
        control.equals(lastControl) && Duration.between(lastTap, now).compareTo(window) < 0;
    lastControl = control;
    lastTap = now;
    return !repeat;
  }

  /** Forgets the last tap (a new resident). */
  public void reset() {
    lastControl = null;
    lastTap = Instant.MIN;
  }
}
