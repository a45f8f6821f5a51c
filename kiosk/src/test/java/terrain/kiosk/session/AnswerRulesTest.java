// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import terrain.core.event.Poll;
import terrain.core.id.QuestionId;
import terrain.core.record.ResponseBody;
import terrain.core.rules.AnswerRules;
import terrain.kiosk.testing.TestEvents;

class AnswerRulesTest {
  private final Poll poll = TestEvents.marketPoll();

  private String rejected(String questionId, List<String> options) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> AnswerRules.check(poll, QuestionId.of(questionId), options))
        .getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "[" + part + "] missing in: " + message);
    }
  }

  @Test
  void check_whenValid_returnsTheOptions() {
    assertEquals(List.of("pied"), AnswerRules.check(poll, QuestionId.of("venue"), List.of("pied")));
    assertEquals(
        List.of("jeux", "bio"),
        AnswerRules.check(poll, QuestionId.of("envies"), List.of("jeux", "bio")));
    assertEquals(List.of("5"), AnswerRules.check(poll, QuestionId.of("horaires"), List.of("5")));
    assertEquals(List.of("no"), AnswerRules.check(poll, QuestionId.of("dimanche"), List.of("no")));
  }

  @Test
  void check_whenQuestionUnknown_namesItAndThePollsQuestions() {
    assertMentions(rejected("meteo", List.of("pied")), "[meteo]", "[avenir]", "venue, envies");
  }

  @Test
  void check_whenOptionUnknown_namesItAndTheQuestionsOptions() {
    assertMentions(rejected("venue", List.of("trottinette")), "[trottinette]", "[venue]", "pied");
    assertMentions(rejected("horaires", List.of("6")), "[6]", "[horaires]");
    assertMentions(rejected("dimanche", List.of("oui")), "[oui]", "[yes, no]");
  }

  @Test
  void check_whenTooManyForMultiple_namesTheMaximum() {
    assertMentions(
        rejected("envies", List.of("bio", "halle", "jeux")), "[envies]", "1 to 2", "got 3");
  }

  @Test
  void check_whenNoneForMultiple_namesTheRule() {
    assertMentions(rejected("envies", List.of()), "[envies]", "1 to 2", "got 0");
  }

  @Test
  void check_whenNotExactlyOneForSingleScaleOrYesNo_namesTheRule() {
    assertMentions(rejected("venue", List.of("pied", "velo")), "[venue]", "exactly 1", "got 2");
    assertMentions(rejected("venue", List.of()), "[venue]", "exactly 1", "got 0");
    assertMentions(rejected("horaires", List.of("1", "2")), "[horaires]", "(scale)", "exactly 1");
    assertMentions(rejected("dimanche", List.of("yes", "no")), "[dimanche]", "(yesno)");
  }

  @Test
  void check_whenOptionTwice_namesIt() {
    assertMentions(rejected("envies", List.of("bio", "bio")), "[bio]", "twice");
  }

  @Test
  void check_whenNullOptions_throws() {
    assertMentions(rejected("envies", null), "[envies]", "null");
    assertMentions(rejected("envies", Arrays.asList("bio", null)), "[null]");
  }

  // Ranking, map and text.

  private final Poll newKinds = TestEvents.newKindsPoll(java.nio.file.Path.of("plan.png"));

  @Test
  void check_whenRanking_keepsTheRankOrderUpToTheMaximum() {
    assertEquals(
        List.of("prix", "velo", "ombre"),
        AnswerRules.check(newKinds, QuestionId.of("priorites"), List.of("prix", "velo", "ombre")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AnswerRules.check(
                    newKinds,
                    QuestionId.of("priorites"),
                    List.of("prix", "velo", "ombre", "proprete")));
    assertMentions(e.getMessage(), "priorites", "ranking", "1 to 3 options");
  }

  @Test
  void pin_whenOnAZone_addsTheZoneAndOutsideNone() {
    assertEquals(
        ResponseBody.Answer.pin("lieu", new ResponseBody.Pin(500, 500), Optional.of("parc")),
        AnswerRules.pin(newKinds, QuestionId.of("lieu"), new ResponseBody.Pin(500, 500)));
    assertEquals(
        ResponseBody.Answer.pin("lieu", new ResponseBody.Pin(900, 100), Optional.empty()),
        AnswerRules.check(
            newKinds,
            new ResponseBody.Answer(
                "lieu",
                List.of("gare"),
                Optional.of(new ResponseBody.Pin(900, 100)),
                Optional.empty())));
  }

  @Test
  void pin_whenNotAMapQuestion_saysOnlyAMapTakesOne() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AnswerRules.pin(newKinds, QuestionId.of("priorites"), new ResponseBody.Pin(1, 1)));
    assertMentions(e.getMessage(), "priorites", "only a map question");
  }

  @Test
  void check_whenMapZoneFromTheList_isOneZone() {
    assertEquals(
        List.of("gare"), AnswerRules.check(newKinds, QuestionId.of("lieu"), List.of("gare")));
    assertThrows(
        IllegalArgumentException.class,
        () -> AnswerRules.check(newKinds, QuestionId.of("lieu"), List.of("gare", "parc")));
  }

  @Test
  void checkText_whenTooLongBlankOrOptions_namesTheRule() {
    assertEquals(
        "Oui merci", AnswerRules.checkText(newKinds, QuestionId.of("mot"), "  Oui\n  merci "));
    assertMentions(
        assertThrows(
                IllegalArgumentException.class,
                () -> AnswerRules.checkText(newKinds, QuestionId.of("mot"), "01234567890"))
            .getMessage(),
        "mot",
        "1 to 10 characters",
        "got 11");
    assertThrows(
        IllegalArgumentException.class,
        () -> AnswerRules.checkText(newKinds, QuestionId.of("mot"), " \t "));
    assertMentions(
        assertThrows(
                IllegalArgumentException.class,
                () -> AnswerRules.check(newKinds, QuestionId.of("mot"), List.of("a")))
            .getMessage(),
        "mot",
        "with a text");
    assertThrows(
        IllegalArgumentException.class,
        () -> AnswerRules.checkText(newKinds, QuestionId.of("lieu"), "ici"));
  }

  @Test
  void tidyText_whenDecomposedAccents_composesThem() {
    assertEquals("é", AnswerRules.tidyText("e\u0301"));
  }
}
