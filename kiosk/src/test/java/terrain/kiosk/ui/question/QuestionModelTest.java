// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.question;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.LocalizedText;
import terrain.core.event.Poll;
import terrain.core.event.Question;
import terrain.core.id.QuestionId;
import terrain.core.record.ResponseBody;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.session.ParticipationSession;
import terrain.kiosk.testing.TestEvents;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.ManualTime;
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
    assertEquals(Optional.of(List.of("voiture")), session.answerTo(QuestionId.of("venue")));
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
    assertEquals(Optional.of(List.of("bio")), session.answerTo(QuestionId.of("envies")));
    tap(envies, "bio");

    assertFalse(envies.isAnswered());
    assertEquals(Optional.empty(), session.answerTo(QuestionId.of("envies")));
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

    assertEquals(Optional.of(List.of("2")), session.answerTo(QuestionId.of("horaires")));
    assertEquals(
        List.of("Pas du tout", "Un peu", "Moyennement", "Beaucoup", "Tout à fait"),
        horaires.choices().stream().map(QuestionModel.Choice::label).toList());
  }

  @Test
  void choices_whenArabic_showTheEventsArabicWordsAndTheKiosksWhereItHasNone() {
    Question scale =
        Question.scale(
            "notes",
            LocalizedText.of("Votre note ?", "Your mark?", "تقييمك؟"),
            Map.of(
                1, LocalizedText.of("Mauvais", "Poor", "سيئ"),
                5, LocalizedText.of("Excellent", "Excellent")));
    Messages arabic = Messages.of(Language.AR);

    QuestionModel model = new QuestionModel(scale, session, Language.AR, arabic, taps);

    assertEquals("تقييمك؟", model.text());
    List<String> labels = model.choices().stream().map(QuestionModel.Choice::label).toList();
    assertEquals("سيئ", labels.get(0));
    assertEquals(arabic.text("scale.3"), labels.get(2));
    assertEquals(arabic.text("scale.5"), labels.get(4), "no Arabic in the event: the kiosk's");
  }

  @Test
  void tap_whenYesNo_choosesOneInTheResidentsLanguage() {
    QuestionModel dimanche = model("dimanche", Language.EN);

    tap(dimanche, "no");

    assertEquals(Optional.of(List.of("no")), session.answerTo(QuestionId.of("dimanche")));
    assertEquals(
        List.of("Yes", "No"),
        dimanche.choices().stream().map(QuestionModel.Choice::label).toList());
  }

  @Test
  void new_whenAlreadyAnswered_showsTheAnswer() {
    session.answer(QuestionId.of("envies"), List.of("halle", "bancs"));

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

  // Ranking, map and text.

  private ParticipationSession newKindsSession() throws Exception {
    return engine.start(
        TestEvents.newKinds(Path.of("plan.png")), TestEvents.newKindsPoll(Path.of("plan.png")));
  }

  private QuestionModel newKind(ParticipationSession s, String questionId, Language language) {
    return new QuestionModel(
        s.poll().question(questionId).orElseThrow(), s, language, Messages.of(language), taps);
  }

  private static List<Integer> ranks(QuestionModel model) {
    return model.choices().stream().map(QuestionModel.Choice::rank).toList();
  }

  @Test
  void tap_whenRanking_numbersInTapOrderAndStoresThatOrder() throws Exception {
    ParticipationSession s = newKindsSession();
    QuestionModel ranking = newKind(s, "priorites", Language.FR);

    tap(ranking, "prix");
    tap(ranking, "proprete");

    assertEquals(List.of(2, 0, 1, 0), ranks(ranking));
    assertEquals(List.of("prix", "proprete"), ranking.selectedIds());
    assertEquals(Optional.of(List.of("prix", "proprete")), s.answerTo(QuestionId.of("priorites")));
    assertEquals(
        "Touchez vos choix dans l'ordre de préférence, jusqu'à 3. Touchez à nouveau pour retirer.",
        ranking.hint());
  }

  @Test
  void tap_whenRankedChoiceTappedAgain_removesItAndTheNextMoveUp() throws Exception {
    ParticipationSession s = newKindsSession();
    QuestionModel ranking = newKind(s, "priorites", Language.FR);
    tap(ranking, "velo");
    tap(ranking, "prix");
    tap(ranking, "ombre");
    assertTrue(ranking.limitReachedProperty().get());
    assertFalse(tap(ranking, "proprete"));

    tap(ranking, "velo");

    assertEquals(List.of(0, 0, 1, 2), ranks(ranking));
    assertEquals(Optional.of(List.of("prix", "ombre")), s.answerTo(QuestionId.of("priorites")));
    assertFalse(ranking.limitReachedProperty().get());
  }

  @Test
  void new_whenRankingAnsweredBefore_showsTheRanksAgain() throws Exception {
    ParticipationSession s = newKindsSession();
    s.answer(QuestionId.of("priorites"), List.of("ombre", "velo"));

    QuestionModel ranking = newKind(s, "priorites", Language.EN);

    assertEquals(List.of(0, 2, 0, 1), ranks(ranking));
  }

  @Test
  void tapMap_whenInAZone_storesThePinAndItsZone() throws Exception {
    ParticipationSession s = newKindsSession();
    QuestionModel map = newKind(s, "lieu", Language.FR);

    time.advance(Duration.ofSeconds(1));
    assertTrue(map.tapMap(120, 340));

    assertEquals(new ResponseBody.Pin(120, 340), map.pin());
    assertEquals(
        Optional.of(
            ResponseBody.Answer.pin("lieu", new ResponseBody.Pin(120, 340), Optional.of("parc"))),
        s.fullAnswerTo(QuestionId.of("lieu")));
    assertEquals(List.of("parc"), map.selectedIds());
    assertEquals("◉ Votre choix : Le parc", map.pinPlaceProperty().get());
    assertTrue(map.isAnswered());
  }

  @Test
  void tapMap_whenTappedElsewhere_movesThePinOutOfTheZone() throws Exception {
    ParticipationSession s = newKindsSession();
    QuestionModel map = newKind(s, "lieu", Language.EN);
    time.advance(Duration.ofSeconds(1));
    map.tapMap(120, 340);

    time.advance(Duration.ofSeconds(1));
    map.tapMap(900, 100);

    assertEquals(
        Optional.of(
            ResponseBody.Answer.pin("lieu", new ResponseBody.Pin(900, 100), Optional.empty())),
        s.fullAnswerTo(QuestionId.of("lieu")));
    assertEquals(List.of(), map.selectedIds());
    assertEquals("◉ Pin placed", map.pinPlaceProperty().get());
  }

  @Test
  void tapMap_whenHammered_countsOneTap() throws Exception {
    ParticipationSession s = newKindsSession();
    QuestionModel map = newKind(s, "lieu", Language.FR);
    time.advance(Duration.ofSeconds(1));

    assertTrue(map.tapMap(100, 100));
    assertFalse(map.tapMap(800, 800));

    assertEquals(new ResponseBody.Pin(100, 100), map.pin());
  }

  @Test
  void tap_whenZonePickedFromTheList_replacesThePin() throws Exception {
    ParticipationSession s = newKindsSession();
    QuestionModel map = newKind(s, "lieu", Language.FR);
    time.advance(Duration.ofSeconds(1));
    map.tapMap(120, 340);

    tap(map, "gare");

    assertEquals(null, map.pin());
    assertEquals(
        Optional.of(new ResponseBody.Answer("lieu", List.of("gare"))),
        s.fullAnswerTo(QuestionId.of("lieu")));
    assertEquals("◉ Votre choix : La gare", map.pinPlaceProperty().get());
  }

  @Test
  void movePin_whenArrowKeys_startsInTheMiddleAndStepsClampedToTheMap() throws Exception {
    ParticipationSession s = newKindsSession();
    QuestionModel map = newKind(s, "lieu", Language.FR);

    map.movePin(1, 0);
    assertEquals(new ResponseBody.Pin(500, 500), map.pin());
    map.movePin(1, 1);
    assertEquals(new ResponseBody.Pin(550, 550), map.pin());
    for (int i = 0; i < 20; i++) {
      map.movePin(1, 0);
    }

    assertEquals(new ResponseBody.Pin(1000, 550), map.pin());
    assertEquals(List.of("gare"), s.answerTo(QuestionId.of("lieu")).orElseThrow());
  }

  @Test
  void keyboard_whenTyping_storesTheTidyTextAndClearsWhenErased() throws Exception {
    ParticipationSession s = newKindsSession();
    QuestionModel text = newKind(s, "mot", Language.FR);

    text.keyboard().type("Super ");
    assertEquals(
        Optional.of(ResponseBody.Answer.text("mot", "Super")),
        s.fullAnswerTo(QuestionId.of("mot")));
    assertTrue(text.isAnswered());
    text.keyboard().clear();

    assertEquals(Optional.empty(), s.fullAnswerTo(QuestionId.of("mot")));
    assertFalse(text.isAnswered());
    assertEquals(
        "Écrivez avec le clavier (10 caractères au plus). Pas de nom ni de téléphone, merci.",
        text.hint());
  }

  @Test
  void keyboard_whenArabic_isTheArabicLayoutAndComesBackWithTheText() throws Exception {
    ParticipationSession s = newKindsSession();
    QuestionModel text = newKind(s, "mot", Language.AR);
    assertEquals(terrain.kiosk.ui.keyboard.KeyboardLayout.ARABIC, text.keyboard().layout());
    text.keyboard().type("شكرا");

    QuestionModel again = newKind(s, "mot", Language.AR);

    assertEquals("شكرا", again.keyboard().text());
    assertTrue(again.isAnswered());
  }

  @Test
  void keyboard_whenMaxLengthReached_saysTheLimitIsReached() throws Exception {
    ParticipationSession s = newKindsSession();
    QuestionModel text = newKind(s, "mot", Language.FR);

    text.keyboard().type("0123456789abc");

    assertEquals(
        "0123456789", s.fullAnswerTo(QuestionId.of("mot")).orElseThrow().text().orElseThrow());
    assertTrue(text.limitReachedProperty().get());
  }
}
