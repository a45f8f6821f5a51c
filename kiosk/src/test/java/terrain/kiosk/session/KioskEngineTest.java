// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventDefinition;
import terrain.core.event.Poll;
import terrain.core.id.EventId;
import terrain.core.id.QuestionId;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.record.ResponseBody.Answer;
import terrain.kiosk.testing.TestEvents;

class KioskEngineTest {
  private static final Instant NOW = Instant.parse("2026-11-28T09:30:00Z");

  @TempDir Path dir;
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final EventDefinition event = TestEvents.market();
  private final Poll poll = TestEvents.marketPoll();

  private KioskEngine open() throws Exception {
    return KioskEngine.open(dir, Optional.empty(), clock, new SplittableRandom(7));
  }

  /** A new kiosk's first record is its development signing key (seq 1), sent to the server. */
  private static final long KEY_RECORDS = 1;

  @Test
  void complete_whenEventRewardsResponses_commitsASignedTicketWithTheResponse() throws Exception {
    EventDefinition market =
        terrain.core.event.EventLoader.load(
            java.nio.file.Path.of("../examples/events/market-day.yaml"));
    try (KioskEngine engine = open()) {
      ParticipationSession session = engine.start(market, market.defaultPoll());
      session.answer(market.defaultPoll().questions().get(0).questionId(), List.of("pied"));

      Record response = session.complete();

      terrain.core.ticket.SignedTicket ticket = session.ticket().orElseThrow();
      assertTrue(terrain.core.ticket.TicketCodec.verify(ticket, engine.publicKey()));
      assertEquals(response.seq(), ticket.ticket().serial());
      assertEquals(market.rewards().briqsFor("response"), ticket.ticket().briqs());
      List<Record> tickets = engine.store().records(market.id(), RecordKind.TICKET);
      assertEquals(1, tickets.size());
      assertEquals(response.seq() + 1, tickets.get(0).seq());
      assertEquals(
          ticket.code(), terrain.core.ticket.TicketRecord.decode(tickets.get(0).body()).code());
    }
  }

  /**
   * The kiosk applies the hub's and the server's record rules before it commits (decision 0016): a
   * participation they would quarantine (here U+0000 in a text, which a bug could let in) is not
   * committed, earns no ticket, and the error says why, so the resident is never thanked for it.
   */
  @Test
  void commitResponse_whenBodyBreaksTheRecordRules_commitsNothingAndSaysWhy() throws Exception {
    EventDefinition market =
        terrain.core.event.EventLoader.load(
            java.nio.file.Path.of("../examples/events/market-day.yaml"));
    try (KioskEngine engine = open()) {
      long before = engine.lastSeq();
      ResponseBody bad =
          new ResponseBody(
              market.defaultPoll().id(), List.of(Answer.text("q-idea", "bonjour\u0000")));

      terrain.store.StoreException refused =
          assertThrows(
              terrain.store.StoreException.class, () -> engine.commitResponse(market, bad));

      assertTrue(refused.getMessage().contains("U+0000"), refused.getMessage());
      assertTrue(refused.getMessage().contains("not saved"), refused.getMessage());
      assertEquals(before, engine.lastSeq());
      assertEquals(List.of(), engine.store().records(market.id(), RecordKind.TICKET));
    }
  }

  @Test
  void open_whenNew_queuesItsPublicKeyOnceAsTheFirstRecord() throws Exception {
    DeviceId id;
    try (KioskEngine engine = open()) {
      id = engine.deviceId();
      List<Record> pending = engine.store().pending(java.util.Map.of(), 10);
      assertEquals(1, pending.size());
      assertEquals(RecordKind.DEVICE_KEY, pending.get(0).kind());
      assertEquals(1, pending.get(0).seq());
      assertEquals(
          terrain.core.ticket.DeviceKeys.rawPublicKey(engine.publicKey()).length,
          pending.get(0).body().length);
      assertTrue(
          java.util.Arrays.equals(
              terrain.core.ticket.DeviceKeys.rawPublicKey(engine.publicKey()),
              pending.get(0).body()));
    }
    try (KioskEngine engine =
        KioskEngine.open(dir, Optional.of(id), clock, new SplittableRandom(5))) {
      assertEquals(KEY_RECORDS, engine.store().pendingCount(), "the key is not sent twice");
    }
  }

  @Test
  void complete_whenEveryQuestionAnswered_commitsOneRecordAndItsOutboxEntry() throws Exception {
    try (KioskEngine engine = open()) {
      ParticipationSession session = engine.start(event, poll);
      session.answer(QuestionId.of("venue"), List.of("velo"));
      session.answer(QuestionId.of("envies"), List.of("halle", "bio"));
      session.answer(QuestionId.of("horaires"), List.of("4"));
      session.answer(QuestionId.of("dimanche"), List.of("yes"));

      Record record = session.complete();

      assertEquals(ParticipationSession.State.COMPLETED, session.state());
      assertEquals(engine.deviceId(), record.device());
      assertEquals(KEY_RECORDS + 1, record.seq());
      assertEquals(RecordKind.RESPONSE, record.kind());
      assertEquals(TestEvents.EVENT_ID, record.eventId());
      assertEquals(NOW.toEpochMilli(), record.deviceTime());
      List<Record> stored = engine.store().records(TestEvents.EVENT_ID, RecordKind.RESPONSE);
      assertEquals(List.of(record), stored);
      assertEquals(
          new ResponseBody(
              "avenir",
              List.of(
                  new Answer("venue", List.of("velo")),
                  new Answer("envies", List.of("halle", "bio")),
                  new Answer("horaires", List.of("4")),
                  new Answer("dimanche", List.of("yes")))),
          ResponseBody.decode(stored.get(0).body()));
      assertEquals(KEY_RECORDS + 1, engine.store().pendingCount());
    }
  }

