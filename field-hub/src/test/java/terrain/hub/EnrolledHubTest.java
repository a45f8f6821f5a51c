// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.hub.TestSupport.awaitJson;
import static terrain.hub.TestSupport.freePort;
import static terrain.hub.TestSupport.getJson;
import static terrain.hub.TestSupport.startOnFreePort;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.ticket.DeviceKeys;
import terrain.core.wire.Ack;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.enrolment.EnrolmentClient;
import terrain.hub.trust.HubTrust;
import terrain.testkit.BatchSink;
import terrain.testkit.MqttPeer;
import terrain.transport.MqttCredentials;

/**
 * An enrolled hub at work. HiveMQ embedded runs once per JVM, so the "server broker" is the hub's
 * own broker: the hub's uplink logs in there as {@code hub:ID} with its own secret, the test plays
 * the server's services with a {@code svc:} login, and publishes the event's signed configuration
 * retained on {@code terrain/v1/event/{event}/config} exactly as the server would.
 */
class EnrolledHubTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String K1 = "kiosk-aa0001";
  private static final String K2 = "kiosk-aa0002";

  @TempDir Path dir;

  @Test
  void enrolledHub_admitsItsKiosks_refusesOthers_andObeysTheSignedConfiguration() throws Exception {
    Path data = dir.resolve("hub");
    int port = freePort();
    String s1;
    String s2;
    ServerStandIn server = new ServerStandIn();
    try {
      server.uplink("tcp://127.0.0.1:" + port);
      s1 = server.enrolledKiosk(K1);
      s2 = server.enrolledKiosk(K2);
      HubTrust.enrol(
          EnrolmentClient.withDefaultClient(new SecureRandom()),
          server.waitingHub("hub-e1e2e3"),
          data);
    } finally {
      server.close(); // the HTTP side: the hub needs it no more
    }
    HubTrust trust = HubTrust.load(data).orElseThrow();
    try (Hub hub = startOnFreePort(TestSupport.enrolledAt(data, trust));
        BatchSink ingest = serverIngest(hub);
        MqttPeer services = service(hub, "fake-server-config")) {
      String status = hub.httpUrl() + "/api/status";
      awaitJson(status, s -> s.path("uplink").asText().equals("up"), WAIT);

      // An enrolled kiosk with its own secret: its records reach the "server" and are acked.
      MqttPeer k1 = kiosk(hub, K1, s1);
      long ahead = Duration.ofMinutes(5).toMillis();
      k1.publish(
          Topics.deviceUp(DeviceId.of(K1)),
          new Batch(DeviceId.of(K1), 1, records(K1, 1, 3, System.currentTimeMillis() + ahead)));
      Ack ack = k1.nextAck(Duration.ofSeconds(10));
      assertNotNull(ack, "the hub acks the enrolled kiosk");
      assertEquals(3L, ack.upTo().get(DeviceId.of(K1)));
      awaitJson(status, s -> s.path("pending").asLong() == 0, WAIT);
      assertEquals(3, ingest.records(DeviceId.of(K1)).size());

      // A device not in the list, and a listed one with a wrong secret, are refused at CONNECT.
      assertThrows(MqttException.class, () -> kiosk(hub, "kiosk-ff0009", s1));
      assertThrows(MqttException.class, () -> kiosk(hub, K2, s1));
      assertThrows(
          MqttException.class,
          () -> kiosk(hub, K2, MqttCredentials.passwordFor(TestSupport.SITE_KEY, "dev:" + K2)));
      kiosk(hub, K2, s2).close();

      String topic = Topics.eventConfig(ServerStandIn.EVENT);
      long inForce = trust.current().bundle().sequence();

      // A configuration revoking K1, signed by another key: ignored, K1 stays.
      server.revoke(K1, Instant.now().minusSeconds(1));
      String forged = server.config(DeviceKeys.generate(new SecureRandom()), inForce + 100);
      services.publish(topic, forged.getBytes(StandardCharsets.UTF_8), true);
      // The same revocation, signed by the server but older than the list in force: ignored.
      String older = server.config(server.serverKeys, inForce - 1);
      services.publish(topic, older.getBytes(StandardCharsets.UTF_8), true);
      assertTrue(k1.quietFor(Duration.ofSeconds(2)));
      assertTrue(k1.isConnected(), "a forged or older configuration changes nothing");
      assertEquals(
          inForce,
          getJson(hub.httpUrl() + "/api/preflight").path("hub").path("bundleSequence").asLong());
      assertFalse(Files.exists(data.resolve("trust/config")));

      // The server's newer configuration: K1 is disconnected and cannot come back.
      long next = inForce + 1;
      services.publish(
          topic, server.config(server.serverKeys, next).getBytes(StandardCharsets.UTF_8), true);
      await("the revoked kiosk is disconnected").atMost(WAIT).until(() -> !k1.isConnected());
      assertThrows(MqttException.class, () -> kiosk(hub, K1, s1));
      assertTrue(Files.exists(data.resolve("trust/config")));
      assertEquals(next, HubTrust.load(data).orElseThrow().current().bundle().sequence());

      // Its records that arrive anyway (in flight when it was cut) are set aside, not forwarded.
      services.publish(
          Topics.deviceUp(DeviceId.of(K1)),
          WireCodecs.batch(
              new Batch(DeviceId.of(K1), 2, records(K1, 4, 5, System.currentTimeMillis() + ahead))),
          false);
      JsonNode after = awaitJson(status, s -> s.path("setAside").asLong() == 2, WAIT);
      assertEquals(0, after.path("pending").asLong());
      assertEquals(3, ingest.records(DeviceId.of(K1)).size(), "nothing more reached the server");

      // The preflight: the hub's line, K1 revoked and 5 min ahead, K2 never heard of since.
      JsonNode preflight = getJson(hub.httpUrl() + "/api/preflight?lang=en");
      JsonNode hubLine = preflight.path("hub");
      assertEquals("hub-e1e2e3", hubLine.path("id").asText());
      assertEquals(next, hubLine.path("bundleSequence").asLong());
      assertEquals(64, hubLine.path("bundleSha256").asText().length());
      assertTrue(hubLine.path("uplinkConnected").asBoolean(), hubLine.toString());
      assertTrue(hubLine.path("diskFreeBytes").asLong() > 0);
      assertTrue(hubLine.path("ok").asBoolean(), hubLine.toString());
      JsonNode d1 = device(preflight, K1);
      assertEquals("Kiosque " + K1, d1.path("name").asText());
      assertEquals("kiosk", d1.path("kind").asText());
      assertFalse(d1.path("ok").asBoolean());
      assertTrue(d1.path("revoked").asBoolean());
      long skew = d1.path("clockSkewSeconds").asLong();
      assertTrue(skew > 280 && skew <= 300, "about 5 min ahead: " + d1);
      assertTrue(d1.path("bundleSequence").isNull(), "kiosks do not report it yet");
      assertTrue(problems(d1).contains("revoked: take it off the stall"), d1.toString());
      assertTrue(problems(d1).stream().anyMatch(p -> p.startsWith("clock ")), d1.toString());
      assertTrue(problems(d1).contains("list version not reported by the device"));
      assertFalse(d1.path("lastContact").isNull());
      assertEquals(0, d1.path("pending").asLong());
      JsonNode d2 = device(preflight, K2);
      assertFalse(d2.path("revoked").asBoolean());
      assertTrue(d2.path("clockSkewSeconds").isNull());

      // The same table on the status page, in French by default.
      String page = TestSupport.get(hub.httpUrl() + "/").body();
      assertTrue(page.contains("Vérification avant l&#39;événement"), page);
      assertTrue(page.contains("révoqué\u00a0: le retirer du stand"), page);
      assertTrue(page.contains("Mis de côté (appareils révoqués)\u00a0: 2"), page);
    }
  }

  @Test
  void preflight_whenKioskReportsJsonStatus_showsWhatItSaid() throws Exception {
    Path data = dir.resolve("hub");
    int port = freePort();
    String s1;
    try (ServerStandIn server = new ServerStandIn()) {
      server.uplink("tcp://127.0.0.1:" + port);
      s1 = server.enrolledKiosk(K1);
      server.enrolledKiosk(K2);
      HubTrust.enrol(
          EnrolmentClient.withDefaultClient(new SecureRandom()),
          server.waitingHub("hub-f1f2f3"),
          data);
    }
    HubTrust trust = HubTrust.load(data).orElseThrow();
    try (Hub hub = startOnFreePort(TestSupport.enrolledAt(data, trust));
        MqttPeer k1 = kiosk(hub, K1, s1)) {
      String report =
          "{\"state\":\"online\",\"time\":"
              + System.currentTimeMillis()
              + ",\"bundleSequence\":"
              + trust.current().bundle().sequence()
              + ",\"bundleSha256\":\""
              + trust.current().sha256()
              + "\",\"printer\":\"ok\",\"diskFreeBytes\":123456789,\"battery\":87}";
      k1.publish(
          Topics.deviceStatus(DeviceId.of(K1)), report.getBytes(StandardCharsets.UTF_8), true);

      JsonNode preflight =
          awaitJson(
              hub.httpUrl() + "/api/preflight", p -> device(p, K1).path("ok").asBoolean(), WAIT);
      JsonNode d1 = device(preflight, K1);
      assertEquals(trust.current().bundle().sequence(), d1.path("bundleSequence").asLong());
      assertEquals(trust.current().sha256(), d1.path("bundleSha256").asText());
      assertEquals("ok", d1.path("printer").asText());
      assertEquals(87, d1.path("battery").asInt());
      assertEquals(123456789L, d1.path("diskFreeBytes").asLong());
      assertTrue(Math.abs(d1.path("clockSkewSeconds").asLong()) <= 2, d1.toString());
      assertTrue(problems(d1).isEmpty(), d1.toString());
      assertTrue(d1.path("online").asBoolean());
      JsonNode d2 = device(preflight, K2);
      assertFalse(d2.path("ok").asBoolean());
      assertTrue(d2.path("lastContact").isNull());
      assertTrue(
          problems(d2).contains("jamais vu\u00a0: l'allumer et le connecter au Wi-Fi du boîtier"),
          "French by default: " + d2);

      // The receipt printer runs out of paper: the kiosk's line turns red.
      k1.publish(
          Topics.deviceStatus(DeviceId.of(K1)),
          report
              .replace("\"printer\":\"ok\"", "\"printer\":\"escpos: paper-out\"")
              .getBytes(StandardCharsets.UTF_8),
          true);
      JsonNode noPaper =
          device(
              awaitJson(
                  hub.httpUrl() + "/api/preflight",
                  p -> !device(p, K1).path("ok").asBoolean(),
                  WAIT),
              K1);
      assertTrue(
          problems(noPaper).contains("plus de papier dans l'imprimante : mettez un rouleau"),
          noPaper.toString());
    }
  }

  @Test
  void preflight_whenKioskStatusIsAnOldRetainedOne_measuresNoSkewUntilItSpeaksAgain()
      throws Exception {
    Path data = dir.resolve("hub");
    int port = freePort();
    String s1;
    try (ServerStandIn server = new ServerStandIn()) {
      server.uplink("tcp://127.0.0.1:" + port);
      s1 = server.enrolledKiosk(K1);
      HubTrust.enrol(
          EnrolmentClient.withDefaultClient(new SecureRandom()),
          server.waitingHub("hub-f4f5f6"),
          data);
    }
    HubTrust trust = HubTrust.load(data).orElseThrow();
    try (Hub hub = startOnFreePort(TestSupport.enrolledAt(data, trust));
        MqttPeer k1 = kiosk(hub, K1, s1)) {
      // What a kiosk left retained ten minutes ago, before the hub went down: the first status the
      // hub hears of it.
      long tenMinutesAgo = System.currentTimeMillis() - 10 * 60_000L;
      k1.publish(
          Topics.deviceStatus(DeviceId.of(K1)),
          status(tenMinutesAgo, trust).getBytes(StandardCharsets.UTF_8),
          true);

      JsonNode stale =
          awaitJson(
              hub.httpUrl() + "/api/preflight?lang=en",
              p -> !device(p, K1).path("lastContact").isNull(),
              WAIT);
      JsonNode d1 = device(stale, K1);
      assertTrue(d1.path("clockSkewSeconds").isNull(), "no skew from an old status: " + d1);
      assertFalse(d1.path("online").asBoolean(), d1.toString());
      assertFalse(d1.path("ok").asBoolean(), d1.toString());
      assertEquals(Instant.ofEpochMilli(tenMinutesAgo).toString(), d1.path("lastContact").asText());
      assertTrue(
          problems(d1).contains("no contact for 10 min: check it is on and on the hub's Wi-Fi"),
          d1.toString());
      assertEquals("pdf", d1.path("printer").asText(), "the rest of what it said stands");

      // The kiosk speaks again (every minute while connected): now its clock is measured.
      k1.publish(
          Topics.deviceStatus(DeviceId.of(K1)),
          status(System.currentTimeMillis(), trust).getBytes(StandardCharsets.UTF_8),
          true);
      JsonNode fresh =
          awaitJson(
              hub.httpUrl() + "/api/preflight", p -> device(p, K1).path("ok").asBoolean(), WAIT);
      JsonNode again = device(fresh, K1);
      assertTrue(again.path("online").asBoolean(), again.toString());
      assertTrue(Math.abs(again.path("clockSkewSeconds").asLong(99)) <= 2, again.toString());
    }
  }

  /** A status as a kiosk's SyncAgent says it. */
  private static String status(long time, HubTrust trust) {
    return "{\"state\":\"online\",\"time\":"
        + time
        + ",\"bundleSequence\":"
        + trust.current().bundle().sequence()
        + ",\"bundleSha256\":\""
        + trust.current().sha256()
        + "\",\"printer\":\"pdf\",\"diskFreeBytes\":123456789,\"battery\":null}";
  }

  private static JsonNode device(JsonNode preflight, String id) {
    for (JsonNode d : preflight.path("devices")) {
      if (d.path("id").asText().equals(id)) {
        return d;
      }
    }
    throw new AssertionError("no line for " + id + " in " + preflight);
  }

  private static List<String> problems(JsonNode line) {
    List<String> out = new ArrayList<>();
    line.path("problems").forEach(p -> out.add(p.asText()));
    return out;
  }

  private static MqttPeer kiosk(Hub hub, String id, String secret) throws MqttException {
    MqttPeer peer =
        MqttPeer.Options.of("tcp://127.0.0.1:" + hub.mqttPort(), id)
            .as(MqttCredentials.deviceUsername(id), secret)
            .connect();
    peer.subscribe(Topics.deviceAck(DeviceId.of(id)));
    return peer;
  }

  private static MqttPeer service(Hub hub, String name) throws MqttException {
    return MqttPeer.Options.of("tcp://127.0.0.1:" + hub.mqttPort(), name)
        .as(MqttCredentials.serviceUsername(name), hub.servicePassword())
        .connect();
  }

  private static BatchSink serverIngest(Hub hub) throws MqttException {
    return BatchSink.connect(
        MqttPeer.Options.of("tcp://127.0.0.1:" + hub.mqttPort(), "fake-server")
            .as(MqttCredentials.serviceUsername("fake-server"), hub.servicePassword()),
        DeviceId.of("server-test"),
        true,
        Topics.ALL_HUB_UP);
  }

  private static List<Record> records(String device, long from, long to, long deviceTime) {
    List<Record> out = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) {
      byte[] body =
          new ResponseBody("poll-1", List.of(new ResponseBody.Answer("q1", List.of("o" + seq))))
              .encode();
      out.add(
          new Record(
              DeviceId.of(device),
              seq,
              RecordKind.RESPONSE,
              ServerStandIn.EVENT,
              deviceTime,
              0,
              body));
    }
    return out;
  }

  /** The wire form of a batch. */
  private static final class WireCodecs {
    static byte[] batch(Batch batch) {
      return terrain.core.wire.WireCodec.encodeBatch(batch);
    }
  }
}
