// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import terrain.core.event.TicketRules.GoldenOdds;

class TicketRulesTest {

  @Test
  void parse_whenOddsWritten_readsThem() {
    assertEquals(Optional.of(new GoldenOdds(1, 200)), GoldenOdds.parse("1/200"));
    assertEquals(Optional.of(new GoldenOdds(3, 1000)), GoldenOdds.parse(" 3 / 1000 "));
    assertEquals(Optional.of(GoldenOdds.never()), GoldenOdds.parse("0"));
    assertEquals(Optional.empty(), GoldenOdds.parse("2/1"));
    assertEquals(Optional.empty(), GoldenOdds.parse("1/0"));
    assertEquals(Optional.empty(), GoldenOdds.parse("0.5%"));
  }

  @Test
  void parseDays_whenDaysWritten_readsThem() {
    assertEquals(Optional.of(180), TicketRules.parseDays("180d"));
    assertEquals(Optional.empty(), TicketRules.parseDays("6m"));
    assertEquals(Optional.empty(), TicketRules.parseDays("180"));
  }

  @Test
  void ticketRules_whenValidityTooLong_throwsNamingTheRule() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new TicketRules(4000, 1, GoldenOdds.never()));

    assertEquals("TicketRules validityDays [4000] must be 1 to 3653", e.getMessage());
  }
}
