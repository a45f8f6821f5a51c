// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import terrain.core.event.Poll;
import terrain.kiosk.testing.TestEvents;

class AnswerRulesTest {
  private final Poll poll = TestEvents.marketPoll();

  private String rejected(String questionId, List<String> options) {
    return assertThrows(
            IllegalArgumentException.class, () -> AnswerRules.check(poll, questionId, options))
        .getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "[" + part + "] missing in: " + message);
    }
  }

  @Test
  void check_whenValid_returnsTheOptions() {
    assertEquals(List.of("pied"), AnswerRules.check(poll, "venue", List.of("pied")));
    assertEquals(List.of("jeux", "bio"), AnswerRules.check(poll, "envies", List.of("jeux", "bio")));
    assertEquals(List.of("5"), AnswerRules.check(poll, "horaires", List.of("5")));
    assertEquals(List.of("no"), AnswerRules.check(poll, "dimanche", List.of("no")));
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
}
