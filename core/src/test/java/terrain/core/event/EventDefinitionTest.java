// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import terrain.core.id.PollId;
import terrain.core.id.QuestionId;

class EventDefinitionTest {

  private static final LocalizedText TEXT = LocalizedText.of("Question ?", "Question?");
  private static final List<AnswerOption> AB =
      List.of(AnswerOption.of("a", "A", null), AnswerOption.of("b", "B", null));

  @Test
  void questionIdsInSeveralPolls_whenPollsReuseAnId_namesItWithThosePollsInOrder()
      throws Exception {
    String yaml =
        """
        id: partage
        title: "Partage"
        place: "Bordeaux"
        date: 2026-11-28
        polls:
          - id: matin
            title: "Matin"
            questions:
              - {id: venue, kind: yesno, text: "Venu à pied ?"}
              - {id: ombre, kind: yesno, text: "Plus d'ombre ?"}
          - id: midi
            title: "Midi"
            questions:
              - {id: bancs, kind: yesno, text: "Plus de bancs ?"}
          - id: soir
            title: "Soir"
            questions:
              - {id: ombre, kind: yesno, text: "Plus d'ombre le soir ?"}
              - {id: venue, kind: yesno, text: "Venu à vélo ?"}
              - {id: bancs, kind: yesno, text: "Des bancs le soir ?"}
        """;

    EventDefinition shared = EventLoader.parse(yaml, "partage.yaml");
    EventDefinition distinct =
        EventLoader.parse(
            yaml.replace(
                    "{id: ombre, kind: yesno, text: \"Plus d'ombre le soir ?\"}",
                    "{id: ombre-soir, kind: yesno, text: \"?\"}")
                .replace(
                    "{id: venue, kind: yesno, text: \"Venu à vélo ?\"}",
                    "{id: velo, kind: yesno, text: \"?\"}")
                .replace(
                    "{id: bancs, kind: yesno, text: \"Des bancs le soir ?\"}",
                    "{id: bancs-soir, kind: yesno, text: \"?\"}"),
            "distinct.yaml");

    assertEquals(
        Map.of(
            "venue", List.of("matin", "soir"),
            "ombre", List.of("matin", "soir"),
            "bancs", List.of("midi", "soir")),
        shared.questionIdsInSeveralPolls());
    assertEquals(
        List.of("venue", "ombre", "bancs"),
        List.copyOf(shared.questionIdsInSeveralPolls().keySet()),
        "in the order of the file");
    assertEquals(Map.of(), distinct.questionIdsInSeveralPolls());
  }

  @Test
  void in_whenEnglishMissing_fallsBackToFrench() {
    LocalizedText text = LocalizedText.of("Bonjour");

    assertEquals("Bonjour", text.in("en"));
    assertEquals("Bonjour", text.in("fr"));
    assertEquals("Hello", LocalizedText.of("Bonjour", "Hello").in("en"));
    assertEquals("Bonjour", LocalizedText.of("Bonjour", "Hello").in("de"));
    assertEquals("Bonjour", LocalizedText.of("Bonjour", "Hello").in("ar"), "no Arabic: French");
    assertEquals("مرحبا", LocalizedText.of("Bonjour", "Hello", "مرحبا").in("ar"));
    assertEquals("Bonjour", LocalizedText.of("Bonjour", "Hello", " ").in("ar"), "blank: none");
  }

