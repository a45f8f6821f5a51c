// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.results;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import terrain.core.event.ProfileSettings;
import terrain.core.record.ResponseBody;

/**
 * The running count of one event's responses, kept in memory and updated one decoded response at a
 * time: per question how many times each option was chosen and the sum of its ranks, the pins of a
 * map counted in a {@value #HEAT_GRID} x {@value #HEAT_GRID} grid, how many free texts came (never
 * the texts: they wait for moderation on the server), and who took part (age bands and
 * neighbourhoods of the "who are you" screen).
 *
 * <p>Memory grows with the number of distinct questions and options, never with the number of
 * responses. Not thread-safe: its owner serialises {@link #add} and {@link #snapshot}.
 */
public final class Tally {
  /** The pins of a map are counted in this many rows and columns. */
  public static final int HEAT_GRID = 10;

  /** Counts of who took part below this are shown as "fewer than 5", never exactly. */
  public static final int SMALL_CELL = 5;

  private long responses;
  private final Map<String, Map<String, long[]>> options = new TreeMap<>();
  private final Map<String, long[][]> heat = new TreeMap<>();
  private final Map<String, Long> texts = new TreeMap<>();
  private final Map<String, Long> ageBands = new TreeMap<>();
  private final Map<String, Long> areas = new TreeMap<>();

