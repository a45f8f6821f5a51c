// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.http.TrustedProxies;
import terrain.server.ServerConfig;
import terrain.server.SyncServer;
import terrain.server.testkit.MigratedDerby;
import terrain.transport.MqttCredentials;

/**
 * The real server under abuse (decision 0018), one server for the class. Slow clients: with more
 * clients trickling claim bodies than the server has request threads, claims and {@code
 * /api/status} still answer at once. {@code --trust-proxy}: behind the trusted proxy (127.0.0.1)
 * rate limits key on the forwarded client and cookies are Secure when it came over HTTPS; from
 * another peer (127.0.0.2, this machine too) the same headers change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpAbuseServerTest {
  private static final String ADMIN = "admin-token-0123456789abcdef";
  private static final String PROXY = "127.0.0.1";
  private static final String STRANGER = "127.0.0.2";

  @TempDir static Path dir;
  SyncServer server;

  @BeforeAll
  void start() throws Exception {
    server =
        SyncServer.start(
            new ServerConfig(
                MigratedDerby.serverData(dir),
                0,
                0,
                null,
                null,
                MqttCredentials.DEVELOPMENT_KEY,
                true,
                "127.0.0.1",
                List.of(),
                true,
                ADMIN,
                2,
                List.of(),
                true,
                null,
                null,
                TrustedProxies.parse("--trust-proxy", PROXY + "/32"),
                terrain.core.wire.Topics.DEFAULT_INGEST_GROUP,
                false,
                terrain.server.followup.MailSettings.NONE,
                0),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void slowClients_whenMoreTrickleThanThereAreThreads_claimsAndStatusAnswerAtOnce()
      throws Exception {
    String headers =
        "POST /api/claims HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            + "Content-Length: 1000\r\n\r\n{";
    List<Socket> slow = new ArrayList<>();
    try {
      exchange(STRANGER, "GET /api/status HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
      for (int i = 0; i < 50; i++) {
        Socket socket = new Socket("127.0.0.1", server.httpPort());
        socket.getOutputStream().write(headers.getBytes(StandardCharsets.US_ASCII));
        slow.add(socket);
      }
      // Within the 5 s grace of the minimum data rate every slow client is still connected; 50
      // of them would hold all 32 request threads if bodies were read by the handlers.
      List<Long> millis = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (Socket socket : slow) {
          socket.getOutputStream().write(' ');
        }
        long started = System.nanoTime();
        String status =
            exchange(PROXY, "GET /api/status HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertTrue(status.startsWith("HTTP/1.1 200"), status);
        assertEquals(401, claim(PROXY, "X-Forwarded-For: 192.0.2." + round + "\r\n"));
        millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      }
      assertTrue(millis.stream().allMatch(m -> m < 1000), "status and claim in < 1 s: " + millis);
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  @Test
  void cookies_whenTheTrustedProxyForwardsHttps_areSecure() throws Exception {
    String reply = get(PROXY, "/admin/login", "X-Forwarded-Proto: https\r\n");
    assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
    assertTrue(setCookie(reply).contains("; Secure"), setCookie(reply));
  }

  @Test
  void cookies_whenAnUntrustedPeerClaimsHttps_areNotSecure() throws Exception {
    String reply = get(STRANGER, "/admin/login", "X-Forwarded-Proto: https\r\n");
    assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
    assertFalse(setCookie(reply).contains("Secure"), setCookie(reply));
    assertFalse(setCookie(get(PROXY, "/admin/login", "")).contains("Secure"), "plain HTTP");
  }

  @Test
  void claimLimit_behindTheTrustedProxy_keysOnTheForwardedClient() throws Exception {
    String alice = "X-Forwarded-For: 203.0.113.10\r\n";
    assertEquals(401, claim(PROXY, alice), "no wallet: refused, but counted");
    assertEquals(401, claim(PROXY, alice));
    assertEquals(429, claim(PROXY, alice), "2 attempts a minute for this client");
    // Another resident behind the same proxy has attempts of her own.
    assertEquals(401, claim(PROXY, "X-Forwarded-For: 203.0.113.11\r\n"));
  }

  @Test
  void claimLimit_fromAnUntrustedPeer_keysOnThePeerWhateverItForwards() throws Exception {
    assertEquals(401, claim(STRANGER, "X-Forwarded-For: 198.51.100.1\r\n"));
    assertEquals(401, claim(STRANGER, "X-Forwarded-For: 198.51.100.2\r\n"));
    assertEquals(429, claim(STRANGER, "X-Forwarded-For: 198.51.100.3\r\n"));
  }

  private int claim(String from, String headers) throws IOException {
    String body = "{\"code\":\"ABCD-EFGH-JKMN\"}";
    String reply =
        exchange(
            from,
            "POST /api/claims HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                + headers
                + "Content-Length: "
                + body.length()
                + "\r\nConnection: close\r\n\r\n"
                + body);
    return Integer.parseInt(reply.substring(9, 12));
  }

  private String get(String from, String path, String headers) throws IOException {
    return exchange(
        from, "GET " + path + " HTTP/1.1\r\nHost: t\r\n" + headers + "Connection: close\r\n\r\n");
  }

  private static String setCookie(String reply) {
    return reply
        .lines()
        .filter(line -> line.regionMatches(true, 0, "Set-Cookie:", 0, 11))
        .findFirst()
        .orElse("no Set-Cookie in: " + reply);
  }

  /** One request over a socket bound to {@code from}, a loopback address; the whole answer. */
  private String exchange(String from, String request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
      socket.connect(new InetSocketAddress("127.0.0.1", server.httpPort()), 5000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