  @Test
  void newLocalizedText_whenFrenchBlank_throwsNamingTheField() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new LocalizedText(" ", "Hello"));

    assertEquals("LocalizedText fr [ ] must not be blank", e.getMessage());
  }

  @Test
  void newAnswerOption_whenIdHasCapitals_throwsWithValueAndRule() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AnswerOption.of("Pied", "À pied", null));

    assertEquals(
        "AnswerOption id [Pied] must be 1 to 40 lowercase letters a-z, digits or dashes, not"
            + " starting with a dash",
        e.getMessage());
  }

  @Test
  void fromYaml_whenKnownOrUnknownName_mapsBothWays() {
    for (QuestionKind kind : QuestionKind.values()) {
      assertEquals(Optional.of(kind), QuestionKind.fromYaml(kind.yamlName()));
    }
    assertEquals(Optional.empty(), QuestionKind.fromYaml("YESNO"));
    assertEquals(Optional.empty(), QuestionKind.fromYaml(null));
  }

  @Test
  void scale_whenSomeLabels_numbersTheOthers() {
    Question q = Question.scale("note", TEXT, Map.of(1, LocalizedText.of("Pas du tout")));

    assertEquals(List.of("1", "2", "3", "4", "5"), q.options().stream().map(o -> o.id()).toList());
    assertEquals("Pas du tout", q.option("1").orElseThrow().label().fr());
    assertEquals("4", q.option("4").orElseThrow().label().en());
    assertEquals(1, q.maxChoices());
    assertEquals(Optional.empty(), q.option("6"));
  }

  @Test
  void newQuestion_whenMultipleMaxAboveOptions_throws() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Question.multiple("q", TEXT, AB, 3));

    assertEquals("Question [q] maxChoices [3] must be from 1 to 2", e.getMessage());
  }

  @Test
  void newQuestion_whenSingleWithMaxTwo_throws() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Question("q", QuestionKind.SINGLE, TEXT, AB, 2));

    assertEquals("Question [q] maxChoices [2] must be 1 for a single question", e.getMessage());
  }

  @Test
  void newQuestion_whenYesNoWithOtherOptions_throws() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Question("q", QuestionKind.YES_NO, TEXT, AB, 1));

    assertTrue(e.getMessage().contains("[yes, no]"), e.getMessage());
  }

  @Test
  void newQuestion_whenDuplicateOptionIds_throws() {
    List<AnswerOption> twice = List.of(AB.get(0), AB.get(0));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Question.single("q", TEXT, twice));

    assertEquals("Question [q] option id [a] must be unique in the question", e.getMessage());
  }

  @Test
  void newQuestion_whenRankingAboveFiveOrOptions_throwsWithTheRange() {
    List<AnswerOption> seven =
        List.of("a", "b", "c", "d", "e", "f", "g").stream()
            .map(id -> AnswerOption.of(id, id, null))
            .toList();
    LocalizedText text = LocalizedText.of("?");

    assertEquals(5, Question.ranking("r", text, seven, 5).maxChoices());
    IllegalArgumentException six =
        assertThrows(IllegalArgumentException.class, () -> Question.ranking("r", text, seven, 6));
    assertTrue(six.getMessage().contains("maxChoices [6] must be from 1 to 5"), six.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Question.ranking("r", text, seven.subList(0, 2), 3));
  }

  @Test
  void newQuestion_whenTextLengthOutOfRangeOrOptions_throws() {
    LocalizedText text = LocalizedText.of("?");

    assertEquals(140, Question.text("t", text, 140).maxLength());
    assertThrows(IllegalArgumentException.class, () -> Question.text("t", text, 0));
    IllegalArgumentException tooLong =
        assertThrows(IllegalArgumentException.class, () -> Question.text("t", text, 501));
    assertTrue(tooLong.getMessage().contains("from 1 to 500"), tooLong.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Question(
                "t",
                QuestionKind.TEXT,
                text,
                List.of(AnswerOption.of("a", "A", null)),
                1,
                Optional.empty(),
                140));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Question("s", QuestionKind.SINGLE, text, List.of(), 1, Optional.empty(), 10));
  }

  @Test
  void newQuestion_whenMapZonesAndNamesDisagree_throws() {
    MapSpec map =
        new MapSpec(
            java.nio.file.Path.of("plan.png"),
            List.of(
                new MapSpec.Zone("a", 0, 0, 500, 500),
                new MapSpec.Zone("b", 400, 400, 1000, 1000)));
    LocalizedText text = LocalizedText.of("?");

    Question q =
        Question.map("m", text, map, List.of(LocalizedText.of("A"), LocalizedText.of("B")));
    assertEquals(List.of("a", "b"), q.options().stream().map(AnswerOption::id).toList());
    assertEquals("a", map.zoneAt(450, 450).orElseThrow().id(), "overlap: the first zone wins");
    assertEquals(Optional.empty(), map.zoneAt(900, 100));
    assertThrows(IllegalArgumentException.class, () -> Question.map("m", text, map, List.of(text)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Question("m", QuestionKind.MAP, text, List.of(), 1));
    assertThrows(IllegalArgumentException.class, () -> new MapSpec.Zone("z", 500, 0, 400, 10));
    assertThrows(IllegalArgumentException.class, () -> new MapSpec.Zone("z", 0, 0, 1001, 10));
  }

  @Test
  void newPoll_whenDuplicateQuestionIds_throws() {
    Question q = Question.yesNo("q", TEXT);

    assertThrows(IllegalArgumentException.class, () -> new Poll("p", TEXT, List.of(q, q)));
  }

  @Test
  void newEventDefinition_whenValid_findsPollsAndDefault() {
    Poll first = new Poll("a", TEXT, List.of(Question.yesNo("q", TEXT)));
    Poll second = new Poll("b", TEXT, List.of(Question.single("q", TEXT, AB)));

    EventDefinition event =
        new EventDefinition(
            "e",
            TEXT,
            "Place",
            LocalDate.of(2026, 11, 28),
            List.of(first, second),
            Rewards.none(),
            Timeouts.defaults());

    assertEquals(first, event.defaultPoll());
    assertEquals(Optional.of(second), event.poll("b"));
    assertEquals(Optional.empty(), event.poll("c"));
    assertEquals(Optional.of(AB.get(1)), second.question("q").orElseThrow().option("b"));
    assertEquals(Optional.of(second), event.poll(PollId.of("b")));
    assertEquals(Optional.empty(), event.poll(PollId.of("c")));
    assertEquals(PollId.of("b"), second.pollId());
    Question q = second.question(QuestionId.of("q")).orElseThrow();
    assertEquals(QuestionId.of("q"), q.questionId());
    assertEquals(Optional.empty(), second.question(QuestionId.of("r")));
  }

  @Test
  void newEventDefinition_whenNoPoll_throws() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new EventDefinition(
                "e",
                TEXT,
                "Place",
                LocalDate.of(2026, 11, 28),
                List.of(),
                Rewards.none(),
                Timeouts.defaults()));
  }

  @Test
  void briqsFor_whenActionAbsent_isZero() {
    Map<String, Integer> briqs = new LinkedHashMap<>();
    briqs.put("response", 2);
    Rewards rewards = new Rewards(briqs);
    briqs.put("idea", 5);

    assertEquals(2, rewards.briqsFor("response"));
    assertEquals(0, rewards.briqsFor("idea"));
  }

  @Test
  void newRewards_whenUnknownActionOrNegative_throws() {
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> new Rewards(Map.of("vote", 1)));
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> new Rewards(Map.of("idea", -1)));

    assertEquals(
        "Rewards action [vote] must be one of response, idea, attendance", unknown.getMessage());
    assertEquals("Rewards briqs for [idea] [-1] must be 0 or more", negative.getMessage());
  }

  @Test
  void newTimeouts_whenZero_throws() {
    assertThrows(
        IllegalArgumentException.class, () -> new Timeouts(Duration.ZERO, Duration.ofSeconds(15)));
  }

  @Test
  void parseDuration_whenSecondsMinutesOrBoth_readsThem() {
    assertEquals(Optional.of(Duration.ofSeconds(60)), Timeouts.parseDuration("60s"));
    assertEquals(Optional.of(Duration.ofMinutes(2)), Timeouts.parseDuration("2m"));
    assertEquals(Optional.of(Duration.ofSeconds(90)), Timeouts.parseDuration("1m30s"));
    assertEquals(Optional.empty(), Timeouts.parseDuration("60"));
    assertEquals(Optional.empty(), Timeouts.parseDuration("1h"));
    assertEquals(Optional.empty(), Timeouts.parseDuration(""));
  }
}
