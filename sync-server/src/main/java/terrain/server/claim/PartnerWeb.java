// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.id.WalletId;
import terrain.core.text.Html;
import terrain.http.Endpoint;
import terrain.server.access.RateLimiter;
import terrain.server.claim.ClaimWeb.Page;
import terrain.server.http.PageRoutes;
import terrain.server.http.Templates;
import terrain.server.ledger.Ledger;
import terrain.server.partner.Partner;
import terrain.server.partner.Partners;
import terrain.server.wallet.Wallets;
import terrain.store.StoreException;

/**
 * The cashier's page of a partner (the pool, the theatre), on a phone, without JavaScript:
 *
 * <pre>
 * GET  /partner[?spend=CODE]  sign-in, then the spend form (pre-filled from the wallet's QR code)
 * POST /partner/login         partner id and key; a session cookie for 12 hours
 * POST /partner/review        spend code and amount: the confirm step (or why not)
 * POST /partner/confirm       debits the wallet, once per confirm form
 * POST /partner/logout
 * </pre>
 *
 * <p>The wallet's QR code encodes {@code /partner?spend=CODE} on this server, so the phone's own
 * camera app opens this page with the code filled in. Forms carry the CSRF token of {@link
 * ClaimWeb}; sign-in and reviews are rate-limited per client address.
 */
public final class PartnerWeb {
  private static final Logger log = LoggerFactory.getLogger(PartnerWeb.class);
  static final String SESSION_COOKIE = "terrain_partner";

  /** The largest amount one spend takes, against a typo of a few zeros. */
  static final long MAX_AMOUNT = 10_000;

  private final Partners partners;
  private final Wallets wallets;
  private final Ledger ledger;
  private final RateLimiter limiter;
  private final SecureRandom random;

  public PartnerWeb(
      Partners partners, Wallets wallets, Ledger ledger, RateLimiter limiter, SecureRandom random) {
    this.partners = partners;
    this.wallets = wallets;
    this.ledger = ledger;
    this.limiter = limiter;
    this.random = random;
  }

  /** The pages' routes. */
  public void routes(PageRoutes.Builder routes) {
    routes
        .guarded(this::guard)
        .get("/partner", (rq, rs, cb) -> home(rq, rs, cb, page(rq)))
        .post("/partner/login", (rq, rs, cb) -> signedForm(rq, rs, cb, false, this::login))
        .post(
            "/partner/logout",
            (rq, rs, cb) ->
                signedForm(
                    rq,
                    rs,
                    cb,
                    false,
                    (request, response, callback, page, form, partner) -> {
                      ClaimWeb.clearSessionCookie(response, SESSION_COOKIE, "/partner");
                      ClaimWeb.redirect(response, callback, page.link("/partner"));
                    }))
        .post("/partner/review", (rq, rs, cb) -> signedForm(rq, rs, cb, true, this::review))
        .post("/partner/confirm", (rq, rs, cb) -> signedForm(rq, rs, cb, true, this::confirm));
  }

