// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An event file that cannot be used, with every problem found in it.
 *
 * <p>The message has one line per problem, {@code file:line:column: what is wrong and how to fix
 * it}, in the order of the file, so an operator can fix them all in one pass.
 */
public final class EventFileException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * One problem in an event file.
   *
   * @param source the file name as given to the loader
   * @param line 1-based line, or 0 when the problem concerns the whole file
   * @param column 1-based column, or 0 when the problem concerns the whole file
   * @param message what is wrong and how to fix it
   */
  public record Problem(String source, int line, int column, String message) {

    public Problem {
      Objects.requireNonNull(source, "Problem source must not be null");
      Objects.requireNonNull(message, "Problem message must not be null");
      if (line < 0 || column < 0) {
        throw new IllegalArgumentException(
            "Problem line [" + line + "] and column [" + column + "] must be 0 or more");
      }
    }

    /** {@code market-day.yaml:12:7: message}, or {@code market-day.yaml: message} without line. */
    @Override
    public String toString() {
      return line == 0
          ? source + ": " + message
          : source + ":" + line + ":" + column + ": " + message;
    }
  }

  private final List<Problem> problems;

  /**
   * @param problems at least one
   */
  public EventFileException(List<Problem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in the order of the file. */
  public List<Problem> problems() {
    return problems;
  }

  private static String describe(List<Problem> problems) {
    Objects.requireNonNull(problems, "EventFileException problems must not be null");
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("EventFileException problems must not be empty");
    }
    return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }
}
