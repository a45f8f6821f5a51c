// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.moderation;

import static terrain.http.Requests.jsonBody;
import static terrain.http.Responses.sendError;
import static terrain.http.Responses.sendJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.id.EventId;
import terrain.core.id.QuestionId;
import terrain.core.text.Messages;
import terrain.core.text.PageLanguage;
import terrain.http.Endpoint;
import terrain.http.Json;
import terrain.server.access.Access;
import terrain.server.access.Role;
import terrain.server.access.Staff;
import terrain.server.claim.ClaimWeb;
import terrain.server.http.PageRoutes;
import terrain.server.http.Templates;
import terrain.server.results.EventCatalog;
import terrain.store.StoreException;

/**
 * Moderation by the town's staff of what residents typed, before it is public:
 *
 * <pre>
 * GET  /admin/moderation                 pending ideas and texts, newest first; then past decisions
 * POST /admin/moderation/{kind}/{id}     decision=publish|reject (form, CSRF of the session)
 * GET  /api/moderation                   Bearer TOKEN (moderator); pending items as JSON
 * POST /api/moderation/{kind}/{id}       Bearer TOKEN (moderator); {"decision":"publish"|"reject"}
 *                                        ("by": who decided, with the shared admin token only)
 * </pre>
 *
 * <p>{@code kind} is {@code idea}, {@code text} or {@code workshop} (an idea typed at a workshop's
 * table); {@code id} is {@code DEVICE~SEQ} for an idea or a workshop idea, {@code
 * DEVICE~SEQ~QUESTION} for a free text. Pages work without JavaScript; staff sign in at {@code
 * /admin/login} ({@link terrain.server.staff.StaffWeb}); the moderator role is needed; forms carry
 * the session's CSRF token; every decision is in the audit log.
 */
public final class ModerationWeb {
  private static final Logger log = LoggerFactory.getLogger(ModerationWeb.class);
  private static final int MAX_BODY = 4 * 1024;
  private static final int PAGE_ITEMS = 200;
  private static final ZoneId ZONE = ZoneId.of("Europe/Paris");
  private static final String API = "/api/moderation";
  private static final String API_ITEM = API + "/{kind}/{id}";
  private static final String ADMIN = "/admin/moderation";
  private static final String ADMIN_ITEM = ADMIN + "/{kind}/{id}";

  private final Moderation moderation;
  private final Access access;
  private final EventCatalog catalog;

  public ModerationWeb(Moderation moderation, Access access, EventCatalog catalog) {
    this.moderation = moderation;
    this.access = access;
    this.catalog = catalog;
  }

  /**
   * The routes. Everything under the two prefixes is answered here: the API in JSON after the
   * bearer token is checked, the pages after the session is. An item's path also takes a trailing
   * {@code /}, as it always did. A template takes any kind and id; the endpoint checks them.
   */
  public void routes(PageRoutes.Builder routes) {
    routes
        .guarded(this::guard)
        .get(API, api(this::apiPending))
        .other(API, api(this::apiPendingOnly))
        .post(API_ITEM, api(this::apiDecide))
        .other(API_ITEM, api(this::apiItemOtherMethod))
        .post(API_ITEM + "/", api(this::apiDecide))
        .other(API_ITEM + "/", api(this::apiItemOtherMethod))
        .other(API + "/*", api(ModerationWeb::apiNoSuchItem))
        .get(ADMIN, web(this::page))
        .other(ADMIN, web(this::noSuchPage))
        .post(ADMIN_ITEM, web(this::decide))
        .other(ADMIN_ITEM, web(this::noSuchPage))
        .post(ADMIN_ITEM + "/", web(this::decide))
        .other(ADMIN_ITEM + "/", web(this::noSuchPage))
        .other(ADMIN + "/*", web(this::noSuchPage));
  }

  /** A database that does not answer: 503, in JSON for the API, a page for the staff. */
  private Endpoint guard(Endpoint endpoint) {
    return (request, response, callback) -> {
      try {
        endpoint.handle(request, response, callback);
      } catch (StoreException e) {
        String path = request.getHttpURI().getPath();
        log.warn("HTTP {} {} failed", request.getMethod(), path, e);
        if (path.startsWith(API)) {
          sendError(response, callback, 503, e.getMessage());
        } else {
          ClaimWeb.send(response, callback, 503, page(request).message("busy.title", "busy.text"));
        }
      }
    };
  }

  private Page page(Request request) {
    return new Page(ClaimWeb.language(request));
  }

