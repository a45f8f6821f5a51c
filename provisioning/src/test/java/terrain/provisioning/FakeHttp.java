// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A JDK HTTP server on a free loopback port that answers as the sync server's admin API or a hub's
 * preflight would, with the answers a test gives, and keeps every request it received.
 */
final class FakeHttp implements AutoCloseable {

  record Request(
      String method,
      String path,
      String query,
      String authorization,
      String contentType,
      String body) {}

  record Answer(int status, String body) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final HttpServer server;

  FakeHttp() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String method = exchange.getRequestMethod();
          String path = exchange.getRequestURI().getPath();
          requests.add(
              new Request(
                  method,
                  path,
                  exchange.getRequestURI().getRawQuery(),
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  body));
          Answer answer =
              answers.getOrDefault(
                  method + " " + path, new Answer(404, "{\"error\":\"no such endpoint\"}"));
          byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
  }

  /** Answers {@code METHOD /path} with this status and body. */
  FakeHttp on(String methodAndPath, int status, String body) {
    answers.put(methodAndPath, new Answer(status, body));
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  Request only() {
    if (requests.size() != 1) {
      throw new AssertionError("expected one request, got " + requests);
    }
    return requests.get(0);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
