// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.partner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import terrain.testkit.MutableClock;

class PartnersTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  final Partner pool = Partner.parse("piscine:48213377:Piscine municipale");
  final Partners partners = new Partners(List.of(pool, Partner.parse("theatre:passphrase")), clock);

  @Test
  void parse_whenNameOmitted_usesIdAndNeverPrintsKey() {
    Partner theatre = Partner.parse("theatre:passphrase");

    assertEquals("theatre", theatre.name());
    assertFalse(theatre.toString().contains("passphrase"));
    assertEquals("Piscine municipale", pool.name());
  }

  @Test
  void parse_whenKeyShortOrIdBad_explainsTheRule() {
    var shortKey = assertThrows(IllegalArgumentException.class, () -> Partner.parse("a:1234"));
    var badId = assertThrows(IllegalArgumentException.class, () -> Partner.parse("Pool!:12345678"));
    var noKey = assertThrows(IllegalArgumentException.class, () -> Partner.parse("piscine"));

    assertTrue(shortKey.getMessage().contains("8"), shortKey.getMessage());
    assertTrue(badId.getMessage().contains("lowercase"), badId.getMessage());
    assertTrue(noKey.getMessage().contains("ID:KEY"), noKey.getMessage());
  }

  @Test
  void authenticate_onlyWithTheRightKey() {
    assertEquals(Optional.of(pool), partners.authenticate("piscine", "48213377"));
    assertEquals(Optional.of(pool), partners.authenticate(" Piscine ", "48213377"));
    assertEquals(Optional.empty(), partners.authenticate("piscine", "48213378"));
    assertEquals(Optional.empty(), partners.authenticate("theatre", "48213377"));
    assertEquals(Optional.empty(), partners.authenticate(null, null));
  }

  @Test
  void session_whenTamperedOrExpired_isRefused() {
    String session = partners.session(pool);

    assertEquals(Optional.of(pool), partners.fromSession(session));
    assertEquals(Optional.empty(), partners.fromSession(session.replace("piscine", "theatre")));
    assertEquals(Optional.empty(), partners.fromSession(session + "x"));
    clock.advance(Partners.SESSION.plus(Duration.ofSeconds(1)));
    assertEquals(Optional.empty(), partners.fromSession(session));
  }

  @Test
  void new_whenIdTwice_refuses() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Partners(List.of(pool, Partner.parse("piscine:other-key")), clock));
  }
}
