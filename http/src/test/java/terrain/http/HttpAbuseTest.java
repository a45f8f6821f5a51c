// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP kit under abuse, over real sockets: slow bodies, oversized bodies, idle connections and
 * forged forwarding headers (decision 0018).
 */
class HttpAbuseTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The tricklers must be alive at least this long: longer than the answers we time. */
  private static final Duration GRACE = Duration.ofMillis(1500);

  private static HttpServer server;

  @BeforeAll
  static void start() {
    Routes routes =
        Routes.builder()
            .post(
                "/api/claims",
                (request, response, callback) -> {
                  if (Requests.jsonBody(request, response, callback, 8192, "not JSON")
                      .isPresent()) {
                    Responses.sendJson(response, callback, 200, Json.mapper().createObjectNode());
                  }
                })
            .get(
                "/api/status",
                (request, response, callback) -> Responses.sendText(response, callback, 200, "up"))
            .get(
                "/who",
                (request, response, callback) ->
                    Responses.sendText(
                        response,
                        callback,
                        200,
                        Request.getRemoteAddr(request)
                            + " "
                            + request.getHttpURI().getScheme()
                            + " "
                            + request.isSecure()))
            .build();
    server =
        HttpServer.builder()
            .bind("0.0.0.0", 0)
            // A small pool: 50 clients blocking a thread each would freeze it for good.
            .threads(2, 8)
            .idleTimeout(Duration.ofSeconds(1))
            .maxRequestBody(16 * 1024)
            .minRequestDataRate(100, GRACE)
            .trustProxy(TrustedProxies.parse("--trust-proxy", "127.0.0.1/32, ::1"))
            .handler(routes)
            .start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void slowBodies_whenFiftyClientsTrickle_othersAreAnsweredAndTricklersClosedByTheMinimumRate()
      throws Exception {
    // Warm up (class loading, the client's first connection): latency under abuse is timed below.
    timed(claim());
    List<Trickler> tricklers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      tricklers.add(new Trickler(server.port()));
    }
    long started = System.nanoTime();
    Thread trickle = new Thread(() -> Trickler.run(tricklers, Duration.ofSeconds(10)), "trickle");
    trickle.start();

    // While every trickler is still sending (they are cut after the grace), claims and status
    // reads answer at once.
    List<Long> millis = new ArrayList<>();
    while (System.nanoTime() - started < GRACE.toNanos() - 500_000_000L) {
      millis.add(timed(claim()));
      millis.add(timed(HttpRequest.newBuilder(URI.create(server.url() + "/api/status")).build()));
    }
    long measured = System.nanoTime();
    trickle.join(TimeUnit.SECONDS.toMillis(15));

    assertTrue(millis.size() >= 2, "some answers were timed: " + millis);
    assertTrue(millis.stream().allMatch(m -> m < 1000), "every answer in < 1 s: " + millis);
    for (Trickler t : tricklers) {
      assertTrue(t.closedAt > 0, "the server closed every trickling connection: " + t.reply);
      assertTrue(t.closedAt > measured, "the tricklers were alive while the answers were timed");
      assertTrue(
          t.reply.isEmpty() || t.reply.startsWith("HTTP/1.1 408"),
          "a trickler is refused with 408: " + t.reply);
    }
    assertTrue(
        tricklers.stream().anyMatch(t -> t.reply.contains("arrives too slowly")),
        "the 408 says why");
  }

  @Test
  void maxRequestBody_whenContentLengthTooLarge_refuses413BeforeReadingABody() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      send(
          socket,
          "POST /api/claims HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
              + "Content-Length: 100000000\r\n\r\n");
      String reply = readAll(socket.getInputStream());
      assertTrue(reply.startsWith("HTTP/1.1 413"), reply);
      assertTrue(reply.contains("the body exceeds 16384 bytes"), reply);
    }
  }

  @Test
  void maxRequestBody_whenChunkedBodyTooLarge_refuses413() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      StringBuilder request =
          new StringBuilder(
              "POST /api/claims HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n");
      String chunk = "x".repeat(4096);
      for (int i = 0; i < 5; i++) {
        request.append("1000\r\n").append(chunk).append("\r\n");
      }
      send(socket, request.toString());
      String reply = readAll(socket.getInputStream());
      assertTrue(reply.startsWith("HTTP/1.1 413"), reply);
    }
  }

  @Test
  void idleTimeout_whenAClientStopsMidHeaders_closesTheConnection() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      send(socket, "GET /api/status HTTP/1.1\r\nHost: t\r\n");
      long started = System.nanoTime();
      readAll(socket.getInputStream()); // returns at the server's close, or times out
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertTrue(millis < 4000, "closed by the 1 s idle timeout, after " + millis + " ms");
    }
  }

  @Test
  void forwardedHeaders_whenThePeerIsATrustedProxy_giveTheClientAndItsScheme() throws Exception {
    assertEquals(
        "203.0.113.7 https true",
        who(
            "127.0.0.1",
            "X-Forwarded-For: 203.0.113.7, 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"));
    assertEquals(
        "198.51.100.2 https true", who("127.0.0.1", "Forwarded: for=198.51.100.2;proto=https\r\n"));
    assertEquals("127.0.0.1 http false", who("127.0.0.1", ""));
  }

  @Test
  void forwardedHeaders_whenThePeerIsNotTrusted_areIgnored() throws Exception {
    // 127.0.0.2 is this machine too, but outside the trusted 127.0.0.1/32.
    assertEquals(
        "127.0.0.2 http false",
        who("127.0.0.2", "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\n"));
    assertEquals(
        "127.0.0.2 http false", who("127.0.0.2", "Forwarded: for=198.51.100.2;proto=https\r\n"));
  }

  @Test
  void parse_whenBlocksAreBad_namesTheOptionTheValueAndTheForm() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrustedProxies.parse("--trust-proxy", "10.0.0.0/33,proxy.example.org,10.0.0.1/"));
    assertTrue(e.getMessage().contains("--trust-proxy [10.0.0.0/33] has a prefix length above 32"));
    assertTrue(e.getMessage().contains("--trust-proxy [proxy.example.org] is not an IP address"));
    assertTrue(e.getMessage().contains("--trust-proxy [10.0.0.1/] has no prefix length"));
    assertTrue(e.getMessage().contains("e.g. 127.0.0.1, 10.0.0.0/8 or ::1/128"));
    assertEquals(TrustedProxies.NONE, TrustedProxies.parse("--trust-proxy", " "));
    assertEquals(
        List.of("10.0.0.0/8", "fd00::/8"),
        TrustedProxies.parse("--trust-proxy", "10.0.0.0/8 , fd00::/8").blocks());
  }

  private static HttpRequest claim() {
    return HttpRequest.newBuilder(URI.create(server.url() + "/api/claims"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"ABCD-EFGH\"}"))
        .build();
  }

  private static long timed(HttpRequest request) throws Exception {
    long started = System.nanoTime();
    HttpResponse<String> reply = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, reply.statusCode(), reply.body());
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
  }

  private static String who(String from, String headers) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
      socket.setSoTimeout(5000);
      send(socket, "GET /who HTTP/1.1\r\nHost: t\r\n" + headers + "Connection: close\r\n\r\n");
      String reply = readAll(socket.getInputStream());
      assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
      return reply.substring(reply.indexOf("\r\n\r\n") + 4);
    }
  }

  private static void send(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // A reset after the answer: what was read is the answer.
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * A client that sends the headers of a 1000-byte claim, then one byte of body every 100 ms (10
   * bytes/s), and stops writing once the server answers or closes.
   */
  private static final class Trickler {
    final SocketChannel channel;
    final StringBuilder answer = new StringBuilder();
    volatile String reply = "";
    volatile long closedAt;

    Trickler(int port) throws IOException {
      channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      channel.write(
          ByteBuffer.wrap(
              ("POST /api/claims HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                      + "Content-Length: 1000\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1)));
      channel.configureBlocking(false);
    }

    /** Trickles on every open connection until all are closed or {@code limit} has passed. */
    static void run(List<Trickler> tricklers, Duration limit) {
      long deadline = System.nanoTime() + limit.toNanos();
      ByteBuffer in = ByteBuffer.allocate(4096);
      while (System.nanoTime() < deadline && tricklers.stream().anyMatch(t -> t.closedAt == 0)) {
        for (Trickler t : tricklers) {
          if (t.closedAt != 0) {
            continue;
          }
          try {
            in.clear();
            int n = t.channel.read(in);
            if (n > 0) {
              t.answer.append(new String(in.array(), 0, n, StandardCharsets.ISO_8859_1));
              t.reply = t.answer.toString();
            } else if (n < 0) {
              t.close();
            } else if (t.answer.length() == 0) {
              t.channel.write(ByteBuffer.wrap(new byte[] {' '}));
            }
          } catch (IOException e) {
            t.close(); // reset by the server
          }
        }
        try {
          Thread.sleep(100); // the trickle's pace, not a wait for a result
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    void close() {
      closedAt = System.nanoTime();
      try {
        channel.close();
      } catch (IOException e) {
        // Already closed by the server.
      }
    }
  }
}
