// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventDefinition;
import terrain.core.event.LocalizedText;
import terrain.core.event.Rewards;
import terrain.core.event.TicketRules;
import terrain.core.event.Timeouts;
import terrain.core.id.QuestionId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.ticket.SignedTicket;
import terrain.kiosk.testing.TestEvents;
import terrain.store.RecordStore;
import terrain.store.Retention;
import terrain.testkit.MutableClock;

/** A kiosk whose acknowledged records were pruned keeps working as before (decision 0024). */
class KioskRetentionTest {
  private static final Instant START = Instant.parse("2026-05-02T09:30:00Z");

  @TempDir Path dir;

  /** The market test event: 2 briqs a response, at most 3 tickets per device. */
  private static EventDefinition capped() {
    EventDefinition base = TestEvents.market();
    return new EventDefinition(
        base.id(),
        LocalizedText.of("Marché test"),
        base.place(),
        base.date(),
        base.polls(),
        new Rewards(Map.of("response", 2)),
        Timeouts.defaults(),
        new TicketRules(180, 3, TicketRules.GoldenOdds.never()));
  }

  private static ParticipationSession participate(KioskEngine engine, EventDefinition event)
      throws Exception {
    ParticipationSession session = engine.start(event, TestEvents.marketPoll());
    session.answer(QuestionId.of("venue"), List.of("velo"));
    session.complete();
    return session;
  }

  @Test
  void afterAPrune_lastTicketCapCountsAndSeqAreAsBefore() throws Exception {
    EventDefinition event = capped();
    MutableClock clock = new MutableClock(START);
    SignedTicket second;
    long upto;
    try (KioskEngine engine =
        KioskEngine.open(dir, Optional.empty(), clock, new SplittableRandom(3))) {
      participate(engine, event);
      second = participate(engine, event).ticket().orElseThrow();
      upto = engine.lastSeq();
      engine.store().acknowledged(Map.of(engine.deviceId(), upto)); // the hub has them all
    }

    clock.advance(Duration.ofDays(40));
    try (KioskEngine engine =
        KioskEngine.open(dir, Optional.empty(), clock, new SplittableRandom(3))) {
      RecordStore.Pruned pruned = new Retention(engine.store(), 30, clock).runOnce();

      // Key (seq 1) and the last ticket stay; the 2 responses and the first ticket go.
      assertEquals(3, pruned.records());
      assertEquals(1, engine.store().records("", RecordKind.DEVICE_KEY).size());
      assertEquals(Optional.of(second), engine.lastTicket(event.eventId()));
      assertEquals(2, engine.responseCount(event.eventId()));
      assertEquals(0, engine.responsesToday(event.eventId()));
      assertEquals(upto, engine.lastSeq());

      // The cap of 3 counts the pruned ticket: one more ticket, then none.
      ParticipationSession third = participate(engine, event);
      assertTrue(third.ticket().isPresent(), "the third participation earns the third ticket");
      ParticipationSession fourth = participate(engine, event);
      assertEquals(Optional.empty(), fourth.ticket(), "the cap of 3 tickets is reached");
      List<Record> responses = engine.store().records(event.id(), RecordKind.RESPONSE);
      assertEquals(upto + 1, responses.get(0).seq(), "seqs continue, never reused");
      assertEquals(2, engine.responsesToday(event.eventId()));
      assertEquals(4, engine.responseCount(event.eventId()));
      assertEquals(3, engine.pendingCount());
    }
  }
}
