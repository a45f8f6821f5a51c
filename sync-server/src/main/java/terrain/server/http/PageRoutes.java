// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.pathmap.MatchedResource;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;
import terrain.http.Endpoint;
import terrain.http.Metrics;

/**
 * The server's one router, on Jetty's {@link PathMappingsHandler}: by path spec, then by method.
 * Every family of pages and APIs adds its routes to one {@link Builder} ({@code routes(Builder)});
 * {@link Builder#build(Answers)} makes the handler that answers every request: a path no spec
 * matches by {@link Answers#notFound}, a matched spec without the request's method by 405 with
 * {@code Allow} and {@link Answers#methodNotAllowed}, unless the spec has an {@link Builder#other}
 * endpoint (a family that answers its own 404 or 405); what an endpoint throws by {@link
 * Answers#failed}.
 *
 * <p>Specs: {@code /} is the root only; {@code /wallet} is exact; {@code /admin/*} a prefix (and
 * {@code /admin} itself); {@code /admin/moderation/{kind}/{id}} a URI template; {@code ^regex} a
 * regular expression. Jetty matches the decoded path and takes the one best spec (decision 0043: an
 * exact spec first, then the longest prefix, then suffixes, then the other templates and regular
 * expressions in their order); an endpoint reads a template's variables with {@link #param}.
 */
public final class PageRoutes {
  private PageRoutes() {}

  public static Builder builder() {
    return new Builder(new LinkedHashMap<>(), UnaryOperator.identity());
  }

  /** How the router answers what no endpoint takes. */
  public interface Answers {
    /** No spec matches the path. */
    void notFound(Request request, Response response, Callback callback) throws Exception;

    /** A spec matches but not with this method; {@code Allow} is set already. */
    void methodNotAllowed(Request request, Response response, Callback callback, String allow)
        throws Exception;

    /** The endpoint threw {@code failure}; the answer has not been started. */
    void failed(Request request, Response response, Callback callback, Exception failure)
        throws Exception;
  }

  /**
   * Collects routes; each spec may take several methods, each method once. A builder made by {@link
   * #guarded} adds to the same routes, each endpoint wrapped.
   */
  public static final class Builder {
    private final Map<String, Map<String, Endpoint>> bySpec;
    private final UnaryOperator<Endpoint> guard;

    private Builder(Map<String, Map<String, Endpoint>> bySpec, UnaryOperator<Endpoint> guard) {
      this.bySpec = bySpec;
      this.guard = guard;
    }

    /**
     * The same routes, each endpoint added through this builder wrapped by {@code guard} (a
     * family's answer to the failures its endpoints throw, e.g. 503 when the database is down).
     */
    public Builder guarded(UnaryOperator<Endpoint> guard) {
      UnaryOperator<Endpoint> outer = this.guard;
      return new Builder(bySpec, endpoint -> outer.apply(guard.apply(endpoint)));
    }

    /** GET, and HEAD (the page's headers without its bytes), on {@code spec}. */
    public Builder get(String spec, Endpoint endpoint) {
      add(HttpMethod.GET.asString(), spec, endpoint);
      return add(HttpMethod.HEAD.asString(), spec, endpoint);
    }

    public Builder post(String spec, Endpoint endpoint) {
      return add(HttpMethod.POST.asString(), spec, endpoint);
    }

    public Builder put(String spec, Endpoint endpoint) {
      return add(HttpMethod.PUT.asString(), spec, endpoint);
    }

    /** {@code method} (upper case) on {@code spec}; GET also answers HEAD. */
    public Builder route(String method, String spec, Endpoint endpoint) {
      return HttpMethod.GET.is(method) ? get(spec, endpoint) : add(method, spec, endpoint);
    }

    /**
     * Every method that no other route of {@code spec} takes: a family that answers its own 404 or
     * 405 (JSON, or with its own {@code Allow}) says so here.
     */
    public Builder other(String spec, Endpoint endpoint) {
      return add(OTHER, spec, endpoint);
    }

