// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.hub.TestSupport.KIOSK;
import static terrain.hub.TestSupport.awaitJson;
import static terrain.hub.TestSupport.config;
import static terrain.hub.TestSupport.freePort;
import static terrain.hub.TestSupport.get;
import static terrain.hub.TestSupport.getJson;
import static terrain.hub.TestSupport.kiosk;
import static terrain.hub.TestSupport.responses;
import static terrain.hub.TestSupport.send;
import static terrain.hub.TestSupport.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.wire.Ack;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.core.wire.WireCodec;
import terrain.testkit.BatchSink;
import terrain.testkit.MqttPeer;
import terrain.transport.Receiver;

class HubTest {
  private static final Duration ACK_WAIT = Duration.ofSeconds(10);
  private static final Duration STATUS_WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void publishBatch_whenUplinkDown_acksDeviceAndKeepsRecordsPending() throws Exception {
    String noServer = "tcp://127.0.0.1:" + freePort();
    try (Hub hub =
            Hub.start(config(dir, 0, noServer, "hub-t1"), Clock.systemUTC(), new SecureRandom());
        MqttPeer kiosk = kiosk(KIOSK, hub.mqttPort())) {
      send(kiosk, KIOSK, 1, responses(KIOSK, 1, 3, "a"));

      Ack ack = kiosk.nextAck(ACK_WAIT);
      assertNotNull(ack, "the hub acknowledges the batch");
      assertEquals(3L, ack.upTo().get(KIOSK));
      assertEquals(DeviceId.of("hub-t1"), ack.receiver());
      assertEquals(1L, ack.batchId());

      JsonNode status = getJson(hub.httpUrl() + "/api/status");
      assertEquals("hub-t1", status.path("hub").asText());
      assertEquals("down", status.path("uplink").asText());
      assertFalse(status.path("uplinkProblem").asText().isEmpty(), status.toString());
      assertEquals(3, status.path("pending").asLong());
      assertTrue(status.path("lastAck").isNull());
      assertEquals(3, status.path("received").asLong());
      assertEquals(0, status.path("rejected").asLong());
      assertEquals(0, status.path("conflicts").asLong());
      JsonNode health = status.path("health");
      assertEquals(3, health.path("pendingByDevice").path("kiosk-t1").asLong(), health.toString());
      assertTrue(health.path("diskFreeBytes").asLong() > 0, health.toString());
      assertTrue(health.path("heapUsedBytes").asLong() > 0, health.toString());
      assertFalse(health.has("lastUplinkAck"), "no ack yet: left out, " + health);
      JsonNode device = status.path("devices").get(0);
      assertEquals("kiosk-t1", device.path("id").asText());
      assertEquals(3, device.path("committed").asLong());
      assertEquals(0, device.path("forwarded").asLong());
      assertTrue(device.path("lastSeen").asLong() > 0);
    }
  }

  @Test
  void deviceStatus_whenKioskAnnouncesThenVanishes_showsOnlineThenOffline() throws Exception {
    String noServer = "tcp://127.0.0.1:" + freePort();
    try (Hub hub =
        Hub.start(config(dir, 0, noServer, "hub-t2"), Clock.systemUTC(), new SecureRandom())) {
      String url = hub.httpUrl() + "/api/status";
      MqttPeer kiosk = kiosk(KIOSK, hub.mqttPort());
      try {
        kiosk.publish(Topics.deviceStatus(KIOSK), "online".getBytes(UTF_8), true);
        awaitJson(url, s -> s.path("devices").path(0).path("online").asBoolean(), STATUS_WAIT);

        kiosk.vanish();
        JsonNode status =
            awaitJson(
                url, s -> !s.path("devices").path(0).path("online").asBoolean(true), STATUS_WAIT);
        assertEquals("kiosk-t1", status.path("devices").path(0).path("id").asText());
        assertEquals(0, status.path("devices").path(0).path("committed").asLong());
      } finally {
        kiosk.close();
      }
    }
  }