  /** An endpoint of the JSON API, for a moderator. */
  private interface ApiEndpoint {
    void handle(Request request, Response response, Callback callback, Staff staff)
        throws Exception;
  }

  /** An endpoint of the pages, for a signed-in moderator. */
  private interface WebEndpoint {
    void handle(Request request, Response response, Callback callback, Page page, Staff staff)
        throws Exception;
  }

  private Endpoint api(ApiEndpoint endpoint) {
    return (request, response, callback) -> {
      Optional<Staff> staff = access.requireRole(request, response, callback, Role.MODERATOR);
      if (staff.isPresent()) {
        endpoint.handle(request, response, callback, staff.get());
      }
    };
  }

  private Endpoint web(WebEndpoint endpoint) {
    return (request, response, callback) -> {
      Page page = page(request);
      if (!access.enabled()) {
        ClaimWeb.send(response, callback, 503, page.message("disabled.title", "disabled.text"));
        return;
      }
      Optional<Staff> who = access.signedIn(request);
      if (who.isEmpty()) {
        if (HttpMethod.POST.is(request.getMethod())) {
          // Read the form, so that the connection stays usable.
          ClaimWeb.form(request);
        }
        ClaimWeb.redirect(response, callback, page.link("/admin/login"));
        return;
      }
      if (!who.get().may(Role.MODERATOR)) {
        ClaimWeb.send(response, callback, 403, page.message("forbidden.title", "forbidden.text"));
        return;
      }
      endpoint.handle(request, response, callback, page, who.get());
    };
  }

  /** The item a route's {@code {kind}} and {@code {id}} name, if both are well formed. */
  private static Optional<Moderation.Key> key(Request request) {
    String kind = PageRoutes.param(request, "kind");
    String id = PageRoutes.param(request, "id");
    return kind == null || id == null
        ? Optional.empty()
        : Moderation.Kind.parse(kind).flatMap(k -> Moderation.Key.parse(k, id));
  }

  // ---- the staff's pages ----

  private void page(Request request, Response response, Callback callback, Page page, Staff who)
      throws StoreException {
    ClaimWeb.send(
        response,
        callback,
        200,
        page.moderation(
            who, Access.csrf(who), moderation.pending(PAGE_ITEMS), moderation.decided(PAGE_ITEMS)));
  }

  /** No page: 404, after the CSRF check for a POST (a forged form learns nothing). */
  private void noSuchPage(
      Request request, Response response, Callback callback, Page page, Staff who) {
    if (!HttpMethod.POST.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST");
      ClaimWeb.send(response, callback, 404, page.message("notFound.title", "notFound.text"));
      return;
    }
    Map<String, String> form = ClaimWeb.form(request);
    if (!Access.csrfOk(who, form.get("csrf"))) {
      ClaimWeb.send(response, callback, 403, page.message("csrf.title", "csrf.text"));
      return;
    }
    ClaimWeb.send(response, callback, 404, page.message("notFound.title", "notFound.text"));
  }

  private void decide(Request request, Response response, Callback callback, Page page, Staff who)
      throws StoreException {
    Map<String, String> form = ClaimWeb.form(request);
    if (!Access.csrfOk(who, form.get("csrf"))) {
      ClaimWeb.send(response, callback, 403, page.message("csrf.title", "csrf.text"));
      return;
    }
    Optional<Moderation.Key> key = key(request);
    Optional<Moderation.Verdict> verdict = Moderation.Verdict.parse(form.get("decision"));
    if (key.isEmpty() || verdict.isEmpty()) {
      ClaimWeb.send(response, callback, 404, page.message("notFound.title", "notFound.text"));
      return;
    }
    Moderation.Outcome outcome = moderation.decide(key.get(), verdict.get(), who.name());
    if (outcome instanceof Moderation.Outcome.NotFound) {
      ClaimWeb.send(response, callback, 404, page.message("notFound.title", "notFound.text"));
      return;
    }
    noteDecision(request, who, key.get(), verdict.get(), who.name(), outcome);
    ClaimWeb.redirect(response, callback, page.link("/admin/moderation"));
  }

  private void noteDecision(
      Request request,
      Staff staff,
      Moderation.Key key,
      Moderation.Verdict verdict,
      String by,
      Moderation.Outcome outcome) {
    boolean changed = outcome instanceof Moderation.Outcome.Decided d && d.changed();
    access.audit(
        request,
        staff,
        "moderation." + verdict.id(),
        key.kind().id() + "/" + key.id(),
        (changed ? "" : "unchanged")
            + (by.equals(staff.name()) ? "" : (changed ? "" : "; ") + "by " + by));
    logDecision(key, verdict, by, outcome);
  }

