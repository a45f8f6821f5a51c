// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import terrain.core.event.ProfileSettings;
import terrain.core.record.ResponseBody;
import terrain.core.record.ResponseBody.Answer;

class TallyTest {
  private static ResponseBody body(Answer... answers) {
    return new ResponseBody("p", List.of(answers));
  }

  @Test
  void ranked_whenAnOptionRepeats_countsItOnceAtItsFirstRank() {
    assertEquals(
        Map.of("b", 1, "a", 2, "c", 3), Tally.ranked(new Answer("q", List.of("b", "a", "b", "c"))));
    assertEquals(
        List.of("b", "a", "c"),
        List.copyOf(Tally.ranked(new Answer("q", List.of("b", "a", "b", "c"))).keySet()));
  }

  /** The rule as first written: each option once, ranked by its first place. */
  private static Map<String, Integer> firstPlaces(List<String> options) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String option : options) {
      out.putIfAbsent(option, out.size() + 1);
    }
    return out;
  }

  @Test
  void choices_whenOptionsRepeatOrNot_rankEachOnceAtItsFirstPlace() {
    Random random = new Random(14);
    for (int run = 0; run < 2000; run++) {
      // Up to 40 options from an alphabet small enough to repeat: pairwise and set checks both.
      int size = random.nextInt(41);
      int alphabet = 1 + random.nextInt(60);
      List<String> options = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        options.add("o" + random.nextInt(alphabet));
      }
      Answer answer = new Answer("q", options);

      List<String> choices = Tally.choices(answer);

      Map<String, Integer> expected = firstPlaces(options);
      assertEquals(List.copyOf(expected.keySet()), choices, "choices of " + options);
      assertEquals(expected, Tally.ranked(answer), "ranks of " + options);
      if (expected.size() == options.size()) {
        assertSame(answer.optionIds(), choices, "no repeat: the answer's own list, no copy");
      }
    }
  }

  @Test
  void choices_whenAnOptionRepeatsPastThePairwiseLimit_countsItOnce() {
    List<String> options = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      options.add("o" + i);
    }
    options.add("o3");
    List<String> choices = Tally.choices(new Answer("q", options));
    assertEquals(30, choices.size());
    assertEquals(options.subList(0, 30), choices);
  }

  @Test
  void add_whenRankingsArrive_sumsRanksForBordaPoints() {
    Tally tally = new Tally();
    tally.add(body(new Answer("r", List.of("x", "y"))));
    tally.add(body(new Answer("r", List.of("y", "x"))));
    tally.add(body(new Answer("r", List.of("x"))));
    Tally.Counts counts = tally.snapshot();
    assertEquals(3, counts.responses());
    assertEquals(3, counts.counts().get("r").get("x"));
    assertEquals(4, counts.rankSums().get("r").get("x")); // 1 + 2 + 1
    // max 2 ranked: first is 2 points, second 1.
    assertEquals(5, counts.bordaPoints("r", "x", 2));
    assertEquals(3, counts.bordaPoints("r", "y", 2));
    assertEquals(4 / 3.0, counts.averageRank("r", "x"), 1e-9);
  }

  @Test
  void add_whenProfilePinsAndTexts_keepsThemApartFromPollQuestions() {
    Tally tally = new Tally();
    tally.add(
        body(
            new Answer(ProfileSettings.AGE_ANSWER, List.of("30-44")),
            new Answer(ProfileSettings.AREA_ANSWER, List.of("bastide")),
            new Answer("profile-future", List.of("z")),
            Answer.pin("m", new ResponseBody.Pin(0, 1000), Optional.of("zone")),
            Answer.text("t", "bonjour")));
    Tally.Counts counts = tally.snapshot();
    assertEquals(Map.of("30-44", 1L), counts.ageBands());
    assertEquals(Map.of("bastide", 1L), counts.areas());
    assertFalse(counts.counts().containsKey(ProfileSettings.AGE_ANSWER));
    assertFalse(counts.counts().containsKey("profile-future"), "a newer kiosk's reserved id");
    assertEquals(1, counts.counts().get("m").get("zone"));
    assertEquals(1, counts.pins("m"));
    assertEquals(1, counts.heat().get("m").get(Tally.HEAT_GRID - 1).get(0), "bottom left");
    assertEquals(Map.of("t", 1L), counts.textCounts());
  }

  @Test
  void snapshot_whenMoreArriveLater_staysAsItWas() {
    Tally tally = new Tally();
    tally.add(body(new Answer("q", List.of("a"))));
    Tally.Counts before = tally.snapshot();
    tally.add(body(new Answer("q", List.of("a"))));
    assertEquals(1, before.counts().get("q").get("a"));
    assertEquals(2, tally.snapshot().counts().get("q").get("a"));
  }

  @Test
  void hidden_whenOneToFour_isTrueElseFalse() {
    assertFalse(Tally.hidden(0));
    assertTrue(Tally.hidden(1));
    assertTrue(Tally.hidden(4));
    assertFalse(Tally.hidden(5));
  }
}
