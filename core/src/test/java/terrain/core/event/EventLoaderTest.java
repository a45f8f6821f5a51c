// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventFileException.Problem;

class EventLoaderTest {

  /** The example shipped to ops staff; tests run with the core module as working directory. */
  private static final Path EXAMPLE = Path.of("../examples/events/market-day.yaml");

  @Test
  void load_whenExampleFile_returnsMarketDayWithOneOfEachKind() throws Exception {
    EventDefinition event = EventLoader.load(EXAMPLE);

    assertEquals("marche-2026-11-28", event.id());
    assertEquals("Marché Saint-Michel : votre avis compte", event.title().in("fr"));
    assertEquals("Saint-Michel market: have your say", event.title().in("en"));
    assertEquals("Place Saint-Michel, Bordeaux", event.place());
    assertEquals(LocalDate.of(2026, 11, 28), event.date());
    assertEquals(2, event.rewards().briqsFor("response"));
    assertEquals(1, event.rewards().briqsFor("idea"));
    assertEquals(0, event.rewards().briqsFor("attendance"));
    assertEquals(Timeouts.defaults(), event.timeouts());
    assertEquals(new TicketRules(180, 500, new TicketRules.GoldenOdds(1, 200)), event.tickets());

    Poll poll = event.defaultPoll();
    assertEquals(event.poll("avenir-du-marche").orElseThrow(), poll);
    assertEquals(
        List.of("venue", "envies", "horaires", "dimanche", "priorites", "ou-habitez", "un-mot"),
        poll.questions().stream().map(Question::id).toList());
    assertEquals(
        List.of(QuestionKind.values()), poll.questions().stream().map(Question::kind).toList());

    Question venue = poll.question("venue").orElseThrow();
    assertEquals(5, venue.options().size());
    assertEquals(1, venue.maxChoices());
    assertEquals("On foot", venue.option("pied").orElseThrow().label().in("en"));
    assertEquals("مشيًا على الأقدام", venue.option("pied").orElseThrow().label().in("ar"));
    // The kiosk's third language: every question of the example speaks Arabic too.
    assertTrue(event.title().has("ar"));
    for (Question q : poll.questions()) {
      assertTrue(q.text().has("ar"), q.id() + " has no Arabic text");
      for (var option : q.options()) {
        assertTrue(
            option.label().has("ar") || q.kind() == QuestionKind.SCALE && !isEnd(option.id()),
            q.id() + "/" + option.id() + " has no Arabic label");
      }
    }

    Question envies = poll.question("envies").orElseThrow();
    assertEquals(2, envies.maxChoices());
    assertEquals(5, envies.options().size());

    Question horaires = poll.question("horaires").orElseThrow();
    assertEquals(
        List.of("1", "2", "3", "4", "5"), horaires.options().stream().map(o -> o.id()).toList());
    assertEquals("Pas du tout", horaires.option("1").orElseThrow().label().fr());
    assertEquals("3", horaires.option("3").orElseThrow().label().en());
    assertEquals("Completely", horaires.option("5").orElseThrow().label().en());

    Question dimanche = poll.question("dimanche").orElseThrow();
    assertEquals(
        List.of(
            new AnswerOption("yes", LocalizedText.of("Oui", "Yes", "نعم")),
            new AnswerOption("no", LocalizedText.of("Non", "No", "لا"))),
        dimanche.options());

    Question priorites = poll.question("priorites").orElseThrow();
    assertEquals(3, priorites.maxChoices());
    assertEquals(5, priorites.options().size());

    Question map = poll.question("ou-habitez").orElseThrow();
    MapSpec spec = map.map().orElseThrow();
    assertEquals(
        EXAMPLE.toAbsolutePath().getParent().resolve("quartier-saint-michel.png").normalize(),
        spec.image());
    assertTrue(Files.isRegularFile(spec.image()));
    assertEquals(6, spec.zones().size());
    assertEquals(new MapSpec.Zone("parc", 40, 40, 320, 400), spec.zones().get(0));
    assertEquals("The park", map.option("parc").orElseThrow().label().en());
    assertEquals("place-du-marche", spec.zoneAt(500, 500).orElseThrow().id());

    Question mot = poll.question("un-mot").orElseThrow();
    assertEquals(140, mot.maxLength());
    assertEquals(List.of(), mot.options());
  }

