// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.hub.TestSupport.KIOSK;
import static terrain.hub.TestSupport.config;
import static terrain.hub.TestSupport.freePort;
import static terrain.hub.TestSupport.get;
import static terrain.hub.TestSupport.kiosk;
import static terrain.hub.TestSupport.responses;
import static terrain.hub.TestSupport.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.testkit.MqttPeer;
import terrain.testkit.Network;
import terrain.testkit.PrometheusText;

/** The hub's /healthz, /readyz and /metrics over real HTTP, with its real broker and store. */
class HubHealthMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void healthAndReadiness_uplinkDownIsReportedButReady_brokerStoppedIsUnready() throws Exception {
    String noServer = "tcp://127.0.0.1:" + freePort();
    try (Hub hub =
        Hub.start(config(dir, 0, noServer, "hub-health"), Clock.systemUTC(), new SecureRandom())) {
      HttpResponse<String> health = get(hub.httpUrl() + "/healthz");
      assertEquals(200, health.statusCode());
      assertEquals("up", JSON.readTree(health.body()).path("status").asText());

      HttpResponse<String> ready = get(hub.httpUrl() + "/readyz");
      assertEquals(200, ready.statusCode(), ready.body());
      JsonNode checks = JSON.readTree(ready.body()).path("checks");
      for (String check : new String[] {"database", "broker", "ingest"}) {
        assertEquals("up", checks.path(check).path("status").asText(), check);
      }
      assertEquals("down", checks.path("uplink").path("status").asText());
      assertEquals(false, checks.path("uplink").path("required").asBoolean(true));
      assertTrue(
          checks.path("uplink").path("detail").asText().contains(noServer), checks.toString());

      hub.broker().close();

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                HttpResponse<String> unready = get(hub.httpUrl() + "/readyz");
                assertEquals(503, unready.statusCode());
                JsonNode body = JSON.readTree(unready.body());
                assertEquals("unready", body.path("status").asText());
                assertEquals("down", body.path("checks").path("broker").path("status").asText());
                assertEquals("down", body.path("checks").path("ingest").path("status").asText());
                assertEquals("up", body.path("checks").path("database").path("status").asText());
              });
    }
  }

  @Test
  void metrics_countRecordsInPendingAndDevicesWhileTheUplinkIsDown() throws Exception {
    String noServer = "tcp://127.0.0.1:" + freePort();
    try (Hub hub =
            Hub.start(
                config(dir, 0, noServer, "hub-metrics"), Clock.systemUTC(), new SecureRandom());
        MqttPeer kiosk = kiosk(KIOSK, hub.mqttPort())) {
      PrometheusText before = PrometheusText.parse(metrics(hub));
      assertEquals("counter", before.type("terrain_ingest_records_committed"));
      assertEquals(0, before.value("terrain_ingest_records_committed_total"));
      assertEquals(0, before.value("terrain_hub_uplink_up"));

      send(kiosk, KIOSK, 1, responses(KIOSK, 1, 3, "a"));
      kiosk.nextAck(WAIT);

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                PrometheusText after = PrometheusText.parse(metrics(hub));
                assertEquals(3, after.value("terrain_ingest_records_committed_total"));
                assertEquals(3, after.value("terrain_ingest_records_received_total"));
                assertEquals(1, after.value("terrain_ingest_batches_total"));
                assertTrue(after.value("terrain_ingest_commit_seconds_total") > 0);
                assertTrue(
                    after.value("terrain_ingest_commit_cpu_seconds_total")
                        <= after.value("terrain_ingest_commit_seconds_total"));
                assertEquals(
                    "counter", after.type("terrain_ingest_commit_waiting_for_core_seconds"));
                assertEquals(3, after.value("terrain_hub_records_pending"));
                // Held in memory for the uplink until the server acknowledges them (decision 0071).
                assertEquals("gauge", after.type("terrain_hub_outbox_held_bytes"));
                assertTrue(after.value("terrain_hub_outbox_held_bytes") > 3 * 100);
                assertEquals(0, after.value("terrain_hub_uplink_up"));
                assertEquals("gauge", after.type("terrain_hub_devices_online"));
                assertTrue(
                    after.sum(
                            "terrain_http_request_duration_seconds_count",
                            "route=\"/metrics\"",
                            "status=\"200\"")
                        >= 1);
              });
    }
  }

  @Test
  void metrics_withMetricsPublic_answerANetworkClient() throws Exception {
    // Without --metrics-public the same request gets 403 (terrain.http.HealthMetricsTest).
    String site = Network.siteAddress().getHostAddress();
    HubConfig open =
        config(dir, 0, "tcp://127.0.0.1:" + freePort(), "hub-open")
            .withBindAddress("0.0.0.0")
            .withMetricsPublic(true);
    try (Hub hub = Hub.start(open, Clock.systemUTC(), new SecureRandom())) {
      HttpResponse<String> remote = get("http://" + site + ":" + hub.httpPort() + "/metrics");
      assertEquals(200, remote.statusCode(), remote.body());
      assertEquals(
          "counter", PrometheusText.parse(remote.body()).type("terrain_ingest_records_committed"));
    }
  }

  private static String metrics(Hub hub) throws Exception {
    HttpResponse<String> response = get(hub.httpUrl() + "/metrics");
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
        response.headers().toString());
    return response.body();
  }
}
