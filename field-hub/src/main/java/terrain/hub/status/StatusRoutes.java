// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.status;

import terrain.core.text.PageLanguage;
import terrain.hub.http.Json;
import terrain.hub.http.Reply;
import terrain.hub.http.Routes;

/** The hub's HTTP surface: the facilitator's page and the JSON status API. */
public final class StatusRoutes {
  private StatusRoutes() {}

  public static Routes create(HubStatusService service, StatusPage page, Json json) {
    return new Routes(json)
        .get(
            "/",
            request ->
                Reply.html(
                    page.render(
                        service.status(),
                        PageLanguage.choose(
                            request.getHttpURI().getQuery(),
                            request
                                .getHeaders()
                                .get(org.eclipse.jetty.http.HttpHeader.ACCEPT_LANGUAGE)))))
        .get("/api/status", request -> Reply.json(json, service.status()))
        .get("/api/conflicts", request -> Reply.json(json, service.conflicts()));
  }
}
