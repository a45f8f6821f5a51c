// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.http;

import static terrain.http.Json.error;
import static terrain.http.Responses.sendHtml;
import static terrain.http.Responses.sendJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.event.QuestionKind;
import terrain.core.text.PageLanguage;
import terrain.http.Endpoint;
import terrain.http.Json;
import terrain.http.Routes;
import terrain.server.ideas.Ideas;
import terrain.server.ingest.Ingest;
import terrain.server.ingest.SetAside;
import terrain.server.results.EventCatalog;
import terrain.server.results.Results;
import terrain.server.results.Summary;
import terrain.store.RecordStore;
import terrain.store.RejectedRecords;
import terrain.store.StoreException;

/**
 * The server's results and status routes, and the answers of the server's router ({@link #ANSWERS})
 * to what no route takes:
 *
 * <pre>
 * GET /api/events/{eventId}/summary   results as JSON, with who took part (age bands, neighbourhoods)
 * GET /api/events/{eventId}/ideas     the published ideas, newest first, and how many came, as JSON
 * GET /api/conflicts                  records kept aside because their identity was reused
 * GET /api/status                     broker, ingest and device progress, conflicts, records set
 *                                     aside (of revoked devices)
 * GET /events/{eventId}               results page (no JavaScript): answers, who took part, ideas
 * GET /                               list of events
 * </pre>
 *
 * <p>What residents typed (ideas, free texts) is public only once staff published it ({@code
 * terrain.server.moderation}); before, only how many came is shown.
 *
 * <p>Pages speak French, or English when the request prefers it ({@link PageLanguage}); the JSON
 * API's error messages are for developers and stay in English.
 */
public final class WebHandler {
  private static final Logger log = LoggerFactory.getLogger(WebHandler.class);

  private final Results results;
  private final RecordStore store;
  private final Ingest ingest;
  private final Ideas ideas;
  private final SetAside setAside;
  private final RejectedRecords rejected;
  private final List<EventPageSection> sections;

  /** Ideas shown on a results page: the newest. */
  static final int PAGE_IDEAS = 300;

  public WebHandler(Results results, RecordStore store, Ingest ingest, Ideas ideas) {
    this(results, store, ingest, ideas, null);
  }

  /**
   * @param setAside the records of revoked devices kept aside, counted on /api/status; null when
   *     the server keeps none
   */
  public WebHandler(
      Results results, RecordStore store, Ingest ingest, Ideas ideas, SetAside setAside) {
    this(results, store, ingest, ideas, setAside, null);
  }

  /**
   * @param rejected the records quarantined here or upstream, counted on /api/status; null when not
   *     counted
   */
  public WebHandler(
      Results results,
      RecordStore store,
      Ingest ingest,
      Ideas ideas,
      SetAside setAside,
      RejectedRecords rejected) {
    this(results, store, ingest, ideas, setAside, rejected, List.of());
  }

  /**
   * @param sections what other features add to an event's results page, in this order
   */
  public WebHandler(
      Results results,
      RecordStore store,
      Ingest ingest,
      Ideas ideas,
      SetAside setAside,
      RejectedRecords rejected,
      List<EventPageSection> sections) {
    this.sections = List.copyOf(sections);
    this.rejected = rejected;
    this.results = results;
    this.store = store;
    this.ingest = ingest;
    this.ideas = ideas;
    this.setAside = setAside;
  }

  private final java.util.Map<String, java.util.function.Supplier<java.util.Map<String, ?>>>
      statusSections = new java.util.LinkedHashMap<>();

  /**
   * Adds an object {@code name} to /api/status, its numbers and booleans read at each request (e.g.
   * the tickets checked at rest, decision 0054).
   */
  public WebHandler statusSection(
      String name, java.util.function.Supplier<java.util.Map<String, ?>> values) {
    statusSections.put(name, values);
    return this;
  }

