// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.results;

import java.util.Arrays;
import java.util.Objects;

/**
 * Raking (iterative proportional fitting, Deming and Stephan 1940) of a two-way table of
 * respondents to the population's two margins: each cell of respondents gets a weight such that the
 * weighted table's row totals equal the row targets and its column totals the column targets.
 *
 * <p>One cycle scales every row to its target, then every column to its target. The cycles stop
 * when every weighted margin is within {@link Settings#tolerance()} (relative) of its target and,
 * when weights are bounded, every weight lies within the bounds; or after {@link
 * Settings#maxCycles()} cycles, or when a cycle changes no weight by more than the tolerance
 * (bounds that the margins cannot meet): the result then says it did not converge and how far the
 * margins are.
 *
 * <p><b>Trimming</b> ({@link Settings#minWeight()}, {@link Settings#maxWeight()}): after each cycle
 * the weights are clipped to the bounds, the way the IHB raking macro trims inside its iterations
 * (Izrael, Battaglia and Frankel, "Extreme survey weight adjustment as a component of sample
 * balancing", SAS Global Forum 2009, paper 247). The bounds are relative to the mean weight (the
 * row targets' total over the respondents), so a bound of 5 means that no resident counts for more
 * than five average residents.
 *
 * <p>A cell of 0 respondents keeps 0. A row or column with a target but no respondent at all cannot
 * be reached: the caller leaves such categories out of the targets (they are reported as missing,
 * not weighted).
 *
 * <p>Pure: no I/O, no state; safe from any thread.
 */
public final class Raking {
  private Raking() {}

  /**
   * How raking stops, and the bounds of the weights.
   *
   * @param tolerance the largest relative gap |weighted margin − target| / target accepted
   * @param maxCycles the most row-then-column cycles
   * @param minWeight the smallest weight relative to the mean weight (0: unbounded)
   * @param maxWeight the largest weight relative to the mean weight (infinity: unbounded)
   */
  public record Settings(double tolerance, int maxCycles, double minWeight, double maxWeight) {
    public Settings {
      if (!(tolerance > 0)
          || maxCycles < 1
          || minWeight < 0
          || !(maxWeight >= 1)
          || minWeight > 1) {
        throw new IllegalArgumentException(
            "Raking settings: tolerance > 0, maxCycles >= 1, 0 <= minWeight <= 1 <= maxWeight");
      }
    }

    /** Plain raking, no trimming: 10⁻¹⁰ relative, at most 1,000 cycles. */
    public static Settings untrimmed() {
      return new Settings(1e-10, 1000, 0, Double.POSITIVE_INFINITY);
    }

    /**
     * What the results use: 10⁻⁹ relative, at most 1,000 cycles, weights between 0.2 and 5 times
     * the mean (decision 0036).
     */
    public static Settings results() {
      return new Settings(1e-9, 1000, 0.2, 5);
    }

    boolean trims() {
      return minWeight > 0 || maxWeight < Double.POSITIVE_INFINITY;
    }
  }

  /**
   * What raking gave.
   *
   * @param weights {@code weights[row][column]}: the weight of each respondent of that cell (0 for
   *     an empty cell)
   * @param cycles how many row-then-column cycles ran
   * @param converged whether the margins were met within the tolerance (and the bounds held)
   * @param largestGap the largest relative gap between a weighted margin and its target at the end
   */
  public record Result(double[][] weights, int cycles, boolean converged, double largestGap) {
    /** The weighted table: {@code counts[r][c] * weights[r][c]}. */
    public double[][] fitted(double[][] counts) {
      double[][] out = new double[counts.length][];
      for (int r = 0; r < counts.length; r++) {
        out[r] = new double[counts[r].length];
        for (int c = 0; c < counts[r].length; c++) {
          out[r][c] = counts[r][c] * weights[r][c];
        }
      }
      return out;
    }
  }

