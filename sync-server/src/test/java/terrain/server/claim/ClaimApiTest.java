// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.TicketCodec;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.server.SyncServer;
import terrain.server.ledger.Ledger;
import terrain.server.testkit.ClaimDesk;
import terrain.server.testkit.Http;
import terrain.server.testkit.Peers;
import terrain.server.testkit.TestEnv;
import terrain.server.testkit.Tickets;
import terrain.testkit.MqttPeer;

/** The claim API over real HTTP, on a real server with a Derby database in a temporary folder. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaimApiTest {
  static final String ADMIN = "admin-token-for-tests-0123456789";
  static final String EVENT = "marche-2026-11-28";

  @TempDir static Path dir;
  SyncServer server;
  Http http;
  private ClaimDesk desk;
  Tickets kiosk;

  /** The server's database; null for Derby in the data folder. */
  String databaseUrl() throws Exception {
    return null;
  }

  /** Runs once the server is stopped, e.g. to drop the test's schema. */
  void afterServerStopped() throws Exception {}

  @BeforeAll
  void start() throws Exception {
    server =
        SyncServer.start(
            TestEnv.claimConfig(dir.resolve("server"), databaseUrl(), ADMIN, 100_000),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    http = new Http(server.baseUrl());
    desk = new ClaimDesk(server, http);
    kiosk = new Tickets(DeviceId.of("kiosk-01"), 1);
    desk.register(kiosk);
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    afterServerStopped();
  }

  @Test
  void createWallet_returns201WithIdTokenAndRecoveryCode() throws Exception {
    Http.Reply reply = http.send("POST", "/api/wallets", null);

    assertEquals(201, reply.status());
    JsonNode json = reply.json();
    assertTrue(json.path("id").asText().startsWith("w"), reply.body());
    assertTrue(json.path("token").asText().length() >= 40, reply.body());
    assertTrue(json.path("recoveryCode").asText().matches("[A-Z2-9]{4}(-[A-Z2-9]{4}){4}"));
  }

  @Test
  void claim_whenValidTicket_credits201AndWalletShowsIt() throws Exception {
    String token = desk.wallet();
    SignedTicket ticket = kiosk.issue(EVENT, 5);

    Http.Reply reply = desk.claim(token, ticket.code());

    assertEquals(201, reply.status(), reply.body());
    assertEquals(5, reply.json().path("briqs").asLong());
    assertEquals(5, reply.json().path("balance").asLong());
    JsonNode me = http.send("GET", "/api/wallets/me", null, ClaimDesk.auth(token)).json();
    assertEquals(5, me.path("balance").asLong());
    assertEquals(1, me.path("entries").size());
    assertEquals("claim", me.path("entries").get(0).path("reason").asText());
    assertEquals(
        "kiosk-01#" + ticket.ticket().serial(), me.path("entries").get(0).path("ticket").asText());
    assertEquals(5, me.path("tickets").get(0).path("remaining").asLong());
  }

  @Test
  void claim_whenLowercaseAddressScanned_credits() throws Exception {
    String token = desk.wallet();
    SignedTicket ticket = kiosk.issue(EVENT, 2);

    Http.Reply reply =
        desk.claim(token, "https://briqs.example.fr/t/" + ticket.code().toLowerCase(Locale.ROOT));

    assertEquals(201, reply.status(), reply.body());
  }

  @Test
  void claim_whenClaimedTwice_secondGets409AndBalanceUnchanged() throws Exception {
    String first = desk.wallet();
    String second = desk.wallet();
    SignedTicket ticket = kiosk.issue(EVENT, 3);
    assertEquals(201, desk.claim(first, ticket.code()).status());

    Http.Reply again = desk.claim(second, ticket.code());
    Http.Reply sameWallet = desk.claim(first, ticket.code());

    assertEquals(409, again.status(), again.body());
    assertEquals("ALREADY_CLAIMED", again.json().path("reason").asText());
    assertEquals(409, sameWallet.status());
    assertEquals(3, balance(first));
    assertEquals(0, balance(second));
  }

  @Test
  void claim_whenAnyCharacterChanged_isRefused422() throws Exception {
    String token = desk.wallet();
    SignedTicket ticket = kiosk.issue(EVENT, 4);
    String code = ticket.code();
    for (int at : new int[] {3, code.length() / 2, code.length() - 5}) {
      char c = code.charAt(at);
      String altered = code.substring(0, at) + (c == 'A' ? 'B' : 'A') + code.substring(at + 1);

      Http.Reply reply = desk.claim(token, altered);

      assertEquals(422, reply.status(), "position " + at + ": " + reply.body());
      assertFalse(reply.json().path("reason").asText().isEmpty(), reply.body());
    }
    Http.Reply truncated = desk.claim(token, code.substring(0, code.length() / 8 * 8 - 8));
    assertEquals(422, truncated.status());
    assertEquals("TRUNCATED", truncated.json().path("reason").asText());
    assertEquals(0, balance(token));
  }

  @Test
  void claim_whenSignedByAnotherKey_isRefused422BadSignature() throws Exception {
    Tickets forger = new Tickets(kiosk.device(), 999);
    SignedTicket forged = forger.issue(EVENT, 500);

    Http.Reply reply = desk.claim(desk.wallet(), forged.code());

    assertEquals(422, reply.status(), reply.body());
    assertEquals("BAD_SIGNATURE", reply.json().path("reason").asText());
  }

  @Test
  void claim_whenDeviceUnknown_isRefused422UnknownDevice() throws Exception {
    SignedTicket ticket = new Tickets(DeviceId.of("kiosk-nobody"), 5).issue(EVENT, 1);

    Http.Reply reply = desk.claim(desk.wallet(), ticket.code());

    assertEquals(422, reply.status(), reply.body());
    assertEquals("unknown device", reply.json().path("reason").asText());
  }

  @Test
  void claim_whenExpired_isRefused410() throws Exception {
    SignedTicket ticket = kiosk.issue(EVENT, 1, Instant.now().minus(Duration.ofDays(200)), 180);

    Http.Reply reply = desk.claim(desk.wallet(), ticket.code());

    assertEquals(410, reply.status(), reply.body());
    assertEquals("EXPIRED", reply.json().path("reason").asText());
  }

  /** Revocation compares with when the server received the ticket's record, not its issue time. */
  @Test
  void claim_whenRecordReachedNoHopBeforeRevocation_isRefused403AndEarlierTicketsStillCount()
      throws Exception {
    Tickets lost = new Tickets(DeviceId.of("kiosk-lost"), 77);
    desk.register(lost);
    Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
    SignedTicket before = lost.issue(EVENT, 2, twoHoursAgo, 180);
    SignedTicket backdated = lost.issue(EVENT, 2, twoHoursAgo, 180);
    try (MqttPeer device = Peers.device("tcp://127.0.0.1:" + server.brokerPort(), lost.device())) {
      device.publish(
          Topics.deviceUp(lost.device()),
          new Batch(lost.device(), 1, List.of(lost.record(before, 1))));
      device.nextAck(Duration.ofSeconds(20));
    }
    long revokedAfter = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();

    Http.Reply revoke =
        http.send(
            "POST",
            "/api/devices/kiosk-lost/revoke",
            "{\"after\":" + revokedAfter + "}",
            ClaimDesk.auth(ADMIN));

    assertEquals(200, revoke.status(), revoke.body());
    String token = desk.wallet();
    Http.Reply refused = desk.claim(token, backdated.code());
    assertEquals(403, refused.status(), refused.body());
    assertEquals("REVOKED", refused.json().path("reason").asText());
    assertEquals(201, desk.claim(token, before.code()).status());
  }

  @Test
  void revoke_withoutAdminToken_is401() throws Exception {
    Http.Reply reply =
        http.send("POST", "/api/devices/kiosk-01/revoke", "{\"after\":0}", ClaimDesk.auth("wrong"));

    assertEquals(401, reply.status());
    String token = desk.wallet();
    assertEquals(201, desk.claim(token, kiosk.issue(EVENT, 1).code()).status());
  }

  @Test
  void claim_withoutWalletToken_is401() throws Exception {
    Http.Reply reply =
        http.send("POST", "/api/claims", "{\"code\":\"" + kiosk.issue(EVENT, 1).code() + "\"}");

    assertEquals(401, reply.status());
  }

  @Test
  void claim_whenBodyIsNotJson_is400() throws Exception {
    Http.Reply reply = http.send("POST", "/api/claims", "code=ABC", ClaimDesk.auth(desk.wallet()));

    assertEquals(400, reply.status());
  }

  @Test
  void claim_whenShortCodeOfSyncedTicket_credits() throws Exception {
    Tickets synced = new Tickets(DeviceId.of("kiosk-sync"), 11);
    desk.register(synced);
    SignedTicket ticket = synced.issue(EVENT, 6);
    Record record = synced.record(ticket, 1);
    try (MqttPeer device =
        Peers.device("tcp://127.0.0.1:" + server.brokerPort(), synced.device())) {
      device.publish(
          Topics.deviceUp(synced.device()), new Batch(synced.device(), 1, List.of(record)));
      device.nextAck(Duration.ofSeconds(20));
    }
    String shortCode = TicketCodec.shortCode(ticket.code()).toLowerCase(Locale.ROOT);
    String token = desk.wallet();

    Http.Reply reply = desk.claim(token, shortCode);

    assertEquals(201, reply.status(), reply.body());
    assertEquals(6, reply.json().path("briqs").asLong());
    assertEquals(409, desk.claim(desk.wallet(), ticket.code()).status());
  }

  /** A kiosk announces its key in a DEVICE_KEY record over MQTT: trusted on first use. */
  @Test
  void claim_whenDeviceAnnouncedItsKeyOverMqtt_credits() throws Exception {
    Tickets fresh = new Tickets(DeviceId.of("kiosk-tofu"), 21);
    SignedTicket ticket = fresh.issue(EVENT, 3);
    String token = desk.wallet();
    assertEquals(422, desk.claim(token, ticket.code()).status());
    Record key =
        new Record(
            fresh.device(), 1, RecordKind.DEVICE_KEY, "-", 1, 0, fresh.keys().publicKeyRaw());
    try (MqttPeer device = Peers.device("tcp://127.0.0.1:" + server.brokerPort(), fresh.device())) {
      device.publish(Topics.deviceUp(fresh.device()), new Batch(fresh.device(), 1, List.of(key)));
      device.nextAck(Duration.ofSeconds(20));
    }

    Http.Reply reply = desk.claim(token, ticket.code());

    assertEquals(201, reply.status(), reply.body());
  }

  @Test
  void claim_whenShortCodeUnknown_is422() throws Exception {
    Http.Reply reply = desk.claim(desk.wallet(), "AAAA-BBBB-CCCC");

    assertEquals(422, reply.status());
    assertEquals("UNKNOWN_SHORT_CODE", reply.json().path("reason").asText());
  }

  /** 50 wallets claim one ticket at the same moment over real HTTP: exactly one is credited. */
  @Test
  void claim_when50ConcurrentClaimsOfOneTicket_creditsExactlyOnce() throws Exception {
    SignedTicket ticket = kiosk.issue(EVENT, 7);
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      tokens.add(desk.wallet());
    }
    long poolBefore = server.ledger().balance(Ledger.POOL);
    ExecutorService pool = Executors.newFixedThreadPool(50);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Integer>> replies = new ArrayList<>();
      for (String token : tokens) {
        Callable<Integer> attempt =
            () -> {
              go.await();
              return desk.claim(token, ticket.code()).status();
            };
        replies.add(pool.submit(attempt));
      }
      go.countDown();
      int created = 0;
      int conflicts = 0;
      for (Future<Integer> reply : replies) {
        int status = reply.get();
        if (status == 201) {
          created++;
        } else if (status == 409) {
          conflicts++;
        }
      }
      assertEquals(1, created);
      assertEquals(49, conflicts);
    } finally {
      pool.shutdownNow();
    }
    long credited = 0;
    for (String token : tokens) {
      credited += balance(token);
    }
    assertEquals(7, credited);
    assertEquals(poolBefore - 7, server.ledger().balance(Ledger.POOL));
    assertEquals(0, server.ledger().total());
  }

  @Test
  void claim_whenClientExceedsRate_gets429WithRetryAfter() throws Exception {
    try (SyncServer limited =
        SyncServer.start(
            TestEnv.claimConfig(dir.resolve("limited"), null, null, 3),
            Clock.systemUTC(),
            RandomGenerator.getDefault())) {
      Http client = new Http(limited.baseUrl());
      String token = client.send("POST", "/api/wallets", null).json().path("token").asText();
      String body = "{\"code\":\"AAAA-BBBB-CCCC\"}";
      for (int i = 0; i < 3; i++) {
        assertEquals(422, client.send("POST", "/api/claims", body, ClaimDesk.auth(token)).status());
      }

      HttpResponse<String> refused = client.raw("POST", "/api/claims", body, ClaimDesk.auth(token));

      assertEquals(429, refused.statusCode());
      long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElse("0"));
      assertTrue(retryAfter >= 1 && retryAfter <= 20, "Retry-After " + retryAfter);
    }
  }

  @Test
  void enrolKey_withAdminToken_registersDeviceWhoseTicketsThenClaim() throws Exception {
    Tickets enrolled = new Tickets(DeviceId.of("kiosk-enrolled"), 77);
    String body =
        "{\"publicKey\":\""
            + java.util.Base64.getEncoder().encodeToString(enrolled.keys().publicKeyRaw())
            + "\"}";
    String[] admin = {"Authorization", "Bearer " + ADMIN};

    Http.Reply first = http.send("PUT", "/api/devices/kiosk-enrolled/key", body, admin);
    Http.Reply again = http.send("PUT", "/api/devices/kiosk-enrolled/key", body, admin);
    Http.Reply other =
        http.send(
            "PUT",
            "/api/devices/kiosk-enrolled/key",
            "{\"publicKey\":\""
                + java.util.Base64.getEncoder().encodeToString(kiosk.keys().publicKeyRaw())
                + "\"}",
            admin);
    Http.Reply anonymous = http.send("PUT", "/api/devices/kiosk-x/key", body);
    Http.Reply bad =
        http.send("PUT", "/api/devices/kiosk-x/key", "{\"publicKey\":\"AAAA\"}", admin);

    assertEquals(201, first.status(), first.body());
    assertEquals(200, again.status(), again.body());
    assertEquals(409, other.status(), other.body());
    assertEquals(401, anonymous.status());
    assertEquals(400, bad.status());
    assertEquals(201, desk.claim(desk.wallet(), enrolled.issue(EVENT, 1).code()).status());
  }

  @Test
  void audit_withAdminToken_reportsBalancedBooks() throws Exception {
    desk.claim(desk.wallet(), kiosk.issue(EVENT, 4).code());

    Http.Reply reply =
        http.send("GET", "/api/ledger/audit", null, "Authorization", "Bearer " + ADMIN);
    Http.Reply anonymous = http.send("GET", "/api/ledger/audit", null);

    assertEquals(200, reply.status(), reply.body());
    JsonNode audit = reply.json();
    assertTrue(audit.path("ok").asBoolean(), reply.body());
    assertEquals(0, audit.path("total").asLong());
    assertEquals(0, audit.path("ticketsCreditedTwice").asLong());
    assertTrue(audit.path("pool").asLong() <= -4, reply.body());
    assertTrue(audit.path("claims").asLong() >= 1, reply.body());
    assertEquals(401, anonymous.status());
  }

  private long balance(String token) throws Exception {
    return http.send("GET", "/api/wallets/me", null, ClaimDesk.auth(token))
        .json()
        .path("balance")
        .asLong();
  }
}
