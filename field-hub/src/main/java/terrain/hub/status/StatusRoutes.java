// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.status;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import terrain.core.text.PageLanguage;
import terrain.http.Health;
import terrain.http.Metrics;
import terrain.http.Responses;
import terrain.http.Routes;
import terrain.store.StoreException;

/**
 * The hub's HTTP surface: the facilitator's page and the JSON API ({@code /api/status}, {@code
 * /api/preflight}, {@code /api/conflicts}, {@code /api/rejected}), and the probes {@code /healthz},
 * {@code /readyz} and {@code /metrics} (see {@code terrain.hub.HubObservability}).
 */
public final class StatusRoutes {
  private StatusRoutes() {}

  public static Routes create(HubStatusService service, StatusPage page) {
    return builder(service, page).build();
  }

  /** As {@link #create(HubStatusService, StatusPage)} with /healthz, /readyz and /metrics. */
  public static Routes create(
      HubStatusService service, StatusPage page, Health health, Metrics metrics) {
    return create(service, page, health, metrics, routes -> {});
  }

  /** As above, with more routes added by {@code more} (the live results, the slips). */
  public static Routes create(
      HubStatusService service,
      StatusPage page,
      Health health,
      Metrics metrics,
      java.util.function.Consumer<Routes.Builder> more) {
    Routes.Builder routes = builder(service, page);
    health.register(routes);
    metrics.register(routes);
    more.accept(routes);
    return routes.build();
  }

  private static Routes.Builder builder(HubStatusService service, StatusPage page) {
    return Routes.builder()
        .get(
            "/",
            (request, response, callback) ->
                Responses.sendHtml(
                    response, callback, 200, render(service, page, language(request))))
        .get(
            "/api/status",
            (request, response, callback) ->
                Responses.sendJson(response, callback, 200, service.status()))
        .get(
            "/api/preflight",
            (request, response, callback) ->
                Responses.sendJson(response, callback, 200, service.preflight(language(request))))
        .get(
            "/api/conflicts",
            (request, response, callback) ->
                Responses.sendJson(response, callback, 200, service.conflicts()))
        .get(
            "/api/rejected",
            (request, response, callback) ->
                Responses.sendJson(response, callback, 200, service.rejected()));
  }

  private static String render(HubStatusService service, StatusPage page, PageLanguage language)
      throws StoreException {
    return page.render(service.status(), service.preflight(language), language);
  }

  private static PageLanguage language(Request request) {
    return PageLanguage.choose(
        request.getHttpURI().getQuery(), request.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE));
  }
}