  @Test
  void parse_whenRankingHasNoMax_ranksUpToFive() throws Exception {
    String six =
        "options: [{id: a, fr: A}, {id: b, fr: B}, {id: c, fr: C}, {id: d, fr: D},"
            + " {id: e, fr: E}, {id: f, fr: F}]";
    Question q = parse(valid("ranking", "", six)).defaultPoll().questions().get(0);

    assertEquals(QuestionKind.RANKING, q.kind());
    assertEquals(5, q.maxChoices());
  }

  @Test
  void parse_whenRankingMaxAboveFive_saysRankingStopsAtFive() {
    String six =
        "options: [{id: a, fr: A}, {id: b, fr: B}, {id: c, fr: C}, {id: d, fr: D},"
            + " {id: e, fr: E}, {id: f, fr: F}]";
    List<Problem> problems = problems(valid("ranking", "max: 6", six));

    assertEquals(
        List.of(
            "test.yaml:11:14: question \"q\": max is 6 but a resident can rank at most 5 (a"
                + " ranking stops at 5); write a number from 1 to 5"),
        messages(problems));
  }

  @Test
  void parse_whenTextHasNoMaxLength_allows140() throws Exception {
    Question q = parse(valid("text", "", "")).defaultPoll().questions().get(0);

    assertEquals(QuestionKind.TEXT, q.kind());
    assertEquals(140, q.maxLength());
  }

  @Test
  void parse_whenTextMaxLengthTooLongOrOptionsGiven_reportsBoth() {
    List<Problem> problems =
        problems(valid("text", "maxLength: 5000", "options: [{id: a, fr: A}, {id: b, fr: B}]"));

    assertEquals(
        List.of(
            "test.yaml:11:20: question \"q\": maxLength is 5000; write a number of characters"
                + " from 1 to 500 (140 is a good length for a kiosk)",
            "test.yaml:12:9: question \"q\": a text question is answered by typing; remove"
                + " \"options\" (or use kind single)"),
        messages(problems));
  }

  @Test
  void parse_whenMaxLengthOnSingle_saysItIsOnlyForText() {
    List<Problem> problems =
        problems(valid("single", "maxLength: 20", "options: [{id: a, fr: A}, {id: b, fr: B}]"));

    assertEquals(
        List.of("test.yaml:11:9: question \"q\": maxLength is only for kind text; remove it"),
        messages(problems));
  }

  @Test
  void parse_whenMapWithoutImage_asksForTheImage() {
    List<Problem> problems = problems(valid("map", "", ""));

    assertEquals(
        List.of(
            "test.yaml:9:9: question \"q\": missing \"image\"; add image: quartier.png (a PNG"
                + " or JPEG next to the event file)"),
        messages(problems));
  }

  @Test
  void parse_whenZoneAreaWrong_reportsEachNumberAndOrder() {
    List<Problem> problems =
        problems(
            valid(
                "map",
                "image: plan.png",
                "zones: [{id: a, fr: A, area: [10, 20, 140, x]}, {id: b, fr: B, area: [50, 50,"
                    + " 10, 60]}, {id: c, fr: C, area: [1, 2, 3]}]"));

    assertEquals(
        List.of(
            "test.yaml:12:47: question \"q\", zone \"a\": area right is \"140\"; write a"
                + " percentage of the map from 0 to 100",
            "test.yaml:12:52: question \"q\", zone \"a\": area bottom is \"x\"; write a"
                + " percentage of the map from 0 to 100",
            "test.yaml:12:78: question \"q\", zone \"b\": area [left, top, right, bottom] must"
                + " have left < right and top < bottom (0, 0 is the top left corner of the map);"
                + " swap the numbers",
            "test.yaml:12:118: question \"q\", zone \"c\": area has 3 numbers; write 4: left,"
                + " top, right, bottom, in % of the map's width and height, like [10, 20, 40,"
                + " 50]"),
        messages(problems));
  }