  @Test
  void publishMalformedPayloads_whenKioskSendsGarbage_rejectsThemAndAcksTheNextBatch()
      throws Exception {
    Logger receiverLog = (Logger) LoggerFactory.getLogger(Receiver.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    receiverLog.addAppender(logged);
    String noServer = "tcp://127.0.0.1:" + freePort();
    try (Hub hub =
            Hub.start(config(dir, 0, noServer, "hub-t3"), Clock.systemUTC(), new SecureRandom());
        MqttPeer kiosk = kiosk(KIOSK, hub.mqttPort())) {
      String url = hub.httpUrl() + "/api/status";
      byte[] garbage = new byte[200];
      new Random(42).nextBytes(garbage);
      kiosk.publish(Topics.deviceUp(KIOSK), garbage, false);
      List<Record> otherDevice = responses(DeviceId.of("kiosk-t2"), 1, 3, "x");
      kiosk.publish(
          Topics.deviceUp(KIOSK), WireCodec.encodeBatch(new Batch(KIOSK, 7, otherDevice)), false);
      awaitJson(url, s -> s.path("rejected").asLong() == 2, STATUS_WAIT);

      send(kiosk, KIOSK, 8, responses(KIOSK, 1, 3, "a"));
      Ack ack = kiosk.nextAck(ACK_WAIT);
      assertNotNull(ack, "the batch after the bad ones is acknowledged");
      assertEquals(8L, ack.batchId(), "no ack was sent for the rejected payloads");
      assertEquals(3L, ack.upTo().get(KIOSK));

      JsonNode status = getJson(url);
      assertEquals(3, status.path("pending").asLong());
      assertEquals(1, status.path("devices").size(), "nothing stored for kiosk-t2: " + status);
      List<String> rejections =
          logged.list.stream()
              .map(ILoggingEvent::getFormattedMessage)
              .filter(m -> m.startsWith("Rejected a payload"))
              .toList();
      assertEquals(2, rejections.size(), logged.list.toString());
      assertTrue(rejections.get(0).contains("magic byte"), rejections.get(0));
      assertTrue(rejections.get(1).contains("kiosk-t2"), rejections.get(1));
    } finally {
      receiverLog.detachAppender(logged);
    }
  }

  @Test
  void publishSameSeq_whenContentDiffers_keepsItAsideAsConflict() throws Exception {
    String noServer = "tcp://127.0.0.1:" + freePort();
    try (Hub hub =
            Hub.start(config(dir, 0, noServer, "hub-t4"), Clock.systemUTC(), new SecureRandom());
        MqttPeer kiosk = kiosk(KIOSK, hub.mqttPort())) {
      send(kiosk, KIOSK, 1, responses(KIOSK, 1, 2, "a"));
      assertNotNull(kiosk.nextAck(ACK_WAIT));
      send(kiosk, KIOSK, 2, responses(KIOSK, 2, 2, "b"));
      Ack again = kiosk.nextAck(ACK_WAIT);
      assertNotNull(again);
      assertEquals(2L, again.upTo().get(KIOSK));

      JsonNode status = getJson(hub.httpUrl() + "/api/status");
      assertEquals(1, status.path("conflicts").asLong());
      assertEquals(2, status.path("pending").asLong());
      JsonNode conflicts = getJson(hub.httpUrl() + "/api/conflicts");
      assertEquals(1, conflicts.size());
      assertEquals("kiosk-t1", conflicts.get(0).path("device").asText());
      assertEquals(2, conflicts.get(0).path("seq").asLong());
      assertEquals("RESPONSE", conflicts.get(0).path("kind").asText());
    }
  }

  @Test
  void get_whenPathUnknownOrPage_answersJson404AndEscapedPage() throws Exception {
    String noServer = "tcp://127.0.0.1:" + freePort();
    try (Hub hub =
        Hub.start(config(dir, 0, noServer, "hub-t5"), Clock.systemUTC(), new SecureRandom())) {
      HttpResponse<String> missing = get(hub.httpUrl() + "/nope");
      assertEquals(404, missing.statusCode());
      assertTrue(
          missing.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
      assertTrue(missing.body().contains("\"not found\""), missing.body());

      HttpResponse<String> page = get(hub.httpUrl() + "/");
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("Boîtier terrain"), page.body());
      assertTrue(page.body().contains("coupée"), page.body());
      assertTrue(page.body().contains("hub-t5"), page.body());
      assertTrue(page.body().contains("<html lang=\"fr\">"), page.body());
      assertEquals("Accept-Language", page.headers().firstValue("Vary").orElse(""));

      HttpResponse<String> english = get(hub.httpUrl() + "/", "en-GB,en;q=0.9,fr;q=0.5");
      assertTrue(english.body().contains("<html lang=\"en\">"), english.body());
      assertTrue(english.body().contains("Field hub hub-t5"), english.body());
      assertTrue(english.body().contains(">down<"), english.body());

      HttpResponse<String> chosen = get(hub.httpUrl() + "/?lang=en", "fr");
      assertTrue(chosen.body().contains("Field hub hub-t5"), chosen.body());
      HttpResponse<String> back = get(hub.httpUrl() + "/?lang=fr", "en");
      assertTrue(back.body().contains("Boîtier terrain hub-t5"), back.body());
    }
  }

  @Test
  void restart_whenSameDataFolder_keepsGeneratedIdAndResendsPendingRecords() throws Exception {
    String firstId;
    String noServer = "tcp://127.0.0.1:" + freePort();
    try (Hub hub =
            Hub.start(config(dir, 0, noServer, null), Clock.systemUTC(), new SecureRandom());
        MqttPeer kiosk = kiosk(KIOSK, hub.mqttPort())) {
      firstId = hub.id().value();
      assertTrue(firstId.matches("hub-[a-z0-9]{6}"), firstId);
      send(kiosk, KIOSK, 1, responses(KIOSK, 1, 3, "a"));
      assertNotNull(kiosk.nextAck(ACK_WAIT));
    }

    // The server now lives on the hub's own broker (one HiveMQ per JVM).
    try (Hub hub =
        TestSupport.startOnFreePort(port -> config(dir, port, "tcp://127.0.0.1:" + port, null))) {
      assertEquals(firstId, hub.id().value(), "same id across restarts");
      String url = hub.httpUrl() + "/api/status";
      JsonNode before = getJson(url);
      assertEquals(firstId, before.path("hub").asText());
      assertEquals(3, before.path("pending").asLong(), before.toString());
      assertEquals(0, before.path("received").asLong());

      try (BatchSink server = server(hub.mqttPort(), true)) {
        JsonNode after =
            awaitJson(url, s -> s.path("pending").asLong() == 0, Duration.ofSeconds(20));
        assertEquals("up", after.path("uplink").asText());
        assertTrue(after.path("uplinkProblem").isNull());
        assertTrue(after.path("lastAck").asLong() > 0);
        assertEquals(3, after.path("devices").path(0).path("forwarded").asLong());
        Batch batch = server.batches().get(server.batches().size() - 1);
        assertEquals(firstId, batch.sender().value());
        assertEquals(List.of(1L, 2L, 3L), batch.records().stream().map(Record::seq).toList());
        assertTrue(batch.records().stream().allMatch(r -> r.hubTime() > 0), "hub time stamped");
        assertTrue(server.failures().isEmpty(), server.failures().toString());
      }
    }
  }

  @Test
  void start_whenHttpPortTaken_failsWithExitCode2AndTheFix() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
      taken.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
      HubConfig config =
          HubConfig.of(
                  dir,
                  0,
                  taken.getLocalPort(),
                  "tcp://127.0.0.1:" + freePort(),
                  "hub-t6",
                  TestSupport.SITE_KEY,
                  TestSupport.SITE_KEY)
              .withBindAddress("127.0.0.1")
              .withUplinkSettings(TestSupport.FAST_UPLINK);
      HubStartException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              HubStartException.class,
              () -> Hub.start(config, Clock.systemUTC(), new SecureRandom()));
      assertEquals(2, e.exitCode());
      assertEquals(
          "HTTP port "
              + taken.getLocalPort()
              + " is already in use. Stop the other process or pass --http PORT with a free port"
              + " (0 picks one).",
          e.getMessage());
    }
    // Everything was closed again: the same data folder opens at once.
    try (Hub hub =
        Hub.start(
            config(dir, 0, "tcp://127.0.0.1:" + freePort(), null),
            Clock.systemUTC(),
            new SecureRandom())) {
      assertEquals("hub-t6", hub.id().value());
      assertNull(hub.status().lastAck());
    }
  }

  /**
   * What {@link TestSupport#startOnFreePort} relies on: a start that finds its MQTT port taken says
   * so, and the next start in the same JVM (one embedded broker per JVM) binds another port.
   */
  @Test
  void start_whenMqttPortTaken_saysSoAndAStartOnAnotherPortWorks() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
      taken.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      HubStartException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              HubStartException.class,
              () ->
                  Hub.start(
                      config(dir, port, "tcp://127.0.0.1:" + port, "hub-t7"),
                      Clock.systemUTC(),
                      new SecureRandom()));
      assertTrue(e.getMessage().contains("MQTT port " + port), e.getMessage());
      assertTrue(e.getMessage().contains("already in use"), e.getMessage());
    }
    try (Hub hub =
        TestSupport.startOnFreePort(
            free -> config(dir, free, "tcp://127.0.0.1:" + free, "hub-t7"))) {
      assertEquals("hub-t7", hub.id().value());
      try (BatchSink server = server(hub.mqttPort(), true)) {
        awaitJson(
            hub.httpUrl() + "/api/status",
            s -> s.path("uplink").asText().equals("up"),
            Duration.ofSeconds(20));
      }
    }
  }
}
