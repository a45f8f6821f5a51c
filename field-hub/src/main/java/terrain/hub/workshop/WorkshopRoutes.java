// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.workshop;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import terrain.core.id.EventId;
import terrain.core.text.PageLanguage;
import terrain.http.Responses;
import terrain.http.Routes;

/**
 * {@code GET /workshop} (the projector view, {@code ?event=ID}, {@code ?lang=fr|en|ar}) and {@code
 * GET /api/workshop} (the room in JSON, which the view polls).
 */
public final class WorkshopRoutes {
  private final LiveWorkshop workshop;
  private final Clock clock;
  private final WorkshopPage page = new WorkshopPage();

  public WorkshopRoutes(LiveWorkshop workshop, Clock clock) {
    this.workshop = workshop;
    this.clock = clock;
  }

  /** Adds both routes. */
  public void register(Routes.Builder routes) {
    routes
        .get(
            "/workshop",
            (request, response, callback) -> {
              Fields query = Request.extractQueryParameters(request);
              Optional<String> bad = badEvent(query.getValue("event"));
              if (bad.isPresent()) {
                Responses.sendText(response, callback, 400, bad.get());
                return;
              }
              PageLanguage language = language(request);
              WorkshopView words = new WorkshopView(language);
              String event = query.getValue("event");
              if (workshop.room(event).isEmpty()) {
                Responses.sendText(response, callback, 404, words.text("none"));
                return;
              }
              StringBuilder api = new StringBuilder("/api/workshop?lang=").append(language.tag());
              if (event != null) {
                api.append("&event=").append(URLEncoder.encode(event, StandardCharsets.UTF_8));
              }
              Responses.sendHtml(
                  response,
                  callback,
                  200,
                  page.render(api.toString(), words.text("heading"), language),
                  WorkshopPage.POLICY);
            })
        .get(
            "/api/workshop",
            (request, response, callback) -> {
              Fields query = Request.extractQueryParameters(request);
              Optional<String> bad = badEvent(query.getValue("event"));
              if (bad.isPresent()) {
                Responses.sendError(response, callback, 400, bad.get());
                return;
              }
              WorkshopView view = new WorkshopView(language(request));
              Optional<LiveWorkshop.Room> room = workshop.room(query.getValue("event"));
              if (room.isEmpty()) {
                Responses.sendError(response, callback, 404, view.text("none"));
                return;
              }
              Responses.sendJson(response, callback, 200, view.of(room.get(), clock.millis()));
            });
  }

  /** The event id from the browser is checked at the door. */
  private static Optional<String> badEvent(String event) {
    if (event == null || EventId.ifValid(event).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        "event ["
            + (event.length() > 80 ? event.substring(0, 80) + "…" : event)
            + "] is not an event id: use the id of the event file, e.g. ?event=atelier-parc");
  }

  private static PageLanguage language(Request request) {
    return PageLanguage.choose(
        request.getHttpURI().getQuery(),
        request.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE),
        PageLanguage.WITH_ARABIC);
  }
}
