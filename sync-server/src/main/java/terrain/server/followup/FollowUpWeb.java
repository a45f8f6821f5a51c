// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.followup;

import static terrain.http.Responses.sendError;
import static terrain.http.Responses.sendJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.id.WalletId;
import terrain.core.text.Messages;
import terrain.core.text.PageLanguage;
import terrain.http.Endpoint;
import terrain.http.Json;
import terrain.http.Requests;
import terrain.server.claim.ClaimWeb;
import terrain.server.http.PageRoutes;
import terrain.server.http.Templates;
import terrain.server.results.EventCatalog;
import terrain.server.wallet.Wallets;
import terrain.store.StoreException;

/**
 * "Vous avez dit, nous avons fait" (issue 11, decision 0038): what the town did with each question
 * and published idea of an event.
 *
 * <pre>
 * GET  /events/{id}/follow-up                        the public page (fr, en), phone first
 * GET  /api/events/{id}/follow-up                    the same as JSON
 * GET  /admin/follow-up                              staff: the events
 * GET  /admin/events/{id}/follow-up                  staff: a form per question and idea, history
 * POST /admin/events/{id}/follow-up/{kind}/{ref}     staff: saves a version (form, CSRF)
 * GET  /api/admin/events/{id}/follow-up              Bearer: every item with its current version
 * GET  /api/admin/events/{id}/follow-up/{kind}/{ref} Bearer: one item and its history
 * PUT  /api/admin/events/{id}/follow-up/{kind}/{ref} Bearer: {"status","text","reason"?,
 *                                                    "milestones":[{"date","text"}]?,"by"?}
 * GET  /api/admin/mail                               Bearer: the outbox's counts, SMTP or not
 * POST /wallet/follow-up                             a wallet asks to be told (or stops)
 * GET  /follow-up/unsubscribe/{token}                confirm; POST does it (also one-click)
 * </pre>
 *
 * {@code kind} is {@code question} (ref: the question id of the event file) or {@code idea} (ref:
 * {@code DEVICE~SEQ} of a published idea). Event ids may hold an encoded {@code /}: they are read
 * from the raw path. Staff routes go through {@link StaffAccess} only.
 */
public final class FollowUpWeb {
  private static final Logger log = LoggerFactory.getLogger(FollowUpWeb.class);
  private static final String BUNDLE = "terrain.server.followup.messages";
  private static final ZoneId ZONE = ZoneId.of("Europe/Paris");
  private static final int MAX_JSON = 32 * 1024;
  private static final int MAX_FORM = 32 * 1024;
  private static final int MAX_FIELDS = 40;
  private static final String ITEM = "/follow-up/(question|idea)/[^/]+$";

  private final FollowUps followUps;
  private final MailOutbox outbox;
  private final MailSettings mail;
  private final Runnable mailQueued;
  private final EventCatalog catalog;
  private final Wallets wallets;
  private final StaffAccess staff;
  private final Supplier<String> publicUrl;
  private final java.security.SecureRandom random;
  private final Clock clock;

  /**
   * @param mailQueued called after a change queued mails (wakes the sender)
   * @param publicUrl the server's address as residents reach it, for the links in mails
   */
  public FollowUpWeb(
      FollowUps followUps,
      MailOutbox outbox,
      MailSettings mail,
      Runnable mailQueued,
      EventCatalog catalog,
      Wallets wallets,
      StaffAccess staff,
      Supplier<String> publicUrl,
      java.security.SecureRandom random,
      Clock clock) {
    this.followUps = followUps;
    this.outbox = outbox;
    this.mail = mail;
    this.mailQueued = mailQueued;
    this.catalog = catalog;
    this.wallets = wallets;
    this.staff = staff;
    this.publicUrl = publicUrl;
    this.random = random;
    this.clock = clock;
  }

  /** The routes of the follow-up: its public page and JSON, the staff's pages and API. */
  public void routes(PageRoutes.Builder routes) {
    routes
        .guarded(this::guard)
        .get("^/events/.+/follow-up$", this::publicPage)
        .get("^/api/events/.+/follow-up$", this::publicJson)
        .get("/admin/follow-up", this::staffIndex)
        .get("^/admin/events/.+/follow-up$", (rq, rs, cb) -> staffPage(rq, rs, cb, null))
        .post("^/admin/events/.+" + ITEM, this::staffSave)
        .get("^/api/admin/events/.+/follow-up$", this::apiList)
        .get("^/api/admin/events/.+" + ITEM, this::apiOne)
        .put("^/api/admin/events/.+" + ITEM, this::apiPut)
        .get("/api/admin/mail", this::apiMail)
        .post("/wallet/follow-up", this::walletChoice)
        .get("/follow-up/unsubscribe/{token}", (rq, rs, cb) -> unsubscribe(rq, rs, cb, false))
        .post("/follow-up/unsubscribe/{token}", (rq, rs, cb) -> unsubscribe(rq, rs, cb, true));
  }

