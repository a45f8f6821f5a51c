// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.server.testkit.MigratedDerby;
import terrain.testkit.Network;
import terrain.testkit.PrometheusText;
import terrain.transport.MqttCredentials;

/**
 * {@code --metrics-public}: a real server listening on every interface, asked for {@code /metrics}
 * through this machine's network address (not loopback), as a Prometheus on another host would.
 * Without the option the same request gets 403 ({@code terrain.http.HealthMetricsTest}), and the
 * option is off by default ({@code ServerMainTest}).
 */
class MetricsPublicTest {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  void metrics_withMetricsPublic_answerANetworkClient() throws Exception {
    InetAddress site = Network.siteAddress();
    try (SyncServer server = start(dir.resolve("public"), true)) {
      HttpResponse<String> remote = get(site.getHostAddress(), server.httpPort(), "/metrics");
      assertEquals(200, remote.statusCode(), remote.body());
      PrometheusText text = PrometheusText.parse(remote.body());
      assertEquals("counter", text.type("terrain_ingest_records_committed"));
      assertEquals(200, get(site.getHostAddress(), server.httpPort(), "/healthz").statusCode());
    }
  }

  private static SyncServer start(Path data, boolean metricsPublic) throws Exception {
    return SyncServer.start(
        new ServerConfig(
            MigratedDerby.serverData(data),
            0,
            0,
            null,
            null,
            MqttCredentials.DEVELOPMENT_KEY,
            true,
            "0.0.0.0",
            List.of(),
            true,
            null,
            ServerConfig.DEFAULT_CLAIMS_PER_MINUTE,
            List.of(),
            true,
            null,
            null,
            null,
            terrain.core.wire.Topics.DEFAULT_INGEST_GROUP,
            metricsPublic,
            terrain.server.followup.MailSettings.NONE,
            0),
        Clock.systemUTC(),
        RandomGenerator.getDefault());
  }

  private HttpResponse<String> get(String host, int port, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
