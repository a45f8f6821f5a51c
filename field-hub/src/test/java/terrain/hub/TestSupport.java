// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import terrain.transport.Forwarder;
import terrain.transport.MqttCredentials;

/** Ports, HTTP and waiting, shared by the hub tests. */
final class TestSupport {
  static final String SITE_KEY = MqttCredentials.DEVELOPMENT_KEY;

  /** Short enough that a test sees a resend, long enough for a loaded machine to answer. */
  static final Forwarder.Settings FAST_UPLINK =
      new Forwarder.Settings(5000, 8, Duration.ofSeconds(2), Duration.ofMillis(20));

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestSupport() {}

  /** A port that was free a moment ago. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }

  /** A hub on loopback with a free MQTT and HTTP port. */
  static HubConfig config(java.nio.file.Path data, int mqttPort, String uplink, String hubId) {
    return new HubConfig(
        data, "127.0.0.1", mqttPort, 0, uplink, hubId, SITE_KEY, SITE_KEY, FAST_UPLINK);
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

  static JsonNode awaitJson(String url, Predicate<JsonNode> until, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = getJson(url);
    while (!until.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + timeout + " on " + url + "; last: " + last);
      }
      Thread.sleep(100);
      last = getJson(url);
    }
    return last;
  }

  static void await(String what, BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