  @Test
  void parse_whenZonesOnSingleOrOptionsOnMap_saysWhereTheyBelong() {
    List<Problem> single =
        problems(
            valid(
                "single",
                "zones: [{id: z, fr: Z, area: [0, 0, 50, 50]}]",
                "options: [{id: a, fr: A}, {id: b, fr: B}]"));
    List<Problem> map =
        problems(valid("map", "image: plan.png", "options: [{id: a, fr: A}, {id: b, fr: B}]"));

    assertEquals(
        List.of("test.yaml:11:9: question \"q\": zones are only for kind map; remove them"),
        messages(single));
    assertEquals(
        List.of(
            "test.yaml:12:9: question \"q\": a map question is answered on its map; name its"
                + " zones under \"zones\" instead of \"options\""),
        messages(map));
  }

  @Test
  void load_whenMapImageMissingOrNotAPicture_saysWhereItLooked(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("event.yaml");
    Files.writeString(file, valid("map", "image: plan.png", ""), StandardCharsets.UTF_8);

    List<Problem> missing =
        assertThrows(EventFileException.class, () -> EventLoader.load(file)).problems();
    Files.writeString(dir.resolve("plan.png"), "not a picture");
    List<Problem> notPicture =
        assertThrows(EventFileException.class, () -> EventLoader.load(file)).problems();

    assertEquals(1, missing.size());
    assertEquals(11, missing.get(0).line());
    assertTrue(
        missing.get(0).message().contains("image \"plan.png\" is not found (looked for " + dir),
        missing.get(0).message());
    assertEquals(
        List.of(
            file
                + ":11:16: question \"q\": image \"plan.png\" is not a PNG or JPEG picture;"
                + " export the map as PNG (or JPEG)"),
        messages(notPicture));
  }

  @Test
  void load_whenMapImageNextToTheFile_resolvesItThere(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("event.yaml");
    Files.writeString(
        file,
        valid("map", "image: plan.png", "zones: [{id: z, fr: Z, en: Zed, area: [0, 0, 50, 50]}]"),
        StandardCharsets.UTF_8);
    Files.copy(EXAMPLE.resolveSibling("quartier-saint-michel.png"), dir.resolve("plan.png"));

    Question q = EventLoader.load(file).defaultPoll().questions().get(0);

    assertEquals(dir.resolve("plan.png").toAbsolutePath(), q.map().orElseThrow().image());
    assertEquals(List.of(new MapSpec.Zone("z", 0, 0, 500, 500)), q.map().orElseThrow().zones());
    assertEquals("Zed", q.option("z").orElseThrow().label().en());
  }

  @Test
  void parse_whenOnlyRequiredFields_appliesDefaults() throws Exception {
    EventDefinition event =
        parse(
            """
            id: atelier-1
            title: Atelier mobilités
            place: Maison de quartier
            date: 2026-12-03
            polls:
              - id: p
                title: Questions
                questions:
                  - {id: q, kind: yesno, text: "Venez-vous souvent ?"}
            """);

    assertEquals(Rewards.none(), event.rewards());
    assertEquals(TicketRules.defaults(), event.tickets());
    assertEquals(Duration.ofSeconds(60), event.timeouts().inactivity());
    assertEquals(Duration.ofSeconds(15), event.timeouts().countdown());
    assertEquals("Atelier mobilités", event.title().in("en"));
    assertEquals(1, event.defaultPoll().question("q").orElseThrow().maxChoices());
  }

