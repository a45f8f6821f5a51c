// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.event.ProfileSettings;
import terrain.core.record.IdeaBody;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.record.ResponseBody.Answer;
import terrain.core.ticket.TicketCodec;
import terrain.core.ticket.TicketRecord;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.testing.TestEvents;
import terrain.kiosk.ui.KioskFlowModel.Screen;
import terrain.kiosk.ui.idea.IdeaModel;
import terrain.kiosk.ui.keyboard.Keys;

/** The idea and "who are you" screens in the resident flow, without a screen. */
class IdeaFlowModelTest {
  private static final Duration PAUSE = Duration.ofSeconds(1);
  private static final Path EXAMPLE = Path.of("../examples/events/market-day.yaml");

  @TempDir Path dir;
  private final ManualTime time = new ManualTime();
  private EventDefinition market;
  private KioskEngine engine;
  private KioskFlowModel flow;

  @BeforeEach
  void open() throws Exception {
    market = EventLoader.load(EXAMPLE);
    engine = KioskEngine.open(dir, Optional.empty(), time, new SplittableRandom(3));
    flow = flow(market, KioskSettings.withPin("1234"));
  }

  private KioskFlowModel flow(EventDefinition event, KioskSettings settings) {
    return new KioskFlowModel(
        engine, event, settings, time, new TapFilter(time, settings.tapWindow()));
  }

  @AfterEach
  void close() {
    engine.close();
  }

  private void tap(Runnable command) {
    time.advance(PAUSE);
    flow.touched();
    command.run();
  }

  private List<Record> stored(RecordKind kind) throws Exception {
    return engine.store().records(market.id(), kind);
  }

  /** Start, French, answer the first question, skip to the end of the questions. */
  private void answerAndReachTheIdea() {
    tap(flow::start);
    tap(() -> flow.chooseLanguage(Language.FR));
    tap(() -> flow.question().tap("tram-bus"));
    for (int i = 0; i < flow.questionCount(); i++) {
      tap(flow::next);
    }
  }

  private void typeEach(String letters) {
    IdeaModel idea = flow.idea();
    letters.codePoints().forEach(c -> Keys.press(idea.keyboard(), c));
  }

  @Test
  void flow_whenIdeaAndProfileGiven_commitsResponseIdeaAndOneTicketOfBothRewards()
      throws Exception {
    answerAndReachTheIdea();
    assertEquals(Screen.IDEA, flow.screen());
    assertNull(flow.question());
    typeEach("des bancs");
    flow.idea().focus(IdeaModel.Field.TEXT);
    typeEach("a l'ombre");
    tap(() -> flow.idea().themes().tap("amenagement"));
    tap(flow::sendIdea);
    assertEquals(Screen.PROFILE, flow.screen());
    tap(() -> flow.profile().ages().tap("60-74"));
    tap(() -> flow.profile().areas().tap("bastide"));

    tap(flow::finishProfile);

    assertEquals(Screen.THANK_YOU, flow.screen());
    List<Record> responses = stored(RecordKind.RESPONSE);
    assertEquals(1, responses.size());
    assertEquals(
        List.of(
            new Answer("venue", List.of("tram-bus")),
            new Answer(ProfileSettings.AGE_ANSWER, List.of("60-74")),
            new Answer(ProfileSettings.AREA_ANSWER, List.of("bastide"))),
        ResponseBody.decode(responses.get(0).body()).answers());
    List<Record> ideas = stored(RecordKind.IDEA);
    assertEquals(1, ideas.size());
    assertEquals(
        new IdeaBody("avenir-du-marche", "amenagement", "fr", "Des bancs", "A l'ombre"),
        IdeaBody.decode(ideas.get(0).body()));
    List<Record> tickets = stored(RecordKind.TICKET);
    assertEquals(1, tickets.size());
    assertEquals(
        3, TicketCodec.parse(TicketRecord.decode(tickets.get(0).body()).code()).ticket().briqs());
    assertNull(flow.idea(), "nothing of the resident stays on the thank-you screen");
    assertNull(flow.profile());
  }

  @Test
  void flow_whenIdeaAndProfileSkipped_commitsOnlyTheResponseWithTheResponseBriqs()
      throws Exception {
    answerAndReachTheIdea();
    typeEach("je change d'avis");
    tap(flow::skipIdea);
    tap(() -> flow.profile().ages().tap("18-29"));
    tap(flow::skipProfile);

    assertEquals(Screen.THANK_YOU, flow.screen());
    assertEquals(
        List.of(new Answer("venue", List.of("tram-bus"))),
        ResponseBody.decode(stored(RecordKind.RESPONSE).get(0).body()).answers());
    assertEquals(List.of(), stored(RecordKind.IDEA));
    Record ticket = stored(RecordKind.TICKET).get(0);
    assertEquals(2, TicketCodec.parse(TicketRecord.decode(ticket.body()).code()).ticket().briqs());
  }

  @Test
  void sendIdea_whenNothingTyped_staysOnTheIdeaScreen() {
    answerAndReachTheIdea();
    tap(flow::sendIdea);
    assertEquals(Screen.IDEA, flow.screen());
  }

