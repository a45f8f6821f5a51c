// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.id.EventId;
import terrain.core.id.WalletId;
import terrain.core.text.Html;
import terrain.core.text.Messages;
import terrain.core.text.PageLanguage;
import terrain.core.ticket.Ticket;
import terrain.core.ticket.TicketCodec;
import terrain.core.ticket.TicketException;
import terrain.http.Endpoint;
import terrain.server.access.RateLimiter;
import terrain.server.http.PageRoutes;
import terrain.server.http.Templates;
import terrain.server.ledger.Ledger;
import terrain.server.results.EventCatalog;
import terrain.server.wallet.Wallets;
import terrain.store.StoreException;

/**
 * The citizen's pages, mobile-first, without JavaScript, in French or English:
 *
 * <pre>
 * GET  /T/{code}   the ticket (a full code or a short code, any case) and a button to claim it
 * POST /T/{code}   claims it into the wallet of this browser, created on demand
 * GET  /claim      a form to type a code (?code=... goes to /T/{code})
 * GET  /wallet     balance, what expires when, the QR code to pay at a partner, history, e-mail
 * POST /wallet/email          links (or with remove=1 unlinks) an e-mail address
 * GET  /wallet/recover        a form for the recovery code
 * POST /wallet/recover        reopens that wallet on this browser (its other token stops working)
 * </pre>
 *
 * <p>The wallet is kept by an HttpOnly, SameSite=Lax cookie holding its bearer token. Forms carry a
 * CSRF token that must equal the one in a second cookie (double submit). Everything shown is
 * escaped.
 */
public final class ClaimWeb {
  private static final Logger log = LoggerFactory.getLogger(ClaimWeb.class);
  public static final String WALLET_COOKIE = "terrain_wallet";
  static final String CSRF_COOKIE = "terrain_csrf";

  /** {@code /T/{code}} or {@code /t/{code}}, the code not empty (and possibly holding a '/'). */
  private static final String TICKET = "^/[Tt]/.+$";

  private static final String HTML = "text/html; charset=utf-8";
  private static final int MAX_FORM = 4 * 1024;
  private static final int MAX_FIELDS = 20;
  private static final ZoneId ZONE = ZoneId.of("Europe/Paris");

  private final Claims claims;
  private final Wallets wallets;
  private final Ledger ledger;
  private final RateLimiter limiter;
  private final SecureRandom random;
  private final java.time.Clock clock;

  /** The events whose files the server was given, for their titles. */
  private final EventCatalog events;

  private final WalletEvents walletEvents;

  public ClaimWeb(
      Claims claims,
      Wallets wallets,
      Ledger ledger,
      RateLimiter limiter,
      SecureRandom random,
      java.time.Clock clock,
      EventCatalog events,
      WalletEvents walletEvents) {
    this.walletEvents = walletEvents;
    this.clock = clock;
    this.events = events;
    this.claims = claims;
    this.wallets = wallets;
    this.ledger = ledger;
    this.limiter = limiter;
    this.random = random;
  }

  /** The pages' routes. */
  public void routes(PageRoutes.Builder routes) {
    routes
        .guarded(ClaimWeb::guard)
        .get(TICKET, (rq, rs, cb) -> ticket(rq, rs, cb, page(rq), code(rq)))
        .post(TICKET, (rq, rs, cb) -> claim(rq, rs, cb, page(rq), code(rq)))
        .get("/claim", (rq, rs, cb) -> enter(rq, rs, cb, page(rq)))
        .get("/wallet", (rq, rs, cb) -> wallet(rq, rs, cb, page(rq)))
        .post("/wallet/email", (rq, rs, cb) -> email(rq, rs, cb, page(rq)))
        .get("/wallet/recover", (rq, rs, cb) -> recoverForm(rq, rs, cb, page(rq), 200, null))
        .post("/wallet/recover", (rq, rs, cb) -> recover(rq, rs, cb, page(rq)));
  }