  @Test
  void parse_whenMultipleHasNoMax_allowsEveryOption() throws Exception {
    Question question =
        parse(valid("multiple", "", "options: [{id: a, fr: A}, {id: b, fr: B}, {id: c, fr: C}]"))
            .defaultPoll()
            .questions()
            .get(0);

    assertEquals(3, question.maxChoices());
  }

  @Test
  void parse_whenYamlWouldReadYesNoOnAsBooleans_keepsTheText() throws Exception {
    Question question =
        parse(valid("single", "", "options: [{id: yes, fr: Oui}, {id: no, fr: Non, en: No}]"))
            .defaultPoll()
            .questions()
            .get(0);

    assertEquals(List.of("yes", "no"), question.options().stream().map(o -> o.id()).toList());
    assertEquals("No", question.option("no").orElseThrow().label().en());
  }

  @Test
  void parse_whenArabicTexts_givesThemToArabicReadersAndFrenchWhereNone() throws Exception {
    Question question =
        parse(
                valid(
                    "single",
                    "",
                    "options: [{id: pied, fr: \"À pied\", ar: \"مشيًا\"}, {id: bus, fr: Bus}]"))
            .defaultPoll()
            .questions()
            .get(0);

    assertEquals("مشيًا", question.option("pied").orElseThrow().label().in("ar"));
    assertTrue(question.option("pied").orElseThrow().label().has("ar"));
    assertEquals("Bus", question.option("bus").orElseThrow().label().in("ar"));
    assertFalse(question.option("bus").orElseThrow().label().has("ar"));
    assertEquals("Q", question.text().in("ar"), "no Arabic: the French text");
  }

  @Test
  void parse_whenArabicTextIsNotAText_saysWhereAndWhat() {
    List<Problem> problems =
        problems(valid("single", "", "options: [{id: a, fr: A, ar: [x]}, {id: b, fr: B}]"));

    assertEquals(1, problems.size(), messages(problems).toString());
    assertTrue(messages(problems).get(0).contains("ar"), messages(problems).get(0));
    assertTrue(messages(problems).get(0).startsWith("test.yaml:"), messages(problems).get(0));
  }

  @Test
  void parse_whenDurationsInMinutes_readsThem() throws Exception {
    EventDefinition event =
        parse(
            """
            id: e
            title: T
            place: P
            date: 2026-11-28
            timeouts: {inactivity: 2m, countdown: 1m30s}
            polls: [{id: p, title: T, questions: [{id: q, kind: scale, text: Q}]}]
            """);

    assertEquals(new Timeouts(Duration.ofMinutes(2), Duration.ofSeconds(90)), event.timeouts());
  }

  @Test
  void parse_whenKindMisspelled_reportsLineAndKnownKinds() {
    List<Problem> problems =
        problems(valid("singel", "", "options: [{id: a, fr: A}, {id: b, fr: B}]"));

    assertEquals(
        List.of(
            "test.yaml:10:15: question \"q\": kind \"singel\" is not one of single, multiple,"
                + " scale, yesno, ranking, map, text (did you mean \"single\"?)"),
        messages(problems));
  }

  @Test
  void parse_whenOptionIdDuplicated_reportsSecondOccurrence() {
    List<Problem> problems =
        problems(
            """
            id: e
            title: T
            place: P
            date: 2026-11-28
            polls:
              - id: p
                title: T
                questions:
                  - id: venue
                    kind: single
                    text: Comment venez-vous ?
                    options:
                      - {id: pied, fr: "À pied"}
                      - {id: velo, fr: "À vélo"}
                      - {id: pied, fr: "En marchant"}
            """);

    assertEquals(
        List.of(
            "test.yaml:15:18: question \"venue\": option id \"pied\" is used twice (first at line"
                + " 13); give each option its own id"),
        messages(problems));
  }