  /**
   * Rakes {@code counts} to the targets.
   *
   * @param counts respondents per cell, {@code counts[row][column]}, not negative; every row and
   *     every column has at least one respondent
   * @param rowTargets each row's total in the population (any unit: people or shares); the weighted
   *     table adds up to their sum
   * @param columnTargets each column's total; it is scaled to the rows' sum, so only its
   *     proportions matter
   */
  public static Result rake(
      double[][] counts, double[] rowTargets, double[] columnTargets, Settings settings) {
    Objects.requireNonNull(settings, "settings must not be null");
    int rows = rowTargets.length;
    int columns = columnTargets.length;
    if (counts.length != rows || rows == 0 || columns == 0) {
      throw new IllegalArgumentException(
          "counts has " + counts.length + " rows for " + rows + " row targets");
    }
    double respondents = 0;
    for (double[] row : counts) {
      if (row.length != columns) {
        throw new IllegalArgumentException(
            "every row of counts must have " + columns + " columns, one per column target");
      }
      for (double n : row) {
        if (!(n >= 0)) {
          throw new IllegalArgumentException("counts must not be negative, found " + n);
        }
        respondents += n;
      }
    }
    double[] rowGoal = scaled(rowTargets, sum(rowTargets), "row");
    double[] columnGoal = scaled(columnTargets, sum(rowTargets), "column");
    // Bounds are relative to the mean weight: the population per respondent.
    double mean = sum(rowTargets) / respondents;
    double low = settings.minWeight() * mean;
    double high = settings.maxWeight() * mean;
    for (int r = 0; r < rows; r++) {
      if (sum(counts[r]) == 0) {
        throw new IllegalArgumentException("row " + r + " has no respondent; leave it out");
      }
    }
    for (int c = 0; c < columns; c++) {
      double total = 0;
      for (int r = 0; r < rows; r++) {
        total += counts[r][c];
      }
      if (total == 0) {
        throw new IllegalArgumentException("column " + c + " has no respondent; leave it out");
      }
    }
    double[][] w = new double[rows][columns];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        w[r][c] = counts[r][c] > 0 ? mean : 0;
      }
    }
    int cycle = 0;
    double gap = gap(counts, w, rowGoal, columnGoal);
    boolean converged = gap <= settings.tolerance() && within(w, low, high);
    while (!converged && cycle < settings.maxCycles()) {
      cycle++;
      double[][] before = copy(w);
      for (int r = 0; r < rows; r++) {
        double total = 0;
        for (int c = 0; c < columns; c++) {
          total += counts[r][c] * w[r][c];
        }
        double factor = rowGoal[r] / total;
        for (int c = 0; c < columns; c++) {
          w[r][c] *= factor;
        }
      }
      for (int c = 0; c < columns; c++) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
          total += counts[r][c] * w[r][c];
        }
        double factor = columnGoal[c] / total;
        for (int r = 0; r < rows; r++) {
          w[r][c] *= factor;
        }
      }
      if (settings.trims()) {
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < columns; c++) {
            if (counts[r][c] > 0) {
              w[r][c] = Math.max(low, Math.min(high, w[r][c]));
            }
          }
        }
      }
      gap = gap(counts, w, rowGoal, columnGoal);
      converged = gap <= settings.tolerance() && within(w, low, high);
      if (!converged && change(before, w) <= settings.tolerance() * mean) {
        break; // the bounds hold the weights where the margins cannot be met
      }
    }
    return new Result(w, cycle, converged, gap);
  }

  private static double[] scaled(double[] targets, double to, String what) {
    double total = sum(targets);
    if (!(total > 0)) {
      throw new IllegalArgumentException("the " + what + " targets must add up to more than 0");
    }
    double[] out = new double[targets.length];
    for (int i = 0; i < targets.length; i++) {
      if (!(targets[i] > 0)) {
        throw new IllegalArgumentException(
            what + " target " + i + " is " + targets[i] + "; every target must be more than 0");
      }
      out[i] = targets[i] * to / total;
    }
    return out;
  }

  /** The largest relative gap between a weighted margin and its goal. */
  private static double gap(double[][] counts, double[][] w, double[] rowGoal, double[] colGoal) {
    double gap = 0;
    for (int r = 0; r < rowGoal.length; r++) {
      double total = 0;
      for (int c = 0; c < colGoal.length; c++) {
        total += counts[r][c] * w[r][c];
      }
      gap = Math.max(gap, Math.abs(total - rowGoal[r]) / rowGoal[r]);
    }
    for (int c = 0; c < colGoal.length; c++) {
      double total = 0;
      for (int r = 0; r < rowGoal.length; r++) {
        total += counts[r][c] * w[r][c];
      }
      gap = Math.max(gap, Math.abs(total - colGoal[c]) / colGoal[c]);
    }
    return gap;
  }

  private static boolean within(double[][] w, double low, double high) {
    for (double[] row : w) {
      for (double x : row) {
        if (x != 0 && (x < low * (1 - 1e-12) || x > high * (1 + 1e-12))) {
          return false;
        }
      }
    }
    return true;
  }

  private static double change(double[][] before, double[][] after) {
    double most = 0;
    for (int r = 0; r < before.length; r++) {
      for (int c = 0; c < before[r].length; c++) {
        most = Math.max(most, Math.abs(after[r][c] - before[r][c]));
      }
    }
    return most;
  }

  private static double sum(double[] values) {
    return Arrays.stream(values).sum();
  }

  private static double[][] copy(double[][] from) {
    double[][] out = new double[from.length][];
    for (int i = 0; i < from.length; i++) {
      out[i] = from[i].clone();
    }
    return out;
  }
}
