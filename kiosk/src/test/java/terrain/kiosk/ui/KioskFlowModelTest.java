// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import terrain.core.id.QuestionId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.record.ResponseBody.Answer;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.testing.TestEvents;
import terrain.kiosk.ui.KioskFlowModel.Screen;

/** The resident flow without a screen: every command a view would call, time moved by hand. */
class KioskFlowModelTest {
  private static final Duration PAUSE = Duration.ofSeconds(1);

  @TempDir Path dir;
  private final ManualTime time = new ManualTime();
  private KioskEngine engine;
  private KioskFlowModel flow;
  private long pendingAtStart;

  @BeforeEach
  void open() throws Exception {
    engine = KioskEngine.open(dir, Optional.empty(), time, new SplittableRandom(3));
    // The engine may hold records of its own (e.g. its public key) before any resident.
    pendingAtStart = engine.store().pendingCount();
    flow = flow(KioskSettings.withPin("1234"));
  }

  private KioskFlowModel flow(KioskSettings settings) {
    return new KioskFlowModel(
        engine, TestEvents.market(), settings, time, new TapFilter(time, settings.tapWindow()));
  }

  @AfterEach
  void close() {
    engine.close();
  }

  /** A resident's tap, a second after the previous one. */
  private void tap(Runnable command) {
    time.advance(PAUSE);
    flow.touched();
    command.run();
  }

  private List<Record> stored() throws Exception {
    return engine.store().records(TestEvents.EVENT_ID, RecordKind.RESPONSE);
  }

  private void answerEveryQuestion() {
    tap(flow::start);
    tap(() -> flow.chooseLanguage(Language.FR));
    tap(() -> flow.question().tap("velo"));
    tap(flow::next);
    tap(() -> flow.question().tap("bio"));
    tap(() -> flow.question().tap("halle"));
    tap(flow::next);
    tap(() -> flow.question().tap("4"));
    tap(flow::next);
    tap(() -> flow.question().tap("yes"));
  }

  @Test
  void start_whenAttract_showsTheLanguageChoice() {
    assertEquals(Screen.ATTRACT, flow.screen());

    tap(flow::start);

    assertEquals(Screen.LANGUAGE, flow.screen());
    assertTrue(flow.sessionOpen());
  }

  @Test
  void chooseLanguage_whenChosen_showsTheFirstQuestionWithProgress() {
    tap(flow::start);

    tap(() -> flow.chooseLanguage(Language.FR));

    assertEquals(Screen.QUESTION, flow.screen());
    assertEquals(0, flow.questionIndex());
    assertEquals(4, flow.questionCount());
    assertEquals(QuestionId.of("venue"), flow.question().id());
    assertEquals("Comment êtes-vous venu ?", flow.question().text());
  }

  @Test
  void next_whenLastQuestionAnswered_commitsOneRecordAndThanks() throws Exception {
    answerEveryQuestion();

    tap(flow::next);

    assertEquals(Screen.THANK_YOU, flow.screen());
    List<Record> stored = stored();
    assertEquals(1, stored.size());
    assertEquals(
        new ResponseBody(
            "avenir",
            List.of(
                new Answer("venue", List.of("velo")),
                new Answer("envies", List.of("bio", "halle")),
                new Answer("horaires", List.of("4")),
                new Answer("dimanche", List.of("yes")))),
        ResponseBody.decode(stored.get(0).body()));
    assertEquals(Optional.of(stored.get(0)), flow.lastRecord());
    assertTrue(engine.store().pendingCount() > pendingAtStart, "the response is in the outbox");
  }

  @Test
  void next_whenTheStoreCannotSave_saysSoAndKeepsTheAnswers() throws Exception {
    answerEveryQuestion();
    engine.close();

    tap(flow::next);

    assertEquals(Screen.QUESTION, flow.screen());
    assertEquals(
        "Vos réponses n'ont pas pu être enregistrées. Réessayez, ou prévenez l'équipe du stand.",
        flow.problemProperty().get());
    assertEquals(List.of("yes"), flow.question().selectedIds());
    assertTrue(flow.sessionOpen());
  }