  @Test
  void parse_whenQuestionTextMissing_reportsAtTheQuestion() {
    List<Problem> problems =
        problems(
            """
            id: e
            title: T
            place: P
            date: 2026-11-28
            polls:
              - id: p
                title: T
                questions:
                  - id: dimanche
                    kind: yesno
            """);

    assertEquals(
        List.of(
            "test.yaml:9:9: question \"dimanche\": missing \"text\"; add text: {fr: \"...\", en:"
                + " \"...\"}"),
        messages(problems));
  }

  @Test
  void parse_whenUnknownKey_namesTheKeyAndTheExpectedOnes() {
    List<Problem> problems =
        problems(
            """
            id: e
            titel: T
            place: P
            date: 2026-11-28
            polls: [{id: p, title: T, questions: [{id: q, kind: yesno, text: Q}]}]
            """);

    assertEquals(
        List.of(
            "test.yaml:1:1: event: missing \"title\"; add title: {fr: \"...\", en: \"...\"}",
            "test.yaml:2:1: event: unknown key \"titel\"; expected one of id, title, place, date,"
                + " rewards, tickets, timeouts, polls, ideas, profile, workshop, population (did you mean \"title\"?)"),
        messages(problems));
  }

  @Test
  void parse_whenIdHasCapitalsAndAccents_explainsTheRuleAndSuggestsOne() {
    List<Problem> problems =
        problems(
            """
            id: Marché du 28
            title: T
            place: P
            date: 2026-11-28
            polls: [{id: p, title: T, questions: [{id: q, kind: yesno, text: Q}]}]
            """);

    assertEquals(
        List.of(
            "test.yaml:1:5: event: id \"Marché du 28\" is not allowed: use 1 to 40 lowercase"
                + " letters a-z, digits or dashes, not starting with a dash, like"
                + " \"marche-du-28\""),
        messages(problems));
  }

  @Test
  void parse_whenMultipleMaxAboveOptionCount_givesTheRange() {
    List<Problem> problems =
        problems(valid("multiple", "max: 3", "options: [{id: a, fr: A}, {id: b, fr: B}]"));

    assertEquals(
        List.of(
            "test.yaml:11:14: question \"q\": max is 3 but the question has 2 options; write a"
                + " number from 1 to 2"),
        messages(problems));
  }

  @Test
  void parse_whenMultipleMaxZero_givesTheRange() {
    List<Problem> problems =
        problems(valid("multiple", "max: 0", "options: [{id: a, fr: A}, {id: b, fr: B}]"));

    assertEquals(1, problems.size());
    assertTrue(problems.get(0).message().contains("write a number from 1 to 2"));
  }

  @Test
  void parse_whenMaxOnSingleQuestion_saysItIsOnlyForMultiple() {
    List<Problem> problems =
        problems(valid("single", "max: 1", "options: [{id: a, fr: A}, {id: b, fr: B}]"));

    assertEquals(
        List.of(
            "test.yaml:11:9: question \"q\": max is only for kinds multiple and ranking; remove it"),
        messages(problems));
  }

  @Test
  void parse_whenOptionsOnScaleQuestion_saysTheyAreAutomatic() {
    List<Problem> problems = problems(valid("scale", "", "options: [{id: a, fr: A}]"));

    assertEquals(1, problems.size());
    assertEquals(12, problems.get(0).line());
    assertTrue(
        problems.get(0).message().contains("a scale question has the options 1 to 5 already"));
  }

  @Test
  void parse_whenScaleLabelOutsideOneToFive_reportsTheKey() {
    List<Problem> problems = problems(valid("scale", "", "labels: {0: Jamais, 5: Toujours}"));

    assertEquals(
        List.of(
            "test.yaml:12:18: question \"q\", labels: unknown key \"0\"; expected one of 1, 2, 3,"
                + " 4, 5"),
        messages(problems));
  }