  /** A body that cannot be read: 400; a database that does not answer: 503. */
  private static Endpoint guard(Endpoint endpoint) {
    return (request, response, callback) -> {
      try {
        endpoint.handle(request, response, callback);
      } catch (UncheckedIOException e) {
        log.info(
            "HTTP {} {}: the request body could not be read",
            request.getMethod(),
            request.getHttpURI().getPath(),
            e);
        send(response, callback, 400, page(request).error(e.getMessage()));
      } catch (StoreException | IllegalArgumentException e) {
        log.warn("HTTP {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
        send(response, callback, 503, page(request).error(e.getMessage()));
      }
    };
  }

  private static Page page(Request request) {
    return new Page(language(request));
  }

  /**
   * The code of {@code /T/{code}}, from the raw path: a code may hold an encoded {@code /} (it is
   * then refused as invalid, with the code shown).
   */
  private static String code(Request request) {
    return URLDecoder.decode(request.getHttpURI().getPath().substring(3), StandardCharsets.UTF_8);
  }

  /**
   * A ticket page's values, not escaped.
   *
   * @param action where the claim form posts
   * @param results where the event's results are
   */
  public record TicketView(
      boolean golden,
      String briqs,
      String eventTitle,
      String expires,
      String action,
      String csrf,
      String results,
      String followUp) {}

  /**
   * A wallet page's values, not escaped except {@code qrSvg}, markup made here.
   *
   * @param spendCode the code a partner types, or null when the balance is 0 (no QR code then)
   * @param email the linked address, or null
   */
  public record WalletView(
      String balance,
      List<String> lots,
      String spendCode,
      String qrSvg,
      List<String> history,
      String csrf,
      String email,
      List<EventFollowUp> followUps) {}

  /**
   * An event the wallet took part in (a ticket of it claimed): where its follow-up is and whether
   * the wallet asked to be told about it by e-mail.
   */
  public record EventFollowUp(String event, String title, String href, boolean subscribed) {}

  /** The events of a wallet's tickets and the ones it asked to be told about (follow-up). */
  public interface WalletEvents {
    List<String> events(WalletId wallet) throws StoreException;

    java.util.Set<String> subscribed(WalletId wallet) throws StoreException;

    /** None: for a server without follow-ups. */
    WalletEvents NONE =
        new WalletEvents() {
          @Override
          public List<String> events(WalletId wallet) {
            return List.of();
          }

          @Override
          public java.util.Set<String> subscribed(WalletId wallet) {
            return java.util.Set.of();
          }
        };
  }

  /** The event's title when the server has its file (--event), else its id. */
  private String eventTitle(EventId eventId) {
    return events.event(eventId).map(EventCatalog.Event::title).orElse(eventId.value());
  }

  private void ticket(Request request, Response response, Callback callback, Page page, String code)
      throws StoreException {
    // Looking up a short code is what a guesser would do: limited like a claim.
    if (isShortCode(code)) {
      if (tooOften(limiter, Request.getRemoteAddr(request), response, callback, page)) {
        return;
      }
    }
    Claims.Outcome outcome = claims.check(code);
    if (!(outcome instanceof Claims.Valid valid)) {
      refusal(response, callback, page, outcome);
      return;
    }
    Ticket ticket = valid.ticket().ticket();
    String csrf = csrfToken(request, response, random);
    TicketView view =
        new TicketView(
            ticket.golden(),
            page.briqsText(ticket.briqs()),
            eventTitle(ticket.eventId()),
            page.date(ticket.expiresAtEpochSecond()),
            page.link("/T/" + valid.ticket().code()),
            csrf,
            page.resultsHref(ticket.eventId()),
            page.followUpHref(ticket.eventId().value()));
    send(response, callback, 200, page.render("claim/ticket.jte", "t", view));
  }

  private void claim(Request request, Response response, Callback callback, Page page, String code)
      throws StoreException {
    Map<String, String> form = form(request);
    Map<String, String> cookies = cookies(request);
    if (!csrfOk(form, cookies)) {
      send(response, callback, 403, page.say("csrf.title", page.text("csrf.text")));
      return;
    }
    if (tooOften(limiter, Request.getRemoteAddr(request), response, callback, page)) {
      return;
    }
    Optional<WalletId> wallet = wallets.byToken(cookies.get(WALLET_COOKIE));
    Claims.Outcome checked = claims.check(code);
    if (!(checked instanceof Claims.Valid)) {
      refusal(response, callback, page, checked);
      return;
    }
    String recovery = null;
    if (wallet.isEmpty()) {
      Wallets.Created created = wallets.create();
      wallet = Optional.of(created.id());
      recovery = created.recoveryCode();
      setCookie(request, response, WALLET_COOKIE, created.token(), 60L * 60 * 24 * 400);
    }
    Claims.Outcome outcome = claims.claim(wallet.get(), code);
    if (!(outcome instanceof Claims.Claimed claimed)) {
      refusal(response, callback, page, outcome);
      return;
    }
    String text =
        page.text(
            "claimed.text",
            page.briqsText((int) claimed.briqs()),
            page.briqsText((int) claimed.balance()));
    Map<String, Object> params = new HashMap<>();
    params.put("p", page);
    params.put("text", text);
    params.put("recovery", recovery);
    params.put("results", page.resultsHref(claimed.ticket().ticket().eventId()));
    send(response, callback, 201, Templates.render("claim/claimed.jte", params));
  }

  private void enter(Request request, Response response, Callback callback, Page page) {
    String code = Request.extractQueryParameters(request).getValue("code");
    if (code != null && !code.isBlank()) {
      String target =
          "/T/" + URLEncoder.encode(code.strip(), StandardCharsets.UTF_8).replace("+", "%20");
      response.setStatus(303);
      response.getHeaders().put(HttpHeader.LOCATION, page.link(target));
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
      response.write(true, ByteBuffer.allocate(0), callback);
      return;
    }
    send(response, callback, 200, page.render("claim/enter.jte"));
  }

  private void wallet(Request request, Response response, Callback callback, Page page)
      throws StoreException {
    String token = cookies(request).get(WALLET_COOKIE);
    Optional<WalletId> wallet = wallets.byToken(token);
    WalletView view = null;
    if (wallet.isPresent()) {
      WalletId id = wallet.get();
      wallets.ensureSpendCode(id, token);
      String account = Ledger.walletAccount(id);
      long balance = ledger.balance(account);
      long now = clock.instant().getEpochSecond();
      // What expires when: the unspent briqs of each claimed ticket, summed per day.
      java.util.TreeMap<java.time.LocalDate, Long> byDay = new java.util.TreeMap<>();
      for (Ledger.Lot lot : ledger.lots(id)) {
        if (lot.remaining() > 0 && lot.expiresAtEpochSecond() > now) {
          byDay.merge(
              Instant.ofEpochSecond(lot.expiresAtEpochSecond()).atZone(ZONE).toLocalDate(),
              (long) lot.remaining(),
              Long::sum);
        }
      }
      List<String> lots = new ArrayList<>();
      for (var day : byDay.entrySet()) {
        lots.add(
            page.text(
                "wallet.lot", page.briqsText(day.getValue().intValue()), page.day(day.getKey())));
      }
      String spendCode = null;
      String qr = null;
      if (balance > 0) {
        spendCode = Wallets.spendCode(token);
        String url =
            origin(request)
                + "/partner?spend="
                + spendCode
                + (page.language.explicit() ? "&lang=" + page.language.tag() : "");
        qr = QrSvg.of(url, page.m.html("wallet.pay.qr"));
      }
      List<String> history = new ArrayList<>();
      for (Ledger.Entry entry : ledger.entries(account, 100)) {
        history.add(
            page.date(entry.atEpochSecond())
                + " — "
                + page.text("wallet." + entry.reason().name().toLowerCase(java.util.Locale.ROOT))
                + " : "
                + (entry.amount() > 0 ? "+" : "")
                + page.m.number(entry.amount()));
      }
      view =
          new WalletView(
              page.text("wallet.balance", page.briqsText((int) balance)),
              lots,
              spendCode,
              qr,
              history,
              csrfToken(request, response, random),
              wallets.email(id).orElse(null),
              followUps(id, page));
    }
    Map<String, Object> params = new HashMap<>();
    params.put("p", page);
    params.put("w", view);
    send(response, callback, 200, Templates.render("claim/wallet.jte", params));
  }

  private List<EventFollowUp> followUps(WalletId wallet, Page page) throws StoreException {
    java.util.Set<String> subscribed = walletEvents.subscribed(wallet);
    List<EventFollowUp> out = new ArrayList<>();
    for (String event : walletEvents.events(wallet)) {
      out.add(
          new EventFollowUp(
              event,
              EventId.ifValid(event).map(this::eventTitle).orElse(event),
              page.followUpHref(event),
              subscribed.contains(event)));
    }
    return out;
  }

  private void email(Request request, Response response, Callback callback, Page page)
      throws StoreException {
    Map<String, String> form = form(request);
    Map<String, String> cookies = cookies(request);
    if (!csrfOk(form, cookies)) {
      send(response, callback, 403, page.say("csrf.title", page.text("csrf.text")));
      return;
    }
    Optional<WalletId> wallet = wallets.byToken(cookies.get(WALLET_COOKIE));
    if (wallet.isEmpty()) {
      send(response, callback, 401, page.say("wallet.title", page.text("wallet.none")));
      return;
    }
    if ("1".equals(form.get("remove"))) {
      wallets.setEmail(wallet.get(), null);
      redirect(response, callback, page.link("/wallet"));
      return;
    }
    Optional<String> email = Wallets.normalizeEmail(form.getOrDefault("email", ""));
    if (email.isEmpty()) {
      Map<String, Object> params = new HashMap<>();
      params.put("p", page);
      params.put("csrf", csrfToken(request, response, random));
      params.put("typed", form.getOrDefault("email", ""));
      send(response, callback, 422, Templates.render("claim/email-invalid.jte", params));
      return;
    }
    wallets.setEmail(wallet.get(), email.get());
    redirect(response, callback, page.link("/wallet"));
  }

  /**
   * @param problem what went wrong, not escaped, or null
   */
  private void recoverForm(
      Request request, Response response, Callback callback, Page page, int status, String problem)
      throws StoreException {
    String csrf = csrfToken(request, response, random);
    Optional<WalletId> current = wallets.byToken(cookies(request).get(WALLET_COOKIE));
    String replace = null;
    if (current.isPresent()) {
      long balance = ledger.balance(Ledger.walletAccount(current.get()));
      replace = page.text("recover.replace", page.briqsText((int) balance));
    }
    Map<String, Object> params = new HashMap<>();
    params.put("p", page);
    params.put("csrf", csrf);
    params.put("problem", problem);
    params.put("replace", replace);
    send(response, callback, status, Templates.render("claim/recover.jte", params));
  }

  private void recover(Request request, Response response, Callback callback, Page page)
      throws StoreException {
    Map<String, String> form = form(request);
    if (!csrfOk(form, cookies(request))) {
      send(response, callback, 403, page.say("csrf.title", page.text("csrf.text")));
      return;
    }
    if (tooOften(limiter, Request.getRemoteAddr(request), response, callback, page)) {
      return;
    }
    Optional<Wallets.Reopened> reopened = wallets.recover(form.getOrDefault("code", ""));
    if (reopened.isEmpty()) {
      recoverForm(request, response, callback, page, 404, page.text("recover.unknown"));
      return;
    }
    log.info("Wallet {} reopened with its recovery code", reopened.get().id());
    setCookie(request, response, WALLET_COOKIE, reopened.get().token(), 60L * 60 * 24 * 400);
    redirect(response, callback, page.link("/wallet"));
  }

  /** {@code scheme://host[:port]} as the browser reached this server. */
  private static String origin(Request request) {
    var uri = request.getHttpURI();
    return uri.getScheme() + "://" + uri.getAuthority();
  }

  private void refusal(Response response, Callback callback, Page page, Claims.Outcome outcome) {
    if (outcome instanceof Claims.AlreadyClaimed) {
      send(response, callback, 409, page.say("already.title", page.text("already.text")));
    } else if (outcome instanceof Claims.Expired expired) {
      send(
          response,
          callback,
          410,
          page.say(
              "expired.title",
              page.text(
                  "expired.text", page.date(expired.ticket().ticket().expiresAtEpochSecond()))));
    } else if (outcome instanceof Claims.Revoked) {
      send(response, callback, 403, page.say("revoked.title", page.text("revoked.text")));
    } else if (outcome instanceof Claims.Refused refused) {
      String text = page.text("refused." + refused.refusal().name() + ".text");
      send(response, callback, 422, page.say("refused.title", text));
    } else if (outcome instanceof Claims.NotYetSynced) {
      send(response, callback, 409, page.say("notSynced.title", page.text("notSynced.text")));
    } else if (outcome instanceof Claims.Invalid invalid
        && invalid.reason().equals("UNKNOWN_SHORT_CODE")) {
      send(response, callback, 404, page.say("invalid.title", page.text("unknownShort.text")));
    } else {
      send(response, callback, 422, page.say("invalid.title", page.text("invalid.text")));
    }
  }

  /**
   * Counts an attempt of {@code key}; when it is one too many, answers 429 with Retry-After and
   * gives true.
   */
  static boolean tooOften(
      RateLimiter limiter, String key, Response response, Callback callback, Page page) {
    long wait = limiter.acquire(key);
    if (wait <= 0) {
      return false;
    }
    response.getHeaders().put(HttpHeader.RETRY_AFTER, wait);
    send(response, callback, 429, page.say("limited.title", page.text("limited.text")));
    return true;
  }

  /** True when the form's CSRF token equals the browser's CSRF cookie (double submit). */
  public static boolean csrfOk(Map<String, String> form, Map<String, String> cookies) {
    String expected = cookies.get(CSRF_COOKIE);
    String sent = form.get("csrf");
    return expected != null
        && sent != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
  }

  /** A 303 to {@code location}. */
  public static void redirect(Response response, Callback callback, String location) {
    response.setStatus(303);
    response.getHeaders().put(HttpHeader.LOCATION, location);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
    response.write(true, ByteBuffer.allocate(0), callback);
  }

  private static boolean isShortCode(String code) {
    try {
      TicketCodec.normalizeShortCode(code);
      return true;
    } catch (TicketException e) {
      return false;
    }
  }

  /** The CSRF token of this browser, set as a cookie when it has none yet. */
  public static String csrfToken(Request request, Response response, SecureRandom random) {
    String token = cookies(request).get(CSRF_COOKIE);
    if (token == null || !token.matches("[A-Za-z0-9_-]{20,64}")) {
      byte[] bytes = new byte[24];
      random.nextBytes(bytes);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      setCookie(request, response, CSRF_COOKIE, token, -1);
    }
    return token;
  }

  static void setCookie(
      Request request, Response response, String name, String value, long maxAgeSeconds) {
    HttpCookie.Builder cookie =
        HttpCookie.build(name, value)
            .path("/")
            .httpOnly(true)
            .sameSite(HttpCookie.SameSite.LAX)
            .secure(request.isSecure());
    if (maxAgeSeconds > 0) {
      cookie.maxAge(maxAgeSeconds);
    }
    Response.addCookie(response, cookie.build());
  }

  /** The request's cookies by name (the first of a name wins), parsed by Jetty. */
  public static Map<String, String> cookies(Request request) {
    Map<String, String> out = new HashMap<>();
    for (HttpCookie cookie : Request.getCookies(request)) {
      out.putIfAbsent(cookie.getName(), cookie.getValue());
    }
    return out;
  }

  /**
   * The fields of a form posted as {@code application/x-www-form-urlencoded} (what browsers send),
   * read by Jetty's {@link FormFields} up to {@value #MAX_FORM} bytes and {@value #MAX_FIELDS}
   * fields; the first value of a name wins. A body of another type gives no field.
   *
   * @throws UncheckedIOException when the body cannot be read or is too large
   */
  public static Map<String, String> form(Request request) {
    Fields fields;
    try {
      fields = FormFields.getFields(request, MAX_FIELDS, MAX_FORM);
    } catch (RuntimeException e) {
      // A client that went away, sent a broken or too large body: the caller answers 400.
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

  public static void send(Response response, Callback callback, int status, String html) {
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, HTML);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("Referrer-Policy", "no-referrer");
    response
        .getHeaders()
        .put(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    response.getHeaders().put(HttpHeader.VARY, HttpHeader.ACCEPT_LANGUAGE.asString());
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    boolean head = HttpMethod.HEAD.is(response.getRequest().getMethod());
    response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes), callback);
  }

  /** The language of a page: {@code ?lang=} first, then the browser's Accept-Language. */
  public static PageLanguage language(Request request) {
    return PageLanguage.choose(
        request.getHttpURI().getQuery(), request.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE));
  }

