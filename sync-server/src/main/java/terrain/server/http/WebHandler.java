// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.event.QuestionKind;
import terrain.core.text.PageLanguage;
import terrain.server.ideas.Ideas;
import terrain.server.ingest.Ingest;
import terrain.server.results.EventCatalog;
import terrain.server.results.Results;
import terrain.server.results.Summary;
import terrain.store.RecordStore;
import terrain.store.StoreException;

/**
 * The server's HTTP routes, on Jetty 12 core handlers:
 *
 * <pre>
 * GET /api/events/{eventId}/summary   results as JSON, with who took part (age bands, neighbourhoods)
 * GET /api/events/{eventId}/ideas     the published ideas, newest first, and how many came, as JSON
 * GET /api/conflicts                  records kept aside because their identity was reused
 * GET /api/status                     broker, ingest and device progress
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
public final class WebHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(WebHandler.class);
  private static final String JSON = "application/json; charset=utf-8";
  private static final String HTML = "text/html; charset=utf-8";

  private final Results results;
  private final RecordStore store;
  private final Ingest ingest;
  private final Ideas ideas;
  private final ObjectMapper mapper = new ObjectMapper();

  /** Ideas shown on a results page: the newest. */
  static final int PAGE_IDEAS = 300;

  public WebHandler(Results results, RecordStore store, Ingest ingest, Ideas ideas) {
    this.results = results;
    this.store = store;
    this.ingest = ingest;
    this.ideas = ideas;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String method = request.getMethod();
    boolean head = HttpMethod.HEAD.is(method);
    List<String> path = segments(request.getHttpURI().getPath());
    boolean api = !path.isEmpty() && path.get(0).equals("api");
    Pages pages =
        new Pages(
            PageLanguage.choose(
                request.getHttpURI().getQuery(),
                request.getHeaders().get(org.eclipse.jetty.http.HttpHeader.ACCEPT_LANGUAGE)));
    if (!head && !HttpMethod.GET.is(method)) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      if (api) {
        sendJson(response, callback, false, 405, error("method " + method + " is not allowed"));
      } else {
        send(response, callback, false, 405, HTML, pages.methodNotAllowed());
      }
      return true;
    }
    try {
      route(path, pages, response, callback, head);
    } catch (StoreException e) {
      log.warn("HTTP {} failed: {}", request.getHttpURI().getPath(), e.getMessage());
      if (api) {
        sendJson(response, callback, head, 503, error(e.getMessage()));
      } else {
        send(response, callback, head, 503, HTML, pages.unavailable());
      }
    }
    return true;
  }

  private void route(
      List<String> path, Pages pages, Response response, Callback callback, boolean head)
      throws StoreException {
    int n = path.size();
    if (n == 4
        && path.get(0).equals("api")
        && path.get(1).equals("events")
        && path.get(3).equals("summary")) {
      String eventId = path.get(2);
      Optional<Summary> summary = results.summary(eventId);
      if (summary.isEmpty()) {
        sendJson(
            response, callback, head, 404, error("no responses for event " + eventId + " yet"));
      } else {
        sendJson(response, callback, head, 200, summaryJson(summary.get()));
      }
    } else if (n == 4
        && path.get(0).equals("api")
        && path.get(1).equals("events")
        && path.get(3).equals("ideas")) {
      String eventId = path.get(2);
      List<Ideas.Idea> list = ideas.published(eventId, Ideas.MAX_LIMIT);
      long received = ideas.count(eventId);
      Optional<Summary> summary = results.summary(eventId);
      if (received == 0 && summary.isEmpty()) {
        sendJson(response, callback, head, 404, error("no ideas for event " + eventId + " yet"));
      } else {
        sendJson(
            response,
            callback,
            head,
            200,
            ideasJson(
                eventId,
                list,
                received,
                ideas.publishedCount(eventId),
                summary.flatMap(Summary::definition)));
      }
    } else if (n == 2 && path.get(0).equals("api") && path.get(1).equals("conflicts")) {
      sendJson(response, callback, head, 200, conflictsJson(store.conflicts()));
    } else if (n == 2 && path.get(0).equals("api") && path.get(1).equals("status")) {
      sendJson(response, callback, head, 200, statusJson());
    } else if (n == 2 && path.get(0).equals("events")) {
      String eventId = path.get(1);
      Optional<Summary> summary = results.summary(eventId);
      if (summary.isEmpty()) {
        send(response, callback, head, 404, HTML, pages.noSuchEvent(eventId));
      } else {
        send(
            response,
            callback,
            head,
            200,
            HTML,
            pages.event(
                summary.get(),
                ideas.published(eventId, PAGE_IDEAS),
                ideas.count(eventId),
                ideas.publishedCount(eventId)));
      }
    } else if (n == 0) {
      send(response, callback, head, 200, HTML, pages.home(results.events()));
    } else if (n > 0 && path.get(0).equals("api")) {
      sendJson(response, callback, head, 404, error("no such API: /" + String.join("/", path)));
    } else {
      send(response, callback, head, 404, HTML, pages.noSuchPage());
    }
  }

  private ObjectNode summaryJson(Summary summary) {
    ObjectNode root = mapper.createObjectNode();
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
    if (!summary.pins().isEmpty()) {
      ObjectNode pins = root.putObject("pins");
      summary
          .pins()
          .forEach(
              (question, list) -> {
                var array = pins.putArray(question);
                for (Summary.Pin pin : list) {
                  array.addArray().add(pin.x()).add(pin.y());
                }
              });
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
    ObjectNode root = mapper.createObjectNode();
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

  private ObjectNode conflictsJson(List<RecordStore.Conflict> conflicts) {
    ObjectNode root = mapper.createObjectNode();
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
    long conflicts = store.conflicts().size();
    ObjectNode root = mapper.createObjectNode();
    root.put("broker", ingest.brokerUrl());
    root.put("ingest", ingest.isUp() ? "up" : "down");
    if (!ingest.isUp()) {
      root.put("problem", ingest.lastProblem());
    }
    root.put("received", ingest.received());
    root.put("rejected", ingest.rejected());
    root.put("conflicts", conflicts);
    ArrayNode list = root.putArray("devices");
    for (RecordStore.DeviceProgress device : devices) {
      ObjectNode item = list.addObject();
      item.put("id", device.device().value());
      item.put("upTo", device.upto());
      item.put("lastSeen", Instant.ofEpochMilli(device.lastSeen()).toString());
    }
    return root;
  }

  private ObjectNode error(String message) {
    ObjectNode node = mapper.createObjectNode();
    node.put("error", message);
    return node;
  }

  private void sendJson(
      Response response, Callback callback, boolean head, int status, ObjectNode body) {
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      Response.writeError(response.getRequest(), response, callback, e);
      return;
    }
    send(response, callback, head, status, JSON, bytes);
  }

  private static void send(
      Response response, Callback callback, boolean head, int status, String type, String body) {
    send(response, callback, head, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(
      Response response, Callback callback, boolean head, int status, String type, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    if (type.equals(HTML)) {
      response
          .getHeaders()
          .put("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
      // Pages speak the language the request prefers.
      response.getHeaders().put(HttpHeader.VARY, HttpHeader.ACCEPT_LANGUAGE.asString());
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
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
