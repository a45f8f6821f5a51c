// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import terrain.core.id.WalletId;
import terrain.server.testkit.DatabaseContract;

/**
 * The follow-ups' history and the mail outbox's states on each database (decision 0038): a mail is
 * queued in the change's transaction, claimed by one sender only, never handed to SMTP again once a
 * sender stopped mid-send, retried later when SMTP surely did not take it, and dropped when its
 * subscription ended.
 */
abstract class MailOutboxContract extends DatabaseContract {
  private static final Instant NOON = Instant.parse("2026-12-05T12:00:00Z");
  private static final FollowUp.Key KEY = new FollowUp.Key("ev", FollowUp.Kind.QUESTION, "q-parc");

  private static final String W1 = "w000000000000000000000001";
  private static final String W2 = "w000000000000000000000002";
  private static final String W3 = "w000000000000000000000003";

  FollowUps followUps;
  MailOutbox outbox;
  MailOutbox otherServer;
  long now;

  @BeforeEach
  void open() throws Exception {
    followUps = new FollowUps(database, Clock.fixed(NOON, ZoneOffset.UTC), new SecureRandom());
    outbox = new MailOutbox(database);
    otherServer = new MailOutbox(database);
    now = NOON.toEpochMilli();
  }

  private void wallet(String id, String email) throws Exception {
    try (Connection c = database.connect();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO wallets (id, token_hash, recovery_code_hash, email, created_at)"
                    + " VALUES (?, ?, ?, ?, 0)")) {
      insert.setString(1, id);
      insert.setString(2, "t-" + id);
      insert.setString(3, "r-" + id);
      insert.setString(4, email);
      insert.executeUpdate();
      c.commit();
    }
  }

  private FollowUps.Saved change(String text) throws Exception {
    FollowUp.Checked input =
        FollowUp.check(
            "adopted", text, null, List.<String[]>of(new String[] {"2027-03-15", "vote"}));
    return followUps.save(
        KEY,
        input.input(),
        "test",
        s -> new MailOutbox.Mail("Suite : " + text, "Bonjour " + s.email() + " " + s.token()));
  }

  /** A ticket of {@code event}, claimed by {@code wallet} unless null (decision 0050). */
  private void ticket(long serial, String event, String wallet) throws Exception {
    try (Connection c = database.connect();
        PreparedStatement ticket =
            c.prepareStatement(
                "INSERT INTO tickets (device_id, serial, code, short_code, event_id, briqs,"
                    + " golden, issued_at, expires_at) VALUES ('k1', ?, ?, ?, ?, 2, 0, 0, 9000)");
        PreparedStatement claim =
            c.prepareStatement(
                "INSERT INTO ticket_claims (device_id, serial, wallet_id, briqs, remaining,"
                    + " expires_at, claimed_at) VALUES ('k1', ?, ?, 2, 2, 9000, 10)")) {
      ticket.setLong(1, serial);
      ticket.setString(2, "code-" + serial);
      ticket.setString(3, "S" + serial);
      ticket.setString(4, event);
      ticket.executeUpdate();
      if (wallet != null) {
        claim.setLong(1, serial);
        claim.setString(2, wallet);
        claim.executeUpdate();
      }
      c.commit();
    }
  }

  @Test
  void walletEvents_areTheEventsOfTheTicketsTheWalletClaimed_once_inIdOrder() throws Exception {
    ticket(1, "marche", W1);
    ticket(2, "atelier", W1);
    ticket(3, "marche", W1);
    ticket(4, "autre", W2);
    ticket(5, "pas-reclame", null);

    assertEquals(List.of("atelier", "marche"), followUps.walletEvents(WalletId.of(W1)));
    assertEquals(List.of("autre"), followUps.walletEvents(WalletId.of(W2)));
    assertEquals(List.of(), followUps.walletEvents(WalletId.of(W3)));
  }

  @Test
  void save_keepsEveryVersion_andQueuesOneMailPerActiveSubscriberWithAnAddress() throws Exception {
    wallet(W1, "un@example.org");
    wallet(W2, null);
    wallet(W3, "trois@example.org");
    followUps.subscribe(WalletId.of(W1), "ev", "fr");
    followUps.subscribe(WalletId.of(W2), "ev", "fr");
    followUps.subscribe(WalletId.of(W3), "autre", "fr");

    FollowUps.Saved first = change("premier");
    FollowUps.Saved second = change("second");

    assertEquals(new FollowUps.Saved(1, 1), first);
    assertEquals(new FollowUps.Saved(2, 1), second);
    List<FollowUp.Version> history = followUps.history(KEY);
    assertEquals(List.of(2, 1), history.stream().map(FollowUp.Version::version).toList());
    assertEquals("premier", history.get(1).text());
    assertEquals(LocalDate.of(2027, 3, 15), history.get(1).milestones().get(0).date());
    assertEquals("second", followUps.current("ev").get("question:q-parc").text());
    assertEquals(2, outbox.due(now, 10).size());
  }

  @Test
  void claim_isWonByOneSenderOnly_andAMailLeftSendingIsNeverSentAgain() throws Exception {
    wallet(W1, "un@example.org");
    followUps.subscribe(WalletId.of(W1), "ev", "fr");
    change("texte");
    long id = outbox.due(now, 10).get(0);

    var claimed = outbox.claim(id, now);
    var again = otherServer.claim(id, now);

    assertTrue(claimed.isPresent());
    assertEquals("un@example.org", claimed.get().recipient());
    assertEquals(1, claimed.get().attempts());
    assertTrue(again.isEmpty(), "a second server does not take a mail being sent");
    assertEquals(List.of(), outbox.due(now + 60_000, 10));

    // The sender stopped between claim and SMTP's answer (a crash): after the stale delay the
    // mail is uncertain and no sender takes it again.
    assertEquals(0, outbox.sweepStale(now - 1, now + 1));
    assertEquals(1, outbox.sweepStale(now + 1, now + 2));
    assertEquals("uncertain", outbox.row(id).orElseThrow()[0]);
    assertEquals(List.of(), outbox.due(now + 3_600_000, 10));
    assertTrue(outbox.claim(id, now + 3_600_000).isEmpty());
  }

  @Test
  void retry_queuesForLater_thenSentIsFinal() throws Exception {
    wallet(W1, "un@example.org");
    followUps.subscribe(WalletId.of(W1), "ev", "fr");
    change("texte");
    long id = outbox.due(now, 10).get(0);
    outbox.claim(id, now).orElseThrow();

    outbox.retry(id, now, now + 30_000, "Connection refused");

    assertEquals(List.of(), outbox.due(now + 29_999, 10));
    assertEquals(List.of(id), outbox.due(now + 30_000, 10));
    assertEquals(1, outbox.retrying());
    var second = outbox.claim(id, now + 30_000).orElseThrow();
    assertEquals(2, second.attempts());
    outbox.sent(id, now + 30_001);
    assertEquals("sent", outbox.row(id).orElseThrow()[0]);
    assertTrue(outbox.claim(id, now + 60_000).isEmpty());
    assertEquals(1L, outbox.counts().get("sent"));
  }

  @Test
  void claim_afterUnsubscribingOrChangingTheAddress_dropsTheMail() throws Exception {
    wallet(W1, "un@example.org");
    wallet(W2, "deux@example.org");
    String token = followUps.subscribe(WalletId.of(W1), "ev", "en");
    followUps.subscribe(WalletId.of(W2), "ev", "fr");
    change("texte");
    List<Long> due = outbox.due(now, 10);

    assertTrue(followUps.unsubscribe(token));
    try (Connection c = database.connect();
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE wallets SET email = 'autre@example.org' WHERE id = '" + W2 + "'")) {
      update.executeUpdate();
      c.commit();
    }

    assertTrue(outbox.claim(due.get(0), now).isEmpty());
    assertTrue(outbox.claim(due.get(1), now).isEmpty());
    assertEquals("dropped", outbox.row(due.get(0)).orElseThrow()[0]);
    assertEquals("dropped", outbox.row(due.get(1)).orElseThrow()[0]);
    assertEquals(1, change("encore").queued(), "w1 unsubscribed; w2 at its new address");
  }
}