    private Builder add(String method, String spec, Endpoint endpoint) {
      spec(spec); // fails early on a spec Jetty cannot parse
      if (bySpec
              .computeIfAbsent(spec, s -> new LinkedHashMap<>())
              .putIfAbsent(method, guard.apply(endpoint))
          != null) {
        throw new IllegalArgumentException(
            "Path [" + spec + "] has a " + method + " route already");
      }
      return this;
    }

    /** The routes so far, each spec with the methods it takes. */
    public Table table() {
      Map<String, Set<String>> table = new LinkedHashMap<>();
      bySpec.forEach((spec, methods) -> table.put(spec, Set.copyOf(methods.keySet())));
      return new Table(Collections.unmodifiableMap(table));
    }

    /** The handler of all the routes, answering every request. */
    public Handler build(Answers answers) {
      PathMappingsHandler mappings = new PathMappingsHandler();
      bySpec.forEach(
          (spec, methods) -> {
            PathSpec pathSpec = spec(spec);
            mappings.addMapping(pathSpec, new Methods(spec, pathSpec, methods, answers));
          });
      return new Handler.Wrapper(mappings) {
        @Override
        public boolean handle(Request request, Response response, Callback callback)
            throws Exception {
          if (!super.handle(request, response, callback)) {
            answers.notFound(request, response, callback);
          }
          return true;
        }
      };
    }
  }

  /**
   * The routes of a router: each spec, in the order added, and the methods it takes ({@code *} for
   * {@link Builder#other}).
   */
  public record Table(Map<String, Set<String>> methods) {
    /** The spec that routes {@code path} (decoded), as Jetty picks it; null when none does. */
    public String specOf(String path) {
      PathMappings<String> mappings = new PathMappings<>();
      methods.keySet().forEach(spec -> mappings.put(spec(spec), spec));
      MatchedResource<String> matched = mappings.getMatched(path);
      return matched == null ? null : matched.getResource();
    }
  }

  /**
   * The value of {@code {name}} in the URI template that routed {@code request}, decoded, or null
   * when the route's spec is not a template or has no such variable.
   */
  public static String param(Request request, String name) {
    if (request.getAttribute(SPEC) instanceof UriTemplatePathSpec template) {
      Map<String, String> params = template.getPathParams(Request.getPathInContext(request));
      return params == null ? null : params.get(name);
    }
    return null;
  }

  /** The {@code Allow} header of a spec taking {@code methods}: sorted, {@code *} left out. */
  public static String allow(Set<String> methods) {
    Set<String> sorted = new TreeSet<>(methods);
    sorted.remove(OTHER);
    return String.join(", ", sorted);
  }

  private static final String OTHER = "*";

  /** The request attribute holding the spec that routed it (Jetty 12.0 keeps none). */
  private static final String SPEC = PageRoutes.class.getName() + ".spec";

  private static PathSpec spec(String spec) {
    if (spec.equals("/")) {
      // In servlet terms "/" is the default that matches everything; "" is the root alone.
      return new ServletPathSpec("");
    }
    return spec.contains("{") ? new UriTemplatePathSpec(spec) : PathSpec.from(spec);
  }

  /** The endpoints of one spec by method; another method is a 405 unless the spec has "other". */
  private static final class Methods extends Handler.Abstract {
    private final String declared;
    private final PathSpec spec;
    private final Map<String, Endpoint> endpoints;
    private final Answers answers;
    private final String allow;

    Methods(String declared, PathSpec spec, Map<String, Endpoint> endpoints, Answers answers) {
      this.declared = declared;
      this.spec = spec;
      this.endpoints = Map.copyOf(endpoints);
      this.answers = answers;
      this.allow = allow(endpoints.keySet());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      // The spec, not the path, labels the request's metrics (Metrics#timed).
      request.setAttribute(Metrics.ROUTE, declared);
      request.setAttribute(SPEC, spec);
      Endpoint endpoint = endpoints.get(request.getMethod());
      if (endpoint == null) {
        endpoint = endpoints.get(OTHER);
      }
      if (endpoint == null) {
        response.getHeaders().put(HttpHeader.ALLOW, allow);
        answers.methodNotAllowed(request, response, callback, allow);
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
          answers.failed(request, response, callback, e);
        }
      }
      return true;
    }
  }
}