  /** What the endpoints throw: 400 for a body or path that does not read, 503 for the database. */
  private Endpoint guard(Endpoint endpoint) {
    return (request, response, callback) -> {
      try {
        endpoint.handle(request, response, callback);
      } catch (UncheckedIOException e) {
        log.info(
            "HTTP {} {}: {}", request.getMethod(), request.getHttpURI().getPath(), e.getMessage());
        if (api(request)) {
          sendError(response, callback, 400, e.getMessage());
        } else {
          ClaimWeb.send(
              response, callback, 400, page(request).message("csrf.title", e.getMessage()));
        }
      } catch (IllegalArgumentException e) {
        // A path segment that does not decode (a broken %-escape).
        log.info(
            "HTTP {} {}: {}", request.getMethod(), request.getHttpURI().getPath(), e.getMessage());
        if (api(request)) {
          sendError(response, callback, 400, "the path does not decode: " + e.getMessage());
        } else {
          Page page = page(request);
          ClaimWeb.send(
              response, callback, 400, page.message("notFound.title", page.text("notFound.text")));
        }
      } catch (StoreException e) {
        log.warn("HTTP {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
        if (api(request)) {
          sendError(response, callback, 503, e.getMessage());
        } else {
          Page page = page(request);
          ClaimWeb.send(
              response, callback, 503, page.message("busy.title", page.text("busy.text")));
        }
      }
    };
  }

  private static boolean api(Request request) {
    return request.getHttpURI().getPath().startsWith("/api/");
  }

  // ---- the path ----

  /** The raw path's segments, each decoded: an event id keeps an encoded '/'. */
  static List<String> segments(Request request) {
    List<String> out = new ArrayList<>();
    for (String raw : request.getHttpURI().getPath().split("/")) {
      if (!raw.isEmpty()) {
        out.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** The event id: the segment after {@code events}. */
  private static String eventOf(List<String> segments) {
    return segments.get(segments.indexOf("events") + 1);
  }

  /** The item of a path ending {@code /follow-up/{kind}/{ref}}. */
  private static FollowUp.Key keyOf(List<String> segments) {
    int n = segments.size();
    return new FollowUp.Key(
        eventOf(segments),
        FollowUp.Kind.parse(segments.get(n - 2)).orElseThrow(),
        segments.get(n - 1));
  }

  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // ---- what an event has ----

  /** A question or a published idea of an event, with its newest follow-up if any. */
  record Item(
      FollowUp.Kind kind, String ref, String title, String quote, FollowUp.Version current) {
    String id() {
      return kind.id() + ":" + ref;
    }
  }

  private List<Item> items(EventCatalog.Event event) throws StoreException {
    Map<String, FollowUp.Version> current = followUps.current(event.id());
    List<Item> out = new ArrayList<>();
    for (EventCatalog.Question q : event.questions()) {
      out.add(
          new Item(
              FollowUp.Kind.QUESTION, q.id(), q.text(), null, current.get("question:" + q.id())));
    }
    for (FollowUps.IdeaItem idea : followUps.publishedIdeas(event.id())) {
      out.add(
          new Item(
              FollowUp.Kind.IDEA,
              idea.ref(),
              idea.title(),
              idea.text(),
              current.get("idea:" + idea.ref())));
    }
    return out;
  }

  /** The item of {@code key} if the event has it (a question of its file, a published idea). */
  private Optional<Item> item(EventCatalog.Event event, FollowUp.Key key) throws StoreException {
    if (key.kind() == FollowUp.Kind.QUESTION) {
      Optional<EventCatalog.Question> q =
          event.questions().stream().filter(x -> x.id().equals(key.ref())).findFirst();
      return q.map(x -> new Item(FollowUp.Kind.QUESTION, x.id(), x.text(), null, null));
    }
    return followUps
        .publishedIdea(event.id(), key.ref())
        .map(i -> new Item(FollowUp.Kind.IDEA, i.ref(), i.title(), i.text(), null));
  }

  // ---- the public page and JSON ----

  private void publicPage(Request request, Response response, Callback callback)
      throws StoreException {
    Page page = page(request);
    String eventId = eventOf(segments(request));
    Optional<EventCatalog.Event> event =
        terrain.core.id.EventId.ifValid(eventId).flatMap(catalog::event);
    if (event.isEmpty()) {
      ClaimWeb.send(
          response,
          callback,
          404,
          page.message("public.unknown.title", page.text("public.unknown.text")));
      return;
    }
    List<Item> items = items(event.get());
    List<ItemView> questions = new ArrayList<>();
    List<ItemView> ideas = new ArrayList<>();
    long waiting = 0;
    for (Item item : items) {
      if (item.current() == null) {
        waiting++;
        continue;
      }
      (item.kind() == FollowUp.Kind.QUESTION ? questions : ideas).add(page.view(item));
    }
    PublicView view =
        new PublicView(
            event.get().title(),
            page.text("public.intro", event.get().title()),
            page.link("/events/" + segment(eventId)),
            questions,
            ideas,
            page.text("public.waiting", waiting, page.m.number(waiting)));
    ClaimWeb.send(response, callback, 200, page.render("followup/public.jte", "v", view));
  }

  private void publicJson(Request request, Response response, Callback callback)
      throws StoreException {
    String eventId = eventOf(segments(request));
    Optional<EventCatalog.Event> event =
        terrain.core.id.EventId.ifValid(eventId).flatMap(catalog::event);
    if (event.isEmpty()) {
      sendError(response, callback, 404, "no event [" + eventId + "] on this server");
      return;
    }
    ObjectNode root = Json.object();
    root.put("event", eventId);
    root.put("title", event.get().title());
    ArrayNode list = root.putArray("items");
    long waiting = 0;
    for (Item item : items(event.get())) {
      if (item.current() == null) {
        waiting++;
        continue;
      }
      ObjectNode node = itemJson(item);
      node.setAll(versionJson(item.current(), false));
      list.add(node);
    }
    root.put("waiting", waiting);
    sendJson(response, callback, 200, root);
  }

  private static ObjectNode itemJson(Item item) {
    ObjectNode node = Json.object();
    node.put("kind", item.kind().id());
    node.put("ref", item.ref());
    node.put("title", item.title());
    if (item.quote() != null) {
      node.put("idea", item.quote());
    }
    return node;
  }

  private static ObjectNode versionJson(FollowUp.Version v, boolean staff) {
    ObjectNode node = Json.object();
    node.put("version", v.version());
    node.put("status", v.status().id());
    node.put("text", v.text());
    node.put("reason", v.reason());
    ArrayNode steps = node.putArray("milestones");
    for (FollowUp.Milestone m : v.milestones()) {
      steps.addObject().put("date", m.date().toString()).put("text", m.text());
    }
    node.put("updatedAt", Instant.ofEpochSecond(v.changedAt()).toString());
    if (staff) {
      node.put("by", v.changedBy());
    }
    return node;
  }

  // ---- staff: JSON API ----

  private Optional<EventCatalog.Event> apiEvent(
      List<String> segments, Response response, Callback callback) {
    String eventId = eventOf(segments);
    Optional<EventCatalog.Event> event =
        terrain.core.id.EventId.ifValid(eventId).flatMap(catalog::event);
    if (event.isEmpty()) {
      sendError(
          response,
          callback,
          404,
          "no event ["
              + eventId
              + "] on this server: start it with --event FILE or publish the event first");
    }
    return event;
  }

  private void apiList(Request request, Response response, Callback callback)
      throws StoreException {
    if (!staff.allowsApi(request, response, callback)) {
      return;
    }
    Optional<EventCatalog.Event> event = apiEvent(segments(request), response, callback);
    if (event.isEmpty()) {
      return;
    }
    ObjectNode root = Json.object();
    root.put("event", event.get().id());
    ArrayNode list = root.putArray("items");
    for (Item item : items(event.get())) {
      ObjectNode node = itemJson(item);
      if (item.current() == null) {
        node.putNull("current");
      } else {
        node.set("current", versionJson(item.current(), true));
      }
      list.add(node);
    }
    sendJson(response, callback, 200, root);
  }

  private void apiOne(Request request, Response response, Callback callback) throws StoreException {
    if (!staff.allowsApi(request, response, callback)) {
      return;
    }
    List<String> segments = segments(request);
    Optional<EventCatalog.Event> event = apiEvent(segments, response, callback);
    if (event.isEmpty()) {
      return;
    }
    FollowUp.Key key = keyOf(segments);
    Optional<Item> item = item(event.get(), key);
    if (item.isEmpty()) {
      sendError(response, callback, 404, notInEvent(key));
      return;
    }
    ObjectNode root = itemJson(item.get());
    List<FollowUp.Version> history = followUps.history(key);
    if (history.isEmpty()) {
      root.putNull("current");
    } else {
      root.set("current", versionJson(history.get(0), true));
    }
    ArrayNode versions = root.putArray("history");
    history.forEach(v -> versions.add(versionJson(v, true)));
    sendJson(response, callback, 200, root);
  }

  private static String notInEvent(FollowUp.Key key) {
    return key.kind() == FollowUp.Kind.QUESTION
        ? "event ["
            + key.eventId()
            + "] has no question ["
            + key.ref()
            + "]: use a question id of its event file"
        : "event ["
            + key.eventId()
            + "] has no published idea ["
            + key.ref()
            + "]: use DEVICE~SEQ of an idea published on /admin/moderation";
  }

  private void apiPut(Request request, Response response, Callback callback) throws StoreException {
    if (!staff.allowsApi(request, response, callback)) {
      return;
    }
    List<String> segments = segments(request);
    Optional<EventCatalog.Event> event = apiEvent(segments, response, callback);
    if (event.isEmpty()) {
      return;
    }
    FollowUp.Key key = keyOf(segments);
    Optional<JsonNode> body =
        Requests.jsonBody(
            request,
            response,
            callback,
            MAX_JSON,
            "the body is not JSON: send {\"status\":\"adopted\",\"text\":\"...\","
                + "\"milestones\":[{\"date\":\"2027-03-15\",\"text\":\"...\"}]}");
    if (body.isEmpty()) {
      return;
    }
    FollowUp.Checked checked = FollowUp.parse(body.get());
    JsonNode byNode = body.get().path("by");
    String by = staff.author(request, byNode.isTextual() ? byNode.asText().strip() : "api");
    List<String> problems = new ArrayList<>(checked.problems());
    FollowUp.byProblem(by).ifPresent(problems::add);
    if (!problems.isEmpty()) {
      ObjectNode error = Json.error(String.join(" ", problems));
      ArrayNode list = error.putArray("problems");
      problems.forEach(list::add);
      sendJson(response, callback, 422, error);
      return;
    }
    Optional<Item> item = item(event.get(), key);
    if (item.isEmpty()) {
      sendError(response, callback, 404, notInEvent(key));
      return;
    }
    FollowUps.Saved saved = save(request, event.get(), item.get(), key, checked.input(), by);
    ObjectNode root = itemJson(item.get());
    root.put("version", saved.version());
    root.put("queued", saved.queued());
    sendJson(response, callback, 200, root);
  }

  private FollowUps.Saved save(
      Request request,
      EventCatalog.Event event,
      Item item,
      FollowUp.Key key,
      FollowUp.Input input,
      String by)
      throws StoreException {
    FollowUps.Saved saved =
        followUps.save(
            key, input, by, subscriber -> compose(subscriber, event, item, input, key.eventId()));
    staff.audited(
        request,
        key.eventId() + "/" + key.kind().id() + "/" + key.ref(),
        input.status().id() + ", version " + saved.version());
    log.info(
        "Follow-up {} {} of event {}: version {} ({}) by {}, {} mails queued",
        key.kind().id(),
        key.ref(),
        key.eventId(),
        saved.version(),
        input.status().id(),
        by,
        saved.queued());
    if (saved.queued() > 0) {
      mailQueued.run();
    }
    return saved;
  }

  private void apiMail(Request request, Response response, Callback callback)
      throws StoreException {
    if (!staff.allowsApi(request, response, callback)) {
      return;
    }
    ObjectNode root = Json.object();
    root.put("smtp", mail.configured() ? mail.toString() : null);
    ObjectNode counts = root.putObject("counts");
    outbox.counts().forEach(counts::put);
    root.put("retrying", outbox.retrying());
    if (!mail.configured()) {
      root.put(
          "note",
          "no SMTP server is configured: mails stay queued until the server starts with"
              + " --smtp-host and --smtp-from");
    }
    sendJson(response, callback, 200, root);
  }

  // ---- mails ----

  MailOutbox.Mail compose(
      FollowUps.Subscriber subscriber,
      EventCatalog.Event event,
      Item item,
      FollowUp.Input input,
      String eventId) {
    PageLanguage language =
        new PageLanguage(
            "en".equals(subscriber.language()) ? PageLanguage.ENGLISH : PageLanguage.FRENCH, true);
    Messages m = new Messages(BUNDLE, language.locale());
    String base = publicUrl.get();
    String lang = language.tag().equals("fr") ? "" : "?lang=" + language.tag();
    String status = m.text("status." + input.status().id());
    StringBuilder body = new StringBuilder();
    body.append(m.text("mail.hello")).append("\n\n");
    body.append(m.text("mail.intro", event.title())).append("\n\n");
    body.append(m.text("mail.about", item.title())).append('\n');
    body.append(m.text("mail.status", status)).append("\n\n");
    body.append(input.text()).append('\n');
    if (input.reason() != null) {
      body.append('\n').append(m.text("mail.reason", input.reason())).append('\n');
    }
    if (!input.milestones().isEmpty()) {
      body.append('\n').append(m.text("mail.milestones")).append('\n');
      for (FollowUp.Milestone step : input.milestones()) {
        body.append("- ")
            .append(day(language, step.date()))
            .append(" : ")
            .append(step.text())
            .append('\n');
      }
    }
    body.append('\n')
        .append(m.text("mail.more", base + "/events/" + segment(eventId) + "/follow-up" + lang))
        .append("\n\n-- \n")
        .append(m.text("mail.why"))
        .append('\n')
        .append(
            m.text(
                "mail.unsubscribe", base + "/follow-up/unsubscribe/" + subscriber.token() + lang))
        .append('\n');
    String subject = m.text("mail.subject", event.title(), status);
    if (subject.length() > 250) {
      subject = subject.substring(0, 250) + "…";
    }
    return new MailOutbox.Mail(subject, body.toString());
  }

  static String day(PageLanguage language, LocalDate day) {
    return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG)
        .withLocale(language.locale())
        .format(day);
  }

  // ---- staff: pages ----

  private void staffIndex(Request request, Response response, Callback callback)
      throws StoreException {
    Page page = page(request);
    Optional<String> who = signedIn(request, response, callback, page);
    if (who.isEmpty()) {
      return;
    }
    List<String[]> events = new ArrayList<>();
    for (EventCatalog.Event event : catalog.events()) {
      events.add(
          new String[] {
            event.title(), page.link("/admin/events/" + segment(event.id()) + "/follow-up")
          });
    }
    ClaimWeb.send(response, callback, 200, page.render("followup/index.jte", "events", events));
  }

  /** The signed-in name; otherwise the browser was sent to the sign-in. */
  private Optional<String> signedIn(
      Request request, Response response, Callback callback, Page page) throws StoreException {
    Optional<String> who = staff.signedIn(request);
    if (who.isEmpty()) {
      ClaimWeb.redirect(response, callback, page.link("/admin/login"));
    }
    return who;
  }

  /**
   * @param failed the item whose form was refused, its typed values and problems; or null
   */
  private void staffPage(Request request, Response response, Callback callback, Refused failed)
      throws StoreException {
    Page page = page(request);
    Optional<String> who = signedIn(request, response, callback, page);
    if (who.isEmpty()) {
      return;
    }
    String eventId = eventOf(segments(request));
    Optional<EventCatalog.Event> event =
        terrain.core.id.EventId.ifValid(eventId).flatMap(catalog::event);
    if (event.isEmpty()) {
      ClaimWeb.send(
          response,
          callback,
          404,
          page.message("public.unknown.title", page.text("public.unknown.text")));
      return;
    }
    String csrf = ClaimWeb.csrfToken(request, response, random);
    String base = "/admin/events/" + segment(eventId) + "/follow-up";
    List<StaffItem> items = new ArrayList<>();
    for (Item item : items(event.get())) {
      FollowUp.Key key = new FollowUp.Key(eventId, item.kind(), item.ref());
      List<FollowUp.Version> history = item.current() == null ? List.of() : followUps.history(key);
      boolean refused = failed != null && failed.id().equals(item.id());
      items.add(
          page.staffItem(
              item,
              page.link(base + "/" + item.kind().id() + "/" + segment(item.ref())),
              history,
              refused ? failed : null));
    }
    String notice = null;
    Fields query = Request.extractQueryParameters(request);
    if (failed == null && query.getValue("saved") != null) {
      notice =
          page.text(
              "staff.saved", number(query.getValue("saved")), number(query.getValue("queued")));
    }
    StaffView view =
        new StaffView(
            page.text("staff.title", event.get().title()),
            page.link("/events/" + segment(eventId) + "/follow-up"),
            mailLine(page),
            page.text("staff.signed", who.get()),
            csrf,
            notice,
            items,
            page.statuses());
    ClaimWeb.send(
        response,
        callback,
        failed == null ? 200 : 422,
        page.render("followup/staff.jte", "v", view));
  }

  private static long number(String value) {
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private String mailLine(Page page) throws StoreException {
    Map<String, Long> counts = outbox.counts();
    if (!mail.configured()) {
      return page.text("staff.mail.off", counts.getOrDefault("queued", 0L));
    }
    return page.text(
        "staff.mail.on",
        mail.host() + ":" + mail.port(),
        counts.getOrDefault("queued", 0L) + counts.getOrDefault("sending", 0L),
        counts.getOrDefault("sent", 0L),
        counts.getOrDefault("failed", 0L),
        counts.getOrDefault("uncertain", 0L));
  }

  /** A refused form: which item, what was typed, what is wrong. */
  record Refused(
      String id,
      String status,
      String text,
      String reason,
      List<String[]> milestones,
      List<String> problems) {}

  private void staffSave(Request request, Response response, Callback callback)
      throws StoreException {
    Page page = page(request);
    Optional<String> who = signedIn(request, response, callback, page);
    if (who.isEmpty()) {
      return;
    }
    Map<String, String> form = form(request);
    if (!ClaimWeb.csrfOk(form, ClaimWeb.cookies(request))) {
      ClaimWeb.send(response, callback, 403, page.message("csrf.title", page.text("csrf.text")));
      return;
    }
    List<String> segments = segments(request);
    FollowUp.Key key = keyOf(segments);
    Optional<EventCatalog.Event> event =
        terrain.core.id.EventId.ifValid(key.eventId()).flatMap(catalog::event);
    Optional<Item> item = event.isEmpty() ? Optional.empty() : item(event.get(), key);
    if (item.isEmpty()) {
      ClaimWeb.send(
          response, callback, 404, page.message("notFound.title", page.text("notFound.text")));
      return;
    }
    List<String[]> steps = new ArrayList<>();
    for (int i = 1; i <= FollowUp.MAX_MILESTONES; i++) {
      String date = form.get("m" + i + "date");
      String text = form.get("m" + i + "text");
      if (date != null || text != null) {
        steps.add(new String[] {date, text});
      }
    }
    FollowUp.Checked checked =
        FollowUp.check(form.get("status"), form.get("text"), form.get("reason"), steps);
    if (!checked.ok()) {
      staffPage(
          request,
          response,
          callback,
          new Refused(
              item.get().id(),
              form.getOrDefault("status", ""),
              form.getOrDefault("text", ""),
              form.getOrDefault("reason", ""),
              steps,
              checked.problems()));
      return;
    }
    FollowUps.Saved saved = save(request, event.get(), item.get(), key, checked.input(), who.get());
    String target =
        "/admin/events/"
            + segment(key.eventId())
            + "/follow-up?saved="
            + saved.version()
            + "&queued="
            + saved.queued()
            + (page.language.explicit() ? "&lang=" + page.language.tag() : "");
    ClaimWeb.redirect(response, callback, target + "#" + anchor(item.get()));
  }

  static String anchor(Item item) {
    return item.kind().id() + "-" + item.ref().replaceAll("[^A-Za-z0-9_-]", "-");
  }

  /** A form of at most {@value #MAX_FIELDS} fields and {@value #MAX_FORM} bytes. */
  private static Map<String, String> form(Request request) {
    Fields fields;
    try {
      fields = FormFields.getFields(request, MAX_FIELDS, MAX_FORM);
    } catch (RuntimeException e) {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      throw new UncheckedIOException(
          new IOException("the form could not be read: " + cause.getMessage(), cause));
    }
    Map<String, String> out = new HashMap<>();
    for (Fields.Field field : fields) {
      out.putIfAbsent(field.getName(), field.getValue());
    }
    return out;
  }

  // ---- residents: subscribe, unsubscribe ----

  private void walletChoice(Request request, Response response, Callback callback)
      throws StoreException {
    Page page = page(request);
    Map<String, String> form = form(request);
    Map<String, String> cookies = ClaimWeb.cookies(request);
    if (!ClaimWeb.csrfOk(form, cookies)) {
      ClaimWeb.send(response, callback, 403, page.message("csrf.title", page.text("csrf.text")));
      return;
    }
    Optional<WalletId> wallet = wallets.byToken(cookies.get(ClaimWeb.WALLET_COOKIE));
    String eventId = form.getOrDefault("event", "");
    boolean stop = "stop".equals(form.get("action"));
    if (wallet.isEmpty()
        || !followUps.walletEvents(wallet.get()).contains(eventId)
        || (!stop && wallets.email(wallet.get()).isEmpty())) {
      ClaimWeb.send(
          response,
          callback,
          422,
          page.message("wallet.refused.title", page.text("wallet.refused.text")));
      return;
    }
    if (stop) {
      followUps.unsubscribe(wallet.get(), eventId);
    } else {
      followUps.subscribe(wallet.get(), eventId, page.language.tag());
      log.info("Wallet {} asked to be told about the follow-up of event {}", wallet.get(), eventId);
    }
    ClaimWeb.redirect(response, callback, page.link("/wallet") + "#follow-up");
  }

  private void unsubscribe(Request request, Response response, Callback callback, boolean post)
      throws StoreException {
    Page page = page(request);
    List<String> segments = segments(request);
    String token = segments.get(segments.size() - 1);
    Optional<FollowUps.Subscription> subscription = followUps.subscription(token);
    if (subscription.isEmpty()) {
      ClaimWeb.send(
          response,
          callback,
          404,
          page.message("unsubscribe.title", page.text("unsubscribe.unknown")));
      return;
    }
    String title =
        terrain.core.id.EventId.ifValid(subscription.get().eventId())
            .flatMap(catalog::event)
            .map(EventCatalog.Event::title)
            .orElse(subscription.get().eventId());
    if (post) {
      // The token is the capability: no CSRF token, so that mail clients' one-click
      // unsubscription (RFC 8058, List-Unsubscribe-Post) works.
      if (followUps.unsubscribe(token)) {
        log.info(
            "Follow-up subscription to event {} ended by its link", subscription.get().eventId());
      }
      ClaimWeb.send(
          response,
          callback,
          200,
          page.message("unsubscribe.title", page.text("unsubscribe.text", title)));
      return;
    }
    if (!subscription.get().active()) {
      ClaimWeb.send(
          response,
          callback,
          200,
          page.message("unsubscribe.title", page.text("unsubscribe.already")));
      return;
    }
    ClaimWeb.send(
        response,
        callback,
        200,
        page.render(
            "followup/unsubscribe.jte",
            "text",
            page.text("unsubscribe.confirm", title),
            "action",
            page.link("/follow-up/unsubscribe/" + token)));
  }

  // ---- views ----

  /** A dated step: its date written out, its text, whether it is past. */
  public record StepView(String date, String text, boolean past, String when) {}

  /** A follow-up on the public page. */
  public record ItemView(
      String anchor,
      String title,
      String quote,
      String status,
      String statusLabel,
      String text,
      String reason,
      List<StepView> milestones,
      String updated) {}

  public record PublicView(
      String title,
      String intro,
      String results,
      List<ItemView> questions,
      List<ItemView> ideas,
      String waiting) {
    public boolean none() {
      return questions.isEmpty() && ideas.isEmpty();
    }
  }

  /** A staff form: the values shown, the current version line, the history, the problems. */
  public record StaffItem(
      String anchor,
      String title,
      String quote,
      String action,
      String status,
      String text,
      String reason,
      List<String[]> milestones,
      String current,
      List<String> history,
      List<String> problems) {}

  public record StaffView(
      String title,
      String publicHref,
      String mail,
      String who,
      String csrf,
      String notice,
      List<StaffItem> items,
      List<String[]> statuses) {}

  private static Page page(Request request) {
    return new Page(ClaimWeb.language(request));
  }

  /** One page's language and words, for the templates of {@code src/main/jte/followup}. */
  public static final class Page {
    final PageLanguage language;
    final Messages m;

    Page(PageLanguage language) {
      this.language = language;
      this.m = new Messages(BUNDLE, language.locale());
    }

    /** A text of the bundle filled with {@code args}, not escaped. */
    public String text(String key, Object... args) {
      return m.text(key, args);
    }

    public String tag() {
      return language.tag();
    }

    public String other() {
      return language.tag().equals("fr") ? "en" : "fr";
    }

    public String link(String path) {
      return language.explicit() ? path + "?lang=" + language.tag() : path;
    }

    String render(String name, Object... namesAndValues) {
      Map<String, Object> params = new HashMap<>();
      params.put("p", this);
      for (int i = 0; i < namesAndValues.length; i += 2) {
        params.put((String) namesAndValues[i], namesAndValues[i + 1]);
      }
      return Templates.render(name, params);
    }

    String message(String titleKey, String text) {
      return render("followup/message.jte", "title", text(titleKey), "text", text);
    }

    String when(long epochSecond) {
      return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.LONG, FormatStyle.SHORT)
          .withLocale(language.locale())
          .format(Instant.ofEpochSecond(epochSecond).atZone(ZONE));
    }

    String dayOf(long epochSecond) {
      return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG)
          .withLocale(language.locale())
          .format(Instant.ofEpochSecond(epochSecond).atZone(ZONE));
    }

    List<String[]> statuses() {
      List<String[]> out = new ArrayList<>();
      for (FollowUp.Status s : FollowUp.Status.values()) {
        out.add(new String[] {s.id(), text("status." + s.id())});
      }
      return out;
    }

    ItemView view(Item item) {
      FollowUp.Version v = item.current();
      LocalDate today = LocalDate.now(ZONE);
      List<StepView> steps = new ArrayList<>();
      for (FollowUp.Milestone step : v.milestones()) {
        boolean past = !step.date().isAfter(today);
        steps.add(
            new StepView(
                day(language, step.date()),
                step.text(),
                past,
                text(past ? "public.milestone.past" : "public.milestone.next")));
      }
      return new ItemView(
          anchor(item),
          item.title(),
          item.quote(),
          v.status().id().replace('_', '-'),
          text("status." + v.status().id()),
          v.text(),
          v.reason() == null ? null : text("public.reason", v.reason()),
          steps,
          text("public.updated", dayOf(v.changedAt())));
    }

    StaffItem staffItem(Item item, String action, List<FollowUp.Version> history, Refused refused) {
      FollowUp.Version v = history.isEmpty() ? null : history.get(0);
      List<String[]> steps = new ArrayList<>();
      String status;
      String body;
      String reason;
      if (refused != null) {
        status = refused.status();
        body = refused.text();
        reason = refused.reason();
        steps.addAll(refused.milestones());
      } else {
        status = v == null ? FollowUp.Status.UNDER_STUDY.id() : v.status().id();
        body = v == null ? "" : v.text();
        reason = v == null || v.reason() == null ? "" : v.reason();
        if (v != null) {
          for (FollowUp.Milestone step : v.milestones()) {
            steps.add(new String[] {step.date().toString(), step.text()});
          }
        }
      }
      while (steps.size() < FollowUp.MAX_MILESTONES && steps.size() < countWithSpare(v)) {
        steps.add(new String[] {"", ""});
      }
      List<String> lines = new ArrayList<>();
      for (FollowUp.Version old : history) {
        lines.add(
            text("staff.version", old.version(), old.changedBy(), when(old.changedAt()))
                + " — "
                + text("status." + old.status().id())
                + " — "
                + old.text()
                + (old.reason() == null ? "" : " (" + old.reason() + ")")
                + (old.milestones().isEmpty()
                    ? ""
                    : " — "
                        + String.join(
                            " ; ",
                            old.milestones().stream()
                                .map(s -> s.date() + " " + s.text())
                                .toList())));
      }
      return new StaffItem(
          anchor(item),
          item.kind() == FollowUp.Kind.IDEA ? text("staff.idea.label", item.title()) : item.title(),
          item.quote(),
          action,
          status,
          body,
          reason,
          steps,
          v == null
              ? text("staff.none")
              : text("staff.version", v.version(), v.changedBy(), when(v.changedAt()))
                  + " — "
                  + text("status." + v.status().id()),
          lines,
          refused == null ? List.of() : refused.problems());
    }

    /** The rows of milestones a form shows: the saved ones and two empty. */
    private static int countWithSpare(FollowUp.Version v) {
      return (v == null ? 0 : v.milestones().size()) + 2;
    }
  }
}
