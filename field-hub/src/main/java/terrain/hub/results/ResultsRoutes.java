// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.results;

import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import terrain.core.id.EventId;
import terrain.core.text.PageLanguage;
import terrain.http.Responses;
import terrain.http.Routes;
import terrain.store.StoreException;

/**
 * {@code GET /results} (the live results page, {@code ?event=ID}, {@code ?fullscreen=1}, {@code
 * ?lang=en}) and {@code GET /api/results} (the same figures in JSON, which the page polls).
 */
public final class ResultsRoutes {
  private final LiveResults results;
  private final ResultsPage page;

  public ResultsRoutes(LiveResults results, ResultsPage page) {
    this.results = results;
    this.page = page;
  }

  /** Adds both routes. */
  public void register(Routes.Builder routes) {
    routes
        .get(
            "/results",
            (request, response, callback) -> {
              Fields query = Request.extractQueryParameters(request);
              Optional<String> bad = badEvent(query);
              if (bad.isPresent()) {
                Responses.sendText(response, callback, 400, bad.get());
                return;
              }
              PageLanguage language = language(request);
              Optional<LiveView> view = view(query.getValue("event"), language);
              if (view.isEmpty() && query.getValue("event") != null) {
                Responses.sendText(response, callback, 404, unknown(query.getValue("event")));
                return;
              }
              boolean fullscreen = "1".equals(query.getValue("fullscreen"));
              Responses.sendHtml(
                  response,
                  callback,
                  200,
                  page.render(view.orElse(null), language, fullscreen),
                  ResultsPage.POLICY);
            })
        .get(
            "/api/results",
            (request, response, callback) -> {
              Fields query = Request.extractQueryParameters(request);
              Optional<String> bad = badEvent(query);
              if (bad.isPresent()) {
                Responses.sendError(response, callback, 400, bad.get());
                return;
              }
              Optional<LiveView> view = view(query.getValue("event"), language(request));
              if (view.isEmpty()) {
                Responses.sendError(
                    response,
                    callback,
                    404,
                    query.getValue("event") == null
                        ? "This hub holds no response yet and was given no event file (--event)."
                        : unknown(query.getValue("event")));
                return;
              }
              Responses.sendJson(response, callback, 200, view.get());
            });
  }

  private Optional<LiveView> view(String eventId, PageLanguage language) throws StoreException {
    return results.event(eventId).map(event -> LiveView.of(event, results.definitions(), language));
  }

  /** The event id from the browser is checked at the door. */
  private static Optional<String> badEvent(Fields query) {
    String event = query.getValue("event");
    if (event == null || EventId.ifValid(event).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        "event ["
            + (event.length() > 80 ? event.substring(0, 80) + "…" : event)
            + "] is not an event id: use the id of the event file, e.g. ?event=marche-2026");
  }

  private static String unknown(String eventId) {
    return "This hub holds no response for event ["
        + eventId
        + "] and was given no file for it: check the id, or open /results for the hub's event.";
  }

  private static PageLanguage language(Request request) {
    return PageLanguage.choose(
        request.getHttpURI().getQuery(), request.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE));
  }
}