  /** The routes of the events' list, status, summaries, ideas and results pages. */
  public void routes(PageRoutes.Builder routes) {
    // Event ids may hold an encoded '/', which Jetty decodes before it matches: a URI template
    // would split such an id. So an event's API is a regular expression on the decoded path, and
    // its endpoint takes the id from the raw path (see eventApi); the prefix answers the rest.
    routes
        .get("/", (rq, rs, cb) -> sendHtml(rs, cb, 200, pages(rq).home(results.events())))
        .get("/api/status", (rq, rs, cb) -> sendJson(rs, cb, 200, statusJson()))
        .get("/api/conflicts", (rq, rs, cb) -> sendJson(rs, cb, 200, conflictsJson()))
        .get("^/api/events/.+/summary/*$", eventApi("summary", this::summary))
        .get("^/api/events/.+/ideas/*$", eventApi("ideas", this::ideas))
        .get("/api/events/*", WebHandler::noSuchApi)
        .get("/events/*", this::eventPage);
  }

  /** One event's JSON, answered for its id. */
  private interface EventEndpoint {
    void handle(Response response, Callback callback, String eventId) throws StoreException;
  }

  /**
   * {@code /api/events/{id}/NAME}: the id is the raw path's third segment, decoded (it may hold an
   * encoded '/'); a path of another shape is no API.
   */
  private static Endpoint eventApi(String name, EventEndpoint endpoint) {
    return (request, response, callback) -> {
      List<String> path = segments(request.getHttpURI().getPath());
      if (path.size() == 4 && path.get(3).equals(name)) {
        endpoint.handle(response, callback, path.get(2));
      } else {
        noSuchApi(request, response, callback);
      }
    };
  }

  private static void noSuchApi(Request request, Response response, Callback callback) {
    List<String> path = segments(request.getHttpURI().getPath());
    sendJson(response, callback, 404, error("no such API: /" + String.join("/", path)));
  }

  private void summary(Response response, Callback callback, String eventId) throws StoreException {
    Optional<Summary> summary = results.summary(eventId);
    if (summary.isEmpty()) {
      sendJson(response, callback, 404, error("no responses for event " + eventId + " yet"));
    } else {
      sendJson(response, callback, 200, summaryJson(summary.get()));
    }
  }

  private void ideas(Response response, Callback callback, String eventId) throws StoreException {
    List<Ideas.Idea> list = ideas.published(eventId, Ideas.MAX_LIMIT);
    long received = ideas.count(eventId);
    Optional<Summary> summary = results.summary(eventId);
    if (received == 0 && summary.isEmpty()) {
      sendJson(response, callback, 404, error("no ideas for event " + eventId + " yet"));
    } else {
      sendJson(
          response,
          callback,
          200,
          ideasJson(
              eventId,
              list,
              received,
              ideas.publishedCount(eventId),
              summary.flatMap(Summary::definition)));
    }
  }

  private void eventPage(Request request, Response response, Callback callback)
      throws StoreException {
    List<String> path = segments(request.getHttpURI().getPath());
    Pages pages = pages(request);
    if (path.size() != 2) {
      sendHtml(response, callback, 404, pages.noSuchPage());
      return;
    }
    String eventId = path.get(1);
    Optional<Summary> summary = results.summary(eventId);
    if (summary.isEmpty()) {
      sendHtml(response, callback, 404, pages.noSuchEvent(eventId));
    } else {
      List<gg.jte.Content> extra = new ArrayList<>();
      for (EventPageSection section : sections) {
        section.render(eventId, pages.language()).ifPresent(extra::add);
      }
      sendHtml(
          response,
          callback,
          200,
          pages.event(
              summary.get(),
              ideas.published(eventId, PAGE_IDEAS),
              ideas.count(eventId),
              ideas.publishedCount(eventId),
              extra));
    }
  }

  /** What the server's router answers when no endpoint takes a request. */
  public static final PageRoutes.Answers ANSWERS = new Answers();

  /** What no route answers: JSON under {@code /api}, a page in the request's language elsewhere. */
  private static final class Answers implements PageRoutes.Answers {
    @Override
    public void notFound(Request request, Response response, Callback callback) {
      if (api(request)) {
        noSuchApi(request, response, callback);
      } else {
        sendHtml(response, callback, 404, pages(request).noSuchPage());
      }
    }

