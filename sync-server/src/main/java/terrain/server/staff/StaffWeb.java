// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.staff;

import java.io.UncheckedIOException;
import java.security.SecureRandom;
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
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.text.Messages;
import terrain.core.text.PageLanguage;
import terrain.http.Endpoint;
import terrain.server.access.Access;
import terrain.server.access.PasswordHash;
import terrain.server.access.Role;
import terrain.server.access.Staff;
import terrain.server.access.StaffAccounts;
import terrain.server.claim.ClaimWeb;
import terrain.server.http.PageRoutes;
import terrain.server.http.Templates;
import terrain.store.StoreException;

/**
 * The staff's own pages, without JavaScript:
 *
 * <pre>
 * GET  /admin                                  to the page of the signed-in role, else sign-in
 * GET  /admin/login                            sign-in form: account name and password
 * POST /admin/login                            a session cookie (see Access); rate-limited
 * POST /admin/logout                           ends this browser's session
 * GET  /admin/staff                            admins: every account; others: their own
 * POST /admin/staff                            admin: create an account (name, role, password)
 * POST /admin/staff/{name}/role|disable|enable|sessions|password     admin
 * POST /admin/staff/{name}/tokens              admin, or the account itself: a token, shown once
 * POST /admin/staff/{name}/tokens/{id}/revoke  admin, or the account itself
 * GET  /admin/audit                            admin: the newest entries of the audit log
 * </pre>
 *
 * Forms of a signed-in browser carry its session's CSRF token ({@link Access#csrf}); the sign-in
 * form the double-submit token of {@link ClaimWeb}. Every change is in the audit log.
 */
public final class StaffWeb {
  private static final Logger log = LoggerFactory.getLogger(StaffWeb.class);
  private static final ZoneId ZONE = ZoneId.of("Europe/Paris");
  private static final int AUDIT_PAGE = 300;

  private final Access access;
  private final SecureRandom random;

  public StaffWeb(Access access, SecureRandom random) {
    this.access = access;
    this.random = random;
  }

  /** The routes of the staff's pages; each change of the accounts page is its own path. */
  public void routes(PageRoutes.Builder routes) {
    String account = "/admin/staff/{name}";
    routes
        .get("/admin", (rq, rs, cb) -> guarded(rq, rs, cb, this::home))
        .get("/admin/login", (rq, rs, cb) -> guarded(rq, rs, cb, this::loginForm))
        .post("/admin/login", (rq, rs, cb) -> guarded(rq, rs, cb, this::login))
        .post("/admin/logout", (rq, rs, cb) -> guarded(rq, rs, cb, this::logout))
        .get("/admin/staff", (rq, rs, cb) -> guarded(rq, rs, cb, this::accounts))
        .post("/admin/staff", change(false, this::create))
        .post(account + "/role", change(false, this::role))
        .post(account + "/disable", change(false, c -> disable(c, true)))
        .post(account + "/enable", change(false, c -> disable(c, false)))
        .post(account + "/sessions", change(false, this::endSessions))
        .post(account + "/password", change(false, this::password))
        .post(account + "/tokens", change(true, this::issueToken))
        .post(account + "/tokens/{token}/revoke", change(true, this::revokeToken))
        .get("/admin/audit", (rq, rs, cb) -> guarded(rq, rs, cb, this::audit));
  }

  @FunctionalInterface
  private interface PageEndpoint {
    void handle(Request request, Response response, Callback callback, Page page)
        throws StoreException;
  }

