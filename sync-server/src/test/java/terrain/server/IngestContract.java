// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.rules.QuarantineNotice;
import terrain.core.wire.Ack;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.core.wire.WireCodec;
import terrain.server.testkit.Http;
import terrain.server.testkit.LogCapture;
import terrain.server.testkit.Peers;
import terrain.server.testkit.Responses;
import terrain.server.testkit.TestEnv;
import terrain.store.Database;
import terrain.store.RecordStore;
import terrain.testkit.MqttPeer;
import terrain.transport.Forwarder;
import terrain.transport.MqttCredentials;
import terrain.transport.MqttLink;
import terrain.transport.Receiver;

/**
 * The ingest, end to end inside one JVM: a real server (database, broker, ingest, Jetty) and a
 * hand-driven hub publishing real batches over MQTT, results read over real HTTP. Run on each
 * broker and database the server supports.
 */
abstract class IngestContract {
  static final Duration ACK_WAIT = Duration.ofSeconds(20);
  static final String ADMIN = "admin-token-ingest";

  @TempDir Path dir;
  SyncServer server;
  MqttPeer hub;
  Http http;
  DeviceId hubId;
  String eventId;
  DeviceId kioskA;
  DeviceId kioskB;

  /** The server's configuration for this variant (may skip the test). */
  abstract ServerConfig config(Path dir) throws Exception;

  /** Where the hub connects. */
  abstract String brokerUrl(SyncServer server);

