// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * A burst of connections while the server accepts none (at its connection limit) waits in the
   * kernel's accept queue. With Java's default queue of 50 the kernel drops the 52nd's handshake,
   * and its client retries only a second later.
   */
  @Test
  void acceptQueue_whenServerAcceptsNone_holdsABurstPastJavasDefaultOfFifty() throws Exception {
    int burst = 120;
    List<Socket> waiting = new ArrayList<>();
    try (HttpServer server = hello(0).maxConnections(1).start();
        Socket first = new Socket("127.0.0.1", server.port())) {
      // The first connection is served: the server is now at its limit and accepts no other.
      assertEquals(200, statusOf(get(first, "/hello")));
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
      try {
        for (int i = 0; i < burst; i++) {
          Socket socket = new Socket();
          waiting.add(socket);
          try {
            // A handshake on loopback takes well under a millisecond; a dropped one is retried
            // by the kernel after a second.
            socket.connect(address, 700);
          } catch (SocketTimeoutException e) {
            throw new AssertionError(
                "connection " + (i + 1) + " of the burst was dropped by a full accept queue", e);
          }
        }
        // Once the first connection closes, the oldest waiting one is accepted and served.
        first.close();
        assertEquals(200, statusOf(get(waiting.get(0), "/hello")));
      } finally {
        for (Socket socket : waiting) {
          socket.close();
        }
      }
    }
  }

  @Test
  void acceptQueue_whenOutOfRange_namesTheValueAndTheRule() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HttpServer.builder().acceptQueue(0));

    assertEquals("Accept queue [0] must be between 1 and 65535", e.getMessage());
  }

  /** Sends a GET on {@code socket} and reads the reply's head (the first line is enough). */
  private static String get(Socket socket, String path) throws IOException {
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      line.append((char) b);
    }
    return line.toString().trim();
  }

  private static int statusOf(String statusLine) {
    String[] parts = statusLine.split(" ");
    assertTrue(parts.length >= 2, () -> "a status line: [" + statusLine + "]");
    return Integer.parseInt(parts[1]);
  }

  private static HttpServer start(int port) {
    return hello(port).start();
  }

  /** A small server on {@code port} that answers {@code GET /hello}. */
  private static HttpServer.Builder hello(int port) {
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
                .build());
  }
}