  @Test
  void complete_whenQuestionsSkipped_storesOnlyTheAnswersInPollOrder() throws Exception {
    try (KioskEngine engine = open()) {
      ParticipationSession session = engine.start(event, poll);
      session.answer(QuestionId.of("dimanche"), List.of("no"));
      session.answer(QuestionId.of("venue"), List.of("pied"));

      Record record = session.complete();

      assertEquals(
          List.of(new Answer("venue", List.of("pied")), new Answer("dimanche", List.of("no"))),
          ResponseBody.decode(record.body()).answers());
    }
  }

  @Test
  void answer_whenAnsweredAgain_replacesThePreviousAnswer() throws Exception {
    try (KioskEngine engine = open()) {
      ParticipationSession session = engine.start(event, poll);
      session.answer(QuestionId.of("venue"), List.of("pied"));
      session.answer(QuestionId.of("venue"), List.of("voiture"));

      Record record = session.complete();

      assertEquals(
          List.of(new Answer("venue", List.of("voiture"))),
          ResponseBody.decode(record.body()).answers());
    }
  }

  @Test
  void answer_whenInvalid_throwsAndKeepsThePreviousAnswer() throws Exception {
    try (KioskEngine engine = open()) {
      ParticipationSession session = engine.start(event, poll);
      session.answer(QuestionId.of("envies"), List.of("bio"));

      assertThrows(
          IllegalArgumentException.class,
          () -> session.answer(QuestionId.of("envies"), List.of("bio", "halle", "jeux")));
      assertThrows(
          IllegalArgumentException.class,
          () -> session.answer(QuestionId.of("nope"), List.of("bio")));

      assertEquals(Optional.of(List.of("bio")), session.answerTo(QuestionId.of("envies")));
    }
  }

  @Test
  void clear_whenAnswered_forgetsTheAnswer() throws Exception {
    try (KioskEngine engine = open()) {
      ParticipationSession session = engine.start(event, poll);
      session.answer(QuestionId.of("venue"), List.of("pied"));

      session.clear(QuestionId.of("venue"));

      assertEquals(Optional.empty(), session.answerTo(QuestionId.of("venue")));
      assertFalse(session.canComplete());
    }
  }

  @Test
  void abandon_whenAnswered_storesNothing() throws Exception {
    try (KioskEngine engine = open()) {
      ParticipationSession session = engine.start(event, poll);
      session.answer(QuestionId.of("venue"), List.of("pied"));

      session.abandon();

      assertEquals(ParticipationSession.State.ABANDONED, session.state());
      assertEquals(List.of(), engine.store().records(TestEvents.EVENT_ID, RecordKind.RESPONSE));
      assertEquals(KEY_RECORDS, engine.store().pendingCount());
      assertEquals(KEY_RECORDS, engine.lastSeq());
    }
  }

  @Test
  void complete_whenNoAnswer_throwsAndStoresNothing() throws Exception {
    try (KioskEngine engine = open()) {
      ParticipationSession session = engine.start(event, poll);

      IllegalStateException e = assertThrows(IllegalStateException.class, session::complete);

      assertTrue(e.getMessage().contains("at least one answer"), e.getMessage());
      assertEquals(ParticipationSession.State.OPEN, session.state());
      assertEquals(KEY_RECORDS, engine.store().pendingCount());
    }
  }

  @Test
  void complete_whenAlreadyCompletedOrAbandoned_throws() throws Exception {
    try (KioskEngine engine = open()) {
      ParticipationSession done = engine.start(event, poll);
      done.answer(QuestionId.of("venue"), List.of("pied"));
      done.complete();
      ParticipationSession dropped = engine.start(event, poll);
      dropped.answer(QuestionId.of("venue"), List.of("pied"));
      dropped.abandon();

      assertThrows(IllegalStateException.class, done::complete);
      assertThrows(IllegalStateException.class, done::abandon);
      assertThrows(
          IllegalStateException.class, () -> done.answer(QuestionId.of("venue"), List.of("velo")));
      assertThrows(IllegalStateException.class, dropped::complete);
      assertThrows(IllegalStateException.class, dropped::abandon);
      assertEquals(KEY_RECORDS + 1, engine.store().pendingCount());
    }
  }