  @Test
  void done_whenThanked_startsOverInFrenchAtNormalSize() throws Exception {
    answerEveryQuestion();
    tap(flow::switchTextSize);
    tap(flow::next);

    tap(flow::done);

    assertEquals(Screen.ATTRACT, flow.screen());
    assertEquals(Language.FR, flow.language());
    assertEquals(TextSize.NORMAL, flow.textSize());
    assertNull(flow.question());
    assertFalse(flow.sessionOpen());
    assertEquals(1, stored().size());
  }

  @Test
  void thankYou_whenLeftAlone_startsOverAfterItsTime() {
    answerEveryQuestion();
    tap(flow::next);

    time.advance(Duration.ofSeconds(9));
    assertEquals(Screen.THANK_YOU, flow.screen());
    time.advance(Duration.ofSeconds(1));

    assertEquals(Screen.ATTRACT, flow.screen());
    assertFalse(flow.isStillThereShown());
  }

  @Test
  void next_whenQuestionsSkipped_storesOnlyTheAnswers() throws Exception {
    tap(flow::start);
    tap(() -> flow.chooseLanguage(Language.FR));
    tap(flow::next);
    tap(flow::next);
    tap(() -> flow.question().tap("2"));
    tap(flow::next);

    tap(flow::next);

    assertEquals(Screen.THANK_YOU, flow.screen());
    assertEquals(
        List.of(new Answer("horaires", List.of("2"))),
        ResponseBody.decode(stored().get(0).body()).answers());
  }

  @Test
  void next_whenNothingAnsweredAtAll_storesNothingAndStartsOver() throws Exception {
    tap(flow::start);
    tap(() -> flow.chooseLanguage(Language.FR));
    for (int i = 0; i < 4; i++) {
      tap(flow::next);
    }

    assertEquals(Screen.ATTRACT, flow.screen());
    assertEquals(List.of(), stored());
  }

  @Test
  void back_whenOnSecondQuestion_showsTheFirstWithItsAnswer() {
    tap(flow::start);
    tap(() -> flow.chooseLanguage(Language.FR));
    tap(() -> flow.question().tap("pied"));
    tap(flow::next);

    tap(flow::back);

    assertEquals(0, flow.questionIndex());
    assertEquals(List.of("pied"), flow.question().selectedIds());
    tap(flow::back);
    assertEquals(Screen.LANGUAGE, flow.screen());
  }

  @Test
  void inactivity_whenNoTouch_showsStillThereWithTheCountdown() {
    tap(flow::start);
    tap(() -> flow.chooseLanguage(Language.FR));

    time.advance(Duration.ofSeconds(59));
    assertFalse(flow.isStillThereShown());
    time.advance(Duration.ofSeconds(1));

    assertTrue(flow.isStillThereShown());
    assertEquals(15, flow.secondsLeftProperty().get());
    assertEquals(
        "Vos réponses seront effacées dans 15 s",
        flow.messages().format("still.countdown", flow.secondsLeftProperty().get()));
    time.advance(Duration.ofSeconds(5));
    assertEquals(10, flow.secondsLeftProperty().get());
  }

  @Test
  void inactivity_whenCountdownEnds_dropsTheAnswersAndStartsOver() throws Exception {
    tap(flow::start);
    tap(() -> flow.chooseLanguage(Language.EN));
    tap(() -> flow.question().tap("velo"));
    tap(flow::next);
    tap(() -> flow.question().tap("bio"));

    time.advance(Duration.ofSeconds(60 + 15));

    assertEquals(Screen.ATTRACT, flow.screen());
    assertFalse(flow.isStillThereShown());
    assertEquals(Language.FR, flow.language());
    assertFalse(flow.sessionOpen());
    assertEquals(List.of(), stored());
    assertEquals(pendingAtStart, engine.store().pendingCount());
    assertEquals(0, time.pendingCount());
  }

