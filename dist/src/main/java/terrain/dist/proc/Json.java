// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.proc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/** Reads the JSON APIs of a running hub or server over real HTTP. */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** The JSON at {@code url}, or empty when it is not reachable or not 200. */
  public Optional<JsonNode> get(String url) {
    try {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      return Optional.of(MAPPER.readTree(response.body()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Sends {@code body} as JSON with {@code PUT} and the bearer {@code token}; the status code, or
   * -1 when the server is not reachable.
   */
  public int put(String url, String body, String token) {
    try {
      return client
          .send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(5))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + token)
                  .PUT(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Polls {@code url} until its JSON passes {@code until}, and returns that JSON.
   *
   * @throws IllegalStateException after {@code timeout}, with the last answer
   */
  public JsonNode await(String url, Predicate<JsonNode> until, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = get(url).orElse(null);
      if (last != null && until.test(last)) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "Timed out after " + timeout + " waiting on " + url + "; last answer: " + last);
  }
}
