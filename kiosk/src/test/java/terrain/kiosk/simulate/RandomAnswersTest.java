// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import terrain.core.event.AnswerOption;
import terrain.core.event.LocalizedText;
import terrain.core.event.Poll;
import terrain.core.event.Question;
import terrain.core.event.QuestionKind;
import terrain.core.id.QuestionId;
import terrain.core.record.ResponseBody;
import terrain.core.rules.AnswerRules;
import terrain.core.simulate.RandomAnswers;
import terrain.kiosk.testing.TestEvents;

class RandomAnswersTest {
  private static final int SEEDS = 5_000;

  /** Every kind, and multiple questions at both ends of maxChoices. */
  private static Poll everyKind() {
    List<AnswerOption> six =
        List.of("a", "b", "c", "d", "e", "f").stream()
            .map(id -> AnswerOption.of(id, id.toUpperCase(), null))
            .toList();
    LocalizedText text = LocalizedText.of("?");
    return new Poll(
        "tout",
        text,
        List.of(
            Question.single("s2", text, six.subList(0, 2)),
            Question.single("s6", text, six),
            Question.multiple("m1", text, six, 1),
            Question.multiple("m3", text, six, 3),
            Question.multiple("m6", text, six, 6),
            Question.multiple("m2of2", text, six.subList(0, 2), 2),
            Question.scale("sc", text, Map.of()),
            Question.yesNo("yn", text)));
  }

  @Test
  void choose_forManySeeds_answersEveryQuestionWithValidOptions() {
    for (Poll poll : List.of(everyKind(), TestEvents.marketPoll(), TestEvents.workshopPoll())) {
      Map<String, Set<String>> seenOptions = new HashMap<>();
      Map<String, Set<Integer>> seenCounts = new HashMap<>();
      for (long seed = 0; seed < SEEDS; seed++) {
        Map<String, List<String>> answers = RandomAnswers.choose(poll, new SplittableRandom(seed));

        assertEquals(
            poll.questions().stream().map(Question::id).toList(),
            List.copyOf(answers.keySet()),
            "every question answered, in order, seed " + seed);
        for (Map.Entry<String, List<String>> answer : answers.entrySet()) {
          AnswerRules.check(
              poll, QuestionId.of(answer.getKey()), answer.getValue()); // throws if invalid
          seenOptions
              .computeIfAbsent(answer.getKey(), q -> new HashSet<>())
              .addAll(answer.getValue());
          seenCounts
              .computeIfAbsent(answer.getKey(), q -> new HashSet<>())
              .add(answer.getValue().size());
        }
      }
      for (Question question : poll.questions()) {
        Set<String> all = new HashSet<>();
        question.options().forEach(o -> all.add(o.id()));
        assertEquals(all, seenOptions.get(question.id()), "every option drawn: " + question.id());
        int max = question.kind() == QuestionKind.MULTIPLE ? question.maxChoices() : 1;
        Set<Integer> counts = new HashSet<>();
        for (int c = 1; c <= max; c++) {
          counts.add(c);
        }
        assertEquals(counts, seenCounts.get(question.id()), "every count drawn: " + question.id());
      }
    }
  }

  @Test
  void choose_whenSameSeed_givesSameAnswers() {
    Poll poll = everyKind();
    for (long seed = 0; seed < 100; seed++) {
      assertEquals(
          RandomAnswers.choose(poll, new SplittableRandom(seed)),
          RandomAnswers.choose(poll, new SplittableRandom(seed)));
    }
  }

  @Test
  void choose_forMultiple_keepsDisplayOrder() {
    Poll poll = everyKind();
    List<String> order = List.of("a", "b", "c", "d", "e", "f");
    for (long seed = 0; seed < 500; seed++) {
      List<String> chosen = RandomAnswers.choose(poll, new SplittableRandom(seed)).get("m6");
      List<String> sorted =
          chosen.stream().sorted((x, y) -> order.indexOf(x) - order.indexOf(y)).toList();
      assertEquals(sorted, chosen);
    }
  }

  @Test
  void answers_forRankingMapAndText_areValidAndVaried() {
    Poll poll = TestEvents.newKindsPoll(java.nio.file.Path.of("plan.png"));
    Set<List<String>> rankings = new HashSet<>();
    Set<String> zones = new HashSet<>();
    int pins = 0;
    int listed = 0;
    Set<String> texts = new HashSet<>();
    for (long seed = 0; seed < 2_000; seed++) {
      List<ResponseBody.Answer> answers = RandomAnswers.answers(poll, new SplittableRandom(seed));

      assertEquals(
          List.of("priorites", "lieu", "mot"), answers.stream().map(a -> a.questionId()).toList());
      for (ResponseBody.Answer answer : answers) {
        assertEquals(answer, AnswerRules.check(poll, answer), "stored as drawn, seed " + seed);
      }
      rankings.add(answers.get(0).optionIds());
      ResponseBody.Answer map = answers.get(1);
      zones.addAll(map.optionIds());
      if (map.pin().isPresent()) {
        pins++;
      } else {
        listed++;
      }
      String text = answers.get(2).text().orElseThrow();
      assertTrue(text.length() <= 10, text);
      texts.add(text);
    }
    // Orders matter in a ranking: with 4 options and up to 3 ranked there are 4+12+24 of them.
    assertEquals(40, rankings.size());
    assertEquals(Set.of("parc", "gare"), zones);
    assertTrue(pins > 1_200 && listed > 300, pins + " pins, " + listed + " zones from the list");
    assertTrue(texts.size() > 3, texts.toString());
  }

  @Test
  void responseSeed_differsByKioskAndSeq() {
    Set<Long> seeds = new HashSet<>();
    for (int kiosk = 1; kiosk <= 8; kiosk++) {
      for (long seq = 1; seq <= 500; seq++) {
        seeds.add(SimulatedKiosk.responseSeed(1, kiosk, seq));
      }
    }
    assertEquals(8 * 500, seeds.size());
    assertTrue(SimulatedKiosk.responseSeed(1, 1, 1) != SimulatedKiosk.responseSeed(2, 1, 1));
  }
}
