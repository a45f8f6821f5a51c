// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import terrain.http.HttpServer;
import terrain.http.Responses;

/** {@link PageRoutes} on a real Jetty: templates, {@code other}, and what is passed on. */
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
            .build();
    // What the family passes on reaches the next handler, as in the server's Handler.Sequence.
    Handler next =
        new Handler.Abstract() {
          @Override
          public boolean handle(
              org.eclipse.jetty.server.Request request,
              org.eclipse.jetty.server.Response response,
              org.eclipse.jetty.util.Callback callback) {
            Responses.sendText(response, callback, 418, "next");
            return true;
          }
        };
    server =
        HttpServer.builder()
            .name("page-routes-test")
            .bind("127.0.0.1", 0)
            .threads(2, 4)
            .handler(new Handler.Sequence(routes, next))
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
  void route_whenMethodNotTakenAndNoOther_isPassedOn() throws Exception {
    HttpResponse<String> reply = send("POST", "/plain");

    assertEquals(418, reply.statusCode());
    assertEquals("next", reply.body());
  }

  @Test
  void param_whenSpecIsNoTemplate_isNull() throws Exception {
    assertEquals("null", send("GET", "/plain").body());
    assertEquals(418, send("GET", "/elsewhere").statusCode());
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
