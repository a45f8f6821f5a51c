// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;
import terrain.http.Endpoint;

/**
 * The routes of one family of pages (wallet, partner, moderation) on Jetty's {@link
 * PathMappingsHandler}: by path spec, then by method. Unlike {@link terrain.http.Routes}, which
 * answers everything it is given, a request that no route of the family takes (another path, or a
 * method the path does not take) is passed on: the server chains its families in one {@link
 * Handler.Sequence} and the results pages (last) answer 404 and 405.
 *
 * <p>Specs: {@code /wallet} is exact; {@code /admin/moderation/{kind}/{id}} a URI template; {@code
 * ^regex} a regular expression. Jetty matches the decoded path; an endpoint reads a template's
 * variables with {@link #param}.
 */
public final class PageRoutes {
  private PageRoutes() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Collects routes; each spec may take several methods, each method once. */
  public static final class Builder {
    private final Map<String, Map<String, Endpoint>> bySpec = new LinkedHashMap<>();

    private Builder() {}

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

    /**
     * Every method that no other route of {@code spec} takes: a family that answers its own 404 or
     * 405 (JSON, or with its own {@code Allow}) says so here instead of passing the request on.
     */
    public Builder other(String spec, Endpoint endpoint) {
      return add(OTHER, spec, endpoint);
    }

    private Builder add(String method, String spec, Endpoint endpoint) {
      spec(spec); // fails early on a spec Jetty cannot parse
      if (bySpec.computeIfAbsent(spec, s -> new LinkedHashMap<>()).putIfAbsent(method, endpoint)
          != null) {
        throw new IllegalArgumentException(
            "Path [" + spec + "] has a " + method + " route already");
      }
      return this;
    }

    public Handler build() {
      PathMappingsHandler mappings = new PathMappingsHandler();
      bySpec.forEach(
          (spec, methods) -> {
            PathSpec pathSpec = spec(spec);
            mappings.addMapping(pathSpec, new Methods(pathSpec, methods));
          });
      return mappings;
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

  private static final String OTHER = "*";

  /** The request attribute holding the spec that routed it (Jetty 12.0 keeps none). */
  private static final String SPEC = PageRoutes.class.getName() + ".spec";

  private static PathSpec spec(String spec) {
    return spec.contains("{") ? new UriTemplatePathSpec(spec) : PathSpec.from(spec);
  }

  /** The endpoints of one spec by method; another method is passed on. */
  private static final class Methods extends Handler.Abstract {
    private final PathSpec spec;
    private final Map<String, Endpoint> endpoints;

    Methods(PathSpec spec, Map<String, Endpoint> endpoints) {
      this.spec = spec;
      this.endpoints = Map.copyOf(endpoints);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      Endpoint endpoint = endpoints.get(request.getMethod());
      if (endpoint == null) {
        endpoint = endpoints.get(OTHER);
      }
      if (endpoint == null) {
        return false;
      }
      request.setAttribute(SPEC, spec);
      endpoint.handle(request, response, callback);
      return true;
    }
  }
}
