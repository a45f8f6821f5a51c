// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.question;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.Poll;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.session.ParticipationSession;
import terrain.kiosk.testing.ManualTime;
import terrain.kiosk.testing.TestEvents;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.TapFilter;

class QuestionModelTest {
  @TempDir Path dir;
  private final ManualTime time = new ManualTime();
  private final TapFilter taps = new TapFilter(time, Duration.ofMillis(300));
  private final Poll poll = TestEvents.marketPoll();
  private KioskEngine engine;
  private ParticipationSession session;

  @BeforeEach
  void open() throws Exception {
    engine = KioskEngine.open(dir, Optional.empty(), time, new SplittableRandom(5));
    session = engine.start(TestEvents.market(), poll);
  }

  @AfterEach
  void close() {
    engine.close();
  }

  private QuestionModel model(String questionId, Language language) {
    return new QuestionModel(
        poll.question(questionId).orElseThrow(), session, language, Messages.of(language), taps);
  }

  private boolean tap(QuestionModel model, String optionId) {
    time.advance(Duration.ofSeconds(1));
    return model.tap(optionId);
  }

  @Test
  void tap_whenSingle_replacesTheChoice() {
    QuestionModel venue = model("venue", Language.FR);

    tap(venue, "pied");
    tap(venue, "voiture");

    assertEquals(List.of("voiture"), venue.selectedIds());
    assertEquals(Optional.of(List.of("voiture")), session.answerTo("venue"));
    assertTrue(venue.isAnswered());
    assertEquals("Une seule réponse", venue.hint());
  }

  @Test
  void tap_whenSingleTappedAgain_staysChosen() {
    QuestionModel venue = model("venue", Language.FR);
    tap(venue, "pied");

    assertFalse(tap(venue, "pied"));

    assertEquals(List.of("pied"), venue.selectedIds());
  }

  @Test
  void tap_whenMultipleAtItsLimit_ignoresAThirdChoiceAndSaysWhy() {
    QuestionModel envies = model("envies", Language.FR);
    tap(envies, "bio");
    tap(envies, "jeux");

    assertFalse(tap(envies, "halle"));

    assertEquals(List.of("bio", "jeux"), envies.selectedIds());
    assertTrue(envies.limitReachedProperty().get());
    assertEquals(
        List.of(true, false, false, true),
        envies.choices().stream().map(c -> c.availableProperty().get()).toList());
    assertEquals("Jusqu'à 2 réponses", envies.hint());
  }

  @Test
  void tap_whenMultipleUnticked_freesTheLimitAndClearsAnEmptyAnswer() {
    QuestionModel envies = model("envies", Language.FR);
    tap(envies, "bio");
    tap(envies, "jeux");

    tap(envies, "jeux");
    assertFalse(envies.limitReachedProperty().get());
    assertEquals(Optional.of(List.of("bio")), session.answerTo("envies"));
    tap(envies, "bio");

    assertFalse(envies.isAnswered());
    assertEquals(Optional.empty(), session.answerTo("envies"));
  }

  @Test
  void tap_whenMultipleTappedTwiceQuickly_countsOnce() {
    QuestionModel envies = model("envies", Language.FR);
    tap(envies, "bio");

    time.advance(Duration.ofMillis(100));
    assertFalse(envies.tap("bio"));

    assertEquals(List.of("bio"), envies.selectedIds());
  }

  @Test
  void tap_whenScale_choosesOnePointWithWordsBesideTheNumbers() {
    QuestionModel horaires = model("horaires", Language.FR);

    tap(horaires, "5");
    tap(horaires, "2");

    assertEquals(Optional.of(List.of("2")), session.answerTo("horaires"));
    assertEquals(
        List.of("Pas du tout", "Un peu", "Moyennement", "Beaucoup", "Tout à fait"),
        horaires.choices().stream().map(QuestionModel.Choice::label).toList());
  }

  @Test
  void tap_whenYesNo_choosesOneInTheResidentsLanguage() {
    QuestionModel dimanche = model("dimanche", Language.EN);

    tap(dimanche, "no");

    assertEquals(Optional.of(List.of("no")), session.answerTo("dimanche"));
    assertEquals(
        List.of("Yes", "No"),
        dimanche.choices().stream().map(QuestionModel.Choice::label).toList());
  }

  @Test
  void new_whenAlreadyAnswered_showsTheAnswer() {
    session.answer("envies", List.of("halle", "bancs"));

    QuestionModel envies = model("envies", Language.FR);

    assertEquals(List.of("halle", "bancs"), envies.selectedIds());
    assertTrue(envies.limitReachedProperty().get());
  }

  @Test
  void tap_whenUnknownOption_throwsNamingIt() {
    QuestionModel venue = model("venue", Language.FR);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> venue.tap("tram"));

    assertTrue(e.getMessage().contains("[tram]"), e.getMessage());
  }
}