  @BeforeEach
  void start() throws Exception {
    String run = TestEnv.unique();
    hubId = DeviceId.of("hub-t1-" + run);
    eventId = "ev-" + run;
    kioskA = DeviceId.of("kiosk-a-" + run);
    kioskB = DeviceId.of("kiosk-b-" + run);
    server =
        SyncServer.start(
            TestEnv.withAdminToken(config(dir), ADMIN),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    http = new Http(server.baseUrl());
    hub = Peers.hub(brokerUrl(server), hubId);
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

  @Test
  void publishBatch_whenRecordsOfTwoDevices_acksUpToPerDeviceAndCountsExactly() throws Exception {
    List<Record> records = twoDevices(5, 3);

    hub.publish(Topics.hubUp(hubId), new Batch(hubId, 41, records));

    Ack ack = hub.nextAck(ACK_WAIT);
    assertEquals(41, ack.batchId());
    assertEquals(Map.of(kioskA, 5L, kioskB, 3L), ack.upTo());
    JsonNode summary = summary();
    assertEquals(eventId, summary.path("event").asText());
    assertEquals(8, summary.path("responses").asLong());
    assertEquals(Responses.counts(records), counts(summary));
  }

  @Test
  void publishBatch_whenSentTwice_countsOnceAndAcksAgain() throws Exception {
    List<Record> records = twoDevices(4, 6);
    byte[] batch = WireCodec.encodeBatch(new Batch(hubId, 7, records));
    hub.publish(Topics.hubUp(hubId), batch, false);
    Ack first = hub.nextAck(ACK_WAIT);
    JsonNode before = summary();

    hub.publish(Topics.hubUp(hubId), batch, false);

    Ack second = hub.nextAck(ACK_WAIT);
    assertEquals(first.upTo(), second.upTo());
    assertEquals(Map.of(kioskA, 4L, kioskB, 6L), second.upTo());
    JsonNode after = summary();
    assertEquals(before, after);
    assertEquals(10, after.path("responses").asLong());
    assertEquals(Responses.counts(records), counts(after));
  }

  @Test
  void publishBatch_whenIdentityReusedWithOtherContent_keepsConflictAsideAndDoesNotCount()
      throws Exception {
    List<Record> records = twoDevices(3, 2);
    hub.publish(Topics.hubUp(hubId), new Batch(hubId, 1, records));
    hub.nextAck(ACK_WAIT);
    Record changed = Responses.response(kioskA, 2, eventId, "voiture", List.of("autre"));

    hub.publish(Topics.hubUp(hubId), new Batch(hubId, 2, List.of(changed)));

    Ack ack = hub.nextAck(ACK_WAIT);
    assertEquals(Map.of(kioskA, 3L), ack.upTo());
    JsonNode summary = summary();
    assertEquals(5, summary.path("responses").asLong());
    assertEquals(Responses.counts(records), counts(summary));
    JsonNode conflicts = http.get("/api/conflicts").json();
    assertEquals(1, conflicts.path("count").asInt());
    JsonNode conflict = conflicts.path("conflicts").get(0);
    assertEquals(kioskA.value(), conflict.path("device").asText());
    assertEquals(2, conflict.path("seq").asLong());
    assertEquals(eventId, conflict.path("event").asText());
    assertEquals(
        String.format("%016x", changed.contentHash()), conflict.path("receivedHash").asText());
    assertEquals(1, http.get("/api/status").json().path("conflicts").asLong());
  }

  @Test
  void publish_whenGarbageOrTruncatedBatch_rejectsWithLogLineAndProcessesNextBatch()
      throws Exception {
    byte[] valid = WireCodec.encodeBatch(new Batch(hubId, 3, twoDevices(6, 6)));
    try (LogCapture log = new LogCapture(Receiver.class)) {
      hub.publish(Topics.hubUp(hubId), new byte[] {0x13, 0x37, 0x00, (byte) 0xFF, 0x42}, false);
      hub.publish(Topics.hubUp(hubId), Arrays.copyOf(valid, valid.length / 2), false);
      List<Record> next = twoDevices(2, 1);

      hub.publish(Topics.hubUp(hubId), new Batch(hubId, 4, next));

      Ack ack = hub.nextAck(ACK_WAIT);
      assertEquals(4, ack.batchId());
      assertEquals(Map.of(kioskA, 2L, kioskB, 1L), ack.upTo());
      JsonNode summary = summary();
      assertEquals(3, summary.path("responses").asLong());
      assertEquals(Responses.counts(next), counts(summary));
      List<String> rejected =
          log.lines().stream().filter(l -> l.startsWith("WARN Rejected a payload")).toList();
      assertEquals(2, rejected.size(), "log lines: " + log.lines());
      assertTrue(rejected.get(0).contains("magic byte"), rejected.get(0));
      JsonNode status = http.get("/api/status").json();
      assertEquals(2, status.path("rejected").asLong());
      assertEquals(3, status.path("received").asLong());
      assertEquals("up", status.path("ingest").asText());
    }
  }

  /**
   * Issue 12's poison records (decision 0016): a response that answers one question twice (its free
   * answers would hit a primary key) and one with U+0000 in a text (PostgreSQL refuses it), between
   * good ones, then a later batch. Every good record is counted, both bad ones are quarantined with
   * their reason and acknowledged, so the later batch goes through. A notice the hub sends for a
   * record it quarantined itself is listed with the hub's name and not counted.
   */
  @Test
  void publishBatch_whenPoisonRecordsBetweenGoodOnes_quarantinesThemAndEveryGoodOneArrives()
      throws Exception {
    List<Record> good = new ArrayList<>(Responses.of(kioskA, eventId, 6));
    Record twice = poison(kioskA, 4, "q-text", "q-text", "deux fois");
    good.remove(3);
    List<Record> goodB = new ArrayList<>(Responses.of(kioskB, eventId, 3));
    Record nul = poison(kioskB, 2, "q-text", "q-other", "nul\u0000ici");
    goodB.remove(1);
    List<Record> first = new ArrayList<>(good.subList(0, 3));
    first.add(twice);
    first.addAll(good.subList(3, 5));
    first.add(goodB.get(0));
    first.add(nul);
    first.add(goodB.get(1));
    Record notice =
        new Record(
            kioskB,
            4,
            RecordKind.QUARANTINED,
            eventId,
            1_700_000_000_004L,
            0,
            new QuarantineNotice(hubId, RecordKind.IDEA, "idea body does not decode").encode());
    first.add(notice);
    try (LogCapture log = new LogCapture(Receiver.class)) {
      hub.publish(Topics.hubUp(hubId), new Batch(hubId, 51, first));

      Ack ack = hub.nextAck(ACK_WAIT);
      assertEquals(Map.of(kioskA, 6L, kioskB, 4L), ack.upTo());
      assertEquals(
          2,
          log.lines().stream().filter(l -> l.startsWith("WARN Quarantined RESPONSE")).count(),
          "log lines: " + log.lines());
    }
    Record later = Responses.of(kioskA, eventId, 7).get(6);
    hub.publish(Topics.hubUp(hubId), new Batch(hubId, 52, List.of(later)));
    assertEquals(Map.of(kioskA, 7L), hub.nextAck(ACK_WAIT).upTo());

    List<Record> counted = new ArrayList<>(good);
    counted.add(later);
    counted.addAll(goodB);
    JsonNode summary = summary();
    assertEquals(counted.size(), summary.path("responses").asLong());
    assertEquals(Responses.counts(counted), counts(summary));
    Http.Reply listed = http.send("GET", "/api/rejected", null, "Authorization", "Bearer " + ADMIN);
    assertEquals(200, listed.status(), listed.body());
    JsonNode rejected = listed.json();
    assertEquals(3, rejected.size(), listed.body());
    Map<String, JsonNode> byDevice = new TreeMap<>();
    rejected.forEach(r -> byDevice.put(r.path("device").asText() + "#" + r.path("seq"), r));
    JsonNode a = byDevice.get(kioskA.value() + "#4");
    JsonNode b = byDevice.get(kioskB.value() + "#2");
    assertTrue(a.path("reason").asText().contains("[q-text] is answered twice"), a.toString());
    assertTrue(b.path("reason").asText().contains("U+0000"), b.toString());
    assertEquals("RESPONSE", b.path("kind").asText());
    assertTrue(b.path("at").asText().endsWith("Z"), b.toString());
    assertEquals(401, http.get("/api/rejected").status());
    JsonNode upstream = byDevice.get(kioskB.value() + "#4");
    assertEquals(hubId.value(), upstream.path("hop").asText());
    assertEquals("IDEA", upstream.path("kind").asText());
    assertEquals("idea body does not decode", upstream.path("reason").asText());
    assertEquals(3, http.get("/api/status").json().path("quarantined").asLong());
    String metrics = http.get("/metrics").body();
    assertTrue(metrics.contains("terrain_records_quarantined_total 2.0"), metrics);
  }

  /** A response whose two answers name {@code q1} and {@code q2} and hold {@code text}. */
  Record poison(DeviceId device, long seq, String q1, String q2, String text) {
    ResponseBody body =
        new ResponseBody(
            "poll-1",
            List.of(
                new ResponseBody.Answer("q-mode", List.of("pied")),
                ResponseBody.Answer.text(q1, "premier"),
                ResponseBody.Answer.text(q2, text)));
    return new Record(
        device, seq, RecordKind.RESPONSE, eventId, 1_700_000_000_000L + seq, 0, body.encode());
  }

  @Test
  void publishOnDeviceTopic_whenDeviceTalksToServerDirectly_acksOnItsAckTopicAndCounts()
      throws Exception {
    List<Record> records = Responses.of(kioskA, eventId, 4);
    try (MqttPeer device = Peers.device(brokerUrl(server), kioskA)) {

      device.publish(Topics.deviceUp(kioskA), new Batch(kioskA, 9, records));

      Ack ack = device.nextAck(ACK_WAIT);
      assertEquals(Map.of(kioskA, 4L), ack.upTo());
    }
    JsonNode summary = summary();
    assertEquals(4, summary.path("responses").asLong());
    assertEquals(Responses.counts(records), counts(summary));
  }

  /**
   * The real uplink of a field hub (core's Forwarder over MqttLink, as the hub runs it) drains a
   * market day's backlog: everything is acknowledged, so the hub's outbox empties, and counted
   * exactly once.
   */
  @Test
  void forwarder_whenHubSendsBacklog_serverAcksEverythingAndCountsExactly() throws Exception {
    hub.close();
    hub = null;
    List<Record> backlog = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      backlog.addAll(Responses.of(DeviceId.of("kiosk-" + k + "-" + hubId), eventId, 500));
    }
    Database hubDb = Database.open(Database.derbyUrl(dir.resolve("hub-db")));
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (RecordStore hubStore = new RecordStore(hubDb)) {
      hubStore.accept(backlog, 1_000, true, RecordStore.InsertHook.NONE);
      assertEquals(2000, hubStore.pendingCount());
      Forwarder uplink =
          new Forwarder(
              hubStore,
              hubId,
              Topics.hubUp(hubId),
              Forwarder.Settings.uplink(),
              scheduler,
              Clock.systemUTC());
      String username = MqttCredentials.hubUsername(hubId.value());
      MqttLink link =
          new MqttLink(
              MqttLink.Settings.of(
                      brokerUrl(server),
                      hubId.value(),
                      username,
                      MqttCredentials.passwordFor(MqttCredentials.DEVELOPMENT_KEY, username))
                  .endingSessionOnClose(),
              List.of(new MqttLink.Subscription(Topics.hubAck(hubId), 1, uplink::onAck)),
              uplink,
              scheduler,
              RandomGenerator.getDefault());
      uplink.attach(link);
      try {
        link.start();
        http.awaitJson(
            "/api/events/" + eventId + "/summary",
            s -> s.path("responses").asLong() >= 2000,
            Duration.ofSeconds(60));
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertEquals(0, hubStore.pendingCount(), "hub outbox after the server's acks"));
      } finally {
        link.close();
      }
    } finally {
      scheduler.shutdownNow();
      hubDb.close();
    }
    JsonNode summary = summary();
    assertEquals(2000, summary.path("responses").asLong());
    assertEquals(Responses.counts(backlog), counts(summary));
  }

  List<Record> twoDevices(int a, int b) {
    List<Record> records = new ArrayList<>(Responses.of(kioskA, eventId, a));
    records.addAll(Responses.of(kioskB, eventId, b));
    return records;
  }

  /** The summary once the acked records are visible (they are committed before the ack). */
  JsonNode summary() throws Exception {
    Http.Reply reply = http.get("/api/events/" + eventId + "/summary");
    assertEquals(200, reply.status(), reply.body());
    assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
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
