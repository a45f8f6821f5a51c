// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.component.Graceful;
import org.junit.jupiter.api.Test;

class HttpServerTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void start_whenPortZero_listensOnAFreePortAndGivesItsUrl() throws Exception {
    try (HttpServer server = start(0)) {
      assertTrue(server.port() > 0);
      assertEquals("http://127.0.0.1:" + server.port(), server.url());

      HttpResponse<String> reply =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create(server.url() + "/hello")).build(),
              HttpResponse.BodyHandlers.ofString());

      assertEquals(200, reply.statusCode());
      assertEquals("hello", reply.body());
      assertFalse(reply.headers().firstValue("Server").isPresent(), "no version given away");
    }
  }

  @Test
  void close_whenRequestInFlight_letsItFinish() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch stopping = new CountDownLatch(1);
    Routes routes =
        Routes.builder()
            .get(
                "/slow",
                (request, response, callback) -> {
                  entered.countDown();
                  // Answers only once the stop has begun.
                  assertTrue(stopping.await(10, TimeUnit.SECONDS), "the stop began");
                  Responses.sendText(response, callback, 200, "done");
                })
            .build();
    HttpServer server =
        HttpServer.builder()
            .bind("127.0.0.1", 0)
            .handler(new StopWatcher(routes, stopping))
            .start();
    CompletableFuture<HttpResponse<String>> reply =
        CLIENT.sendAsync(
            HttpRequest.newBuilder(URI.create(server.url() + "/slow")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(entered.await(10, TimeUnit.SECONDS));

    server.close();

    assertEquals(200, reply.get(10, TimeUnit.SECONDS).statusCode());
    assertEquals("done", reply.get().body());
  }

  /** Counts down when Jetty begins a graceful stop, which it tells every {@link Graceful}. */
  private static final class StopWatcher extends Handler.Wrapper implements Graceful {
    private final CountDownLatch stopping;

    StopWatcher(Handler handler, CountDownLatch stopping) {
      super(handler);
      this.stopping = stopping;
    }

    @Override
    public CompletableFuture<Void> shutdown() {
      stopping.countDown();
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isShutdown() {
      return stopping.getCount() == 0;
    }
  }

  @Test
  void start_whenPortTaken_failsWithTheFixAndLeavesNothingRunning() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      HttpStartException e = assertThrows(HttpStartException.class, () -> start(port));

      assertTrue(e.isPortInUse());
      assertEquals(
          "HTTP port "
              + port
              + " is already in use. Stop the other process or pass --http PORT with a free port"
              + " (0 picks one).",
          e.getMessage());
    }
    // The failed server released its threads: none is named after it.
    assertFalse(
        Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().startsWith("kit-test")),
        "no thread of the failed server is left");
  }

  @Test
  void start_whenAddressIsNotOfThisMachine_failsWithoutPortInUse() {
    HttpStartException e =
        assertThrows(
            HttpStartException.class,
            () ->
                HttpServer.builder()
                    .bind("192.0.2.1", 0) // TEST-NET-1: never an address of this machine
                    .handler(Routes.builder().build())
                    .start());

    assertFalse(e.isPortInUse());
    assertEquals(
        "Cannot listen on 192.0.2.1: it is not an address of this machine. Pass --bind with one"
            + " of its addresses, or 0.0.0.0 for all.",
        e.getMessage());
  }

  @Test
  void bind_whenPortOutOfRange_namesTheValueAndTheRule() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HttpServer.builder().bind("::", 70000));

    assertEquals("Port [70000] must be between 0 and 65535", e.getMessage());
  }

  private static HttpServer start(int port) {
    return HttpServer.builder()
        .name("kit-test")
        .bind("127.0.0.1", port)
        .threads(2, 4)
        .handler(
            Routes.builder()
                .get(
                    "/hello",
                    (request, response, callback) ->
                        Responses.sendText(response, callback, 200, "hello"))
                .build())
        .start();
  }
}
