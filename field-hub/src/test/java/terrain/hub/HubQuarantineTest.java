// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.hub.TestSupport.EVENT;
import static terrain.hub.TestSupport.KIOSK;
import static terrain.hub.TestSupport.awaitJson;
import static terrain.hub.TestSupport.config;
import static terrain.hub.TestSupport.get;
import static terrain.hub.TestSupport.getJson;
import static terrain.hub.TestSupport.kiosk;
import static terrain.hub.TestSupport.responses;
import static terrain.hub.TestSupport.send;
import static terrain.hub.TestSupport.server;
import static terrain.hub.TestSupport.startOnFreePort;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.rules.QuarantineNotice;
import terrain.core.wire.Ack;
import terrain.testkit.BatchSink;
import terrain.testkit.MqttPeer;

/**
 * Poison records at the hub (decision 0016), through its real broker, store and uplink: a kiosk's
 * batch holds a response that answers one question twice between good ones. The hub acknowledges
 * the whole batch, lists the bad one on {@code /api/rejected}, its page and its metrics, and
 * forwards only a notice in its place: the server gets every good record, never the bad one.
 */
class HubQuarantineTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void publishBatch_whenPoisonRecordBetweenGoodOnes_acksAllListsItAndForwardsOnlyANotice()
      throws Exception {
    List<Record> good = responses(KIOSK, 1, 5, "a");
    ResponseBody twice =
        new ResponseBody(
            "poll-1",
            List.of(
                new ResponseBody.Answer("q1", List.of("a")),
                new ResponseBody.Answer("q1", List.of("b"))));
    Record poison =
        new Record(KIOSK, 3, RecordKind.RESPONSE, EVENT, 1_700_000_000_003L, 0, twice.encode());
    List<Record> batch = new ArrayList<>(good);
    batch.set(2, poison);

    try (Hub hub = startOnFreePort(port -> config(dir, port, "tcp://127.0.0.1:" + port, "hub-q1"));
        MqttPeer kiosk = kiosk(KIOSK, hub.mqttPort());
        BatchSink server = server(hub.mqttPort(), true)) {
      send(kiosk, KIOSK, 1, batch);

      Ack ack = kiosk.nextAck(WAIT);
      assertNotNull(ack, "the hub acknowledges the batch with the poison record in it");
      assertEquals(5L, ack.upTo().get(KIOSK));
      send(kiosk, KIOSK, 2, responses(KIOSK, 6, 6, "a"));
      assertEquals(6L, kiosk.nextAck(WAIT).upTo().get(KIOSK));

      JsonNode status =
          awaitJson(hub.httpUrl() + "/api/status", s -> s.path("pending").asLong() == 0, WAIT);
      assertEquals(1, status.path("quarantined").asLong(), status.toString());
      JsonNode rejected = getJson(hub.httpUrl() + "/api/rejected");
      assertEquals(1, rejected.size(), rejected.toString());
      JsonNode entry = rejected.get(0);
      assertEquals(KIOSK.value(), entry.path("device").asText());
      assertEquals(3, entry.path("seq").asLong());
      assertEquals("RESPONSE", entry.path("kind").asText());
      assertEquals("hub-q1", entry.path("hop").asText());
      assertTrue(
          entry.path("reason").asText().contains("[q1] is answered twice"), entry.toString());
      assertTrue(entry.path("at").asText().endsWith("Z"), entry.toString());

      List<Record> forwarded = server.records(KIOSK);
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), forwarded.stream().map(Record::seq).toList());
      Record notice = forwarded.get(2);
      assertEquals(RecordKind.QUARANTINED, notice.kind());
      QuarantineNotice said = QuarantineNotice.decode(notice.body());
      assertEquals("hub-q1", said.hop().value());
      assertEquals(RecordKind.RESPONSE, said.kind());
      assertEquals(entry.path("reason").asText(), said.reason());
      for (int i : new int[] {0, 1, 3, 4}) {
        assertEquals(good.get(i).contentHash(), forwarded.get(i).contentHash());
      }
      assertTrue(server.failures().isEmpty(), server.failures().toString());

      String page = get(hub.httpUrl() + "/?lang=en").body();
      assertTrue(page.contains("Quarantined (could not be stored):</a> 1"), page);
      String metrics = get(hub.httpUrl() + "/metrics").body();
      assertTrue(metrics.contains("terrain_records_quarantined_total 1.0"), metrics);

      // The kiosk sends the same batch again (its ack was lost): nothing changes.
      send(kiosk, KIOSK, 3, batch);
      assertEquals(6L, kiosk.nextAck(WAIT).upTo().get(KIOSK));
      assertEquals(1, getJson(hub.httpUrl() + "/api/rejected").size());
      assertFalse(getJson(hub.httpUrl() + "/api/status").path("conflicts").asLong() > 0);
    }
  }
}