  @Test
  void parse_whenSingleHasOneOption_asksForMore() {
    List<Problem> problems = problems(valid("single", "", "options: [{id: a, fr: A}]"));

    assertEquals(
        List.of(
            "test.yaml:12:18: question \"q\": a question needs at least 2 options, this one has 1;"
                + " add options, or use kind yesno"),
        messages(problems));
  }

  @Test
  void parse_whenWrongTypes_saysWhatWasExpectedAndWhatWasFound() {
    List<Problem> problems =
        problems(
            """
            id: e
            title: [Marché, Market]
            place: P
            date: 2026-11-28
            rewards: {response: deux}
            polls:
              id: p
            """);

    assertEquals(
        List.of(
            "test.yaml:2:8: event: title must be {fr: \"...\", en: \"...\"} or a French text, but"
                + " it is a list",
            "test.yaml:5:21: rewards: response must be a whole number like 2, not \"deux\"",
            "test.yaml:7:3: event: polls must be a list, each poll starting with \"- id: ...\","
                + " but it is a map"),
        messages(problems));
  }

  @Test
  void parse_whenBadDateAndDurations_explainsTheFormats() {
    List<Problem> problems =
        problems(
            """
            id: e
            title: T
            place: P
            date: 28/11/2026
            timeouts: {inactivity: 60, countdown: soon}
            polls: [{id: p, title: T, questions: [{id: q, kind: yesno, text: Q}]}]
            """);

    assertEquals(
        List.of(
            "test.yaml:4:7: event: date \"28/11/2026\" is not a date; write it as year-month-day,"
                + " like 2026-11-28",
            "test.yaml:5:24: timeouts: inactivity \"60\" needs a unit; write 60s for seconds",
            "test.yaml:5:39: timeouts: countdown \"soon\" is not a duration; write it like 60s, 2m"
                + " or 1m30s"),
        messages(problems));
  }

  @Test
  void parse_whenUnknownRewardAction_listsTheActions() {
    List<Problem> problems =
        problems(
            """
            id: e
            title: T
            place: P
            date: 2026-11-28
            rewards: {reponse: 2}
            polls: [{id: p, title: T, questions: [{id: q, kind: yesno, text: Q}]}]
            """);

    assertEquals(
        List.of(
            "test.yaml:5:11: rewards: unknown key \"reponse\"; expected one of response, idea,"
                + " attendance (did you mean \"response\"?)"),
        messages(problems));
  }

  @Test
  void parse_whenKeyRepeated_reportsTheSecond() {
    List<Problem> problems =
        problems(
            """
            id: e
            title: T
            place: P
            date: 2026-11-28
            place: Q
            polls: [{id: p, title: T, questions: [{id: q, kind: yesno, text: Q}]}]
            """);

    assertEquals(
        List.of(
            "test.yaml:5:1: event: key \"place\" appears twice (first at line 3); keep only one"),
        messages(problems));
  }

  @Test
  void parse_whenYamlSyntaxError_reportsOneProblemAtSnakeYamlPosition() {
    List<Problem> problems =
        problems(
            """
            id: e
            title: Marché : votre avis
            place: P
            """);

    assertEquals(1, problems.size());
    Problem problem = problems.get(0);
    assertEquals(2, problem.line());
    assertEquals(15, problem.column());
    assertEquals(
        "YAML syntax error: mapping values are not allowed here; check the indentation (spaces, not"
            + " tabs) and put any text containing \": \" or \" #\" between quotes",
        problem.message());
  }

  @Test
  void parse_whenQuoteNotClosed_pointsAtWhereItOpened() {
    List<Problem> problems =
        problems(
            """
            id: e
            title: "Marché
            place: P
            """);

    assertEquals(1, problems.size());
    assertTrue(
        problems.get(0).message().contains("while scanning a quoted scalar that starts at line 2"),
        problems.get(0).message());
  }

