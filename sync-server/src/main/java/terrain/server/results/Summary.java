// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The results of one event: how many responses were counted, and per question how many times each
 * option was chosen.
 *
 * @param byQuestion question id to option id to count, in event-file order when the event is
 *     defined (with every option, 0 where nobody chose it), otherwise in id order
 * @param definition the event's definition when the server was given its file
 * @param rankSums question id to option id to the sum of the ranks the option got (1 for first),
 *     for the questions answered in order (rankings)
 * @param pins question id to every pin put on its map, per mille, in no particular order; read for
 *     the results page only ({@link Results#results}), empty in {@link Results#summary}
 * @param heat question id to its map's pins counted in a {@value MapHeat#GRID} x {@value
 *     MapHeat#GRID} grid, {@code [row][column]}, row 0 at the top (decision 0052)
 * @param texts question id to its free texts that staff published, newest first (device time), at
 *     most {@link #MAX_TEXTS} of them; the others wait for moderation and are never shown
 * @param textCounts question id to how many free texts it got in all, published or not
 * @param publishedTextCounts question id to how many of them are published
 * @param ageBands who took part: participations per age band (from the "who are you" screen), in
 *     event-file order when defined, with 0 for bands nobody chose; empty when nobody answered
 * @param areas the same per neighbourhood
 */
public record Summary(
    String eventId,
    long responses,
    Map<String, Map<String, Long>> byQuestion,
    Optional<EventCatalog.Event> definition,
    Map<String, Map<String, Long>> rankSums,
    Map<String, List<Pin>> pins,
    Map<String, long[][]> heat,
    Map<String, List<Text>> texts,
    Map<String, Long> textCounts,
    Map<String, Long> publishedTextCounts,
    Map<String, Long> ageBands,
    Map<String, Long> areas) {

  /** The most texts a summary lists per question; the count says how many there are. */
  public static final int MAX_TEXTS = 500;

  /** A pin on a map, per mille of its width (x) and height (y). */
  public record Pin(int x, int y) {}

  /** A free text and the device time at which it was answered (epoch milliseconds). */
  public record Text(String text, long deviceTime) {}

  public Summary {
    byQuestion = copy(byQuestion);
    rankSums = copy(rankSums);
    Map<String, List<Pin>> pinCopy = new LinkedHashMap<>();
    pins.forEach((q, list) -> pinCopy.put(q, List.copyOf(list)));
    pins = Collections.unmodifiableMap(pinCopy);
    Map<String, long[][]> heatCopy = new LinkedHashMap<>();
    heat.forEach((q, grid) -> heatCopy.put(q, copy(grid)));
    heat = Collections.unmodifiableMap(heatCopy);
    Map<String, List<Text>> textCopy = new LinkedHashMap<>();
    texts.forEach((q, list) -> textCopy.put(q, List.copyOf(list)));
    texts = Collections.unmodifiableMap(textCopy);
    textCounts = Collections.unmodifiableMap(new LinkedHashMap<>(textCounts));
    publishedTextCounts = Collections.unmodifiableMap(new LinkedHashMap<>(publishedTextCounts));
    ageBands = Collections.unmodifiableMap(new LinkedHashMap<>(ageBands));
    areas = Collections.unmodifiableMap(new LinkedHashMap<>(areas));
  }

  /** A summary of option counts only. */
  public Summary(
      String eventId,
      long responses,
      Map<String, Map<String, Long>> byQuestion,
      Optional<EventCatalog.Event> definition) {
    this(
        eventId,
        responses,
        byQuestion,
        definition,
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of());
  }

  /** The average rank of an option of a ranking (1.0 is always first), if it was ranked. */
  public Optional<Double> averageRank(String questionId, String optionId) {
    long n = byQuestion.getOrDefault(questionId, Map.of()).getOrDefault(optionId, 0L);
    long sum = rankSums.getOrDefault(questionId, Map.of()).getOrDefault(optionId, 0L);
    return n == 0 ? Optional.empty() : Optional.of((double) sum / n);
  }

  /**
   * The Borda points of an option of a ranking where residents rank up to {@code maxRanked}: a
   * first place is worth {@code maxRanked} points, a second one less, down to 1; unranked, 0.
   */
  public long bordaPoints(String questionId, String optionId, int maxRanked) {
    long n = byQuestion.getOrDefault(questionId, Map.of()).getOrDefault(optionId, 0L);
    long sum = rankSums.getOrDefault(questionId, Map.of()).getOrDefault(optionId, 0L);
    return n * (maxRanked + 1L) - sum;
  }

  /**
   * The pins of a map question counted in its {@value MapHeat#GRID} x {@value MapHeat#GRID} grid:
   * {@code grid[row][column]}, row 0 at the top; all 0 when nobody pinned it.
   */
  public long[][] heatGrid(String questionId) {
    long[][] grid = heat.get(questionId);
    return grid == null ? new long[MapHeat.GRID][MapHeat.GRID] : copy(grid);
  }

  /** How many pins a map question got. */
  public long pinCount(String questionId) {
    long n = 0;
    for (long[] row : heat.getOrDefault(questionId, new long[0][])) {
      for (long cell : row) {
        n += cell;
      }
    }
    return n;
  }

  private static long[][] copy(long[][] grid) {
    long[][] copy = new long[grid.length][];
    for (int i = 0; i < grid.length; i++) {
      copy[i] = grid[i].clone();
    }
    return copy;
  }

  private static Map<String, Map<String, Long>> copy(Map<String, Map<String, Long>> source) {
    Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
    source.forEach(
        (question, options) ->
            copy.put(question, Collections.unmodifiableMap(new LinkedHashMap<>(options))));
    return Collections.unmodifiableMap(copy);
  }

  /** How many participations gave an age band. */
  public long withAgeBand() {
    return ageBands.values().stream().mapToLong(Long::longValue).sum();
  }

  /** How many participations gave a neighbourhood. */
  public long withArea() {
    return areas.values().stream().mapToLong(Long::longValue).sum();
  }
}
