// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.common.MqttException;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.testkit.BatchSink;
import terrain.testkit.MqttPeer;
import terrain.testkit.Network;
import terrain.transport.Forwarder;
import terrain.transport.MqttCredentials;

/** Ports, HTTP, waiting and the hub's MQTT peers, shared by the hub tests. */
final class TestSupport {
  static final String SITE_KEY = MqttCredentials.DEVELOPMENT_KEY;
  static final String EVENT = "ev-market";
  static final DeviceId KIOSK = DeviceId.of("kiosk-t1");

  /** Short enough that a test sees a resend, long enough for a loaded machine to answer. */
  static final Forwarder.Settings FAST_UPLINK =
      new Forwarder.Settings(5000, 8, Duration.ofSeconds(2), Duration.ofMillis(20));

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestSupport() {}

  /**
   * A port that was free a moment ago, below the kernel's ephemeral range ({@link
   * Network#portForLaterUse}): no other process's connection takes it before the hub binds it.
   */
  static int freePort() {
    return Network.portForLaterUse();
  }

  /** A hub's configuration for its MQTT port {@code port}. */
  @FunctionalInterface
  interface AtPort {
    HubConfig config(int port) throws Exception;
  }

  /**
   * Starts a hub on a free MQTT port that the test must know before the start (its uplink is its
   * own broker). A port found free can be taken by another process before the hub binds it: CI saw
   * it once, with the modules' tests side by side. A port found taken is replaced by another, five
   * tries at most.
   */
  static Hub startOnFreePort(AtPort at) throws Exception {
    HubStartException taken = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        return Hub.start(at.config(freePort()), Clock.systemUTC(), new SecureRandom());
      } catch (HubStartException e) {
        if (e.getMessage() == null || !e.getMessage().contains("already in use")) {
          throw e;
        }
        taken = e;
      }
    }
    throw taken;
  }

  /**
   * An enrolled hub's configuration on loopback, its uplink its own broker on {@code port} (the
   * test plays the server there): for {@link #startOnFreePort}.
   */
  static AtPort enrolledAt(java.nio.file.Path data, terrain.hub.trust.HubTrust trust) {
    return port ->
        HubConfig.enrolled(data, port, 0, "tcp://127.0.0.1:" + port, trust)
            .withBindAddress("127.0.0.1")
            .withUplinkSettings(FAST_UPLINK);
  }

  /** A hub on loopback with a free MQTT and HTTP port. */
  static HubConfig config(java.nio.file.Path data, int mqttPort, String uplink, String hubId) {
    return HubConfig.of(data, mqttPort, 0, uplink, hubId, SITE_KEY, SITE_KEY)
        .withBindAddress("127.0.0.1")
        .withUplinkSettings(FAST_UPLINK);
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String url, String acceptLanguage)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Accept-Language", acceptLanguage)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode getJson(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = get(url);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + url + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  /** Polls a JSON URL until {@code until} holds; fails with the last answer after the timeout. */
  static JsonNode awaitJson(String url, Predicate<JsonNode> until, Duration timeout) {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    await()
        .atMost(timeout)
        .untilAsserted(
            () -> {
              last.set(getJson(url));
              assertTrue(until.test(last.get()), () -> url + " answered " + last.get());
            });
    return last.get();
  }

  /**
   * A kiosk as the hub sees it on the wire: {@code dev:{id}} with a retained "offline" will,
   * subscribed to its acks.
   */
  static MqttPeer kiosk(DeviceId id, int port) throws MqttException {
    String username = MqttCredentials.deviceUsername(id.value());
    MqttPeer kiosk =
        MqttPeer.Options.of("tcp://127.0.0.1:" + port, id.value())
            .as(username, MqttCredentials.passwordFor(SITE_KEY, username))
            .will(Topics.deviceStatus(id), "offline", true)
            .connect();
    kiosk.subscribe(Topics.deviceAck(id));
    return kiosk;
  }

  /**
   * The sync server's ingest as a hub sees it: a {@code svc:} client on {@code
   * terrain/v1/hub/+/up}. HiveMQ embedded runs once per JVM, so it shares the hub's broker: the
   * hub's uplink points at its own broker.
   */
  static BatchSink server(int port, boolean acking) throws MqttException {
    String username = MqttCredentials.serviceUsername("fake-server");
    return BatchSink.connect(
        MqttPeer.Options.of("tcp://127.0.0.1:" + port, "fake-server")
            .as(username, MqttCredentials.passwordFor(SITE_KEY, username)),
        DeviceId.of("server-test"),
        acking,
        Topics.ALL_HUB_UP);
  }

  /** Records seq {@code from..to} of a device, RESPONSE, with a body that varies by variant. */
  static List<Record> responses(DeviceId device, long from, long to, String variant) {
    List<Record> records = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) {
      byte[] body =
          new ResponseBody("poll-1", List.of(new ResponseBody.Answer("q1", List.of(variant + seq))))
              .encode();
      records.add(
          new Record(device, seq, RecordKind.RESPONSE, EVENT, 1_700_000_000_000L + seq, 0, body));
    }
    return records;
  }

  /** Publishes a kiosk's batch on its up topic, as its sync agent would. */
  static void send(MqttPeer kiosk, DeviceId id, long batchId, List<Record> records)
      throws MqttException {
    kiosk.publish(Topics.deviceUp(id), new Batch(id, batchId, records));
  }
}
