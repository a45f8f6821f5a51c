// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.hub.TestSupport.KIOSK;
import static terrain.hub.TestSupport.awaitJson;
import static terrain.hub.TestSupport.config;
import static terrain.hub.TestSupport.getJson;
import static terrain.hub.TestSupport.kiosk;
import static terrain.hub.TestSupport.responses;
import static terrain.hub.TestSupport.send;
import static terrain.hub.TestSupport.server;
import static terrain.hub.TestSupport.startOnFreePort;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.Record;
import terrain.core.wire.Ack;
import terrain.core.wire.Batch;
import terrain.testkit.BatchSink;
import terrain.testkit.MqttPeer;

/**
 * The hub's uplink against a fake sync server. HiveMQ embedded runs once per JVM, so the "server"
 * is a plain {@code svc:} client on the hub's own broker and the uplink points at that broker: the
 * hub connects as {@code hub:{id}} and publishes on {@code terrain/v1/hub/{id}/up} exactly as it
 * would to a real server.
 */
class HubUplinkTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void forward_whenServerAcks_pendingDropsToZero() throws Exception {
    try (Hub hub = startOnFreePort(port -> config(dir, port, "tcp://127.0.0.1:" + port, "hub-u1"));
        BatchSink server = server(hub.mqttPort(), true);
        MqttPeer kiosk = kiosk(KIOSK, hub.mqttPort())) {
      String url = hub.httpUrl() + "/api/status";
      awaitJson(url, s -> s.path("uplink").asText().equals("up"), WAIT);

      send(kiosk, KIOSK, 1, responses(KIOSK, 1, 3, "a"));
      Ack ack = kiosk.nextAck(Duration.ofSeconds(10));
      assertNotNull(ack);
      assertEquals(3L, ack.upTo().get(KIOSK));

      JsonNode status = awaitJson(url, s -> s.path("pending").asLong() == 0, WAIT);
      assertTrue(status.path("lastAck").asLong() > 0, status.toString());
      assertEquals(3, status.path("devices").path(0).path("forwarded").asLong());
      Batch batch = server.batches().get(0);
      assertEquals("hub-u1", batch.sender().value());
      assertEquals(List.of(1L, 2L, 3L), batch.records().stream().map(Record::seq).toList());
      assertTrue(server.failures().isEmpty(), server.failures().toString());
    }
  }

  @Test
  void forward_whenServerSilent_keepsRecordsPendingAndResendsAfterAckTimeout() throws Exception {
    try (Hub hub = startOnFreePort(port -> config(dir, port, "tcp://127.0.0.1:" + port, "hub-u2"));
        BatchSink server = server(hub.mqttPort(), false);
        MqttPeer kiosk = kiosk(KIOSK, hub.mqttPort())) {
      String url = hub.httpUrl() + "/api/status";
      awaitJson(url, s -> s.path("uplink").asText().equals("up"), WAIT);

      send(kiosk, KIOSK, 1, responses(KIOSK, 1, 3, "a"));
      assertNotNull(kiosk.nextAck(Duration.ofSeconds(10)), "the hub acks the kiosk anyway");
      await("a first batch at the server").atMost(WAIT).until(() -> server.batches().size() >= 1);
      long firstSeen = System.nanoTime();
      await("the same batch sent again").atMost(WAIT).until(() -> server.batches().size() >= 2);
      long resentAfterMillis = (System.nanoTime() - firstSeen) / 1_000_000;

      assertTrue(
          resentAfterMillis >= TestSupport.FAST_UPLINK.ackTimeout().toMillis() - 1_100,
          "resent after the ack timeout, not at once: " + resentAfterMillis + " ms");
      List<Batch> batches = server.batches();
      assertEquals(
          batches.get(0).records(),
          batches.get(1).records(),
          "the resend carries the same records");
      JsonNode status = getJson(url);
      assertEquals(3, status.path("pending").asLong(), status.toString());
      assertTrue(status.path("lastAck").isNull());

      server.acking(true);
      JsonNode after = awaitJson(url, s -> s.path("pending").asLong() == 0, WAIT);
      assertEquals(3, after.path("devices").path(0).path("forwarded").asLong());
    }
  }
}
