// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.ticket.DeviceKeys;
import terrain.core.trust.EnrolmentText;
import terrain.core.trust.MqttSecret;
import terrain.core.wire.Ack;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.server.ServerConfig;
import terrain.server.SyncServer;
import terrain.server.testkit.Http;
import terrain.server.testkit.LogCapture;
import terrain.server.testkit.MigratedDerby;
import terrain.server.testkit.Responses;
import terrain.testkit.MqttPeer;
import terrain.transport.MqttCredentials;

/**
 * A hub that was offline when ops revoked a kiosk forwards what the kiosk sent before and after the
 * revocation: a real server without {@code --dev} (database, embedded broker, ingest, Jetty), the
 * hub an enrolled one logging in with its own secret, the kiosk revoked through the admin API.
 */
abstract class SetAsideContract {
  static final String ADMIN = "admin-token-0123456789abcdef";
  static final String EVENT = "fete-des-voisins";
  static final Duration ACK_WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  final SecureRandom random = new SecureRandom();
  SyncServer server;
  Http http;
  MqttPeer hub;
  DeviceId hubId;
  DeviceId kiosk;
  DeviceId other;

  /** The kiosk's revocation, epoch seconds: an hour ago. */
  long revokedAfter;

  /** The database of this variant (null: Derby in the data folder); may skip the test. */
  abstract String databaseUrl() throws Exception;

  @BeforeEach
  void start() throws Exception {
    String databaseUrl = databaseUrl();
    server =
        SyncServer.start(
            new ServerConfig(
                databaseUrl == null
                    ? MigratedDerby.serverData(dir.resolve("server"))
                    : dir.resolve("server"),
                0,
                0,
                null,
                databaseUrl,
                null,
                false,
                "127.0.0.1",
                List.of(),
                false,
                ADMIN,
                1000,
                List.of(),
                false,
                null,
                null,
                null,
                terrain.core.wire.Topics.DEFAULT_INGEST_GROUP,
                false,
                terrain.server.followup.MailSettings.NONE,
                0),
            Clock.systemUTC(),
            random);
    http = new Http(server.baseUrl());
    Enrolled enrolledHub = enrol("hub");
    Enrolled enrolledKiosk = enrol("kiosk");
    Enrolled enrolledOther = enrol("kiosk");
    hubId = enrolledHub.id();
    kiosk = enrolledKiosk.id();
    other = enrolledOther.id();
    revokedAfter = Instant.now().getEpochSecond() - 3600;
    Http.Reply revoked =
        admin(
            "POST",
            "/api/admin/devices/" + kiosk + "/revoke",
            "{\"after\":\"" + Instant.ofEpochSecond(revokedAfter) + "\"}");
    assertEquals(200, revoked.status(), revoked.body());
    hub =
        MqttPeer.Options.of("tcp://127.0.0.1:" + server.brokerPort(), hubId.value())
            .as(MqttCredentials.hubUsername(hubId.value()), enrolledHub.secret())
            .connect();
    hub.subscribe(Topics.hubAck(hubId));
  }

  @AfterEach
  void stop() throws Exception {
    if (hub != null) {
      hub.close();
    }
    if (server != null) {
      server.close();
    }
  }

  record Enrolled(DeviceId id, String secret) {}

  /** Orders a device of {@link #EVENT} and enrols it as the device would. */
  Enrolled enrol(String kind) throws Exception {
    Http.Reply ordered =
        admin(
            "POST",
            "/api/admin/devices",
            "{\"kind\":\"" + kind + "\",\"event\":\"" + EVENT + "\"}");
    assertEquals(201, ordered.status(), ordered.body());
    EnrolmentText text = EnrolmentText.parse(ordered.json().get(0).get("enrolment").asText());
    DeviceKeys keys = DeviceKeys.generate(random);
    String secret = MqttSecret.generate(random);
    Http.Reply enrolled =
        http.send(
            "POST",
            "/api/enrol",
            "{\"device\":\""
                + text.device()
                + "\",\"token\":\""
                + text.token()
                + "\",\"publicKey\":\""
                + keys.publicKeyText()
                + "\",\"secretHash\":\""
                + MqttSecret.hash(secret)
                + "\",\"version\":\"0.1.0\"}");
    assertEquals(200, enrolled.status(), enrolled.body());
    return new Enrolled(text.device(), secret);
  }

  Http.Reply admin(String method, String path, String json) throws Exception {
    return http.send(method, path, json, "Authorization", "Bearer " + ADMIN);
  }

  /** Response {@code seq} of {@code device}, stamped by the hub at {@code hubTime}. */
  Record response(DeviceId device, long seq, long hubTime) {
    return Responses.of(device, "ev-aside", (int) seq).get((int) seq - 1).withHubTime(hubTime);
  }