  /**
   * The options an answer chose, each once, with its rank (1 for first): an option chosen twice in
   * one answer is one choice. The rank is what a ranking means by the order; for other kinds it is
   * summed too, and never shown.
   */
  public static Map<String, Integer> ranked(ResponseBody.Answer answer) {
    List<String> choices = choices(answer);
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < choices.size(); i++) {
      out.put(choices.get(i), i + 1);
    }
    return out;
  }

  /** Up to this many options, duplicates are looked for pairwise rather than with a set. */
  private static final int PAIRWISE = 16;

  /**
   * The options an answer chose, each once, in its order: the rank of {@code choices(a).get(i)} is
   * {@code i + 1}, as in {@link #ranked}. An answer without a repeated option (nearly all of them)
   * is returned as it is, without allocating: what the server's ingest counts per answer.
   */
  public static List<String> choices(ResponseBody.Answer answer) {
    List<String> options = answer.optionIds();
    return distinct(options) ? options : List.copyOf(new LinkedHashSet<>(options));
  }

  private static boolean distinct(List<String> options) {
    int n = options.size();
    if (n > PAIRWISE) {
      return new HashSet<>(options).size() == n;
    }
    for (int i = 1; i < n; i++) {
      String option = options.get(i);
      for (int j = 0; j < i; j++) {
        if (option.equals(options.get(j))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Counts one response. */
  public void add(ResponseBody body) {
    responses++;
    for (ResponseBody.Answer answer : body.answers()) {
      String question = answer.questionId();
      Map<String, Long> profile =
          question.equals(ProfileSettings.AGE_ANSWER)
              ? ageBands
              : question.equals(ProfileSettings.AREA_ANSWER) ? areas : null;
      if (profile != null) {
        for (String option : choices(answer)) {
          profile.merge(option, 1L, Long::sum);
        }
        continue;
      }
      if (ProfileSettings.isReserved(question)) {
        continue; // a newer kiosk's reserved answer: not a poll question
      }
      Map<String, long[]> counted = options.computeIfAbsent(question, q -> new TreeMap<>());
      List<String> choices = choices(answer);
      for (int i = 0; i < choices.size(); i++) {
        long[] cell = counted.computeIfAbsent(choices.get(i), o -> new long[2]);
        cell[0]++;
        cell[1] += i + 1;
      }
      answer
          .pin()
          .ifPresent(
              pin -> {
                long[][] grid = heat.computeIfAbsent(question, q -> new long[HEAT_GRID][HEAT_GRID]);
                grid[cell(pin.y())][cell(pin.x())]++;
              });
      if (answer.text().isPresent()) {
        texts.merge(question, 1L, Long::sum);
      }
    }
  }

  private static int cell(int perMille) {
    return Math.min(HEAT_GRID - 1, perMille * HEAT_GRID / (ResponseBody.Pin.SCALE + 1));
  }

  /** How many responses were counted. */
  public long responses() {
    return responses;
  }

  /** A copy of the counts as they are now. */
  public Counts snapshot() {
    Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    Map<String, Map<String, Long>> rankSums = new LinkedHashMap<>();
    options.forEach(
        (question, cells) -> {
          Map<String, Long> n = new LinkedHashMap<>();
          Map<String, Long> sums = new LinkedHashMap<>();
          cells.forEach(
              (option, cell) -> {
                n.put(option, cell[0]);
                sums.put(option, cell[1]);
              });
          counts.put(question, Collections.unmodifiableMap(n));
          rankSums.put(question, Collections.unmodifiableMap(sums));
        });
    Map<String, List<List<Long>>> grids = new LinkedHashMap<>();
    heat.forEach(
        (question, grid) -> {
          List<List<Long>> rows = new java.util.ArrayList<>();
          for (long[] row : grid) {
            rows.add(java.util.Arrays.stream(row).boxed().toList());
          }
          grids.put(question, List.copyOf(rows));
        });
    return new Counts(
        responses,
        Collections.unmodifiableMap(counts),
        Collections.unmodifiableMap(rankSums),
        Collections.unmodifiableMap(grids),
        Map.copyOf(texts),
        Collections.unmodifiableMap(new LinkedHashMap<>(ageBands)),
        Collections.unmodifiableMap(new LinkedHashMap<>(areas)));
  }

  /**
   * The counts of an event at one moment.
   *
   * @param responses how many responses were counted
   * @param counts question id to option id to how many chose it, in id order
   * @param rankSums question id to option id to the sum of its ranks (1 for first)
   * @param heat question id to its pins counted in a grid, {@code heat[row][column]}, row 0 at the
   *     top; only questions that got pins
   * @param textCounts question id to how many free texts it got
   * @param ageBands age band id to how many gave it
   * @param areas neighbourhood id to how many gave it
   */
  public record Counts(
      long responses,
      Map<String, Map<String, Long>> counts,
      Map<String, Map<String, Long>> rankSums,
      Map<String, List<List<Long>>> heat,
      Map<String, Long> textCounts,
      Map<String, Long> ageBands,
      Map<String, Long> areas) {

    /** No response yet. */
    public static Counts empty() {
      return new Tally().snapshot();
    }

    /** How many pins a question got. */
    public long pins(String questionId) {
      return heat.getOrDefault(questionId, List.of()).stream()
          .flatMap(List::stream)
          .mapToLong(Long::longValue)
          .sum();
    }

    /** The average rank of an option (1.0 is always first), or NaN if nobody ranked it. */
    public double averageRank(String questionId, String optionId) {
      long n = counts.getOrDefault(questionId, Map.of()).getOrDefault(optionId, 0L);
      long sum = rankSums.getOrDefault(questionId, Map.of()).getOrDefault(optionId, 0L);
      return n == 0 ? Double.NaN : (double) sum / n;
    }

    /**
     * The Borda points of an option of a ranking where residents rank up to {@code maxRanked}: a
     * first place is worth {@code maxRanked} points, a second one less, down to 1; unranked, 0.
     */
    public long bordaPoints(String questionId, String optionId, int maxRanked) {
      long n = counts.getOrDefault(questionId, Map.of()).getOrDefault(optionId, 0L);
      long sum = rankSums.getOrDefault(questionId, Map.of()).getOrDefault(optionId, 0L);
      return n * (maxRanked + 1L) - sum;
    }
  }

  /** Whether a count of who took part is too small to show exactly (1 to 4: could name someone). */
  public static boolean hidden(long count) {
    return count > 0 && count < SMALL_CELL;
  }
}