  /** A strict session cookie for {@code path}, HttpOnly, Secure when the request is. */
  public static void setSessionCookie(
      Request request,
      Response response,
      String name,
      String value,
      String path,
      long maxAgeSeconds) {
    Response.addCookie(
        response,
        HttpCookie.build(name, value)
            .path(path)
            .httpOnly(true)
            .sameSite(HttpCookie.SameSite.STRICT)
            .maxAge(maxAgeSeconds)
            .secure(request.isSecure())
            .build());
  }

  /** Ends the session cookie set by {@link #setSessionCookie}. */
  public static void clearSessionCookie(Response response, String name, String path) {
    Response.addCookie(
        response,
        HttpCookie.build(name, "")
            .path(path)
            .maxAge(0)
            .httpOnly(true)
            .sameSite(HttpCookie.SameSite.STRICT)
            .build());
  }

  /**
   * One page's language and words, for the templates of {@code src/main/jte/claim} (which escape
   * what they show) and, until they move to templates, the partner pages.
   */
  public static final class Page {
    final PageLanguage language;
    final Messages m;

    Page(PageLanguage language) {
      this.language = language;
      this.m = new Messages("terrain.server.claim.messages", language.locale());
    }

    /** A text of the bundle filled with {@code args}, not escaped. */
    public String text(String key, Object... args) {
      return m.text(key, args);
    }

