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
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.event.ProfileSettings;
import terrain.core.id.QuestionId;
import terrain.core.record.IdeaBody;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.TicketRecord;

/** A participation with an idea and a profile, committed in one transaction with its ticket. */
class IdeaSessionTest {
  private static final Instant NOW = Instant.parse("2026-11-28T09:30:00Z");
  private static final Path EXAMPLE = Path.of("../examples/events/market-day.yaml");

  @TempDir Path dir;
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  private KioskEngine open() throws Exception {
    return KioskEngine.open(dir, Optional.empty(), clock, new SplittableRandom(7));
  }

  @Test
  void complete_whenIdeaAndProfile_storesResponseIdeaAndOneTicketWithBothRewards()
      throws Exception {
    EventDefinition market = EventLoader.load(EXAMPLE);
    try (KioskEngine engine = open()) {
      ParticipationSession session = engine.start(market, market.defaultPoll());
      session.answer(QuestionId.of("venue"), List.of("velo"));
      IdeaBody idea =
          new IdeaBody(
              market.defaultPoll().id(), "amenagement", "fr", "Des bancs", "À l'ombre des arbres");
      session.idea(Optional.of(idea));
      session.profile(Optional.of("30-44"), Optional.of("chartrons"));

      Record response = session.complete();

      ResponseBody body = ResponseBody.decode(response.body());
      assertEquals(
          List.of(
              new ResponseBody.Answer("venue", List.of("velo")),
              new ResponseBody.Answer(ProfileSettings.AGE_ANSWER, List.of("30-44")),
              new ResponseBody.Answer(ProfileSettings.AREA_ANSWER, List.of("chartrons"))),
          body.answers());
      List<Record> ideas = engine.store().records(market.id(), RecordKind.IDEA);
      assertEquals(1, ideas.size());
      assertEquals(response.seq() + 1, ideas.get(0).seq());
      assertEquals(idea, IdeaBody.decode(ideas.get(0).body()));
      assertEquals(session.ideaRecord().orElseThrow(), ideas.get(0));
      List<Record> tickets = engine.store().records(market.id(), RecordKind.TICKET);
      assertEquals(1, tickets.size());
      assertEquals(response.seq() + 2, tickets.get(0).seq());
      SignedTicket ticket = session.ticket().orElseThrow();
      assertEquals(TicketRecord.decode(tickets.get(0).body()).code(), ticket.code());
      assertEquals(
          market.rewards().briqsFor("response") + market.rewards().briqsFor("idea"),
          ticket.ticket().briqs());
      assertEquals(3, ticket.ticket().briqs());
    }
  }

  @Test
  void complete_whenIdeaAndProfileSkipped_storesOnlyTheResponseAndItsTicket() throws Exception {
    EventDefinition market = EventLoader.load(EXAMPLE);
    try (KioskEngine engine = open()) {
      ParticipationSession session = engine.start(market, market.defaultPoll());
      session.answer(QuestionId.of("dimanche"), List.of("yes"));
      session.idea(Optional.empty());
      session.profile(Optional.empty(), Optional.empty());

      Record response = session.complete();

      assertEquals(
          List.of(new ResponseBody.Answer("dimanche", List.of("yes"))),
          ResponseBody.decode(response.body()).answers());
      assertEquals(List.of(), engine.store().records(market.id(), RecordKind.IDEA));
      assertEquals(2, session.ticket().orElseThrow().ticket().briqs());
      assertEquals(Optional.empty(), session.ideaRecord());
    }
  }

  @Test
  void complete_whenOnlyAnIdea_earnsTheIdeaBriqsOnly() throws Exception {
    EventDefinition market = EventLoader.load(EXAMPLE);
    try (KioskEngine engine = open()) {
      ParticipationSession session = engine.start(market, market.defaultPoll());
      assertFalse(session.canComplete());
      session.idea(Optional.of(new IdeaBody(market.defaultPoll().id(), "", "ar", "", "فكرة")));
      assertTrue(session.canComplete());

      Record response = session.complete();

      assertEquals(List.of(), ResponseBody.decode(response.body()).answers());
      assertEquals(1, engine.store().records(market.id(), RecordKind.IDEA).size());
      SignedTicket ticket = session.ticket().orElseThrow();
      assertEquals(1, ticket.ticket().briqs());
      assertEquals("idea", ticket.ticket().action());
    }
  }

  @Test
  void abandon_whenIdeaAndProfileSet_storesNothing() throws Exception {
    EventDefinition market = EventLoader.load(EXAMPLE);
    try (KioskEngine engine = open()) {
      long before = engine.lastSeq();
      ParticipationSession session = engine.start(market, market.defaultPoll());
      session.answer(QuestionId.of("venue"), List.of("pied"));
      session.idea(Optional.of(new IdeaBody(market.defaultPoll().id(), "", "fr", "T", "x")));
      session.profile(Optional.of("18-29"), Optional.empty());

      session.abandon();

      assertEquals(before, engine.lastSeq());
      assertEquals(List.of(), engine.store().records(market.id(), RecordKind.IDEA));
      assertEquals(List.of(), engine.store().records(market.id(), RecordKind.RESPONSE));
    }
  }

  @Test
  void idea_whenThemeNotInEvent_refuses() throws Exception {
    EventDefinition market = EventLoader.load(EXAMPLE);
    try (KioskEngine engine = open()) {
      ParticipationSession session = engine.start(market, market.defaultPoll());
      IdeaBody wrong = new IdeaBody(market.defaultPoll().id(), "meteo", "fr", "", "x");
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> session.idea(Optional.of(wrong)));
      assertTrue(e.getMessage().contains("meteo"), e.getMessage());
    }
  }

  @Test
  void profile_whenAgeBandUnknownOrNoProfile_refuses() throws Exception {
    EventDefinition market = EventLoader.load(EXAMPLE);
    try (KioskEngine engine = open()) {
      ParticipationSession session = engine.start(market, market.defaultPoll());
      assertThrows(
          IllegalArgumentException.class,
          () -> session.profile(Optional.of("centenaire"), Optional.empty()));
      EventDefinition bare = terrain.kiosk.testing.TestEvents.market();
      ParticipationSession other = engine.start(bare, bare.defaultPoll());
      assertThrows(
          IllegalArgumentException.class,
          () -> other.profile(Optional.of("18-29"), Optional.empty()));
    }
  }
}
