// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handler that routes by path with Jetty's {@link PathMappingsHandler}, then by method.
 *
 * <p>Jetty matches paths only, so each path spec is mapped to a small table of methods: a known
 * path with another method is answered 405 with {@code Allow}, a path no spec matches 404, and an
 * endpoint that throws by {@link Fallback#failed}. Every request gets an answer. A GET route also
 * answers HEAD, with the same headers and no body.
 *
 * <p>Paths: {@code /} is the root only; {@code /api/status} is exact; {@code /events/*} is the
 * prefix and everything under it; {@code /chat/{room}} is a URI template; {@code ^regex} a regular
 * expression. Jetty matches the decoded path.
 */
public final class Routes extends Handler.Wrapper {
  private static final Logger log = LoggerFactory.getLogger(Routes.class);

  /** How requests that no endpoint answers are answered. */
  public interface Fallback {
    /** No path spec matches. */
    void notFound(Request request, Response response, Callback callback) throws Exception;

    /** The path is known but not with this method; {@code allow} lists the methods it takes. */
    void methodNotAllowed(Request request, Response response, Callback callback, String allow)
        throws Exception;

    /** The endpoint threw {@code failure}; the answer has not been started. */
    void failed(Request request, Response response, Callback callback, Exception failure)
        throws Exception;
  }

  /**
   * The JSON answers: {@code {"error": "not found", "path": P}} 404, {@code {"error": "method M not
   * allowed", "path": P}} 405, and 500 with the failure's message (logged once).
   */
  public static final Fallback JSON_ERRORS =
      new Fallback() {
        @Override
        public void notFound(Request request, Response response, Callback callback) {
          problem(request, response, callback, 404, "not found");
        }

        @Override
        public void methodNotAllowed(
            Request request, Response response, Callback callback, String allow) {
          problem(
              request, response, callback, 405, "method " + request.getMethod() + " not allowed");
        }

        @Override
        public void failed(
            Request request, Response response, Callback callback, Exception failure) {
          log.warn(
              "{} {} failed: {}",
              request.getMethod(),
              request.getHttpURI().getPath(),
              failure.toString(),
              failure);
          problem(request, response, callback, 500, "internal error: " + failure.getMessage());
        }

        private void problem(
            Request request, Response response, Callback callback, int status, String error) {
          var body = Json.error(error);
          body.put("path", Request.getPathInContext(request));
          Responses.sendJson(response, callback, status, body);
        }
      };

  private final Fallback fallback;

  private Routes(PathMappingsHandler mappings, Fallback fallback) {
    super(mappings);
    this.fallback = fallback;
  }

  /** Routes answered by {@link #JSON_ERRORS} when no endpoint answers. */
  public static Builder builder() {
    return new Builder(JSON_ERRORS);
  }

  public static Builder builder(Fallback fallback) {
    return new Builder(fallback);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!super.handle(request, response, callback)) {
      fallback.notFound(request, response, callback);
    }
    return true;
  }

  /** Collects routes; each path spec may take several methods, each method once. */
  public static final class Builder {
    private final Fallback fallback;
    private final Map<String, Map<String, Endpoint>> bySpec = new LinkedHashMap<>();

    private Builder(Fallback fallback) {
      this.fallback = fallback;
    }

    /** Answers GET, and HEAD without the body, on {@code path}. */
    public Builder get(String path, Endpoint endpoint) {
      add("GET", path, endpoint);
      return add("HEAD", path, endpoint);
    }

    public Builder post(String path, Endpoint endpoint) {
      return add("POST", path, endpoint);
    }

    public Builder put(String path, Endpoint endpoint) {
      return add("PUT", path, endpoint);
    }

    public Builder delete(String path, Endpoint endpoint) {
      return add("DELETE", path, endpoint);
    }

    /** Answers {@code method} (upper case, e.g. {@code PATCH}) on {@code path}. */
    public Builder add(String method, String path, Endpoint endpoint) {
      spec(path); // fails early on a path Jetty cannot parse
      Map<String, Endpoint> methods = bySpec.computeIfAbsent(path, p -> new LinkedHashMap<>());
      if (methods.putIfAbsent(method, endpoint) != null) {
        throw new IllegalArgumentException(
            "Path [" + path + "] has a " + method + " route already");
      }
      return this;
    }

    public Routes build() {
      PathMappingsHandler mappings = new PathMappingsHandler();
      bySpec.forEach(
          (path, methods) -> mappings.addMapping(spec(path), new Methods(path, methods, fallback)));
      return new Routes(mappings, fallback);
    }
  }

  private static PathSpec spec(String path) {
    if (path.equals("/")) {
      // In servlet terms "/" is the default that matches everything; "" is the root alone.
      return new ServletPathSpec("");
    }
    if (path.contains("{")) {
      return new UriTemplatePathSpec(path);
    }
    return PathSpec.from(path);
  }

  /** The endpoints of one path spec, by method. */
  private static final class Methods extends Handler.Abstract {
    private final String path;
    private final Map<String, Endpoint> endpoints;
    private final Fallback fallback;
    private final String allow;

    Methods(String path, Map<String, Endpoint> endpoints, Fallback fallback) {
      this.path = path;
      this.endpoints = Map.copyOf(endpoints);
      this.fallback = fallback;
      Set<String> sorted = new TreeSet<>(endpoints.keySet());
      this.allow = String.join(", ", sorted);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      // The route pattern, not the path, labels the request's metrics (Metrics#timed).
      request.setAttribute(Metrics.ROUTE, path);
      Endpoint endpoint = endpoints.get(request.getMethod());
      if (endpoint == null) {
        response.getHeaders().put(HttpHeader.ALLOW, allow);
        fallback.methodNotAllowed(request, response, callback, allow);
        return true;
      }
      try {
        endpoint.handle(request, response, callback);
      } catch (Exception e) {
        if (response.isCommitted()) {
          // Part of the answer is on the wire: nothing sensible can follow it.
          callback.failed(e);
        } else {
          response.reset();
          fallback.failed(request, response, callback, e);
        }
      }
      return true;
    }
  }
}
