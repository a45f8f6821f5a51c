// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.reports;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import terrain.core.event.EventDefinition;
import terrain.core.id.EventId;
import terrain.core.text.PageLanguage;
import terrain.http.Responses;
import terrain.server.http.PageRoutes;
import terrain.server.ideas.Ideas;
import terrain.server.results.EventCatalog;
import terrain.server.results.EventResults;
import terrain.server.results.MapPictures;
import terrain.server.results.ReportSection;
import terrain.server.results.Results;
import terrain.store.StoreException;

/**
 * The results per question kind (decision 0035):
 *
 * <pre>
 * GET /api/events/{id}/results      the results per question kind, with breakdowns, as JSON
 * GET /events/{id}/results          the same as a page: SVG charts, each with its table
 * GET /events/{id}/maps/{question}  the picture of a map question (PNG or JPEG)
 * GET /events/{id}/report.pdf       the printable report (?lang=fr, en or ar)
 * </pre>
 *
 * Public, like the results: only counts, published texts and published ideas. An id that is not a
 * valid event id, or an event without responses nor definition, is 404.
 */
public final class ResultsWeb {
  /** Pages draw the map's picture from the server, nothing else. */
  static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'";

  /** The most published ideas a report prints. */
  static final int REPORT_IDEAS = 200;

  private final Results results;
  private final Ideas ideas;
  private final MapPictures pictures;
  private final Clock clock;
  private final ReportSection.Source representativeness;

  public ResultsWeb(Results results, Ideas ideas, MapPictures pictures, Clock clock) {
    this(results, ideas, pictures, clock, ReportSection.Source.NONE);
  }

  /**
   * @param representativeness the report's representativeness section, per event and language
   */
  public ResultsWeb(
      Results results,
      Ideas ideas,
      MapPictures pictures,
      Clock clock,
      ReportSection.Source representativeness) {
    this.results = results;
    this.ideas = ideas;
    this.pictures = pictures;
    this.clock = clock;
    this.representativeness = representativeness;
  }

  /** The routes of the results pages, their JSON, map pictures and PDF report. */
  public void routes(PageRoutes.Builder routes) {
    routes
        .get("/api/events/{event}/results", this::json)
        .get("/events/{event}/results", this::page)
        .get("/events/{event}/maps/{question}", this::picture)
        .get("/events/{event}/report.pdf", this::pdf);
  }

  /** The path's segments, decoded (Jetty matched the decoded path). */
  private static List<String> segments(Request request) {
    String path = request.getHttpURI().getDecodedPath();
    return List.of(path.substring(1).split("/"));
  }

  private Optional<EventResults> read(String eventId) throws StoreException {
    if (EventId.ifValid(eventId).isEmpty()) {
      return Optional.empty();
    }
    return results.results(
        eventId,
        question ->
            pictures.file(eventId, question).map(f -> "/events/" + eventId + "/maps/" + question));
  }

  private void json(Request request, Response response, Callback callback) throws Exception {
    String eventId = segments(request).get(2);
    Optional<EventResults> found = read(eventId);
    if (found.isEmpty()) {
      Responses.sendError(response, callback, 404, "no responses for event " + eventId + " yet");
      return;
    }
    Responses.sendJson(response, callback, 200, found.get());
  }

  private static PageLanguage language(Request request) {
    return PageLanguage.choose(
        request.getHttpURI().getQuery(), request.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE));
  }

  private void page(Request request, Response response, Callback callback) throws Exception {
    String eventId = segments(request).get(1);
    Optional<EventResults> found = read(eventId);
    ResultsPage page = new ResultsPage(language(request));
    if (found.isEmpty()) {
      Responses.sendHtml(
          response,
          callback,
          404,
          "<!doctype html><title>404</title><p>" + page.frame().m().html("detail.none") + "</p>",
          PAGE_POLICY);
      return;
    }
    Optional<MapPictures.Size> size =
        found.get().questions().stream()
            .filter(q -> q.map() != null)
            .findFirst()
            .flatMap(q -> pictures.size(eventId, q.id()));
    Responses.sendHtml(
        response, callback, 200, page.render(found.get(), size.orElse(null)), PAGE_POLICY);
  }

  private void picture(Request request, Response response, Callback callback) throws IOException {
    List<String> path = segments(request);
    Optional<MapPictures.Picture> picture = pictures.read(path.get(1), path.get(3));
    if (picture.isEmpty()) {
      Responses.sendError(response, callback, 404, "no map picture for this question");
      return;
    }
    Responses.send(response, callback, 200, picture.get().contentType(), picture.get().bytes());
  }

  private void pdf(Request request, Response response, Callback callback) throws Exception {
    String eventId = segments(request).get(1);
    Optional<EventResults> found = read(eventId);
    if (found.isEmpty()) {
      Responses.sendError(response, callback, 404, "no responses for event " + eventId + " yet");
      return;
    }
    // The printed report speaks Arabic too, as the kiosks' screens, when asked with ?lang=ar
    // (the page links to it); a browser's Accept-Language chooses as for the page (decision 0042).
    String query = request.getHttpURI().getQuery();
    PageLanguage language =
        PageLanguage.choose(
            query, request.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE), PageLanguage.WITH_ARABIC);
    if (!language.explicit()) {
      language = language(request);
    }
    if (language.rightToLeft()) {
      // Digits 0-9 in Arabic too, as on the kiosk's screens.
      language = new PageLanguage(Locale.forLanguageTag("ar-u-nu-latn"), language.explicit());
    }
    ResultsPage page = new ResultsPage(language);
    Optional<EventDefinition> definition = results.catalog().definition(EventId.of(eventId));
    EventResults figures = found.get();
    List<EventCatalog.Option> themes =
        results
            .catalog()
            .event(EventId.of(eventId))
            .map(EventCatalog.Event::themes)
            .orElse(List.of());
    if (definition.isPresent()) {
      LocalizedResults words = new LocalizedResults(definition.get(), language.tag());
      figures = words.results(figures);
      themes = words.themes(themes);
    }
    byte[] pdf =
        new ReportPdf(page, clock)
            .write(
                figures,
                representativeness.section(eventId, language),
                definition,
                ideas.published(eventId, REPORT_IDEAS),
                themes,
                question -> pictures.file(eventId, question));
    response
        .getHeaders()
        .put(HttpHeader.CONTENT_DISPOSITION, "inline; filename=\"rapport-" + eventId + ".pdf\"");
    Responses.send(response, callback, 200, "application/pdf", pdf);
  }
}