  @Test
  void hubForwardsRevokedKiosk_recordsReceivedAfterRevocationAreSetAsideNotCountedButAcked()
      throws Exception {
    long revokedMillis = revokedAfter * 1000;
    List<Record> before =
        List.of(
            response(kiosk, 1, revokedMillis - 600_000),
            response(kiosk, 2, revokedMillis - 1),
            response(kiosk, 3, revokedMillis));
    List<Record> after =
        List.of(
            response(kiosk, 4, revokedMillis + 1),
            response(kiosk, 5, revokedMillis + 600_000),
            // Not stamped by a hub: the server's own receive time (now) is after the revocation.
            response(kiosk, 6, 0));
    List<Record> notRevoked =
        List.of(
            response(other, 1, revokedMillis + 5_000), response(other, 2, revokedMillis + 9_000));
    List<Record> batch = new ArrayList<>(before);
    batch.addAll(after);
    batch.addAll(notRevoked);
    List<Record> counted = new ArrayList<>(before);
    counted.addAll(notRevoked);

    Ack ack;
    try (LogCapture log = new LogCapture(SetAside.class)) {
      hub.publish(Topics.hubUp(hubId), new Batch(hubId, 11, batch));
      ack = hub.nextAck(ACK_WAIT);
      List<String> lines = log.lines();
      assertEquals(1, lines.size(), lines.toString());
      assertTrue(
          lines.get(0).contains("Set aside 3 record(s) of revoked device " + kiosk), lines.get(0));
    }

    assertEquals(11, ack.batchId());
    assertEquals(Map.of(kiosk, 6L, other, 2L), ack.upTo(), "everything is acknowledged");
    JsonNode summary = summary();
    assertEquals(5, summary.path("responses").asLong(), summary.toString());
    assertEquals(Responses.counts(counted), counts(summary));
    assertEquals(3, http.get("/api/status").json().path("setAside").asLong());

    Http.Reply listed = admin("GET", "/api/admin/set-aside", null);
    assertEquals(200, listed.status(), listed.body());
    assertEquals(3, listed.json().path("count").asLong());
    Map<Long, JsonNode> bySeq = new TreeMap<>();
    for (JsonNode item : listed.json().path("setAside")) {
      assertEquals(kiosk.value(), item.path("device").asText());
      assertEquals("RESPONSE", item.path("kind").asText());
      assertEquals("revoked", item.path("reason").asText());
      assertEquals("ev-aside", item.path("event").asText());
      assertEquals(
          Instant.ofEpochSecond(revokedAfter).toString(), item.path("revokedAfter").asText());
      bySeq.put(item.path("seq").asLong(), item);
    }
    assertEquals(List.of(4L, 5L, 6L), List.copyOf(bySeq.keySet()));
    assertEquals(
        Instant.ofEpochMilli(revokedMillis + 1).toString(),
        bySeq.get(4L).path("receivedAt").asText(),
        "the hub's receive time is the trusted one");
    assertEquals(
        Instant.ofEpochMilli(revokedMillis + 600_000).toString(),
        bySeq.get(5L).path("receivedAt").asText());
    Instant serverTime = Instant.parse(bySeq.get(6L).path("receivedAt").asText());
    assertTrue(
        serverTime.isAfter(Instant.now().minusSeconds(120)),
        "without a hub time, the server's: " + serverTime);
    assertFalse(bySeq.get(6L).has("hubTime"));
  }

  @Test
  void batchSentAgain_isAckedAgain_andNeitherCountedNorSetAsideTwice() throws Exception {
    long revokedMillis = revokedAfter * 1000;
    List<Record> batch =
        List.of(
            response(kiosk, 1, revokedMillis - 60_000),
            response(kiosk, 2, revokedMillis + 60_000),
            response(kiosk, 3, revokedMillis + 120_000));
    hub.publish(Topics.hubUp(hubId), new Batch(hubId, 1, batch));
    Ack first = hub.nextAck(ACK_WAIT);

    hub.publish(Topics.hubUp(hubId), new Batch(hubId, 2, batch));

    Ack second = hub.nextAck(ACK_WAIT);
    assertEquals(Map.of(kiosk, 3L), first.upTo());
    assertEquals(first.upTo(), second.upTo());
    JsonNode summary = summary();
    assertEquals(1, summary.path("responses").asLong());
    assertEquals(Responses.counts(batch.subList(0, 1)), counts(summary));
    assertEquals(2, http.get("/api/status").json().path("setAside").asLong());
    assertEquals(2, admin("GET", "/api/admin/set-aside", null).json().path("count").asLong());
  }

  @Test
  void setAsideList_withoutTheAdminToken_is401() throws Exception {
    assertEquals(401, http.get("/api/admin/set-aside").status());
    assertEquals(
        401,
        http.send(
                "GET",
                "/api/admin/set-aside",
                null,
                "Authorization",
                "Bearer wrong-token-0123456789")
            .status());
    Http.Reply empty = admin("GET", "/api/admin/set-aside", null);
    assertEquals(200, empty.status(), empty.body());
    assertEquals(0, empty.json().path("count").asLong());
    assertEquals(0, http.get("/api/status").json().path("setAside").asLong());
  }

  JsonNode summary() throws Exception {
    Http.Reply reply = http.get("/api/events/ev-aside/summary");
    assertEquals(200, reply.status(), reply.body());
    return reply.json();
  }

  static Map<String, Map<String, Long>> counts(JsonNode summary) {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    summary
        .path("byQuestion")
        .properties()
        .forEach(
            question ->
                question
                    .getValue()
                    .properties()
                    .forEach(
                        option -> {
                          if (option.getValue().asLong() > 0) {
                            counts
                                .computeIfAbsent(question.getKey(), q -> new TreeMap<>())
                                .put(option.getKey(), option.getValue().asLong());
                          }
                        }));
    return counts;
  }
}