  @Test
  void parse_whenFileEmptyOrOnlyComments_saysItIsEmpty() {
    for (String yaml : List.of("", "   \n", "# nothing yet\n")) {
      List<Problem> problems = problems(yaml);

      assertEquals(
          List.of(
              "test.yaml:1:1: the file is empty; write the event definition in it (start from a"
                  + " copy of examples/events/market-day.yaml)"),
          messages(problems));
    }
  }

  @Test
  void parse_whenFileIsAList_saysItMustBeAMap() {
    List<Problem> problems = problems("- id: e\n");

    assertEquals(
        List.of(
            "test.yaml:1:1: event: the file must be a map of keys like \"id: ...\", \"title:"
                + " ...\", \"polls: ...\", but it is a list"),
        messages(problems));
  }

  @Test
  void load_whenSeveralMistakes_reportsAllInFileOrder() throws URISyntaxException {
    Path file = Path.of(getClass().getResource("/events/many-mistakes.yaml").toURI());

    EventFileException e = assertThrows(EventFileException.class, () -> EventLoader.load(file));

    String name = file.toString();
    assertEquals(
        List.of(
            name + ":2:1: event: missing \"title\"; add title: {fr: \"...\", en: \"...\"}",
            name
                + ":2:5: event: id \"Marché 28/11\" is not allowed: use 1 to 40 lowercase"
                + " letters a-z, digits or dashes, not starting with a dash, like"
                + " \"marche-28-11\"",
            name
                + ":3:1: event: unknown key \"titel\"; expected one of id, title, place, date,"
                + " rewards, tickets, timeouts, polls, ideas, profile, workshop, population (did you mean \"title\"?)",
            name
                + ":5:7: event: date \"28/11/2026\" is not a date; write it as year-month-day,"
                + " like 2026-11-28",
            name + ":6:24: timeouts: inactivity \"60\" needs a unit; write 60s for seconds",
            name
                + ":12:15: question \"venue\": kind \"singel\" is not one of single, multiple,"
                + " scale, yesno, ranking, map, text (did you mean \"single\"?)",
            name
                + ":19:14: question \"envies\": max is 3 but the question has 2 options; write a"
                + " number from 1 to 2",
            name
                + ":23:18: question \"envies\": option id \"bio\" is used twice (first at line"
                + " 22); give each option its own id",
            name
                + ":24:9: question \"dimanche\": missing \"text\"; add text: {fr: \"...\", en:"
                + " \"...\"}"),
        messages(e.problems()));
    assertEquals(String.join("\n", messages(e.problems())), e.getMessage());
  }

  @Test
  void load_whenFileMissing_saysToCheckThePath(@TempDir Path dir) {
    Path file = dir.resolve("absent.yaml");

    EventFileException e = assertThrows(EventFileException.class, () -> EventLoader.load(file));

    assertEquals(
        file + ": there is no such file; check the path and the file name", e.getMessage());
  }

  @Test
  void load_whenNotUtf8_saysToSaveAsUtf8(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("latin1.yaml");
    Files.write(file, "title: March\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

    EventFileException e = assertThrows(EventFileException.class, () -> EventLoader.load(file));

    assertEquals(
        file + ": the file is not UTF-8 text; save it again with the encoding UTF-8",
        e.getMessage());
  }

  @Test
  void load_whenUtf8WithByteOrderMarkAndCrlf_readsIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("windows.yaml");
    String yaml =
        "\uFEFFid: e\r\ntitle: Marché\r\nplace: P\r\ndate: 2026-11-28\r\n"
            + "polls: [{id: p, title: T, questions: [{id: q, kind: yesno, text: Q}]}]\r\n";
    Files.writeString(file, yaml);

    assertEquals("Marché", EventLoader.load(file).title().fr());
  }

  @Test
  void parse_whenCustomTag_doesNotBuildObjects() {
    List<Problem> problems =
        problems(
            """
            id: e
            title: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[]]]
            place: P
            date: 2026-11-28
            polls: [{id: p, title: T, questions: [{id: q, kind: yesno, text: Q}]}]
            """);

    assertEquals(
        List.of(
            "test.yaml:2:8: YAML tags (words starting with !!) are not allowed in an event file;"
                + " remove the tag"),
        messages(problems));
  }