    /** The page's language tag, {@code fr} or {@code en}. */
    public String tag() {
      return language.tag();
    }

    /** The other language, the one the switch links to. */
    public String other() {
      return language.tag().equals("fr") ? "en" : "fr";
    }

    /** Whether the request chose its language with {@code ?lang=}. */
    public boolean explicit() {
      return language.explicit();
    }

    /** A link within the site; it carries an explicit language choice on. */
    public String link(String path) {
      return language.explicit() ? path + "?lang=" + language.tag() : path;
    }

    /** The template {@code name} with this page as {@code p} and the given name-value pairs. */
    String render(String name, Object... namesAndValues) {
      Map<String, Object> params = new HashMap<>();
      params.put("p", this);
      for (int i = 0; i < namesAndValues.length; i += 2) {
        params.put((String) namesAndValues[i], namesAndValues[i + 1]);
      }
      return Templates.render(name, params);
    }

    /** A short page: a title, a sentence (not escaped) and the way back to the code form. */
    String say(String titleKey, String text) {
      return render("claim/message.jte", "title", text(titleKey), "text", text);
    }

    /** A page saying only what went wrong (not escaped). */
    String error(String text) {
      return render("claim/error.jte", "text", text);
    }

    /** Where the follow-up of {@code eventId} is ("vous avez dit, nous avons fait"). */
    String followUpHref(String eventId) {
      return link("/events/" + Html.pathSegment(eventId) + "/follow-up");
    }

    /** Where the results of {@code eventId} are. */
    String resultsHref(EventId eventId) {
      return link("/events/" + Html.pathSegment(eventId.value()));
    }

    String day(java.time.LocalDate day) {
      return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG)
          .withLocale(language.locale())
          .format(day);
    }

    String date(long epochSecond) {
      return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG)
          .withLocale(language.locale())
          .format(Instant.ofEpochSecond(epochSecond).atZone(ZONE));
    }

    /** "5 briqs", not escaped. */
    String briqsText(int n) {
      return m.text("ticket.briqs", n, m.number(n));
    }
  }
}
