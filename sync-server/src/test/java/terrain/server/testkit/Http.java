// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** Real HTTP requests to a running server. */
public final class Http {
  /** A response: status, content type and body. */
  public record Reply(int status, String contentType, String body) {
    public JsonNode json() throws IOException {
      return new ObjectMapper().readTree(body);
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public Http(String base) {
    this.base = base;
  }

  public Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  /** A GET as a browser set to {@code acceptLanguage} sends it. */
  public Reply get(String path, String acceptLanguage) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Accept-Language", acceptLanguage)
            .GET());
  }

  public Reply post(String path) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** A request with a JSON body (or none when null) and header name/value pairs. */
  public Reply send(String method, String path, String json, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  /** The same request, and the value of a response header. */
  public HttpResponse<String> raw(String method, String path, String json, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        response.body());
  }

  /** Polls a JSON URL until {@code until} holds; fails with the last answer after the timeout. */
  public JsonNode awaitJson(String path, Predicate<JsonNode> until, Duration timeout)
      throws IOException, InterruptedException {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    await()
        .atMost(timeout)
        .untilAsserted(
            () -> {
              Reply reply = get(path);
              assertEquals(200, reply.status(), () -> path + " answered " + reply);
              last.set(reply.json());
              assertTrue(until.test(last.get()), () -> path + " answered " + last.get());
            });
    return last.get();
  }
}
