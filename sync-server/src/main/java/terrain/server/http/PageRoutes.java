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
 * ^regex} a regular expression. Jetty matches the decoded path.
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
      bySpec.forEach((spec, methods) -> mappings.addMapping(spec(spec), new Methods(methods)));
      return mappings;
    }
  }

  private static PathSpec spec(String spec) {
    return spec.contains("{") ? new UriTemplatePathSpec(spec) : PathSpec.from(spec);
  }

  /** The endpoints of one spec by method; another method is passed on. */
  private static final class Methods extends Handler.Abstract {
    private final Map<String, Endpoint> endpoints;

    Methods(Map<String, Endpoint> endpoints) {
      this.endpoints = Map.copyOf(endpoints);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      Endpoint endpoint = endpoints.get(request.getMethod());
      if (endpoint == null) {
        return false;
      }
      endpoint.handle(request, response, callback);
      return true;
    }
  }
}
