// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jetty 12 core handler that maps exact paths to {@link Route}s for GET requests. Unknown paths
 * get a JSON 404, other methods a JSON 405, and a route that throws a JSON 500 (logged once).
 */
public final class Routes extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(Routes.class);

  /** Answers one path. Runs on a Jetty thread; may block briefly (e.g. a database read). */
  @FunctionalInterface
  public interface Route {
    Reply handle(Request request) throws Exception;
  }

  /** The body of every error answer. */
  public record Problem(String error, String path) {}

  private final Json json;
  private final Map<String, Route> gets = new LinkedHashMap<>();

  public Routes(Json json) {
    this.json = json;
  }

  /** Adds a GET route; call before the server starts. */
  public Routes get(String path, Route route) {
    if (gets.putIfAbsent(path, route) != null) {
      throw new IllegalArgumentException("Path [" + path + "] has a GET route already");
    }
    return this;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    Route route = gets.get(path);
    Reply reply;
    if (route == null) {
      reply = Reply.json(json, 404, new Problem("not found", path));
    } else if (!request.getMethod().equals("GET")) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET");
      reply =
          Reply.json(
              json, 405, new Problem("method " + request.getMethod() + " not allowed", path));
    } else {
      try {
        reply = route.handle(request);
      } catch (Exception e) {
        log.warn("GET {} failed: {}", path, e.toString(), e);
        reply = Reply.json(json, 500, new Problem("internal error: " + e.getMessage(), path));
      }
    }
    reply.send(response, callback);
    return true;
  }
}