  @Test
  void parse_whenTicketsSectionPartial_defaultsTheRest() throws Exception {
    EventDefinition event =
        parse(
            """
            id: e
            title: T
            place: P
            date: 2026-11-28
            tickets: {expiry: 30d}
            polls: [{id: p, title: T, questions: [{id: q, kind: yesno, text: Q}]}]
            """);

    assertEquals(
        new TicketRules(30, TicketRules.NO_CAP, TicketRules.GoldenOdds.never()), event.tickets());
  }

  @Test
  void parse_whenGoldenOddsZero_neverGolden() throws Exception {
    EventDefinition event =
        parse(
            """
            id: e
            title: T
            place: P
            date: 2026-11-28
            tickets: {goldenOdds: 0, perDeviceCap: 0}
            polls: [{id: p, title: T, questions: [{id: q, kind: yesno, text: Q}]}]
            """);

    assertTrue(event.tickets().goldenOdds().isNever());
    assertEquals(0, event.tickets().perDeviceCap());
  }

  @Test
  void parse_whenTicketsFieldsWrong_reportsEachWithItsPlace() {
    List<Problem> problems =
        problems(
            """
            id: e
            title: T
            place: P
            date: 2026-11-28
            tickets:
              expiry: 6 months
              perDeviceCap: -3
              goldenOdds: 2/1
              goldenodds: 1/2
            polls: [{id: p, title: T, questions: [{id: q, kind: yesno, text: Q}]}]
            """);

    assertEquals(
        List.of(
            "test.yaml:6:11: tickets: expiry \"6 months\" is not a number of days; write it like"
                + " 180d (1d to 3653d)",
            "test.yaml:7:17: tickets: perDeviceCap is -3; write 0 or more tickets",
            "test.yaml:8:15: tickets: goldenOdds \"2/1\" is not a chance; write it like 1/200 (one"
                + " ticket in 200), or 0 for none",
            "test.yaml:9:3: tickets: unknown key \"goldenodds\"; expected one of expiry,"
                + " perDeviceCap, goldenOdds (did you mean \"goldenOdds\"?)"),
        messages(problems));
  }

  @Test
  void parse_whenTicketsNotAMap_saysHowToWriteIt() {
    List<Problem> problems =
        problems(
            """
            id: e
            title: T
            place: P
            date: 2026-11-28
            tickets: 180d
            polls: [{id: p, title: T, questions: [{id: q, kind: yesno, text: Q}]}]
            """);

    assertEquals(
        List.of(
            "test.yaml:5:10: tickets: must be a map like {expiry: 180d, perDeviceCap: 500,"
                + " goldenOdds: 1/200}, but it is the text \"180d\""),
        messages(problems));
  }

  /**
   * A valid event whose one question has {@code kind} (line 10), {@code extra} (11), {@code more}
   * (12).
   */
  /** The ends of a 1–5 scale carry labels; the middle options are digits. */
  private static boolean isEnd(String scaleOption) {
    return scaleOption.equals("1") || scaleOption.equals("5");
  }

  private static String valid(String kind, String extra, String more) {
    return """
        id: e
        title: T
        place: P
        date: 2026-11-28
        polls:
          - id: p
            title: T
            questions:
              - id: q
                kind: %s
                %s
                %s
                text: Q
        """
        .formatted(kind, extra, more);
  }

  private static EventDefinition parse(String yaml) throws EventFileException {
    return EventLoader.parse(yaml, "test.yaml");
  }

  private static List<Problem> problems(String yaml) {
    return assertThrows(EventFileException.class, () -> parse(yaml)).problems();
  }

  private static List<String> messages(List<Problem> problems) {
    return problems.stream().map(Problem::toString).toList();
  }
}
