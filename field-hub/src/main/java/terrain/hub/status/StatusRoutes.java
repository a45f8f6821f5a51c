// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.status;

import org.eclipse.jetty.http.HttpHeader;
import terrain.core.text.PageLanguage;
import terrain.http.Responses;
import terrain.http.Routes;

/** The hub's HTTP surface: the facilitator's page and the JSON status API. */
public final class StatusRoutes {
  private StatusRoutes() {}

  public static Routes create(HubStatusService service, StatusPage page) {
    return Routes.builder()
        .get(
            "/",
            (request, response, callback) ->
                Responses.sendHtml(
                    response,
                    callback,
                    200,
                    page.render(
                        service.status(),
                        PageLanguage.choose(
                            request.getHttpURI().getQuery(),
                            request.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE)))))
        .get(
            "/api/status",
            (request, response, callback) ->
                Responses.sendJson(response, callback, 200, service.status()))
        .get(
            "/api/conflicts",
            (request, response, callback) ->
                Responses.sendJson(response, callback, 200, service.conflicts()))
        .build();
  }
}
