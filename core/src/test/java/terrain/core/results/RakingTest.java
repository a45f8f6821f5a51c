// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/** Raking (iterative proportional fitting) against a published worked example, and its bounds. */
class RakingTest {

  /**
   * The worked example of the Wikipedia article "Iterative proportional fitting" (a 4 x 4 table,
   * row targets 150, 300, 400, 150 and column targets 200, 300, 400, 100), whose fitted table is
   * printed to six significant digits in the README of ProportionalFitting.jl
   * (github.com/vankesteren/ProportionalFitting.jl, README.md, "Showcase", "Converged in 8
   * iterations"). Read as raking: 800 respondents in 16 cells of two variables, raked to a
   * population of 1,000; each cell's weight is its fitted value over its count.
   */
  @Test
  void rake_whenPublishedWorkedExample_reproducesItsFittedTableToThePrintedDigits() {
    double[][] counts = {
      {40, 30, 20, 10},
      {35, 50, 100, 75},
      {30, 80, 70, 120},
      {20, 30, 40, 50}
    };
    double[] rows = {150, 300, 400, 150};
    double[] columns = {200, 300, 400, 100};
    // As printed (Julia's 6 significant digits).
    String[][] published = {
      {"64.5585", "46.2325", "35.3843", "3.82473"},
      {"49.9679", "68.1594", "156.499", "25.3742"},
      {"56.7219", "144.428", "145.082", "53.7673"},
      {"28.7516", "41.18", "63.0347", "17.0337"}
    };

    Raking.Result result = Raking.rake(counts, rows, columns, Raking.Settings.untrimmed());

    assertTrue(result.converged(), "converged: " + result);
    double[][] fitted = result.fitted(counts);
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        String printed = published[r][c];
        int digits = printed.replace(".", "").replaceFirst("^0+", "").length();
        // Julia drops trailing zeros: 41.18 is 41.1800 to six digits.
        BigDecimal ours = new BigDecimal(fitted[r][c]).round(new MathContext(6));
        assertEquals(
            new BigDecimal(printed).round(new MathContext(6)).stripTrailingZeros(),
            ours.stripTrailingZeros(),
            "cell [" + r + "][" + c + "] (" + digits + " digits printed)");
      }
    }
    double total = 0;
    for (int r = 0; r < 4; r++) {
      double row = 0;
      for (int c = 0; c < 4; c++) {
        row += fitted[r][c];
      }
      assertEquals(rows[r], row, 1e-7);
      total += row;
    }
    assertEquals(1000, total, 1e-7);
    for (int c = 0; c < 4; c++) {
      double column = 0;
      for (int r = 0; r < 4; r++) {
        column += fitted[r][c];
      }
      assertEquals(columns[c], column, 1e-7);
    }
  }

  @Test
  void rake_whenWeightsBounded_noWeightPassesTheBoundsAndTheGapIsSaid() {
    // 5 young respondents for a population half young: untrimmed, each would weigh ~10 times the
    // mean; bounded at 5, the margins cannot be met.
    double[][] counts = {{3, 2}, {27, 68}};
    double[] ages = {50, 50};
    double[] areas = {30, 70};

    Raking.Result trimmed = Raking.rake(counts, ages, areas, Raking.Settings.results());
    Raking.Result plain = Raking.rake(counts, ages, areas, Raking.Settings.untrimmed());

    assertTrue(plain.converged());
    assertTrue(plain.weights()[0][0] > 5, "untrimmed weight " + plain.weights()[0][0]);
    assertFalse(trimmed.converged());
    assertTrue(trimmed.largestGap() > 0.01, "gap " + trimmed.largestGap());
    for (double[] row : trimmed.weights()) {
      for (double w : row) {
        assertTrue(w == 0 || (w >= 0.2 - 1e-9 && w <= 5 + 1e-9), "weight " + w);
      }
    }
  }

  @Test
  void rake_whenARowHasNoRespondent_refusesIt() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Raking.rake(
                new double[][] {{0, 0}, {3, 4}},
                new double[] {1, 1},
                new double[] {1, 1},
                Raking.Settings.untrimmed()));
  }

  @Test
  void rake_whenAlreadyAtTheMargins_changesNothing() {
    Raking.Result result =
        Raking.rake(
            new double[][] {{10, 10}, {10, 10}},
            new double[] {20, 20},
            new double[] {20, 20},
            Raking.Settings.results());
    assertEquals(0, result.cycles());
    assertEquals(1.0, result.weights()[1][1], 0);
  }
}