  @Test
  void inactivity_whenTouchedDuringCountdown_carriesOnWithTheAnswers() throws Exception {
    tap(flow::start);
    tap(() -> flow.chooseLanguage(Language.FR));
    tap(() -> flow.question().tap("velo"));
    time.advance(Duration.ofSeconds(60 + 10));
    assertTrue(flow.isStillThereShown());

    tap(flow::stillHere);
    time.advance(Duration.ofSeconds(30));

    assertFalse(flow.isStillThereShown());
    assertEquals(Screen.QUESTION, flow.screen());
    assertEquals(List.of("velo"), flow.question().selectedIds());
    for (int i = 0; i < 4; i++) {
      tap(flow::next);
    }
    assertEquals(1, stored().size());
  }

  @Test
  void inactivity_whenKeepingPartialAnswers_storesWhatWasAnswered() throws Exception {
    KioskSettings keep =
        new KioskSettings(
            "1234",
            Duration.ofMillis(300),
            Duration.ofSeconds(3),
            Duration.ofSeconds(10),
            KioskSettings.PartialAnswers.KEEP);
    flow = flow(keep);
    tap(flow::start);
    tap(() -> flow.chooseLanguage(Language.FR));
    tap(() -> flow.question().tap("pied"));

    time.advance(Duration.ofSeconds(75));

    assertEquals(Screen.ATTRACT, flow.screen());
    assertEquals(
        List.of(new Answer("venue", List.of("pied"))),
        ResponseBody.decode(stored().get(0).body()).answers());
  }

  @Test
  void inactivity_whenOnAttract_neverAsks() {
    time.advance(Duration.ofHours(2));

    assertEquals(Screen.ATTRACT, flow.screen());
    assertFalse(flow.isStillThereShown());
    assertEquals(0, time.pendingCount());
  }

  @Test
  void next_whenHammered_movesOneQuestion() {
    tap(flow::start);
    tap(() -> flow.chooseLanguage(Language.FR));
    time.advance(PAUSE);

    for (int i = 0; i < 5; i++) {
      flow.next();
      time.advance(Duration.ofMillis(100));
    }

    assertEquals(1, flow.questionIndex());
  }

  @Test
  void start_whenHammered_isOneSession() {
    flow.start();
    flow.start();

    assertEquals(Screen.LANGUAGE, flow.screen());
  }

  @Test
  void chooseLanguage_whenEnglish_showsEnglishTexts() {
    tap(flow::start);

    tap(() -> flow.chooseLanguage(Language.EN));

    assertEquals(Language.EN, flow.language());
    assertFalse(flow.language().rightToLeft());
    assertEquals("Touch to take part", flow.messages().text("attract.call"));
    assertEquals("How did you come?", flow.question().text());
    assertEquals(
        List.of("On foot", "By bike", "By car"),
        flow.question().choices().stream().map(c -> c.label()).toList());
  }

  @Test
  void chooseLanguage_whenArabic_isRightToLeftWithEventTextsInFrench() {
    tap(flow::start);

    tap(() -> flow.chooseLanguage(Language.AR));

    assertTrue(flow.language().rightToLeft());
    assertEquals("السؤال 1 من 4", flow.messages().format("progress", 1, 4));
    assertEquals("Comment êtes-vous venu ?", flow.question().text());
    tap(flow::next);
    tap(flow::next);
    tap(flow::next);
    assertEquals(
        List.of("نعم", "لا"), flow.question().choices().stream().map(c -> c.label()).toList());
  }

  @Test
  void back_whenOnFirstQuestion_letsTheResidentChooseAnotherLanguage() {
    tap(flow::start);
    tap(() -> flow.chooseLanguage(Language.AR));
    tap(() -> flow.question().tap("pied"));
    tap(flow::back);

    tap(() -> flow.chooseLanguage(Language.EN));

    assertEquals(Language.EN, flow.language());
    assertEquals("How did you come?", flow.question().text());
  }

  @Test
  void switchTextSize_whenTapped_cyclesTheSizes() {
    tap(flow::switchTextSize);
    assertEquals(TextSize.LARGE, flow.textSize());
    tap(flow::switchTextSize);
    assertEquals(TextSize.EXTRA_LARGE, flow.textSize());
    tap(flow::switchTextSize);
    assertEquals(TextSize.NORMAL, flow.textSize());
  }
}