  @Test
  void complete_whenCommitted_callsTheCommitListenersWithTheRecord() throws Exception {
    try (KioskEngine engine = open()) {
      List<Record> heard = new ArrayList<>();
      engine.addCommitListener(heard::add);
      engine.addCommitListener(
          record -> {
            throw new IllegalStateException("a broken listener");
          });
      ParticipationSession session = engine.start(event, poll);
      session.answer(QuestionId.of("venue"), List.of("pied"));

      Record record = session.complete();

      assertEquals(List.of(record), heard);
    }
  }

  @Test
  void start_whenPollNotInEvent_throws() throws Exception {
    Poll other = new Poll("autre", poll.title(), poll.questions());
    try (KioskEngine engine = open()) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> engine.start(event, other));
      assertTrue(e.getMessage().contains("[autre]"), e.getMessage());
    }
  }

  @Test
  void open_whenReopened_keepsTheDeviceIdAndContinuesTheSeq() throws Exception {
    DeviceId first;
    try (KioskEngine engine = open()) {
      first = engine.deviceId();
      for (int i = 0; i < 3; i++) {
        completeOne(engine);
      }
    }
    try (KioskEngine engine =
        KioskEngine.open(dir, Optional.empty(), clock, new SplittableRandom(99))) {
      assertEquals(first, engine.deviceId());
      assertEquals(KEY_RECORDS + 3, engine.lastSeq());

      Record fourth = completeOne(engine);

      assertEquals(KEY_RECORDS + 4, fourth.seq());
      assertEquals(KEY_RECORDS + 4, engine.store().pendingCount());
      assertEquals(4, engine.responseCount(EventId.of(TestEvents.EVENT_ID)));
    }
  }

  @Test
  void open_whenFirstStart_makesAKioskId() throws Exception {
    try (KioskEngine engine = open()) {
      assertTrue(engine.deviceId().value().matches("kiosk-[a-z0-9]{6}"), engine.deviceId().value());
    }
  }

  @Test
  void open_whenIdGivenOnFirstStart_keepsThatId() throws Exception {
    DeviceId wanted = DeviceId.of("kiosk-stand-3");
    try (KioskEngine engine =
        KioskEngine.open(dir, Optional.of(wanted), clock, new SplittableRandom(1))) {
      assertEquals(wanted, engine.deviceId());
    }
    try (KioskEngine engine = open()) {
      assertEquals(wanted, engine.deviceId());
    }
  }

  @Test
  void open_whenIdGivenDiffersFromTheFolders_throwsNamingBoth() throws Exception {
    DeviceId kept;
    try (KioskEngine engine = open()) {
      kept = engine.deviceId();
    }

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                KioskEngine.open(
                    dir, Optional.of(DeviceId.of("kiosk-other")), clock, new SplittableRandom(1)));

    assertTrue(e.getMessage().contains("kiosk-other"), e.getMessage());
    assertTrue(e.getMessage().contains(kept.value()), e.getMessage());
    try (KioskEngine engine = open()) {
      assertEquals(kept, engine.deviceId());
    }
  }

  @Test
  void start_whenClosed_throws() throws Exception {
    KioskEngine engine = open();
    engine.close();

    assertThrows(IllegalStateException.class, () -> engine.start(event, poll));
  }

  private Record completeOne(KioskEngine engine) throws Exception {
    ParticipationSession session = engine.start(event, poll);
    session.answer(QuestionId.of("dimanche"), List.of("yes"));
    return session.complete();
  }

  @Test
  void open_whenOldFolderKeepsTheKeyInTheTable_movesItToTheTrustFileOnce() throws Exception {
    terrain.core.ticket.DeviceKeys old =
        terrain.core.ticket.DeviceKeys.generate(new java.security.SecureRandom());
    DeviceId id;
    try (KioskEngine engine = open()) {
      id = engine.deviceId();
      // As an older version kept it: in the settings table, no file.
      engine
          .store()
          .setSetting(
              KioskEngine.DEVICE_KEY_SETTING,
              java.util.Base64.getEncoder().encodeToString(old.privateKeyPkcs8()));
    }
    java.nio.file.Files.delete(dir.resolve("trust/device-ed25519.pk8"));

    try (KioskEngine engine = open()) {
      assertEquals(id, engine.deviceId());
      assertEquals(old.publicKey(), engine.publicKey());
      assertEquals(Optional.empty(), engine.store().setting(KioskEngine.DEVICE_KEY_SETTING));
    }
    Path file = dir.resolve("trust/device-ed25519.pk8");
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            java.nio.file.Files.getPosixFilePermissions(file)));
    try (KioskEngine engine = open()) {
      assertEquals(old.publicKey(), engine.publicKey(), "read from the file from now on");
      assertEquals(KEY_RECORDS, engine.store().pendingCount(), "the key is not sent twice");
    }
  }

  @Test
  void open_whenNew_keepsTheKeyInAnOwnerOnlyFileNotInTheDatabase() throws Exception {
    try (KioskEngine engine = open()) {
      assertEquals(Optional.empty(), engine.store().setting(KioskEngine.DEVICE_KEY_SETTING));
      assertEquals(
          engine.publicKey(),
          terrain.kiosk.trust.DeviceTrust.readKey(dir).orElseThrow().publicKey());
    }
  }
}
