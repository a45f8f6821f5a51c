// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import terrain.server.testkit.DatabaseContract;

/**
 * The staff store on each database the server supports: accounts, sessions, tokens, the audit log.
 * Hashes here are placeholders; {@link PasswordHashTest} checks the real ones.
 */
abstract class StaffAccountsContract extends DatabaseContract {
  static final long T0 = 1_780_000_000_000L;
  StaffAccounts store;

  @BeforeEach
  void store() {
    store = new StaffAccounts(database);
  }

  @Test
  void create_whenNameTaken_refusesAndKeepsTheFirst() throws Exception {
    assertEquals(0, store.count());
    assertTrue(store.create("claire", Role.MODERATOR, "$hash1", "cli:ops", T0));
    assertFalse(store.create("claire", Role.ADMIN, "$hash2", "cli:ops", T0 + 1));

    StaffAccounts.Account claire = store.account("claire").orElseThrow();
    assertEquals(Role.MODERATOR, claire.role());
    assertEquals("$hash1", claire.passwordHash());
    assertEquals("cli:ops", claire.createdBy());
    assertEquals(1, store.count());
  }

  @Test
  void setRoleAndPassword_changeTheAccount_unknownNameChangesNothing() throws Exception {
    store.create("karim", Role.ANALYST, "$old", "x", T0);

    assertTrue(store.setRole("karim", Role.ADMIN, T0 + 1));
    assertTrue(store.setPassword("karim", "$new", T0 + 2));
    assertFalse(store.setRole("nobody", Role.ADMIN, T0 + 3));

    StaffAccounts.Account karim = store.account("karim").orElseThrow();
    assertEquals(Role.ADMIN, karim.role());
    assertEquals("$new", karim.passwordHash());
  }

  @Test
  void disable_endsTheSessionsAndMarksTokensHolderDisabled() throws Exception {
    store.create("zoe", Role.MODERATOR, "$h", "x", T0);
    store.createSession("s1", "zoe", T0, T0 + 1000, "10.0.0.1");
    store.createSession("s2", "zoe", T0, T0 + 1000, "10.0.0.2");
    assertTrue(store.createToken("t1", "zoe", "hash-of-token", "export", "zoe", T0));
    assertEquals(Map.of("zoe", 2), store.openSessions(T0));

    assertTrue(store.setDisabled("zoe", true, T0 + 1));

    assertTrue(store.session("s1").isEmpty());
    assertTrue(store.session("s2").isEmpty());
    assertTrue(store.token("hash-of-token").orElseThrow().disabled());
    assertTrue(store.setDisabled("zoe", false, T0 + 2));
    assertFalse(store.token("hash-of-token").orElseThrow().disabled());
    assertTrue(store.session("s1").isEmpty(), "enabling again opens no session");
  }

  @Test
  void sessions_endOneOrAllAndPurgeTheExpired() throws Exception {
    store.create("ana", Role.ANALYST, "$h", "x", T0);
    store.createSession("a", "ana", T0, T0 + 10_000, "::1");
    store.createSession("b", "ana", T0, T0 + 10_000, "::1");
    store.createSession("c", "ana", T0, T0 + 100, "::1");
    StaffAccounts.Holder a = store.session("a").orElseThrow();
    assertEquals("ana", a.account());
    assertEquals(Role.ANALYST, a.role());
    assertEquals(T0 + 10_000, a.expiresAt());

    store.touchSession("b", T0 + 5_000);
    assertEquals(T0 + 5_000, store.session("b").orElseThrow().lastSeenAt());
    // c past its absolute expiry, a idle since T0: both go; b was used at T0 + 5000.
    assertEquals(2, store.purgeSessions(T0 + 6_000, T0 + 1_000));
    assertTrue(store.session("a").isEmpty());
    assertTrue(store.session("b").isPresent());

    assertTrue(store.endSession("b"));
    assertFalse(store.endSession("b"));
    store.createSession("d", "ana", T0, T0 + 10_000, "::1");
    assertEquals(1, store.endSessions("ana"));
  }

  @Test
  void tokens_foundByHashUntilRevoked_listedNewestFirst() throws Exception {
    store.create("bot", Role.ANALYST, "$h", "x", T0);
    assertTrue(store.createToken("id1", "bot", "h1", "nightly export", "admin", T0));
    assertTrue(store.createToken("id2", "bot", "h2", "", "bot", T0 + 1));
    assertFalse(store.createToken("id3", "nobody", "h3", "", "x", T0), "no such account");

    assertEquals("bot", store.token("h1").orElseThrow().account());
    store.touchToken("h1", T0 + 50);
    List<StaffAccounts.Token> tokens = store.tokens("bot");
    assertEquals(List.of("id2", "id1"), tokens.stream().map(StaffAccounts.Token::id).toList());
    assertEquals(T0 + 50, tokens.get(1).lastUsedAt());
    assertEquals("nightly export", tokens.get(1).label());

    assertTrue(store.revokeToken("bot", "id1", T0 + 60));
    assertFalse(store.revokeToken("bot", "id1", T0 + 61), "revoked once");
    assertFalse(store.revokeToken("other", "id2", T0 + 61), "only the account's own tokens");
    assertTrue(store.token("h1").isEmpty());
    assertTrue(store.token("h2").isPresent());
    assertTrue(store.tokens("bot").get(1).revoked());
  }

  @Test
  void audit_newestFirst_filteredByActorAndAction_fieldsCut() throws Exception {
    store.audit(
        T0, "admin-token", "admin-token", "staff.create", "claire", "role admin", "127.0.0.1");
    store.audit(T0 + 1, "claire", "session", "moderation.publish", "idea/k~1", "", "10.0.0.9");
    store.audit(
        T0 + 2, "claire", "token", "moderation.reject", "text/k~2~q", "x".repeat(5000), "::1");

    List<StaffAccounts.AuditEntry> all = store.audit(10, null, null);
    assertEquals(
        List.of("moderation.reject", "moderation.publish", "staff.create"),
        all.stream().map(StaffAccounts.AuditEntry::action).toList());
    assertEquals(1000, all.get(0).detail().length(), "cut to the column");
    assertEquals("10.0.0.9", all.get(1).address());
    assertEquals(T0 + 1, all.get(1).atMillis());
    assertEquals(2, store.audit(10, "claire", null).size());
    assertEquals(2, store.audit(10, null, "moderation.").size());
    assertEquals(1, store.audit(1, null, null).size());
    assertEquals(0, store.audit(10, null, "moderation%").size(), "no wildcard of the caller's");
  }
}
