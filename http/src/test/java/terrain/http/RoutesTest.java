// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoutesTest {
  private static final int MAX_BODY = 64;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Whether the body endpoint got to run after the kit refused a body. */
  private final AtomicBoolean bodyUsed = new AtomicBoolean();

  private HttpServer server;

  /** A record, to check that records are written as objects. */
  record Status(String state, long pending) {}

  @BeforeEach
  void start() {
    Routes routes =
        Routes.builder()
            .get("/", (rq, rs, cb) -> Responses.sendHtml(rs, cb, 200, "<p>Accueil é</p>"))
            .get(
                "/api/status", (rq, rs, cb) -> Responses.sendJson(rs, cb, 200, new Status("up", 3)))
            .get(
                "/api/boom",
                (rq, rs, cb) -> {
                  throw new IllegalStateException("the disk is full");
                })
            .get("/notes", (rq, rs, cb) -> Responses.sendText(rs, cb, 200, "texte é"))
            .get(
                "/events/*",
                (rq, rs, cb) -> Responses.sendText(rs, cb, 200, rq.getHttpURI().getPath()))
            .get("/rooms/{room}", (rq, rs, cb) -> Responses.sendText(rs, cb, 200, "room"))
            .get(
                "/whoami",
                (rq, rs, cb) -> Responses.sendText(rs, cb, 200, "[" + Requests.bearer(rq) + "]"))
            .post(
                "/echo",
                (rq, rs, cb) ->
                    Requests.jsonBody(rq, rs, cb, MAX_BODY, "the body is not JSON")
                        .ifPresent(
                            body -> {
                              bodyUsed.set(true);
                              Responses.sendJson(rs, cb, 201, body);
                            }))
            .build();
    server =
        HttpServer.builder()
            .name("routes-test")
            .bind("127.0.0.1", 0)
            .threads(2, 4)
            .handler(routes)
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void get_whenRouteMatches_answersJsonWithoutCaching() throws Exception {
    HttpResponse<String> reply = send("GET", "/api/status", null);

    assertEquals(200, reply.statusCode());
    assertEquals("application/json; charset=utf-8", header(reply, "Content-Type"));
    assertEquals("no-store", header(reply, "Cache-Control"));
    assertEquals("nosniff", header(reply, "X-Content-Type-Options"));
    assertEquals("{\"state\":\"up\",\"pending\":3}", reply.body());
  }

  @Test
  void get_whenPathUnknown_answersJson404WithTheErrorShape() throws Exception {
    HttpResponse<String> reply = send("GET", "/api/nothing", null);

    assertEquals(404, reply.statusCode());
    assertEquals("application/json; charset=utf-8", header(reply, "Content-Type"));
    assertEquals("{\"error\":\"not found\",\"path\":\"/api/nothing\"}", reply.body());
  }

  @Test
  void get_whenRootRouted_answersTheRootOnly() throws Exception {
    assertEquals(200, send("GET", "/", null).statusCode());
    assertEquals(404, send("GET", "/elsewhere", null).statusCode());
  }

  @Test
  void get_whenPrefixOrTemplateRouted_answersEveryPathUnderIt() throws Exception {
    HttpResponse<String> event = send("GET", "/events/quartier-nord", null);
    HttpResponse<String> room = send("GET", "/rooms/blue", null);

    assertEquals(200, event.statusCode());
    assertEquals("/events/quartier-nord", event.body());
    assertEquals(200, room.statusCode());
    assertEquals(404, send("GET", "/rooms/blue/extra", null).statusCode());
  }

  @Test
  void post_whenOnlyGetRouted_answers405WithAllow() throws Exception {
    HttpResponse<String> reply = send("POST", "/api/status", "{}");

    assertEquals(405, reply.statusCode());
    assertEquals("GET, HEAD", header(reply, "Allow"));
    assertEquals("{\"error\":\"method POST not allowed\",\"path\":\"/api/status\"}", reply.body());
  }

  @Test
  void head_whenGetRouted_answersTheHeadersWithoutBody() throws Exception {
    HttpResponse<String> reply = send("HEAD", "/api/status", null);

    assertEquals(200, reply.statusCode());
    assertEquals("application/json; charset=utf-8", header(reply, "Content-Type"));
    assertEquals("26", header(reply, "Content-Length"));
    assertEquals("", reply.body());
  }

  @Test
  void get_whenEndpointThrows_answersJson500WithTheReason() throws Exception {
    HttpResponse<String> reply = send("GET", "/api/boom", null);

    assertEquals(500, reply.statusCode());
    assertEquals(
        "{\"error\":\"internal error: the disk is full\",\"path\":\"/api/boom\"}", reply.body());
  }

  @Test
  void html_whenSent_isUtf8AndMayNotRunScripts() throws Exception {
    HttpResponse<String> reply = send("GET", "/?lang=en", null);

    assertEquals("text/html; charset=utf-8", header(reply, "Content-Type"));
    assertEquals(
        "default-src 'none'; style-src 'unsafe-inline'", header(reply, "Content-Security-Policy"));
    assertEquals("Accept-Language", header(reply, "Vary"));
    assertEquals("<p>Accueil é</p>", reply.body());
  }

  @Test
  void text_whenSent_isUtf8() throws Exception {
    HttpResponse<String> reply = send("GET", "/notes", null);

    assertEquals("text/plain; charset=utf-8", header(reply, "Content-Type"));
    assertEquals("texte é", reply.body());
  }

  @Test
  void bearer_whenHeaderGivenOrNot_isTheTokenOrEmpty() throws Exception {
    HttpRequest.Builder withToken =
        HttpRequest.newBuilder(URI.create(server.url() + "/whoami"))
            .header("Authorization", "bearer  abc123 ");
    HttpRequest.Builder basic =
        HttpRequest.newBuilder(URI.create(server.url() + "/whoami"))
            .header("Authorization", "Basic abc123");

    assertEquals("[abc123]", CLIENT.send(withToken.build(), ofString()).body());
    assertEquals("[]", CLIENT.send(basic.build(), ofString()).body());
    assertEquals("[]", send("GET", "/whoami", null).body());
  }

  @Test
  void jsonBody_whenObjectWithinLimit_isParsed() throws Exception {
    HttpResponse<String> reply = send("POST", "/echo", "{\"code\":\"AB-12\"}");

    assertEquals(201, reply.statusCode());
    assertEquals("AB-12", json(reply).path("code").asText());
  }

  @Test
  void jsonBody_whenNotJsonOrNotAnObject_answers400WithTheReason() throws Exception {
    HttpResponse<String> garbage = send("POST", "/echo", "code=ABC");
    HttpResponse<String> array = send("POST", "/echo", "[1,2]");
    HttpResponse<String> empty = send("POST", "/echo", "");

    assertEquals(400, garbage.statusCode());
    assertEquals("{\"error\":\"the body is not JSON\"}", garbage.body());
    assertEquals(400, array.statusCode());
    assertEquals("{\"error\":\"the body must be a JSON object\"}", array.body());
    assertEquals(400, empty.statusCode());
    assertEquals("the body must be a JSON object", json(empty).path("error").asText());
  }

  @Test
  void jsonBody_whenContentLengthAboveLimit_answers413BeforeReadingIt() throws Exception {
    // Announces a megabyte and sends 10 bytes: a server that read the body would wait for the
    // rest until its idle timeout; one that checks the length first answers at once.
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 1000000\r\n\r\n{\"a\":\"0123")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);

      assertEquals("HTTP/1.1 413", answer);
    }
    assertEquals(false, bodyUsed.get());
  }

  @Test
  void jsonBody_whenChunkedBodyExceedsLimit_answers413() throws Exception {
    byte[] big = ("{\"a\":\"" + "x".repeat(MAX_BODY * 4) + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.url() + "/echo"))
            // No length known in advance: sent chunked, so only the streaming limit can stop it.
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
            .build();

    HttpResponse<String> reply = CLIENT.send(request, ofString());

    assertEquals(413, reply.statusCode());
    assertEquals("{\"error\":\"the body exceeds 64 bytes\"}", reply.body());
    assertEquals(false, bodyUsed.get());
  }

  @Test
  void builder_whenMethodRoutedTwice_namesThePathAndTheMethod() {
    Endpoint nothing = (rq, rs, cb) -> cb.succeeded();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Routes.builder().post("/a", nothing).post("/a", nothing));

    assertEquals("Path [/a] has a POST route already", e.getMessage());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.url() + path)).method(method, publisher);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return CLIENT.send(request.build(), ofString());
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8);
  }

  private static String header(HttpResponse<?> reply, String name) {
    return reply.headers().firstValue(name).orElse("(none)");
  }

  private static JsonNode json(HttpResponse<String> reply) throws Exception {
    assertTrue(header(reply, "Content-Type").startsWith("application/json"), reply.toString());
    return MAPPER.readTree(reply.body());
  }
}
