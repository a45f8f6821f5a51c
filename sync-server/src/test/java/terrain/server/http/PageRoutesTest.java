// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import terrain.http.HttpServer;
import terrain.http.Responses;

/**
 * {@link PageRoutes} on a real Jetty: templates, {@code other}, the router's 404 and 405, and what
 * an endpoint throws.
 */
class PageRoutesTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpServer server;

  @BeforeEach
  void start() {
    Handler routes =
        PageRoutes.builder()
            .get(
                "/items/{kind}/{id}",
                (rq, rs, cb) ->
                    Responses.sendText(
                        rs,
                        cb,
                        200,
                        PageRoutes.param(rq, "kind") + "|" + PageRoutes.param(rq, "id")))
            .other("/items/{kind}/{id}", (rq, rs, cb) -> Responses.sendText(rs, cb, 405, "other"))
            .other("/items/*", (rq, rs, cb) -> Responses.sendText(rs, cb, 404, "prefix"))
            .get(
                "/plain",
                (rq, rs, cb) ->
                    Responses.sendText(rs, cb, 200, String.valueOf(PageRoutes.param(rq, "id"))))
            .post("/plain", (rq, rs, cb) -> Responses.sendText(rs, cb, 201, "posted"))
            .get(
                "/broken",
                (rq, rs, cb) -> {
                  throw new IllegalStateException("broken");
                })
            .build(
                new PageRoutes.Answers() {
                  @Override
                  public void notFound(Request request, Response response, Callback callback) {
                    Responses.sendText(response, callback, 404, "none");
                  }

                  @Override
                  public void methodNotAllowed(
                      Request request, Response response, Callback callback, String allow) {
                    Responses.sendText(response, callback, 405, "use " + allow);
                  }

                  @Override
                  public void failed(
                      Request request, Response response, Callback callback, Exception failure) {
                    Responses.sendText(response, callback, 500, failure.getMessage());
                  }
                });
    server =
        HttpServer.builder()
            .name("page-routes-test")
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
  void template_whenMatched_givesItsVariablesDecoded() throws Exception {
    HttpResponse<String> reply = send("GET", "/items/idea/dev-1~4%7E2");

    assertEquals(200, reply.statusCode());
    assertEquals("idea|dev-1~4~2", reply.body());
  }

  @Test
  void template_whenOtherMethod_isAnsweredByOtherNotPassedOn() throws Exception {
    HttpResponse<String> reply = send("DELETE", "/items/idea/x~1");

    assertEquals(405, reply.statusCode());
    assertEquals("other", reply.body());
  }

  @Test
  void prefix_whenNoTemplateMatches_takesTheRestOfTheFamily() throws Exception {
    assertEquals("prefix", send("GET", "/items/idea").body());
    assertEquals("prefix", send("GET", "/items/idea/x~1/more").body());
    assertEquals("prefix", send("GET", "/items").body());
  }

  @Test
  void route_whenMethodNotTakenAndNoOther_is405WithAllow() throws Exception {
    HttpResponse<String> reply = send("PUT", "/plain");

    assertEquals(405, reply.statusCode());
    assertEquals("GET, HEAD, POST", reply.headers().firstValue("Allow").orElse(""));
    assertEquals("use GET, HEAD, POST", reply.body());
    assertEquals(201, send("POST", "/plain").statusCode());
  }

  @Test
  void path_whenNoSpecMatches_isNotFoundWhateverTheMethod() throws Exception {
    assertEquals("none", send("GET", "/elsewhere").body());
    assertEquals(404, send("DELETE", "/elsewhere").statusCode());
  }

  @Test
  void endpoint_whenItThrows_isAnsweredByFailed() throws Exception {
    HttpResponse<String> reply = send("GET", "/broken");

    assertEquals(500, reply.statusCode());
    assertEquals("broken", reply.body());
  }

  @Test
  void param_whenSpecIsNoTemplate_isNull() throws Exception {
    assertEquals("null", send("GET", "/plain").body());
  }

  @Test
  void builder_whenSameMethodTwiceOnASpec_fails() {
    PageRoutes.Builder routes = PageRoutes.builder().get("/x", (rq, rs, cb) -> {});
    assertThrows(IllegalArgumentException.class, () -> routes.get("/x", (rq, rs, cb) -> {}));
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.url() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
