// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.core.metrics.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import terrain.testkit.PrometheusText;

class HealthMetricsTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final AtomicBoolean databaseUp = new AtomicBoolean(true);
  private final CountDownLatch hang = new CountDownLatch(1);
  private final AtomicBoolean hangs = new AtomicBoolean();
  private Metrics metrics;
  private Counter things;
  private HttpServer server;

  @BeforeEach
  void start() {
    metrics = Metrics.loopbackOnly();
    things = metrics.counter("terrain_things_total", "Things done", "outcome");
    metrics.gauge("terrain_answer", "The answer", () -> 42);
    Health health =
        Health.builder()
            .required("database", () -> Health.State.of(databaseUp.get(), "closed"))
            .required(
                "broker",
                () -> {
                  if (hangs.get()) {
                    hang.await();
                  }
                  return Health.State.ok();
                })
            .advisory("uplink", () -> Health.State.down("the server is not reachable"))
            .build();
    Routes.Builder routes =
        Routes.builder()
            .get(
                "/things/{id}",
                (rq, rs, cb) -> {
                  things.labelValues("done").inc();
                  Responses.sendText(rs, cb, 200, "ok");
                });
    health.register(routes);
    metrics.register(routes);
    server =
        HttpServer.builder()
            .name("health-test")
            .bind("127.0.0.1", 0)
            .threads(2, 8)
            .metrics(metrics)
            .handler(routes.build())
            .start();
  }

  @AfterEach
  void stop() {
    hang.countDown();
    server.close();
  }

  @Test
  void metrics_fromANetworkClient_loopbackOnlyRefuses_openAnswers() throws Exception {
    String site = terrain.testkit.Network.siteAddress().getHostAddress();
    for (boolean open : new boolean[] {false, true}) {
      Metrics node = Metrics.of(open);
      Routes.Builder routes = Routes.builder();
      node.register(routes);
      try (HttpServer any =
          HttpServer.builder()
              .name("metrics-" + open)
              .bind("0.0.0.0", 0)
              .threads(2, 8)
              .metrics(node)
              .handler(routes.build())
              .start()) {
        HttpResponse<String> remote = getUrl("http://" + site + ":" + any.port() + "/metrics");
        HttpResponse<String> local = getUrl("http://127.0.0.1:" + any.port() + "/metrics");
        assertEquals(open ? 200 : 403, remote.statusCode(), remote.body());
        assertEquals(200, local.statusCode(), local.body());
        if (!open) {
          assertTrue(remote.body().contains("--metrics-public"), remote.body());
        }
      }
    }
  }

  @Test
  void healthz_answersUp() throws Exception {
    HttpResponse<String> response = get("/healthz");
    assertEquals(200, response.statusCode());
    assertEquals("up", MAPPER.readTree(response.body()).get("status").asText());
  }

  @Test
  void readyz_isReadyWithAnAdvisoryCheckDown_andUnreadyNamingTheFailingCheck() throws Exception {
    HttpResponse<String> ready = get("/readyz");
    assertEquals(200, ready.statusCode(), ready.body());
    JsonNode checks = MAPPER.readTree(ready.body()).get("checks");
    assertEquals("up", checks.get("database").get("status").asText());
    assertEquals("down", checks.get("uplink").get("status").asText());
    assertEquals(false, checks.get("uplink").get("required").asBoolean());

    databaseUp.set(false);
    HttpResponse<String> unready = get("/readyz");
    assertEquals(503, unready.statusCode());
    JsonNode body = MAPPER.readTree(unready.body());
    assertEquals("unready", body.get("status").asText());
    assertEquals("down", body.get("checks").get("database").get("status").asText());
    assertEquals("closed", body.get("checks").get("database").get("detail").asText());
    assertEquals("up", body.get("checks").get("broker").get("status").asText());
  }

  @Test
  void readyz_aHangingCheckFailsWithinItsDeadline() throws Exception {
    hangs.set(true);
    long start = System.nanoTime();
    HttpResponse<String> response = get("/readyz");
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(503, response.statusCode());
    assertTrue(millis < 3000, "answered in " + millis + " ms");
    JsonNode broker = MAPPER.readTree(response.body()).get("checks").get("broker");
    assertTrue(broker.get("detail").asText().contains("no answer within"), broker.toString());
  }

  @Test
  void metrics_arePrometheusText_countersGrow_andRequestsAreTimedByRoutePattern() throws Exception {
    HttpResponse<String> before = get("/metrics");
    assertEquals(200, before.statusCode());
    assertTrue(
        before.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
        before.headers().toString());
    PrometheusText first = PrometheusText.parse(before.body());
    assertEquals("gauge", first.type("terrain_answer"));
    assertEquals(42, first.value("terrain_answer"));

    assertEquals(200, get("/things/7").statusCode());
    assertEquals(200, get("/things/8").statusCode());
    assertEquals(404, get("/random/path").statusCode());

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              PrometheusText after = PrometheusText.parse(get("/metrics").body());
              assertEquals("counter", after.type("terrain_things"));
              assertEquals(2, after.value("terrain_things_total{outcome=\"done\"}"));
              assertEquals(
                  2,
                  after.sum(
                      Metrics.HTTP_DURATION + "_count",
                      "route=\"/things/{id}\"",
                      "status=\"200\""));
              assertEquals(1, after.sum(Metrics.HTTP_DURATION + "_count", "route=\"unmatched\""));
            });
  }

  private static HttpResponse<String> getUrl(String url) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
