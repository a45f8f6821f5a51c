// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import terrain.core.event.EventFileException.Problem;

/** The {@code ideas:} and {@code profile:} sections of an event file. */
class EventLoaderScreensTest {
  private static final Path EXAMPLE = Path.of("../examples/events/market-day.yaml");

  /** The lines before the optional sections (5 lines, so a section starts at line 6). */
  private static final String HEAD =
      """
      id: e
      title: T
      place: P
      date: 2026-11-28
      polls: [{id: p, title: T, questions: [{id: q, kind: yesno, text: Q}]}]
      """;

  @Test
  void load_whenExampleFile_hasThemesAndNeighbourhoodsWithDefaultAgeBands() throws Exception {
    EventDefinition event = EventLoader.load(EXAMPLE);

    assertTrue(event.ideas().enabled());
    assertEquals("Une idée pour le marché ?", event.ideas().prompt().orElseThrow().fr());
    assertEquals(
        List.of("commerces", "amenagement", "animations", "proprete", "acces"),
        event.ideas().themes().stream().map(AnswerOption::id).toList());
    assertEquals(
        "Shops and producers", event.ideas().theme("commerces").orElseThrow().label().en());
    ProfileSettings profile = event.profile().orElseThrow();
    assertTrue(profile.defaultAgeBands());
    assertEquals(7, profile.areas().size());
    assertEquals("Chartrons", profile.area("chartrons").orElseThrow().label().en());
  }

  @Test
  void parse_whenNoSections_noIdeaNorProfileScreen() throws Exception {
    EventDefinition event = parse(HEAD);
    assertFalse(event.ideas().enabled());
    assertEquals(Optional.empty(), event.profile());
  }

  @Test
  void parse_whenIdeasWithoutEnabled_enabledWithoutThemes() throws Exception {
    EventDefinition event = parse(HEAD + "ideas: {}\n");
    assertTrue(event.ideas().enabled());
    assertEquals(List.of(), event.ideas().themes());
  }

  @Test
  void parse_whenIdeasDisabled_keepsThemesButNoScreen() throws Exception {
    EventDefinition event =
        parse(HEAD + "ideas:\n  enabled: false\n  themes: [{id: a, fr: A}, {id: b, fr: B}]\n");
    assertFalse(event.ideas().enabled());
    assertEquals(2, event.ideas().themes().size());
  }

  @Test
  void parse_whenProfileWithOwnAgeBands_usesThem() throws Exception {
    EventDefinition event =
        parse(
            HEAD
                + """
                profile:
                  ageBands:
                    - {id: jeune, fr: "Moins de 30 ans", en: "Under 30"}
                    - {id: adulte, fr: "30 ans et plus", en: "30 and over"}
                """);
    ProfileSettings profile = event.profile().orElseThrow();
    assertFalse(profile.defaultAgeBands());
    assertEquals("Under 30", profile.ageBand("jeune").orElseThrow().label().en());
    assertEquals(List.of(), profile.areas());
  }

  @Test
  void parse_whenProfileEmptyMap_defaultAgeBandsOnly() throws Exception {
    ProfileSettings profile = parse(HEAD + "profile: {}\n").profile().orElseThrow();
    assertEquals(ProfileSettings.DEFAULT_AGE_BANDS, profile.ageBands());
  }

  @Test
  void parse_whenIdeasMistakes_reportsEachWithItsPlace() {
    List<Problem> problems =
        problems(
            HEAD
                + """
                ideas:
                  enabled: peut-etre
                  themes:
                    - {id: Commerces, fr: "Commerces"}
                    - {id: b, fr: B}
                    - {id: b, fr: "B bis"}
                    - {id: c}
                  colour: blue
                """);
    assertEquals(
        List.of(
            "test.yaml:7:12: ideas: enabled is \"peut-etre\"; write true (show the idea screen)"
                + " or false (skip it)",
            "test.yaml:9:12: ideas, theme \"Commerces\": id \"Commerces\" is not allowed: use 1 to"
                + " 40 lowercase letters a-z, digits or dashes, not starting with a dash, like"
                + " \"commerces\"",
            "test.yaml:11:12: ideas: theme id \"b\" is used twice (first at line 10); give each"
                + " theme its own id",
            "test.yaml:12:7: ideas, theme \"c\": missing \"fr\"; add fr: \"...\" with the French"
                + " label",
            "test.yaml:13:3: ideas: unknown key \"colour\"; expected one of enabled, prompt,"
                + " themes"),
        messages(problems));
  }

  @Test
  void parse_whenProfileMistakes_reportsEachWithItsPlace() {
    List<Problem> problems =
        problems(
            HEAD
                + """
                profile:
                  ageBands: [{id: tous, fr: "Tout âge"}]
                  neighborhoods: [{id: a, fr: A}]
                """);
    assertEquals(
        List.of(
            "test.yaml:7:13: profile: ageBands has 1 items; give 2 to 16",
            "test.yaml:8:3: profile: unknown key \"neighborhoods\"; expected one of ageBands,"
                + " neighbourhoods (did you mean \"neighbourhoods\"?)"),
        messages(problems));
  }

  @Test
  void parse_whenProfileNotAMap_saysHowToWriteIt() {
    List<Problem> problems = problems(HEAD + "profile: yes\n");
    assertEquals(
        List.of(
            "test.yaml:6:10: profile: must be a map like {ageBands: [...], neighbourhoods:"
                + " [{id: ..., fr: ..., en: ...}]}, but it is the text \"yes\""),
        messages(problems));
  }

  @Test
  void parse_whenQuestionIdReservedForProfile_asksForAnother() {
    List<Problem> problems =
        problems(
            """
            id: e
            title: T
            place: P
            date: 2026-11-28
            polls: [{id: p, title: T, questions: [{id: profile-age, kind: yesno, text: Q}]}]
            """);
    assertEquals(
        List.of(
            "test.yaml:5:44: question \"profile-age\": question ids starting with \"profile-\""
                + " are kept for the \"who are you\" screen; choose another id"),
        messages(problems));
  }

  @Test
  void construct_whenQuestionIdReservedInCode_refuses() {
    Poll poll =
        new Poll(
            "p",
            LocalizedText.of("T"),
            List.of(Question.yesNo("profile-x", LocalizedText.of("Q"))));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new EventDefinition(
                    "e",
                    LocalizedText.of("T"),
                    "P",
                    java.time.LocalDate.of(2026, 11, 28),
                    List.of(poll),
                    Rewards.none(),
                    Timeouts.defaults()));
    assertTrue(e.getMessage().contains("profile-"), e.getMessage());
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
