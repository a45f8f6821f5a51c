// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.server.testkit.Http;
import terrain.server.testkit.Peers;
import terrain.server.testkit.Responses;
import terrain.server.testkit.TestEnv;
import terrain.testkit.MqttPeer;
import terrain.testkit.PrometheusText;

/** /healthz, /readyz and /metrics of a real server (Derby, embedded HiveMQ, Jetty) over HTTP. */
class HealthMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private SyncServer server;
  private Http http;

  @BeforeEach
  void start() throws Exception {
    server =
        SyncServer.start(
            TestEnv.claimConfig(dir, null, "admin-token-0123456789", 1000),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    http = new Http(server.baseUrl());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void healthz_answersUp() throws Exception {
    Http.Reply reply = http.get("/healthz");
    assertEquals(200, reply.status());
    assertEquals("up", reply.json().path("status").asText());
  }

  @Test
  void readyz_isReadyWhenUp_and503NamingBrokerAndIngestWhenTheBrokerStops() throws Exception {
    await().atMost(WAIT).untilAsserted(() -> assertEquals(200, http.get("/readyz").status()));
    JsonNode ready = http.get("/readyz").json();
    assertEquals("ready", ready.path("status").asText());
    for (String check : List.of("database", "broker", "ingest")) {
      assertEquals("up", ready.path("checks").path(check).path("status").asText(), check);
    }

    server.broker().close();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Http.Reply reply = http.get("/readyz");
              assertEquals(503, reply.status());
              JsonNode checks = reply.json().path("checks");
              assertEquals("down", checks.path("broker").path("status").asText());
              assertEquals("down", checks.path("ingest").path("status").asText());
              assertEquals("up", checks.path("database").path("status").asText());
              assertTrue(
                  checks.path("ingest").path("detail").asText().contains("not connected"),
                  checks.toString());
            });
    assertEquals(200, http.get("/healthz").status());
  }

  @Test
  void metrics_countRecordsIngestedClaimsAndRequests() throws Exception {
    PrometheusText before = PrometheusText.parse(metrics());
    assertEquals("counter", before.type("terrain_ingest_records_committed"));
    assertEquals(0, before.value("terrain_ingest_records_committed_total"));
    assertEquals("counter", before.type("terrain_ingest_commit_seconds"));
    assertEquals("counter", before.type("terrain_ingest_commit_cpu_seconds"));
    assertEquals(0, before.value("terrain_ingest_commit_seconds_total"));

    DeviceId hubId = DeviceId.of("hub-metrics-" + TestEnv.unique());
    DeviceId kiosk = DeviceId.of("kiosk-metrics-" + TestEnv.unique());
    long hubTime = System.currentTimeMillis();
    List<Record> records =
        Responses.of(kiosk, "ev-metrics", 3).stream().map(r -> r.withHubTime(hubTime)).toList();
    try (MqttPeer hub = Peers.hub("tcp://127.0.0.1:" + server.brokerPort(), hubId)) {
      hub.publish(Topics.hubUp(hubId), new Batch(hubId, 1, records));
      hub.nextAck(WAIT);
    }
    String wallet = http.send("POST", "/api/wallets", null).json().path("token").asText();
    Http.Reply claim =
        http.send(
            "POST",
            "/api/claims",
            "{\"code\":\"NOT-A-TICKET\"}",
            "Authorization",
            "Bearer " + wallet);
    assertEquals(422, claim.status(), claim.body());

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              PrometheusText after = PrometheusText.parse(metrics());
              assertEquals(3, after.value("terrain_ingest_records_committed_total"));
              assertEquals(3, after.value("terrain_ingest_records_received_total"));
              assertEquals(1, after.value("terrain_ingest_batches_total"));
              // The batch's commit took time, and its CPU time is part of that time.
              double commitWall = after.value("terrain_ingest_commit_seconds_total");
              double commitCpu = after.value("terrain_ingest_commit_cpu_seconds_total");
              assertTrue(commitWall > 0, "commit wall " + commitWall);
              assertTrue(commitCpu > 0 && commitCpu <= commitWall, commitCpu + " / " + commitWall);
              assertEquals(1, after.value("terrain_ingest_up"));
              assertTrue(
                  after
                      .samples()
                      .containsKey("terrain_ingest_hub_lag_seconds{hub=\"" + hubId.value() + "\"}"),
                  after.samples().toString());
              assertEquals(1, after.value("terrain_claims_total{outcome=\"invalid\"}"));
              assertEquals(
                  1,
                  after.sum(
                      "terrain_http_request_duration_seconds_count",
                      "route=\"/api/claims\"",
                      "status=\"422\""));
              assertTrue(
                  after.sum(
                          "terrain_http_request_duration_seconds_count",
                          "route=\"/metrics\"",
                          "status=\"200\"")
                      >= 1);
            });
    JsonNode commits = http.get("/api/status").json().path("ingestCommits");
    assertEquals(1, commits.path("batches").asLong(), commits.toString());
    assertTrue(commits.has("millis") && commits.has("cpuMillis"), commits.toString());
    assertTrue(
        commits.path("millis").asLong() >= commits.path("cpuMillis").asLong(), commits.toString());
  }

  private String metrics() throws Exception {
    Http.Reply reply = http.get("/metrics");
    assertEquals(200, reply.status(), reply.body());
    assertTrue(reply.contentType().startsWith("text/plain"), reply.contentType());
    return reply.body();
  }
}