  private void guarded(Request request, Response response, Callback callback, PageEndpoint page) {
    Page p = new Page(ClaimWeb.language(request));
    try {
      page.handle(request, response, callback, p);
    } catch (StoreException e) {
      log.warn("HTTP {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
      ClaimWeb.send(response, callback, 503, p.message("busy.title", "busy.text"));
    } catch (UncheckedIOException e) {
      ClaimWeb.send(response, callback, 400, p.message("bad.title", "bad.text"));
    }
  }

  private void home(Request request, Response response, Callback callback, Page page)
      throws StoreException {
    Optional<Staff> who = access.signedIn(request);
    if (who.isEmpty()) {
      ClaimWeb.redirect(response, callback, page.link("/admin/login"));
    } else if (who.get().may(Role.MODERATOR)) {
      ClaimWeb.redirect(response, callback, page.link("/admin/moderation"));
    } else {
      ClaimWeb.redirect(response, callback, page.link("/admin/staff"));
    }
  }

  private void loginForm(Request request, Response response, Callback callback, Page page)
      throws StoreException {
    if (!access.enabled()) {
      ClaimWeb.send(response, callback, 503, page.message("disabled.title", "disabled.text"));
      return;
    }
    String csrf = ClaimWeb.csrfToken(request, response, random);
    ClaimWeb.send(response, callback, 200, page.login(csrf, "", ""));
  }

  private void login(Request request, Response response, Callback callback, Page page)
      throws StoreException {
    Map<String, String> form = ClaimWeb.form(request);
    if (!ClaimWeb.csrfOk(form, ClaimWeb.cookies(request))) {
      ClaimWeb.send(response, callback, 403, page.message("csrf.title", "csrf.text"));
      return;
    }
    String csrf = form.getOrDefault("csrf", "");
    String name = form.getOrDefault("name", "").strip();
    String password = form.getOrDefault("password", "");
    if (name.isEmpty() || password.isEmpty()) {
      ClaimWeb.send(response, callback, 422, page.login(csrf, page.text("login.missing"), name));
      return;
    }
    Access.Login outcome = access.login(name, password, Request.getRemoteAddr(request));
    if (outcome instanceof Access.Login.Limited limited) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, limited.seconds());
      ClaimWeb.send(
          response,
          callback,
          429,
          page.login(csrf, page.text("login.wait", limited.seconds()), name));
    } else if (outcome instanceof Access.Login.SignedIn signedIn) {
      Access.setSessionCookie(request, response, signedIn.session());
      ClaimWeb.redirect(response, callback, page.link("/admin"));
    } else {
      ClaimWeb.send(response, callback, 401, page.login(csrf, page.text("login.wrong"), name));
    }
  }

  private void logout(Request request, Response response, Callback callback, Page page)
      throws StoreException {
    Map<String, String> form = ClaimWeb.form(request);
    Optional<Staff> who = access.signedIn(request);
    if (who.isPresent()) {
      if (!Access.csrfOk(who.get(), form.get("csrf"))) {
        ClaimWeb.send(response, callback, 403, page.message("csrf.title", "csrf.text"));
        return;
      }
      access.logout(who.get(), Request.getRemoteAddr(request));
    }
    Access.clearSessionCookie(request, response);
    ClaimWeb.redirect(response, callback, page.link("/admin/login"));
  }

  private void accounts(Request request, Response response, Callback callback, Page page)
      throws StoreException {
    Optional<Staff> who = access.signedIn(request);
    if (who.isEmpty()) {
      ClaimWeb.redirect(response, callback, page.link("/admin/login"));
      return;
    }
    ClaimWeb.send(
        response, callback, 200, page.accounts(who.get(), rows(who.get(), page), null, ""));
  }

  private List<Row> rows(Staff who, Page page) throws StoreException {
    StaffAccounts store = access.accounts();
    List<StaffAccounts.Account> accounts;
    if (who.role() == Role.ADMIN) {
      accounts = store.list();
    } else {
      accounts = store.account(who.name()).map(List::of).orElse(List.of());
    }
    Map<String, Integer> sessions = store.openSessions(access.clock().millis());
    List<Row> rows = new ArrayList<>();
    for (StaffAccounts.Account a : accounts) {
      List<TokenRow> tokens = new ArrayList<>();
      for (StaffAccounts.Token t : store.tokens(a.name())) {
        if (t.revoked()) {
          continue;
        }
        tokens.add(
            new TokenRow(
                t.id(),
                t.label(),
                page.when(t.createdAt()),
                t.lastUsedAt() == null
                    ? page.text("accounts.token.unused")
                    : page.when(t.lastUsedAt()),
                "/admin/staff/" + a.name() + "/tokens/" + t.id() + "/revoke"));
      }
      rows.add(
          new Row(
              a.name(),
              a.role().id(),
              page.text("role." + a.role().id()),
              a.disabled(),
              sessions.getOrDefault(a.name(), 0),
              page.when(a.createdAt()),
              a.createdBy(),
              "/admin/staff/" + a.name(),
              a.name().equals(who.name()),
              tokens));
    }
    return rows;
  }

  /** One form of the accounts page, as posted by a signed-in member of staff. */
  private record Change(
      Request request,
      Response response,
      Callback callback,
      Page page,
      Map<String, String> form,
      Staff who,
      String name) {}

  /**
   * What a change did: {@code done}, or not (no such account: 404), or a {@code problem} to show on
   * the accounts page (400); {@link #ANSWERED} when the change answered itself.
   */
  private record Outcome(boolean done, String problem) {
    static final Outcome DONE = new Outcome(true, "");
    static final Outcome NOT_FOUND = new Outcome(false, "");
    static final Outcome ANSWERED = new Outcome(true, null);

    static Outcome of(boolean done) {
      return done ? DONE : NOT_FOUND;
    }

    static Outcome problem(String problem) {
      return new Outcome(false, problem);
    }
  }

  @FunctionalInterface
  private interface Action {
    Outcome apply(Change change) throws StoreException;
  }

  /**
   * POST /admin/staff (create) or /admin/staff/{name}/...: a signed-in admin with the session's
   * CSRF token, or the account itself when {@code ownAllowed} (its tokens); then {@code action}.
   */
  private Endpoint change(boolean ownAllowed, Action action) {
    return (rq, rs, cb) ->
        guarded(
            rq,
            rs,
            cb,
            (request, response, callback, page) -> {
              Map<String, String> form = ClaimWeb.form(request);
              Optional<Staff> signedIn = access.signedIn(request);
              if (signedIn.isEmpty()) {
                ClaimWeb.redirect(response, callback, page.link("/admin/login"));
                return;
              }
              Staff who = signedIn.get();
              if (!Access.csrfOk(who, form.get("csrf"))) {
                ClaimWeb.send(response, callback, 403, page.message("csrf.title", "csrf.text"));
                return;
              }
              String name = PageRoutes.param(request, "name");
              boolean own = ownAllowed && name != null && name.equals(who.name());
              if (who.role() != Role.ADMIN && !own) {
                ClaimWeb.send(
                    response, callback, 403, page.message("forbidden.title", "forbidden.text"));
                return;
              }
              if (name != null && !StaffAccounts.validName(name)) {
                ClaimWeb.send(
                    response, callback, 404, page.message("notFound.title", "notFound.text"));
                return;
              }
              Outcome outcome =
                  action.apply(new Change(request, response, callback, page, form, who, name));
              if (outcome.problem() == null) {
                return;
              }
              if (!outcome.problem().isEmpty()) {
                ClaimWeb.send(
                    response,
                    callback,
                    400,
                    page.accounts(who, rows(who, page), null, outcome.problem()));
              } else if (!outcome.done()) {
                ClaimWeb.send(
                    response, callback, 404, page.message("notFound.title", "notFound.text"));
              } else {
                ClaimWeb.redirect(response, callback, page.link("/admin/staff"));
              }
            });
  }

  private Outcome create(Change c) throws StoreException {
    Page page = c.page();
    String newName = c.form().getOrDefault("name", "").strip();
    Optional<Role> role = Role.parse(c.form().get("role"));
    Optional<String> weak = PasswordHash.problem(c.form().get("password"));
    if (!StaffAccounts.validName(newName)) {
      return Outcome.problem(page.text("accounts.problem.name"));
    } else if (role.isEmpty()) {
      return Outcome.problem(page.text("accounts.problem.role"));
    } else if (weak.isPresent()) {
      return Outcome.problem(page.text("accounts.problem.password", PasswordHash.MIN_LENGTH));
    } else if (!access.createAccount(
        newName, role.get(), c.form().get("password"), c.who().name())) {
      return Outcome.problem(page.text("accounts.problem.exists", newName));
    }
    access.audit(c.request(), c.who(), "staff.create", newName, "role " + role.get().id());
    return Outcome.DONE;
  }

  private Outcome role(Change c) throws StoreException {
    Optional<Role> role = Role.parse(c.form().get("role"));
    boolean done =
        role.isPresent()
            && access.accounts().setRole(c.name(), role.get(), access.clock().millis());
    if (done) {
      access.audit(c.request(), c.who(), "staff.role", c.name(), role.get().id());
    }
    return Outcome.of(done);
  }

  private Outcome disable(Change c, boolean disable) throws StoreException {
    if (disable && c.name().equals(c.who().name())) {
      return Outcome.problem(c.page().text("accounts.problem.self"));
    }
    boolean done = access.accounts().setDisabled(c.name(), disable, access.clock().millis());
    if (done) {
      access.audit(c.request(), c.who(), "staff." + (disable ? "disable" : "enable"), c.name(), "");
    }
    return Outcome.of(done);
  }

  private Outcome endSessions(Change c) throws StoreException {
    int ended = access.accounts().endSessions(c.name());
    access.audit(c.request(), c.who(), "staff.sessions.end", c.name(), ended + " ended");
    return Outcome.DONE;
  }

  private Outcome password(Change c) throws StoreException {
    Optional<String> weak = PasswordHash.problem(c.form().get("password"));
    if (weak.isPresent()) {
      return Outcome.problem(c.page().text("accounts.problem.password", PasswordHash.MIN_LENGTH));
    }
    StaffAccounts store = access.accounts();
    boolean done =
        store.setPassword(
            c.name(), access.passwords().hash(c.form().get("password")), access.clock().millis());
    if (done) {
      store.endSessions(c.name());
      access.audit(c.request(), c.who(), "staff.password", c.name(), "sessions ended");
    }
    return Outcome.of(done);
  }

  private Outcome issueToken(Change c) throws StoreException {
    String label = c.form().getOrDefault("label", "").strip();
    Optional<Access.IssuedToken> issued = access.issueToken(c.name(), label, c.who().name());
    if (issued.isEmpty()) {
      return Outcome.NOT_FOUND;
    }
    access.audit(
        c.request(), c.who(), "staff.token.create", c.name(), issued.get().id() + " " + label);
    ClaimWeb.send(
        c.response(),
        c.callback(),
        201,
        c.page()
            .accounts(
                c.who(),
                rows(c.who(), c.page()),
                new Issued(c.name(), issued.get().id(), issued.get().token()),
                ""));
    return Outcome.ANSWERED;
  }

  private Outcome revokeToken(Change c) throws StoreException {
    String token = PageRoutes.param(c.request(), "token");
    boolean done = access.accounts().revokeToken(c.name(), token, access.clock().millis());
    if (done) {
      access.audit(c.request(), c.who(), "staff.token.revoke", c.name(), token);
    }
    return Outcome.of(done);
  }

  private void audit(Request request, Response response, Callback callback, Page page)
      throws StoreException {
    Optional<Staff> who = access.signedIn(request);
    if (who.isEmpty()) {
      ClaimWeb.redirect(response, callback, page.link("/admin/login"));
      return;
    }
    if (who.get().role() != Role.ADMIN) {
      ClaimWeb.send(response, callback, 403, page.message("forbidden.title", "forbidden.text"));
      return;
    }
    List<AuditRow> rows = new ArrayList<>();
    for (StaffAccounts.AuditEntry e : access.accounts().audit(AUDIT_PAGE, null, null)) {
      rows.add(
          new AuditRow(
              page.whenPrecise(e.atMillis()),
              e.actor(),
              e.via(),
              e.action(),
              e.target(),
              e.detail(),
              e.address()));
    }
    ClaimWeb.send(response, callback, 200, page.audit(who.get(), rows));
  }

  /** A token just made, shown once on the accounts page. */
  public record Issued(String account, String id, String token) {}

  /** One token of an account as the page shows it. */
  public record TokenRow(String id, String label, String created, String lastUsed, String revoke) {}

  /** One account as the page shows it. */
  public record Row(
      String name,
      String role,
      String roleLabel,
      boolean disabled,
      int sessions,
      String created,
      String createdBy,
      String action,
      boolean self,
      List<TokenRow> tokens) {}

  /** One audit entry as the page shows it. */
  public record AuditRow(
      String at,
      String actor,
      String via,
      String action,
      String target,
      String detail,
      String address) {}

  /** One page's language and words, for the templates of {@code src/main/jte/staff}. */
  public static final class Page {
    final PageLanguage language;
    final Messages m;

    Page(PageLanguage language) {
      this.language = language;
      this.m = new Messages("terrain.server.staff.messages", language.locale());
    }

    /** A text of the bundle filled with {@code args}, not escaped (the templates escape). */
    public String text(String key, Object... args) {
      return m.text(key, args);
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

    /** The roles, in the order the forms offer them. */
    public List<String> roles() {
      return List.of(Role.MODERATOR.id(), Role.ANALYST.id(), Role.ADMIN.id());
    }

    String when(long millis) {
      return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT)
          .withLocale(language.locale())
          .withZone(ZONE)
          .format(Instant.ofEpochMilli(millis));
    }

    String whenPrecise(long millis) {
      return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM)
          .withLocale(language.locale())
          .withZone(ZONE)
          .format(Instant.ofEpochMilli(millis));
    }

    String message(String titleKey, String textKey) {
      return render("staff/message.jte", "titleKey", titleKey, "textKey", textKey);
    }

    String login(String csrf, String problem, String name) {
      return render("staff/login.jte", "csrf", csrf, "problem", problem, "name", name);
    }

    String accounts(Staff who, List<Row> rows, Issued issued, String problem) {
      return render(
          "staff/accounts.jte",
          "who",
          who.name(),
          "admin",
          who.role() == Role.ADMIN,
          "csrf",
          Access.csrf(who),
          "rows",
          rows,
          "issued",
          issued,
          "problem",
          problem);
    }

    String audit(Staff who, List<AuditRow> rows) {
      return render("staff/audit.jte", "who", who.name(), "csrf", Access.csrf(who), "rows", rows);
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