  private static void logDecision(
      Moderation.Key key, Moderation.Verdict verdict, String who, Moderation.Outcome outcome) {
    if (outcome instanceof Moderation.Outcome.Decided d && d.changed()) {
      log.info("Moderation: {} {} {} by {}", key.kind().id(), key.id(), verdict.id(), who);
    }
  }

  // ---- the JSON API ----

  private void apiPending(Request request, Response response, Callback callback, Staff staff)
      throws StoreException {
    ObjectNode root = Json.object();
    List<Moderation.Item> pending = moderation.pending(Moderation.MAX_LIMIT);
    root.put("count", pending.size());
    ArrayNode items = root.putArray("pending");
    pending.forEach(item -> items.add(itemJson(item)));
    sendJson(response, callback, 200, root);
  }

  private void apiPendingOnly(Request request, Response response, Callback callback, Staff staff) {
    response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
    sendError(response, callback, 405, "use GET /api/moderation");
  }

  private static void apiNoSuchItem(
      Request request, Response response, Callback callback, Staff staff) {
    sendError(
        response,
        callback,
        404,
        "use /api/moderation/idea/DEVICE~SEQ or /api/moderation/text/DEVICE~SEQ~QUESTION");
  }

  private void apiItemOtherMethod(
      Request request, Response response, Callback callback, Staff staff) {
    if (key(request).isEmpty()) {
      apiNoSuchItem(request, response, callback, staff);
      return;
    }
    response.getHeaders().put(HttpHeader.ALLOW, "POST");
    sendError(response, callback, 405, "use POST with {\"decision\":\"publish\"}");
  }

  private void apiDecide(Request request, Response response, Callback callback, Staff staff)
      throws StoreException {
    Optional<Moderation.Key> key = key(request);
    if (key.isEmpty()) {
      apiNoSuchItem(request, response, callback, staff);
      return;
    }
    Optional<JsonNode> body =
        jsonBody(request, response, callback, MAX_BODY, "the body must be a JSON object");
    if (body.isEmpty()) {
      return;
    }
    JsonNode decision = body.get().get("decision");
    Optional<Moderation.Verdict> verdict =
        decision != null && decision.isTextual()
            ? Moderation.Verdict.parse(decision.asText())
            : Optional.empty();
    if (verdict.isEmpty()) {
      sendError(
          response,
          callback,
          400,
          "the body must be {\"decision\": \"publish\"} or {\"decision\": \"reject\"}");
      return;
    }
    // The shared admin token names nobody: its scripts may say who decided ("by").
    JsonNode by = body.get().get("by");
    String who =
        staff.via() != Staff.Via.SHARED_TOKEN
            ? staff.name()
            : by != null && by.isTextual() && !by.asText().isBlank() ? by.asText() : "admin API";
    Moderation.Outcome outcome = moderation.decide(key.get(), verdict.get(), who);
    if (outcome instanceof Moderation.Outcome.Decided decided) {
      noteDecision(request, staff, key.get(), verdict.get(), who, outcome);
      ObjectNode ok = Json.object();
      ok.put("kind", key.get().kind().id());
      ok.put("id", key.get().id());
      ok.put("decision", decided.decision().verdict().id());
      ok.put("by", decided.decision().by());
      ok.put("at", Instant.ofEpochMilli(decided.decision().at()).toString());
      ok.put("changed", decided.changed());
      sendJson(response, callback, 200, ok);
    } else {
      sendError(
          response,
          callback,
          404,
          "no " + key.get().kind().id() + " " + key.get().id() + " was received");
    }
  }

  private ObjectNode itemJson(Moderation.Item item) {
    ObjectNode node = Json.object();
    node.put("kind", item.key().kind().id());
    node.put("id", item.key().id());
    node.put("event", item.eventId());
    node.put("device", item.key().device().value());
    node.put("seq", item.key().seq());
    if (item.key().kind() == Moderation.Kind.TEXT) {
      node.put("question", item.key().questionId());
    } else if (item.key().kind() == Moderation.Kind.WORKSHOP) {
      node.put("table", Integer.parseInt(item.title()));
      node.put("language", item.language());
    } else {
      node.put("title", item.title());
      node.put("language", item.language());
    }
    node.put("text", item.text());
    node.put("leftAt", Instant.ofEpochMilli(item.deviceTime()).toString());
    return node;
  }