    @Override
    public void methodNotAllowed(
        Request request, Response response, Callback callback, String allow) {
      if (api(request)) {
        sendJson(
            response,
            callback,
            405,
            error("method " + request.getMethod() + " is not allowed; use " + allow));
      } else {
        sendHtml(response, callback, 405, pages(request).methodNotAllowed());
      }
    }

    @Override
    public void failed(Request request, Response response, Callback callback, Exception failure)
        throws Exception {
      if (!(failure instanceof StoreException)) {
        Routes.JSON_ERRORS.failed(request, response, callback, failure);
        return;
      }
      log.warn("HTTP {} failed: {}", request.getHttpURI().getPath(), failure.getMessage());
      if (api(request)) {
        sendJson(response, callback, 503, error(failure.getMessage()));
      } else {
        sendHtml(response, callback, 503, pages(request).unavailable());
      }
    }

    private static boolean api(Request request) {
      List<String> path = segments(request.getHttpURI().getPath());
      return !path.isEmpty() && path.get(0).equals("api");
    }
  }

  /** Pages speak the language of {@code ?lang=}, else of the browser's Accept-Language. */
  private static Pages pages(Request request) {
    return new Pages(
        PageLanguage.choose(
            request.getHttpURI().getQuery(), request.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE)));
  }

  private ObjectNode summaryJson(Summary summary) {
    ObjectNode root = Json.object();
    root.put("event", summary.eventId());
    root.put("responses", summary.responses());
    if (!summary.ageBands().isEmpty() || !summary.areas().isEmpty()) {
      // Only when residents answered the "who are you" screen.
      ObjectNode participants = root.putObject("participants");
      ObjectNode ages = participants.putObject("ageBands");
      summary.ageBands().forEach(ages::put);
      ObjectNode areas = participants.putObject("neighbourhoods");
      summary.areas().forEach(areas::put);
    }
    ObjectNode byQuestion = root.putObject("byQuestion");
    summary
        .byQuestion()
        .forEach(
            (question, options) -> {
              ObjectNode counts = byQuestion.putObject(question);
              options.forEach(counts::put);
            });
    summary
        .definition()
        .ifPresent(
            event -> {
              root.put("title", event.title());
              ObjectNode questions = root.putObject("questions");
              ObjectNode labels = root.putObject("labels");
              ObjectNode kinds = root.putObject("kinds");
              for (EventCatalog.Question question : event.questions()) {
                questions.put(question.id(), question.text());
                kinds.put(question.id(), question.kind().yamlName());
                ObjectNode options = labels.putObject(question.id());
                for (EventCatalog.Option option : question.options()) {
                  options.put(option.id(), option.label());
                }
              }
              ObjectNode ranking = null;
              for (EventCatalog.Question question : event.questions()) {
                if (question.kind() != QuestionKind.RANKING) {
                  continue;
                }
                if (ranking == null) {
                  ranking = root.putObject("ranking");
                }
                ObjectNode byOption = ranking.putObject(question.id());
                for (String option :
                    summary.byQuestion().getOrDefault(question.id(), Map.of()).keySet()) {
                  ObjectNode o = byOption.putObject(option);
                  summary
                      .averageRank(question.id(), option)
                      .ifPresentOrElse(
                          a -> o.put("averageRank", a), () -> o.putNull("averageRank"));
                  o.put(
                      "bordaPoints",
                      summary.bordaPoints(question.id(), option, question.maxChoices()));
                }
              }
              if (root.has("participants")) {
                ObjectNode who = root.putObject("participantLabels");
                ObjectNode ages = who.putObject("ageBands");
                event.ageBands().forEach(o -> ages.put(o.id(), o.label()));
                ObjectNode areas = who.putObject("neighbourhoods");
                event.areas().forEach(o -> areas.put(o.id(), o.label()));
              }
            });
    if (!summary.heat().isEmpty()) {
      // A map's pins counted per cell (decision 0052); every pin is in the results page's JSON.
      ObjectNode heat = root.putObject("heat");
      for (String question : summary.heat().keySet()) {
        ObjectNode q = heat.putObject(question);
        q.put("pins", summary.pinCount(question));
        var grid = q.putArray("grid");
        for (long[] row : summary.heatGrid(question)) {
          var cells = grid.addArray();
          for (long n : row) {
            cells.add(n);
          }
        }
      }
    }
    if (!summary.textCounts().isEmpty()) {
      ObjectNode texts = root.putObject("texts");
      summary
          .textCounts()
          .forEach(
              (question, count) -> {
                ObjectNode q = texts.putObject(question);
                q.put("count", count);
                q.put("published", summary.publishedTextCounts().getOrDefault(question, 0L));
                var latest = q.putArray("latest");
                for (Summary.Text text : summary.texts().getOrDefault(question, List.of())) {
                  latest.addObject().put("text", text.text()).put("deviceTime", text.deviceTime());
                }
              });
    }
    return root;
  }

  private ObjectNode ideasJson(
      String eventId,
      List<Ideas.Idea> list,
      long count,
      long published,
      Optional<EventCatalog.Event> definition) {
    ObjectNode root = Json.object();
    root.put("event", eventId);
    root.put("count", count);
    root.put("published", published);
    ArrayNode items = root.putArray("ideas");
    for (Ideas.Idea idea : list) {
      ObjectNode item = items.addObject();
      item.put("device", idea.device().value());
      item.put("seq", idea.seq());
      item.put("poll", idea.pollId());
      if (idea.themeId().isEmpty()) {
        item.putNull("theme");
      } else {
        item.put("theme", idea.themeId());
        definition
            .flatMap(e -> EventCatalog.Event.label(e.themes(), idea.themeId()))
            .ifPresent(label -> item.put("themeLabel", label));
      }
      item.put("language", idea.language());
      item.put("title", idea.title());
      item.put("text", idea.text());
      item.put("leftAt", Instant.ofEpochMilli(idea.deviceTime()).toString());
    }
    return root;
  }

  private ObjectNode conflictsJson() throws StoreException {
    List<RecordStore.Conflict> conflicts = store.conflicts();
    ObjectNode root = Json.object();
    root.put("count", conflicts.size());
    ArrayNode list = root.putArray("conflicts");
    for (RecordStore.Conflict c : conflicts) {
      ObjectNode item = list.addObject();
      item.put("device", c.device().value());
      item.put("seq", c.seq());
      item.put("kind", c.kind().name());
      item.put("event", c.eventId());
      item.put("keptHash", String.format("%016x", c.keptHash()));
      item.put("receivedHash", String.format("%016x", c.receivedHash()));
      item.put("receivedAt", Instant.ofEpochMilli(c.receivedTime()).toString());
    }
    return root;
  }

  private ObjectNode statusJson() throws StoreException {
    List<RecordStore.DeviceProgress> devices = store.devices();
    long conflicts = store.conflictCount();
    ObjectNode root = Json.object();
    root.put("broker", ingest.brokerUrl());
    root.put("ingest", ingest.isUp() ? "up" : "down");
    if (!ingest.isUp()) {
      root.put("problem", ingest.lastProblem());
    }
    root.put("received", ingest.received());
    root.put("rejected", ingest.rejected());
    root.put("conflicts", conflicts);
    root.put("setAside", setAside == null ? 0 : setAside.count());
    root.put("quarantined", rejected == null ? 0 : rejected.count());
    statusSections.forEach(
        (name, values) -> {
          ObjectNode section = root.putObject(name);
          values
              .get()
              .forEach(
                  (key, value) -> {
                    if (value instanceof Boolean b) {
                      section.put(key, b);
                    } else if (value instanceof Number n) {
                      section.put(key, n.longValue());
                    } else {
                      section.put(key, String.valueOf(value));
                    }
                  });
        });
    ArrayNode list = root.putArray("devices");
    for (RecordStore.DeviceProgress device : devices) {
      ObjectNode item = list.addObject();
      item.put("id", device.device().value());
      item.put("upTo", device.upto());
      item.put("lastSeen", Instant.ofEpochMilli(device.lastSeen()).toString());
    }
    return root;
  }

  /** The decoded, non-empty segments of a raw request path ({@code /a//b/} is a, b). */
  static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    if (rawPath == null) {
      return out;
    }
    for (String segment : rawPath.split("/")) {
      if (!segment.isEmpty()) {
        out.add(decode(segment));
      }
    }
    return out;
  }

  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return segment;
    }
  }
}