  /** A database that does not answer: 503. */
  private Endpoint guard(Endpoint endpoint) {
    return (request, response, callback) -> {
      try {
        endpoint.handle(request, response, callback);
      } catch (StoreException e) {
        log.warn("HTTP {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
        ClaimWeb.send(
            response,
            callback,
            503,
            page(request).say("partner.error.title", page(request).text("busy.text")));
      }
    };
  }

  private static Page page(Request request) {
    return new Page(ClaimWeb.language(request));
  }

  /** What a posted form does once its CSRF token (and, if asked, the session) is checked. */
  @FunctionalInterface
  private interface FormAction {
    void run(
        Request request,
        Response response,
        Callback callback,
        Page page,
        Map<String, String> form,
        Partner partner)
        throws StoreException;
  }

  /**
   * Checks the form's CSRF token, then runs {@code action}; with {@code signedIn}, only for a
   * signed-in cashier (else back to the sign-in page), {@code partner} null otherwise.
   */
  private void signedForm(
      Request request, Response response, Callback callback, boolean signedIn, FormAction action)
      throws StoreException {
    Page page = page(request);
    Map<String, String> form = ClaimWeb.form(request);
    Map<String, String> cookies = ClaimWeb.cookies(request);
    if (!ClaimWeb.csrfOk(form, cookies)) {
      ClaimWeb.send(response, callback, 403, page.say("csrf.title", page.text("partner.csrf")));
      return;
    }
    Optional<Partner> partner = partners.fromSession(cookies.get(SESSION_COOKIE));
    if (signedIn && partner.isEmpty()) {
      ClaimWeb.redirect(response, callback, page.link("/partner"));
      return;
    }
    action.run(request, response, callback, page, form, partner.orElse(null));
  }

  private void home(Request request, Response response, Callback callback, Page page) {
    String spend = Request.extractQueryParameters(request).getValue("spend");
    spend = spend == null ? "" : spend;
    String csrf = ClaimWeb.csrfToken(request, response, random);
    Optional<Partner> partner = partners.fromSession(ClaimWeb.cookies(request).get(SESSION_COOKIE));
    if (partner.isEmpty()) {
      ClaimWeb.send(
          response,
          callback,
          200,
          page.render(
              "partner/login.jte",
              "csrf",
              csrf,
              "spend",
              spend,
              "partners",
              !partners.all().isEmpty()));
      return;
    }
    ClaimWeb.send(response, callback, 200, spendForm(page, partner.get(), csrf, spend, "", null));
  }

  /**
   * The spend form, with what was typed.
   *
   * @param problem why the last try was refused, not escaped, or null
   */
  private static String spendForm(
      Page page, Partner partner, String csrf, String spend, String amount, String problem) {
    Map<String, Object> params = new HashMap<>();
    params.put("p", page);
    params.put("problem", problem);
    params.put("partner", partner.name());
    params.put("csrf", csrf);
    params.put("spend", spend == null ? "" : spend);
    params.put("amount", amount == null ? "" : amount);
    params.put("max", (long) MAX_AMOUNT);
    return Templates.render("partner/spend.jte", params);
  }

  private void login(
      Request request,
      Response response,
      Callback callback,
      Page page,
      Map<String, String> form,
      Partner ignored) {
    if (ClaimWeb.tooOften(
        limiter, "partner:" + Request.getRemoteAddr(request), response, callback, page)) {
      return;
    }
    Optional<Partner> partner = partners.authenticate(form.get("partner"), form.get("key"));
    if (partner.isEmpty()) {
      log.info("Partner sign-in refused for [{}]", Html.escape(form.getOrDefault("partner", "")));
      ClaimWeb.send(
          response,
          callback,
          401,
          page.say("partner.login.title", page.text("partner.login.refused")));
      return;
    }
    ClaimWeb.setSessionCookie(
        request,
        response,
        SESSION_COOKIE,
        partners.session(partner.get()),
        "/partner",
        Partners.SESSION.toSeconds());
    String spend = form.getOrDefault("spend", "");
    String target =
        spend.isBlank()
            ? "/partner"
            : "/partner?spend=" + java.net.URLEncoder.encode(spend.strip(), StandardCharsets.UTF_8);
    ClaimWeb.redirect(response, callback, withLang(page, target));
  }

  private void review(
      Request request,
      Response response,
      Callback callback,
      Page page,
      Map<String, String> form,
      Partner partner)
      throws StoreException {
    if (ClaimWeb.tooOften(
        limiter, "partner:" + Request.getRemoteAddr(request), response, callback, page)) {
      return;
    }
    SpendForm typed = SpendForm.of(form);
    String csrf = typed.csrf();
    String spend = typed.spend();
    String amountText = typed.amountText();
    Optional<Long> amount = typed.amount();
    if (amount.isEmpty()) {
      refuse(response, callback, page, partner, csrf, spend, amountText, 422, "partner.badAmount");
      return;
    }
    Optional<WalletId> wallet = wallets.bySpendCode(spend);
    if (wallet.isEmpty()) {
      refuse(response, callback, page, partner, csrf, spend, amountText, 404, "partner.unknown");
      return;
    }
    long balance = ledger.spendable(wallet.get());
    if (balance < amount.get()) {
      overdraft(response, callback, page, partner, csrf, spend, amountText, balance);
      return;
    }
    byte[] id = new byte[16];
    random.nextBytes(id);
    ClaimWeb.send(
        response,
        callback,
        200,
        page.render(
            "partner/review.jte",
            "briqs",
            page.briqsText(amount.get().intValue()),
            "text",
            page.text("partner.confirm.text", partner.name(), spend),
            "csrf",
            csrf,
            "spend",
            spend,
            "amount",
            Long.toString(amount.get()),
            "request",
            HexFormat.of().formatHex(id)));
  }

  private void confirm(
      Request request,
      Response response,
      Callback callback,
      Page page,
      Map<String, String> form,
      Partner partner)
      throws StoreException {
    SpendForm typed = SpendForm.of(form);
    String csrf = typed.csrf();
    String spend = typed.spend();
    String amountText = typed.amountText();
    Optional<Long> amount = typed.amount();
    // The confirm page carries a random request id, made when it was rendered: a double tap or a
    // reload sends it again and the ledger debits once (scoped to this partner).
    String requestId = form.getOrDefault("request", "");
    if (amount.isEmpty()) {
      refuse(response, callback, page, partner, csrf, spend, amountText, 422, "partner.badAmount");
      return;
    }
    if (!requestId.matches("[0-9a-f]{32}")) {
      refuse(response, callback, page, partner, csrf, spend, amountText, 400, "partner.badRequest");
      return;
    }
    Optional<WalletId> wallet = wallets.bySpendCode(spend);
    if (wallet.isEmpty()) {
      refuse(response, callback, page, partner, csrf, spend, amountText, 404, "partner.unknown");
      return;
    }
    Ledger.SpendResult result = ledger.spend(wallet.get(), partner.id(), amount.get(), requestId);
    if (result instanceof Ledger.Insufficient insufficient) {
      overdraft(response, callback, page, partner, csrf, spend, amountText, insufficient.balance());
      return;
    }
    if (result instanceof Ledger.Reused) {
      refuse(response, callback, page, partner, csrf, spend, amountText, 409, "partner.reused");
      return;
    }
    int status;
    String text;
    if (result instanceof Ledger.Spent spent) {
      log.info("Partner {} took {} briqs from a wallet", partner.id(), spent.amount());
      status = 201;
      text =
          page.text(
              "partner.done.text",
              page.briqsText((int) spent.amount()),
              partner.name(),
              page.briqsText((int) spent.balance()));
    } else if (result instanceof Ledger.Repeated repeated) {
      status = 200;
      text =
          page.text(
              "partner.repeated.text",
              page.briqsText((int) repeated.amount()),
              page.briqsText((int) repeated.balanceAfter()));
    } else {
      throw new IllegalStateException("unexpected spend result " + result);
    }
    ClaimWeb.send(response, callback, status, page.render("partner/done.jte", "text", text));
  }

  private void overdraft(
      Response response,
      Callback callback,
      Page page,
      Partner partner,
      String csrf,
      String spend,
      String amount,
      long balance) {
    String why = page.text("partner.overdraft", page.briqsText((int) balance));
    ClaimWeb.send(response, callback, 422, spendForm(page, partner, csrf, spend, amount, why));
  }

  private void refuse(
      Response response,
      Callback callback,
      Page page,
      Partner partner,
      String csrf,
      String spend,
      String amount,
      int status,
      String key) {
    ClaimWeb.send(
        response, callback, status, spendForm(page, partner, csrf, spend, amount, page.text(key)));
  }

  /** The spend code in what was typed or scanned: a code, or the address of the wallet's QR. */
  /** The fields of a review or confirm form, as typed and as read. */
  private record SpendForm(String csrf, String spend, String amountText, Optional<Long> amount) {
    static SpendForm of(Map<String, String> form) {
      String amountText = form.getOrDefault("amount", "").strip();
      return new SpendForm(
          form.get("csrf"),
          spendCodeOf(form.getOrDefault("spend", "")),
          amountText,
          PartnerWeb.amount(amountText));
    }
  }

  static String spendCodeOf(String typed) {
    String text = typed.strip();
    int query = text.indexOf("spend=");
    if (query >= 0) {
      text = text.substring(query + "spend=".length());
      int end = text.indexOf('&');
      if (end >= 0) {
        text = text.substring(0, end);
      }
      text = java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
    return text.strip().toUpperCase(java.util.Locale.ROOT);
  }

  private static Optional<Long> amount(String text) {
    if (!text.matches("[0-9]{1,6}")) {
      return Optional.empty();
    }
    long amount = Long.parseLong(text);
    return amount >= 1 && amount <= MAX_AMOUNT ? Optional.of(amount) : Optional.empty();
  }

  private static String withLang(Page page, String target) {
    if (!page.language.explicit()) {
      return target;
    }
    return target + (target.contains("?") ? "&" : "?") + "lang=" + page.language.tag();
  }
}