  @Test
  void inactivity_whenResidentWalksAwayOnTheIdeaScreen_storesNothing() throws Exception {
    long before = engine.lastSeq();
    answerAndReachTheIdea();
    typeEach("une idée");

    time.advance(market.timeouts().inactivity().plusSeconds(1));
    assertTrue(flow.isStillThereShown());
    time.advance(market.timeouts().countdown().plusSeconds(1));

    assertEquals(Screen.ATTRACT, flow.screen());
    assertEquals(before, engine.lastSeq());
    assertNull(flow.idea());
  }

  @Test
  void inactivity_whenWalkingAwayOnTheProfileScreenAndKeeping_storesAnswersAndSentIdea()
      throws Exception {
    KioskSettings keep =
        new KioskSettings(
            "1234",
            Duration.ofMillis(300),
            Duration.ofSeconds(3),
            Duration.ofSeconds(10),
            KioskSettings.PartialAnswers.KEEP);
    flow = flow(market, keep);
    answerAndReachTheIdea();
    typeEach("plus de vélos");
    tap(flow::sendIdea);
    tap(() -> flow.profile().ages().tap("18-29"));

    time.advance(market.timeouts().inactivity().plus(market.timeouts().countdown()).plusSeconds(2));

    assertEquals(Screen.ATTRACT, flow.screen());
    assertEquals(1, stored(RecordKind.RESPONSE).size());
    assertEquals(
        List.of(new Answer("venue", List.of("tram-bus"))),
        ResponseBody.decode(stored(RecordKind.RESPONSE).get(0).body()).answers(),
        "a profile not confirmed is not kept");
    assertEquals(1, stored(RecordKind.IDEA).size());
  }

  @Test
  void back_whenOnProfileThenIdea_returnsScreenByScreenKeepingWhatWasTyped() {
    answerAndReachTheIdea();
    typeEach("un kiosque");
    tap(flow::sendIdea);
    assertEquals(Screen.PROFILE, flow.screen());

    tap(flow::back);
    assertEquals(Screen.IDEA, flow.screen());
    assertEquals("Un kiosque", flow.idea().titleProperty().get());
    tap(flow::back);
    assertEquals(Screen.QUESTION, flow.screen());
    assertEquals(flow.questionCount() - 1, flow.questionIndex());
    tap(flow::next);
    assertEquals(Screen.IDEA, flow.screen());
  }

  @Test
  void nextResident_afterAnIdea_findsEmptyIdeaAndProfileScreens() {
    answerAndReachTheIdea();
    typeEach("secret");
    tap(() -> flow.idea().themes().tap("commerces"));
    tap(flow::sendIdea);
    tap(() -> flow.profile().ages().tap("30-44"));
    tap(flow::finishProfile);
    tap(flow::done);

    answerAndReachTheIdea();

    assertEquals("", flow.idea().titleProperty().get());
    assertEquals(Optional.empty(), flow.idea().themes().selected());
    tap(flow::skipIdea);
    assertEquals(Optional.empty(), flow.profile().ageBand());
  }

  @Test
  void flow_whenEventHasNoIdeaNorProfile_endsAfterTheQuestions() throws Exception {
    flow = flow(TestEvents.market(), KioskSettings.withPin("1234"));
    tap(flow::start);
    tap(() -> flow.chooseLanguage(Language.FR));
    assertNull(flow.idea());
    tap(() -> flow.question().tap("pied"));
    for (int i = 0; i < flow.questionCount(); i++) {
      tap(flow::next);
    }
    assertEquals(Screen.THANK_YOU, flow.screen());
  }

  @Test
  void flow_whenOnlyProfile_goesFromQuestionsToProfileAndBack() {
    flow =
        flow(
            market.withScreens(terrain.core.event.IdeaSettings.disabled(), market.profile()),
            KioskSettings.withPin("1234"));
    answerAndReachTheIdea();
    assertEquals(Screen.PROFILE, flow.screen());
    tap(flow::back);
    assertEquals(Screen.QUESTION, flow.screen());
  }

  @Test
  void flow_whenNoAnswerButAnIdea_commitsTheIdea() throws Exception {
    tap(flow::start);
    tap(() -> flow.chooseLanguage(Language.EN));
    for (int i = 0; i < flow.questionCount(); i++) {
      tap(flow::next);
    }
    typeEach("more trees");
    tap(flow::sendIdea);
    tap(flow::skipProfile);

    assertEquals(Screen.THANK_YOU, flow.screen());
    assertEquals(1, stored(RecordKind.IDEA).size());
    assertEquals("en", IdeaBody.decode(stored(RecordKind.IDEA).get(0).body()).language());
  }

  @Test
  void flow_whenNoAnswerAndNoIdea_storesNothing() throws Exception {
    long before = engine.lastSeq();
    tap(flow::start);
    tap(() -> flow.chooseLanguage(Language.FR));
    for (int i = 0; i < flow.questionCount(); i++) {
      tap(flow::next);
    }
    tap(flow::skipIdea);
    tap(() -> flow.profile().ages().tap("30-44"));
    tap(flow::finishProfile);

    assertEquals(Screen.ATTRACT, flow.screen());
    assertEquals(before, engine.lastSeq());
  }
}