  /**
   * One item as the moderation page shows it, not escaped.
   *
   * @param language the language the resident wrote in, or null when unknown
   * @param decided who decided what and when, or null while pending
   * @param publish whether to offer "publish" (not when already published)
   * @param reject the key of the "reject" button's label, or null when already rejected
   */
  public record Shown(
      String language,
      String kind,
      String heading,
      String text,
      String meta,
      String decided,
      String action,
      boolean publish,
      String reject) {}

  /** One page's language and words, for the templates of {@code src/main/jte/moderation}. */
  public final class Page {
    final PageLanguage language;
    final Messages m;

    Page(PageLanguage language) {
      this.language = language;
      this.m = new Messages("terrain.server.moderation.messages", language.locale());
    }

    /** A text of the bundle filled with {@code args}, not escaped (the templates escape). */
    public String text(String key, Object... args) {
      return m.text(key, args);
    }

    public String number(long n) {
      return m.number(n);
    }

    public String tag() {
      return language.tag();
    }

    /** The other language, the one the switch links to. */
    public String other() {
      return language.tag().equals("fr") ? "en" : "fr";
    }

    public String link(String path) {
      return language.explicit() ? path + "?lang=" + language.tag() : path;
    }

    String message(String titleKey, String textKey) {
      return render("moderation/message.jte", "titleKey", titleKey, "textKey", textKey);
    }

    /**
     * @param problem what went wrong, not escaped, or empty
     */
    String login(String csrf, String problem) {
      return render("moderation/login.jte", "csrf", csrf, "problem", problem);
    }

    String moderation(
        Staff who, String csrf, List<Moderation.Item> pending, List<Moderation.Item> decided) {
      return render(
          "moderation/moderation.jte",
          "who",
          who.name(),
          "admin",
          who.role() == Role.ADMIN,
          "csrf",
          csrf,
          "pending",
          shown(pending),
          "decided",
          shown(decided));
    }

    private List<Shown> shown(List<Moderation.Item> items) {
      DateTimeFormatter when =
          DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT)
              .withLocale(language.locale())
              .withZone(ZONE);
      List<Shown> out = new ArrayList<>();
      for (Moderation.Item item : items) {
        Optional<EventCatalog.Event> event =
            EventId.ifValid(item.eventId()).flatMap(catalog::event);
        boolean idea = item.key().kind() == Moderation.Kind.IDEA;
        boolean workshop = item.key().kind() == Moderation.Kind.WORKSHOP;
        String heading =
            idea
                ? item.title()
                : workshop
                    ? m.text("moderation.workshop.table", item.title())
                    : event
                        .flatMap(
                            e -> QuestionId.ifValid(item.key().questionId()).flatMap(e::question))
                        .map(EventCatalog.Question::text)
                        .orElse(item.key().questionId());
        String meta =
            m.text(
                "moderation.meta",
                event.map(EventCatalog.Event::title).orElse(item.eventId()),
                when.format(Instant.ofEpochMilli(item.deviceTime())),
                item.key().device().value());
        String decided =
            item.decision()
                .map(
                    d ->
                        m.text(
                            d.verdict() == Moderation.Verdict.PUBLISH
                                ? "moderation.was.published"
                                : "moderation.was.rejected",
                            d.by(),
                            when.format(Instant.ofEpochMilli(d.at()))))
                .orElse(null);
        Optional<Moderation.Verdict> current = item.decision().map(Moderation.Decision::verdict);
        out.add(
            new Shown(
                item.language().isEmpty() ? null : item.language(),
                m.text("moderation.kind." + item.key().kind().id()),
                heading,
                item.text(),
                meta,
                decided,
                link("/admin/moderation/" + item.key().kind().id() + "/" + item.key().id()),
                current.orElse(null) != Moderation.Verdict.PUBLISH,
                current.orElse(null) == Moderation.Verdict.REJECT
                    ? null
                    : current.isPresent() ? "moderation.unpublish" : "moderation.reject"));
      }
      return out;
    }

    private String render(String name, Object... namesAndValues) {
      Map<String, Object> params = new HashMap<>();
      params.put("p", this);
      for (int i = 0; i < namesAndValues.length; i += 2) {
        params.put((String) namesAndValues[i], namesAndValues[i + 1]);
      }
      return Templates.render(name, params);
    }
  }
}
