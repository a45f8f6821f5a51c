// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The share interval against a published worked example. */
class EventResultsTest {
  /**
   * Newcombe, R. G. (1998), "Two-sided confidence intervals for the single proportion: comparison
   * of seven methods", Statistics in Medicine 17, 857-872, Table I, method 3 (Wilson score, no
   * continuity correction): 81/263, 15/148, 0/20 and 1/29.
   */
  @Test
  void wilson_reproducesNewcombesTable() {
    assertInterval(0.2553, 0.3662, EventResults.wilson(81, 263));
    assertInterval(0.0624, 0.1605, EventResults.wilson(15, 148));
    assertInterval(0.0, 0.1611, EventResults.wilson(0, 20));
    assertInterval(0.0061, 0.1718, EventResults.wilson(1, 29));
  }

  @Test
  void wilson_whenNobodyAnswered_isEmpty() {
    assertInterval(0, 0, EventResults.wilson(0, 0));
  }

  private static void assertInterval(double low, double high, double[] wilson) {
    assertEquals(low, wilson[1], 1e-4, "low");
    assertEquals(high, wilson[2], 1e-4, "high");
  }
}
