// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.TicketCodec;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.server.SyncServer;
import terrain.server.testkit.ClaimDesk;
import terrain.server.testkit.Http;
import terrain.server.testkit.Peers;
import terrain.server.testkit.TestEnv;
import terrain.server.testkit.Tickets;
import terrain.testkit.MqttPeer;

/**
 * Synced tickets' signatures checked at rest (decision 0054), on a real server and Derby database
 * over real MQTT and HTTP: checked once the server is idle, not while batches arrive, a forged
 * record found and still refused, a checked ticket claimed without a second verify, and the rows
 * left unchecked picked up at a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignaturesAtRestTest {
  static final String ADMIN = "admin-token-for-tests-0123456789";
  static final String EVENT = "marche-2026-11-28";

  @TempDir static Path dir;
  SyncServer server;
  Http http;
  private ClaimDesk desk;

  /** The server's database; null for Derby in the data folder. */
  String databaseUrl() throws Exception {
    return null;
  }

  void afterServerStopped() throws Exception {}

  /** The URL the first start used (PostgreSQL's fresh schema), kept for the restart. */
  private String db;

  @BeforeAll
  void start() throws Exception {
    db = databaseUrl();
    server = start(db);
  }

  private SyncServer start(String db) throws Exception {
    SyncServer started =
        SyncServer.start(
            TestEnv.claimConfig(dir.resolve("server"), db, ADMIN, 100_000),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    http = new Http(started.baseUrl());
    desk = new ClaimDesk(started, http);
    return started;
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    afterServerStopped();
  }

  @Test
  void claim_ofTicketCheckedAtRest_doesNotVerifyAgain() throws Exception {
    Tickets kiosk = new Tickets(DeviceId.of("kiosk-at-rest"), 71);
    desk.register(kiosk);
    SignedTicket first = kiosk.issue(EVENT, 1);
    SignedTicket second = kiosk.issue(EVENT, 1);
    long verifiedBefore = status().path("verified").asLong();

    desk.sync(kiosk, kiosk.record(first, 1), kiosk.record(second, 2));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status().path("verified").asLong() == verifiedBefore + 2);
    assertEquals(verifiedBefore + 2, metric("terrain_tickets_checked_at_rest_total"));
    long verifies = metric("terrain_claim_signature_verifies_total");
    assertEquals(201, desk.claim(desk.wallet(), first.code()).status());
    assertEquals(201, desk.claim(desk.wallet(), TicketCodec.shortCode(second.code())).status());
    assertEquals(409, desk.claim(desk.wallet(), first.code()).status(), "claimed once");
    assertEquals(verifies, metric("terrain_claim_signature_verifies_total"));

    // A ticket not synced yet is verified by its claim, as before.
    SignedTicket unsynced = kiosk.issue(EVENT, 1);
    assertEquals(201, desk.claim(desk.wallet(), unsynced.code()).status());
    assertEquals(verifies + 1, metric("terrain_claim_signature_verifies_total"));
  }

  @Test
  void forgedRecordFromHub_isMarkedCountedAndItsClaimRefused() throws Exception {
    Tickets kiosk = new Tickets(DeviceId.of("kiosk-forged-at-rest"), 81);
    desk.register(kiosk);
    Tickets forger = new Tickets(kiosk.device(), 82); // another key, the kiosk's name
    SignedTicket forged = forger.issue(EVENT, 1);
    kiosk.issue(EVENT, 1); // serial 1 is the forged ticket's
    SignedTicket genuine = kiosk.issue(EVENT, 1);
    long failedBefore = status().path("failed").asLong();
    long verifiedBefore = status().path("verified").asLong();

    DeviceId hub = DeviceId.of("hub-at-rest");
    try (MqttPeer peer = Peers.hub(desk.broker(), hub)) {
      peer.publish(
          Topics.hubUp(hub),
          new Batch(hub, 1, List.of(forger.record(forged, 1), kiosk.record(genuine, 2))));
      peer.nextAck(Duration.ofSeconds(20));
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                status().path("failed").asLong() == failedBefore + 1
                    && status().path("verified").asLong() == verifiedBefore + 1);
    assertEquals(failedBefore + 1, metric("terrain_tickets_forged_at_rest_total"));
    long verifies = metric("terrain_claim_signature_verifies_total");
    Http.Reply refused = desk.claim(desk.wallet(), forged.code());
    assertEquals(422, refused.status(), refused.body());
    assertEquals("BAD_SIGNATURE", refused.json().path("reason").asText());
    Http.Reply byShortCode = desk.claim(desk.wallet(), TicketCodec.shortCode(forged.code()));
    assertEquals("BAD_SIGNATURE", byShortCode.json().path("reason").asText());
    assertEquals(verifies + 2, metric("terrain_claim_signature_verifies_total"));
    assertEquals(201, desk.claim(desk.wallet(), genuine.code()).status());
    assertEquals(verifies + 2, metric("terrain_claim_signature_verifies_total"));
  }

  @Test
  void claim_ofCheckedTicketOfDeviceRevokedBeforeItsRecord_isRevoked() throws Exception {
    Tickets kiosk = new Tickets(DeviceId.of("kiosk-revoked-at-rest"), 111);
    desk.register(kiosk);
    SignedTicket ticket = kiosk.issue(EVENT, 1);
    long verifiedBefore = status().path("verified").asLong();
    desk.sync(kiosk, kiosk.record(ticket, 1));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status().path("verified").asLong() == verifiedBefore + 1);

    // Revoked from an hour ago: its record reached the server after that.
    long after = System.currentTimeMillis() / 1000 - 3600;
    Http.Reply revoke =
        http.send(
            "POST",
            "/api/devices/" + kiosk.device().value() + "/revoke",
            "{\"after\":" + after + "}",
            ClaimDesk.auth(ADMIN));
    assertEquals(200, revoke.status(), revoke.body());
    long verifies = metric("terrain_claim_signature_verifies_total");
    Http.Reply refused = desk.claim(desk.wallet(), ticket.code());

    assertEquals(403, refused.status(), refused.body());
    assertEquals("REVOKED", refused.json().path("reason").asText());
    assertEquals(verifies, metric("terrain_claim_signature_verifies_total"), "checked at rest");
  }

  @Test
  void whileBatchesArrive_nothingIsChecked_thenAllIs() throws Exception {
    Tickets kiosk = new Tickets(DeviceId.of("kiosk-busy"), 91);
    desk.register(kiosk);
    Tickets other = new Tickets(DeviceId.of("kiosk-busy-other"), 92);
    desk.register(other);
    // Idle first, so that what the other tests synced is checked before the busy period.
    await().atMost(Duration.ofSeconds(30)).until(() -> !status().path("pending").asBoolean());
    long verifiedBefore = status().path("verified").asLong();

    // Batches back to back from one hub (each well under the second of idle the checker waits).
    DeviceId hub = DeviceId.of("hub-busy");
    try (MqttPeer peer = Peers.hub(desk.broker(), hub)) {
      peer.publish(
          Topics.hubUp(hub), new Batch(hub, 1, List.of(kiosk.record(kiosk.issue(EVENT, 1), 1))));
      peer.nextAck(Duration.ofSeconds(20));
      for (int seq = 1; seq <= 20; seq++) {
        peer.publish(
            Topics.hubUp(hub),
            new Batch(hub, seq + 1, List.of(other.record(other.issue(EVENT, 1), seq))));
        peer.nextAck(Duration.ofSeconds(20));
        assertEquals(verifiedBefore, status().path("verified").asLong(), "batch " + seq);
      }
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status().path("verified").asLong() == verifiedBefore + 21);
  }

  @Test
  void restart_checksTheRowsLeftUnchecked() throws Exception {
    // Synced before its device's key is known: the checker cannot check them, they stay NULL.
    Tickets late = new Tickets(DeviceId.of("kiosk-late-key"), 101);
    List<Record> records = new ArrayList<>();
    for (int seq = 1; seq <= 3; seq++) {
      records.add(late.record(late.issue(EVENT, 1), seq));
    }
    desk.sync(late, records.toArray(Record[]::new));
    await().atMost(Duration.ofSeconds(30)).until(() -> !status().path("pending").asBoolean());
    desk.register(late);

    server.close();
    server = start(db);

    await().atMost(Duration.ofSeconds(30)).until(() -> status().path("verified").asLong() == 3);
    assertEquals(0, status().path("failed").asLong());
  }

  private com.fasterxml.jackson.databind.JsonNode status() throws Exception {
    Http.Reply reply = http.send("GET", "/api/status", null, ClaimDesk.auth(ADMIN));
    assertEquals(200, reply.status(), reply.body());
    com.fasterxml.jackson.databind.JsonNode atRest = reply.json().path("ticketsCheckedAtRest");
    assertTrue(atRest.isObject(), reply.body());
    return atRest;
  }

  private long metric(String name) throws Exception {
    Http.Reply reply = http.send("GET", "/metrics", null);
    for (String line : reply.body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError("no " + name + " in /metrics: " + reply.body());
  }
}
