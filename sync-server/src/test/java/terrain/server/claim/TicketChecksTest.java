// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.record.DeviceId;
import terrain.core.ticket.IssuingRules;
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
 * What the server checks on a ticket beyond its signature (issue 8), over real HTTP and MQTT on a
 * real server and Derby database: a stolen key signs anything, so the event, the briqs, the cap,
 * the golden draw, the issue time and the revocation are checked against what the server trusts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TicketChecksTest {
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
    kiosk = new Tickets(DeviceId.of("kiosk-checked"), 1);
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
  void claim_whenStolenKeySigns10000Briqs_isRefusedBriqsMismatch() throws Exception {
    Tickets thief = new Tickets(kiosk.device(), 1); // the same key, taken from the kiosk
    SignedTicket forged = thief.issue(EVENT, "response", 10_000, Instant.now(), 180, false);

    Http.Reply reply = desk.claim(desk.wallet(), forged.code());
    Http.Reply page = http.send("GET", "/T/" + forged.code(), null);

    assertEquals(422, reply.status(), reply.body());
    assertEquals("BRIQS_MISMATCH", reply.json().path("reason").asText());
    assertTrue(reply.json().path("error").asText().contains("10000"), reply.body());
    assertEquals(422, page.status());
    assertTrue(page.body().contains("ne correspond pas aux règles"), page.body());
  }

  @Test
  void claim_whenBriqsFollowTheRule_credits() throws Exception {
    // response 1, plus an idea (2) in the same participation: 3 under "response".
    SignedTicket both = kiosk.issue(EVENT, "response", 3, Instant.now(), 180, false);
    SignedTicket wrongAction = kiosk.issue(EVENT, "idea", 1, Instant.now(), 180, false);

    assertEquals(201, desk.claim(desk.wallet(), both.code()).status());
    Http.Reply refused = desk.claim(desk.wallet(), wrongAction.code());
    assertEquals(422, refused.status(), refused.body());
    assertEquals("BRIQS_MISMATCH", refused.json().path("reason").asText());
  }

  @Test
  void claim_whenEventUnknown_isRefusedUnknownEvent() throws Exception {
    SignedTicket ticket = kiosk.issue("never-published", 1);

    Http.Reply reply = desk.claim(desk.wallet(), ticket.code());
    Http.Reply page = http.send("GET", "/T/" + ticket.code() + "?lang=en", null);

    assertEquals(422, reply.status(), reply.body());
    assertEquals("UNKNOWN_EVENT", reply.json().path("reason").asText());
    assertTrue(page.body().contains("an event this server does not know"), page.body());
  }

  @Test
  void sync_whenBatchSpansTicketClaimedFirst_storesTheOthersAndKeepsTheClaim() throws Exception {
    Tickets spanned = new Tickets(DeviceId.of("kiosk-spanned"), 41);
    desk.register(spanned);
    SignedTicket first = spanned.issue(EVENT, 1);
    SignedTicket claimedFirst = spanned.issue(EVENT, 1);
    SignedTicket third = spanned.issue(EVENT, 1);
    assertEquals(201, desk.claim(desk.wallet(), claimedFirst.code()).status());

    // One batch, one range query over serials 1..3 that finds serial 2 already known.
    desk.sync(
        spanned,
        spanned.record(first, 1),
        spanned.record(claimedFirst, 2),
        spanned.record(third, 3),
        spanned.record(third, 4)); // the same ticket twice: stored once

    assertEquals(201, desk.claim(desk.wallet(), TicketCodec.shortCode(first.code())).status());
    assertEquals(201, desk.claim(desk.wallet(), TicketCodec.shortCode(third.code())).status());
    Http.Reply again = desk.claim(desk.wallet(), TicketCodec.shortCode(claimedFirst.code()));
    assertEquals(409, again.status(), again.body());
  }

  @Test
  void claim_whenDeviceCapExceeded_isRefusedCapExceeded() throws Exception {
    publish(
        TestEnv.ticketEvent("cap-test", "rewards: {response: 1}\ntickets: {perDeviceCap: 2}\n"));
    Tickets capped = new Tickets(DeviceId.of("kiosk-capped"), 31);
    desk.register(capped);
    SignedTicket first = capped.issue("cap-test", 1);
    SignedTicket second = capped.issue("cap-test", 1);
    SignedTicket third = capped.issue("cap-test", 1);
    SignedTicket fourth = capped.issue("cap-test", 1);
    desk.sync(capped, capped.record(first, 1), capped.record(second, 2), capped.record(fourth, 3));

    Http.Reply unsynced = desk.claim(desk.wallet(), third.code());
    Http.Reply synced = desk.claim(desk.wallet(), fourth.code());

    assertEquals(201, desk.claim(desk.wallet(), second.code()).status());
    assertEquals(422, unsynced.status(), unsynced.body());
    assertEquals("CAP_EXCEEDED", unsynced.json().path("reason").asText());
    assertEquals(422, synced.status(), synced.body());
    assertEquals("CAP_EXCEEDED", synced.json().path("reason").asText());
  }

  @Test
  void claim_whenIssuedInTheFuture_isRefused() throws Exception {
    SignedTicket early = kiosk.issue(EVENT, 1, Instant.now().plus(Duration.ofHours(1)), 180);
    SignedTicket skewed = kiosk.issue(EVENT, 1, Instant.now().plus(Duration.ofMinutes(3)), 180);

    Http.Reply reply = desk.claim(desk.wallet(), early.code());

    assertEquals(422, reply.status(), reply.body());
    assertEquals("ISSUED_IN_FUTURE", reply.json().path("reason").asText());
    assertEquals(
        201, desk.claim(desk.wallet(), skewed.code()).status(), "within the 10 minutes of skew");
  }

  @Test
  void claim_whenIssueTimeIsLaterThanItsRecordsArrival_isRefused() throws Exception {
    Tickets ahead = new Tickets(DeviceId.of("kiosk-ahead"), 41);
    desk.register(ahead);
    Instant hubSaw = Instant.now().minus(Duration.ofHours(3));
    SignedTicket ticket = ahead.issue(EVENT, 1, hubSaw.plus(Duration.ofHours(1)), 180);
    try (MqttPeer hub = Peers.hub(desk.broker(), DeviceId.of("hub-ahead"))) {
      hub.publish(
          Topics.hubUp(DeviceId.of("hub-ahead")),
          new Batch(
              DeviceId.of("hub-ahead"),
              1,
              List.of(ahead.record(ticket, 1, new byte[64], hubSaw.toEpochMilli()))));
      hub.nextAck(Duration.ofSeconds(20));
    }

    Http.Reply reply = desk.claim(desk.wallet(), ticket.code());

    assertEquals(422, reply.status(), reply.body());
    assertEquals("ISSUED_IN_FUTURE", reply.json().path("reason").asText());
  }

  @Test
  void claim_whenGolden_needsItsRecordAndAProofThatVerifies() throws Exception {
    String yaml =
        TestEnv.ticketEvent("golden-test", "rewards: {response: 1}\ntickets: {goldenOdds: 1/1}\n");
    publish(yaml);
    EventDefinition event = EventLoader.parse(yaml, "golden-test.yaml");
    Tickets lucky = new Tickets(DeviceId.of("kiosk-golden"), 51);
    desk.register(lucky);
    IssuingRules.Issued drawn = issue(event, lucky, 101);
    IssuingRules.Issued waiting = issue(event, lucky, 102);
    IssuingRules.Issued unproven = issue(event, lucky, 103);
    SignedTicket genuine = TicketCodec.sign(drawn.ticket(), lucky.keys().privateKey());
    SignedTicket notSynced = TicketCodec.sign(waiting.ticket(), lucky.keys().privateKey());
    SignedTicket noProof = TicketCodec.sign(unproven.ticket(), lucky.keys().privateKey());
    assertTrue(genuine.ticket().golden(), "odds 1/1 draw every ticket golden");
    // Golden at an event whose odds are 0, with the device's real draw signature for its serial.
    SignedTicket oddsZero = lucky.issue(EVENT, "response", 1, Instant.now(), 180, true);
    byte[] realDraw = issue(event, lucky, oddsZero.ticket().serial()).goldenProof();
    desk.sync(
        lucky,
        lucky.record(genuine, 11, drawn.goldenProof(), 0),
        lucky.record(noProof, 13, new byte[64], 0),
        lucky.record(oddsZero, 14, realDraw, 0));

    Http.Reply ok = desk.claim(desk.wallet(), genuine.code());
    Http.Reply later = desk.claim(desk.wallet(), notSynced.code());
    Http.Reply bad = desk.claim(desk.wallet(), noProof.code());
    Http.Reply laterPage = http.send("GET", "/T/" + notSynced.code(), null);

    assertEquals(201, ok.status(), ok.body());
    assertEquals(409, later.status(), later.body());
    assertEquals("NOT_YET_SYNCED", later.json().path("reason").asText());
    assertTrue(later.json().path("error").asText().contains("try again later"), later.body());
    assertTrue(laterPage.body().contains("Réessayez plus tard"), laterPage.body());
    assertEquals(422, bad.status(), bad.body());
    assertEquals("GOLDEN_UNPROVEN", bad.json().path("reason").asText());
    Http.Reply never = desk.claim(desk.wallet(), oddsZero.code());
    assertEquals(422, never.status(), never.body());
    assertEquals("GOLDEN_UNPROVEN", never.json().path("reason").asText());

    // Once its device is revoked, a golden ticket whose record never came is refused for good,
    // not "try again later" (DeviceTrustIT met it when a revoked kiosk's last ticket was golden).
    Http.Reply revoke =
        http.send(
            "POST",
            "/api/devices/kiosk-golden/revoke",
            "{\"after\":" + System.currentTimeMillis() / 1000 + "}",
            ClaimDesk.auth(ADMIN));
    assertEquals(200, revoke.status(), revoke.body());
    Http.Reply revoked = desk.claim(desk.wallet(), notSynced.code());
    assertEquals(403, revoked.status(), revoked.body());
    assertEquals("REVOKED", revoked.json().path("reason").asText());
  }

  /**
   * Revoked after T: a ticket counts only when its record reached the hub or the server by T,
   * whatever time the ticket (or the record's own hub time, from a device) says.
   */
  @Test
  void claim_ofRevokedDevice_countsOnlyRecordsReceivedByRevocationTime() throws Exception {
    Tickets lost = new Tickets(DeviceId.of("kiosk-stolen"), 61);
    desk.register(lost);
    Instant backdated = Instant.now().minus(Duration.ofHours(2));
    SignedTicket before = lost.issue(EVENT, 1, backdated, 180);
    desk.sync(lost, lost.record(before, 1));
    long revokedAfter = System.currentTimeMillis() / 1000 + 1;
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> System.currentTimeMillis() > revokedAfter * 1000 + 20);
    Http.Reply revoke =
        http.send(
            "POST",
            "/api/devices/kiosk-stolen/revoke",
            "{\"after\":" + revokedAfter + "}",
            ClaimDesk.auth(ADMIN));
    assertEquals(200, revoke.status(), revoke.body());
    SignedTicket afterButBackdated = lost.issue(EVENT, 1, backdated, 180);
    SignedTicket never = lost.issue(EVENT, 1, backdated, 180);
    SignedTicket viaHub = lost.issue(EVENT, 1, backdated, 180);
    // The thief's own device claims a hub saw its record long ago: not a hop's word, ignored.
    desk.sync(lost, lost.record(afterButBackdated, 2, new byte[64], backdated.toEpochMilli()));
    try (MqttPeer hub = Peers.hub(desk.broker(), DeviceId.of("hub-trusted"))) {
      long hubSaw = (revokedAfter - 60) * 1000;
      hub.publish(
          Topics.hubUp(DeviceId.of("hub-trusted")),
          new Batch(
              DeviceId.of("hub-trusted"),
              1,
              List.of(lost.record(viaHub, 4, new byte[64], hubSaw))));
      hub.nextAck(Duration.ofSeconds(20));
    }

    Http.Reply late = desk.claim(desk.wallet(), afterButBackdated.code());
    Http.Reply unsynced = desk.claim(desk.wallet(), never.code());

    assertEquals(201, desk.claim(desk.wallet(), before.code()).status());
    assertEquals(
        201, desk.claim(desk.wallet(), viaHub.code()).status(), "the hub received it before T");
    assertEquals(403, late.status(), late.body());
    assertEquals("REVOKED", late.json().path("reason").asText());
    assertEquals(403, unsynced.status(), unsynced.body());
    assertEquals("REVOKED", unsynced.json().path("reason").asText());
  }

  private static IssuingRules.Issued issue(EventDefinition event, Tickets device, long serial) {
    return (IssuingRules.Issued)
        new IssuingRules(event)
            .issue(device.keys(), device.device(), serial, 0, "response", Instant.now());
  }

  private void publish(String yaml) throws Exception {
    Http.Reply reply = http.send("POST", "/api/admin/events", yaml, ClaimDesk.auth(ADMIN));
    assertEquals(201, reply.status(), reply.body());
  }
}
