// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TapFilterTest {
  private final ManualTime time = new ManualTime();
  private final TapFilter taps = new TapFilter(time, Duration.ofMillis(300));

  @Test
  void accept_whenSameControlWithinWindow_ignoresTheSecondTap() {
    assertTrue(taps.accept("next"));
    time.advance(Duration.ofMillis(299));
    assertFalse(taps.accept("next"));
  }

  @Test
  void accept_whenSameControlAfterWindow_counts() {
    assertTrue(taps.accept("next"));
    time.advance(Duration.ofMillis(300));
    assertTrue(taps.accept("next"));
  }

  @Test
  void accept_whenOtherControl_countsAtOnce() {
    assertTrue(taps.accept("option:q:a"));
    assertTrue(taps.accept("next"));
  }

  @Test
  void accept_whenHammeredWithoutPause_keepsIgnoring() {
    assertTrue(taps.accept("next"));
    for (int i = 0; i < 10; i++) {
      time.advance(Duration.ofMillis(200));
      assertFalse(taps.accept("next"));
    }
    time.advance(Duration.ofMillis(400));
    assertTrue(taps.accept("next"));
  }

  @Test
  void accept_whenReset_countsTheSameControlAgain() {
    assertTrue(taps.accept("start"));
    taps.reset();
    assertTrue(taps.accept("start"));
  }
}
