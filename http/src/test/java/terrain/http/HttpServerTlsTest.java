// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.testkit.TestCa;

class HttpServerTlsTest {
  @TempDir Path dir;

  @Test
  void tls_servesHttpsToAClientTrustingTheCa_andRefusesPlainHttp() throws Exception {
    TestCa ca = TestCa.create();
    TestCa.PemFiles pem = ca.issue("localhost").write(dir, "server");
    TlsIdentity identity =
        TlsIdentity.load(pem.certificate(), pem.key(), "--tls-cert", "--tls-key");
    try (HttpServer server = start(identity)) {
      assertEquals("https://127.0.0.1:" + server.port(), server.url());
      HttpClient trusting =
          HttpClient.newBuilder()
              .sslContext(ca.clientContext())
              .connectTimeout(Duration.ofSeconds(5))
              .build();

      HttpResponse<String> reply =
          trusting.send(
              HttpRequest.newBuilder(URI.create(server.url() + "/hello")).build(),
              HttpResponse.BodyHandlers.ofString());

      assertEquals(200, reply.statusCode());
      assertEquals("hello", reply.body());

      HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      URI http = URI.create("http://127.0.0.1:" + server.port() + "/hello");
      boolean refused;
      try {
        HttpResponse<String> answer =
            plain.send(
                HttpRequest.newBuilder(http).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        refused = answer.statusCode() != 200 || !"hello".equals(answer.body());
      } catch (IOException e) {
        refused = true;
      }
      assertTrue(refused, "plain HTTP to the HTTPS port must not be served");
    }
  }

  @Test
  void tls_whenTheClientDoesNotTrustTheCa_refusesTheHandshake() throws Exception {
    TestCa.PemFiles pem = TestCa.create().issue("localhost").write(dir, "server");
    TlsIdentity identity =
        TlsIdentity.load(pem.certificate(), pem.key(), "--tls-cert", "--tls-key");
    try (HttpServer server = start(identity)) {
      HttpClient other =
          HttpClient.newBuilder().sslContext(TestCa.create().clientContext()).build();

      assertThrows(
          SSLHandshakeException.class,
          () ->
              other.send(
                  HttpRequest.newBuilder(URI.create(server.url() + "/hello")).build(),
                  HttpResponse.BodyHandlers.ofString()));
    }
  }

  private static HttpServer start(TlsIdentity identity) {
    return HttpServer.builder()
        .bind("127.0.0.1", 0)
        .tls(identity)
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
