// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.event.TicketRules;
import terrain.core.event.TicketRules.GoldenOdds;
import terrain.core.record.DeviceId;
import terrain.core.ticket.IssuingRules.Issued;
import terrain.core.ticket.IssuingRules.NotIssued;
import terrain.core.ticket.IssuingRules.Why;

class IssuingRulesTest {

  private static final Path EXAMPLE = Path.of("../examples/events/market-day.yaml");
  private static final DeviceId KIOSK = DeviceId.of("kiosk-01");
  private static final Instant NOW = Instant.parse("2026-11-28T10:15:42Z");

  @Test
  void issue_whenResponseAtMarketDay_givesTwoBriqsValidSixMonths() throws Exception {
    IssuingRules rules = new IssuingRules(EventLoader.load(EXAMPLE));

    Issued issued =
        assertInstanceOf(Issued.class, rules.issue(TestKeys.kiosk(), KIOSK, 7, 6, "response", NOW));

    Ticket ticket = issued.ticket();
    assertEquals("marche-2026-11-28", ticket.eventId().value());
    assertEquals(2, ticket.briqs());
    assertEquals(7, ticket.serial());
    assertEquals(
        Instant.parse("2026-11-28T10:15:00Z").getEpochSecond(), ticket.issuedAtEpochSecond());
    assertEquals(180, ticket.validityDays());
  }

  @Test
  void issue_whenResponseAndIdea_oneTicketWithTheSumOfBriqs() throws Exception {
    IssuingRules rules = new IssuingRules(EventLoader.load(EXAMPLE));

    Issued issued =
        assertInstanceOf(
            Issued.class,
            rules.issue(TestKeys.kiosk(), KIOSK, 9, 0, java.util.List.of("response", "idea"), NOW));

    assertEquals(3, issued.ticket().briqs());
    assertEquals("response", issued.ticket().action());
  }

  @Test
  void issue_whenOnlyIdeaGivesBriqs_actionIsIdea() throws Exception {
    IssuingRules rules = new IssuingRules(EventLoader.load(EXAMPLE));

    Issued issued =
        assertInstanceOf(
            Issued.class,
            rules.issue(
                TestKeys.kiosk(), KIOSK, 9, 0, java.util.List.of("attendance", "idea"), NOW));

    assertEquals(1, issued.ticket().briqs());
    assertEquals("idea", issued.ticket().action());
  }

  @Test
  void issue_whenActionGivesNoBriq_issuesNothing() throws Exception {
    IssuingRules rules = new IssuingRules(EventLoader.load(EXAMPLE));

    NotIssued not =
        assertInstanceOf(
            NotIssued.class, rules.issue(TestKeys.kiosk(), KIOSK, 1, 0, "attendance", NOW));

    assertEquals(Why.NO_REWARD, not.why());
  }

  @Test
  void issue_whenCapReached_issuesNothing() throws Exception {
    IssuingRules rules = new IssuingRules(EventLoader.load(EXAMPLE));

    NotIssued not =
        assertInstanceOf(
            NotIssued.class, rules.issue(TestKeys.kiosk(), KIOSK, 501, 500, "response", NOW));

    assertEquals(Why.CAP_REACHED, not.why());
    assertEquals(
        "device kiosk-01 has issued 500 tickets for event marche-2026-11-28, its cap of 500",
        not.message());
  }

  @Test
  void issue_whenSameSerialTwice_drawsTheSame() throws Exception {
    IssuingRules rules = new IssuingRules(withOdds(new GoldenOdds(1, 2)));
    for (long serial = 1; serial <= 50; serial++) {
      Issued first = (Issued) rules.issue(TestKeys.kiosk(), KIOSK, serial, 0, "response", NOW);
      Issued again =
          (Issued) rules.issue(TestKeys.kiosk(), KIOSK, serial, 0, "response", NOW.plusSeconds(99));
      assertEquals(first.ticket().golden(), again.ticket().golden());
    }
  }

  @Test
  void issue_whenOddsOneInFour_drawsAboutAQuarterAndEachDrawVerifies() throws Exception {
    GoldenOdds odds = new GoldenOdds(1, 4);
    IssuingRules rules = new IssuingRules(withOdds(odds));
    DeviceKeys keys = TestKeys.kiosk();
    int golden = 0;
    for (long serial = 1; serial <= 2000; serial++) {
      Issued issued = (Issued) rules.issue(keys, KIOSK, serial, 0, "response", NOW);
      assertEquals(
          issued.ticket().golden(),
          IssuingRules.verifyGolden(keys.publicKey(), KIOSK, serial, odds, issued.goldenProof()));
      golden += issued.ticket().golden() ? 1 : 0;
    }
    // Binomial(2000, 1/4): mean 500, standard deviation 19.4; a deterministic result here.
    assertTrue(golden > 400 && golden < 600, "golden tickets: " + golden);
  }

  @Test
  void verifyGolden_whenProofFromOtherSerial_returnsFalse() throws Exception {
    GoldenOdds always = new GoldenOdds(1, 1);
    IssuingRules rules = new IssuingRules(withOdds(always));
    Issued issued = (Issued) rules.issue(TestKeys.kiosk(), KIOSK, 1, 0, "response", NOW);

    assertTrue(issued.ticket().golden());
    assertFalse(
        IssuingRules.verifyGolden(
            TestKeys.kiosk().publicKey(), KIOSK, 2, always, issued.goldenProof()));
  }

  @Test
  void issue_whenNoOdds_neverGolden() throws Exception {
    IssuingRules rules = new IssuingRules(withOdds(GoldenOdds.never()));
    for (long serial = 1; serial <= 100; serial++) {
      assertFalse(
          ((Issued) rules.issue(TestKeys.kiosk(), KIOSK, serial, 0, "response", NOW))
              .ticket()
              .golden());
    }
  }

  private static EventDefinition withOdds(GoldenOdds odds) throws Exception {
    EventDefinition e = EventLoader.load(EXAMPLE);
    return new EventDefinition(
        e.id(),
        e.title(),
        e.place(),
        e.date(),
        e.polls(),
        e.rewards(),
        e.timeouts(),
        new TicketRules(180, TicketRules.NO_CAP, odds));
  }
}
