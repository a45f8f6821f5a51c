// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.access;

import static terrain.http.Requests.bearer;
import static terrain.http.Responses.sendError;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.store.StoreException;

/**
 * Who may call the server's admin routes, in one place (decision 0037). A route asks for a {@link
 * Role}:
 *
 * <pre>
 * Optional&lt;Staff&gt; who = access.requireRole(request, response, callback, Role.ANALYST);
 * if (who.isEmpty()) return;            // 401, 403 or 503 already answered, callback completed
 * ...
 * access.audit(request, who.get(), "export.csv", eventId, "");   // for an action that changes
 * </pre>
 *
 * <p>A request proves who makes it with {@code Authorization: Bearer TOKEN} (a staff account's
 * token, or the shared admin token of {@code --admin-token}, which acts as an admin and is
 * deprecated), or, for GET and HEAD only, with the staff session cookie of a browser signed in at
 * {@code /admin/login} (a form that changes something checks the session's CSRF token instead:
 * {@link #csrf}, {@link #csrfOk}). A disabled account, a revoked token, an ended or expired session
 * are nobody. Pages use {@link #signedIn} and redirect to the sign-in page themselves.
 *
 * <p>Sessions: a random 256-bit id in an HttpOnly, SameSite=Strict cookie (Secure when the client
 * came over HTTPS, also behind {@code --trust-proxy}), kept in the database under its SHA-256; it
 * ends after {@link #IDLE} without use, {@link #ABSOLUTE} after sign-in, at sign-out, when an admin
 * ends it, and when its account is disabled.
 */
public final class Access {
  private static final Logger log = LoggerFactory.getLogger(Access.class);

  /** The staff session cookie. */
  public static final String SESSION_COOKIE = "terrain_staff";

  /** A session unused this long is over. */
  public static final Duration IDLE = Duration.ofHours(1);

  /** A session is over this long after sign-in, used or not. */
  public static final Duration ABSOLUTE = Duration.ofHours(12);

  /** Sign-in attempts per client address and minute. */
  public static final int LOGINS_PER_CLIENT_PER_MINUTE = 30;

  /** Sign-in attempts per account and minute, from wherever they come. */
  public static final int LOGINS_PER_ACCOUNT_PER_MINUTE = 5;

  /** The error of an admin call to a server with neither an admin token nor an account (403). */
  public static final String DISABLED =
      "admin calls are disabled: create the first admin account with ./terrain staff add NAME"
          + " --role admin --data DIR (server stopped), or start the server with --admin-token"
          + " TOKEN (or TERRAIN_ADMIN_TOKEN)";

  /** The error of an admin call without valid credentials (401). */
  public static final String UNAUTHORIZED =
      "send Authorization: Bearer TOKEN with a staff account's token (./terrain staff token NAME)"
          + " or the admin token the server was started with (--admin-token)";

  private static final long TOUCH_EVERY_MILLIS = 60_000;
  private static final String ATTRIBUTE = Access.class.getName() + ".staff";
  private static final Duration SHARED_TOKEN_WARNING = Duration.ofHours(1);

  /** The outcome of a sign-in. */
  public sealed interface Login {
    /** Signed in: {@code session} is the cookie's value. */
    record SignedIn(Staff staff, String session) implements Login {}

    /** Wrong name or password (the same answer for both), or a disabled account. */
    record Refused() implements Login {}

    /** Too many attempts: wait {@code seconds}. */
    record Limited(long seconds) implements Login {}
  }

  /** A token just made: its public id and the token itself, shown once. */
  public record IssuedToken(String id, String token) {}

  private final StaffAccounts accounts;
  private final AdminAuth sharedToken;
  private final PasswordHash passwords;
  private final Clock clock;
  private final SecureRandom random;
  private final RateLimiter perClient;
  private final RateLimiter perAccount;
  private final String dummyHash;
  private final AtomicLong sharedTokenWarnedAt = new AtomicLong(Long.MIN_VALUE);
  private volatile boolean haveAccounts;

  /**
   * @param sharedToken the shared admin token ({@code --admin-token}); null when there is none
   */
  public Access(
      StaffAccounts accounts,
      String sharedToken,
      PasswordHash passwords,
      Clock clock,
      SecureRandom random) {
    this.accounts = accounts;
    this.sharedToken = new AdminAuth(sharedToken);
    this.passwords = passwords;
    this.clock = clock;
    this.random = random;
    this.perClient = new RateLimiter(LOGINS_PER_CLIENT_PER_MINUTE, clock);
    this.perAccount = new RateLimiter(LOGINS_PER_ACCOUNT_PER_MINUTE, clock);
    // Verified when the name is unknown, so that the answer takes as long as for a known one.
    this.dummyHash = passwords.hash(Secrets.random(random));
  }

  /** The accounts' store, for the staff API and pages. */
  public StaffAccounts accounts() {
    return accounts;
  }

  public PasswordHash passwords() {
    return passwords;
  }

  public Clock clock() {
    return clock;
  }

  /** True when someone can be an admin here: a shared admin token, or at least one account. */
  public boolean enabled() throws StoreException {
    if (sharedToken.enabled() || haveAccounts) {
      return true;
    }
    haveAccounts = accounts.count() > 0;
    return haveAccounts;
  }

  /** Notes that an account exists now (after creating one). */
  void accountCreated() {
    haveAccounts = true;
  }

  // ---- the check of a route ----

  /**
   * The staff member making this request when their role allows {@code role}; otherwise answers 401
   * (no or unknown credentials, with {@code WWW-Authenticate: Bearer}), 403 (a role that may not,
   * or admin calls disabled) or 503 (database down) as {@code {"error": ...}}, completes the
   * callback and gives empty. The staff member is also kept on the request ({@link #of}).
   */
  public Optional<Staff> requireRole(
      Request request, Response response, Callback callback, Role role) {
    return require(request, response, callback, role);
  }

  /** As {@link #requireRole} for a route any staff member may use, whatever their role. */
  public Optional<Staff> requireStaff(Request request, Response response, Callback callback) {
    return require(request, response, callback, null);
  }

  private Optional<Staff> require(
      Request request, Response response, Callback callback, Role role) {
    Optional<Staff> who;
    try {
      if (!enabled()) {
        sendError(response, callback, 403, DISABLED);
        return Optional.empty();
      }
      who = authenticate(request, true);
    } catch (StoreException e) {
      log.warn("Checking the credentials of {} failed", request.getHttpURI().getPath(), e);
      sendError(response, callback, 503, "the database does not answer; try again shortly");
      return Optional.empty();
    }
    if (who.isEmpty()) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
      sendError(response, callback, 401, UNAUTHORIZED);
      return Optional.empty();
    }
    if (role != null && !who.get().may(role)) {
      sendError(
          response,
          callback,
          403,
          "the "
              + who.get().role().id()
              + " account "
              + who.get().name()
              + " may not do this: it needs the "
              + role.id()
              + " role; ask an admin");
      return Optional.empty();
    }
    request.setAttribute(ATTRIBUTE, who.get());
    return who;
  }

  /** As {@link #requireRole}, true when allowed: for routes that need no name. */
  public boolean allows(Request request, Response response, Callback callback, Role role) {
    return requireRole(request, response, callback, role).isPresent();
  }

  /** The staff member a {@link #requireRole} on this request let in, if any. */
  public static Optional<Staff> of(Request request) {
    return Optional.ofNullable((Staff) request.getAttribute(ATTRIBUTE));
  }

  /**
   * The signed-in staff member of a browser (session cookie), whatever the method: for pages, which
   * check {@link #csrfOk} on forms and redirect to the sign-in page when empty.
   */
  public Optional<Staff> signedIn(Request request) throws StoreException {
    return fromSession(request);
  }

  private Optional<Staff> authenticate(Request request, boolean sessionOnlyForReads)
      throws StoreException {
    String token = bearer(request);
    if (!token.isEmpty()) {
      if (sharedToken.matches(token)) {
        warnSharedToken(request);
        return Optional.of(
            new Staff(Staff.SHARED_TOKEN_NAME, Role.ADMIN, Staff.Via.SHARED_TOKEN, null));
      }
      if (token.length() > 200) {
        return Optional.empty();
      }
      String hash = Secrets.hash(token);
      Optional<StaffAccounts.Holder> holder = accounts.token(hash);
      if (holder.isEmpty() || holder.get().disabled()) {
        return Optional.empty();
      }
      accounts.touchToken(hash, clock.millis());
      return Optional.of(
          new Staff(holder.get().account(), holder.get().role(), Staff.Via.TOKEN, null));
    }
    String method = request.getMethod();
    if (sessionOnlyForReads && !HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
      return Optional.empty();
    }
    return fromSession(request);
  }

  private Optional<Staff> fromSession(Request request) throws StoreException {
    String cookie = cookie(request);
    if (cookie == null || cookie.length() > 100) {
      return Optional.empty();
    }
    String hash = Secrets.hash(cookie);
    Optional<StaffAccounts.Holder> holder = accounts.session(hash);
    if (holder.isEmpty()) {
      return Optional.empty();
    }
    long now = clock.millis();
    StaffAccounts.Holder h = holder.get();
    if (h.disabled() || now >= h.expiresAt() || now - h.lastSeenAt() >= IDLE.toMillis()) {
      accounts.endSession(hash);
      return Optional.empty();
    }
    if (now - h.lastSeenAt() >= TOUCH_EVERY_MILLIS) {
      accounts.touchSession(hash, now);
    }
    return Optional.of(new Staff(h.account(), h.role(), Staff.Via.SESSION, hash));
  }

  private static String cookie(Request request) {
    for (HttpCookie cookie : Request.getCookies(request)) {
      if (cookie.getName().equals(SESSION_COOKIE)) {
        return cookie.getValue();
      }
    }
    return null;
  }

  private void warnSharedToken(Request request) {
    long now = clock.millis();
    long last = sharedTokenWarnedAt.get();
    if (now - last >= SHARED_TOKEN_WARNING.toMillis()
        && sharedTokenWarnedAt.compareAndSet(last, now)) {
      log.warn(
          "The shared admin token (--admin-token) was used for {} {} from {}: it is deprecated."
              + " Create named accounts (./terrain staff add NAME --role admin) and give scripts"
              + " their own tokens (./terrain staff token NAME). Warned at most once an hour.",
          request.getMethod(),
          request.getHttpURI().getPath(),
          Request.getRemoteAddr(request));
    }
  }

  // ---- sign-in and sessions ----

  /**
   * Signs {@code name} in with {@code password} from {@code address}: rate-limited per address and
   * per account, the password checked with Argon2id even for an unknown name. A hash made with
   * weaker parameters than today's is replaced.
   */
  public Login login(String name, String password, String address) throws StoreException {
    long wait = perClient.acquire("login:" + address);
    if (wait == 0 && name != null) {
      wait = perAccount.acquire("account:" + name);
    }
    if (wait > 0) {
      auditAs(name == null ? "?" : name, "-", "staff.login.limited", name, "", address);
      return new Login.Limited(wait);
    }
    Optional<StaffAccounts.Account> account =
        StaffAccounts.validName(name) ? accounts.account(name) : Optional.empty();
    boolean right =
        passwords.verify(
                account.map(StaffAccounts.Account::passwordHash).orElse(dummyHash), password)
            && account.isPresent();
    if (!right || account.get().disabled()) {
      log.info("Staff sign-in refused for [{}] from {}", name, address);
      auditAs(
          account.isPresent() ? name : "?",
          "-",
          "staff.login.refused",
          name == null ? "" : name,
          right ? "account disabled" : "wrong name or password",
          address);
      return new Login.Refused();
    }
    long now = clock.millis();
    if (passwords.needsRehash(account.get().passwordHash())) {
      accounts.setPassword(name, passwords.hash(password), now);
    }
    String session = Secrets.random(random);
    accounts.createSession(Secrets.hash(session), name, now, now + ABSOLUTE.toMillis(), address);
    Staff staff = new Staff(name, account.get().role(), Staff.Via.SESSION, Secrets.hash(session));
    auditAs(name, Staff.Via.SESSION.id(), "staff.login", name, "", address);
    log.info("Staff sign-in of {} ({}) from {}", name, staff.role().id(), address);
    return new Login.SignedIn(staff, session);
  }

  /** Ends the browser's own session (sign-out). */
  public void logout(Staff staff, String address) throws StoreException {
    if (staff.sessionHash() != null) {
      accounts.endSession(staff.sessionHash());
    }
    auditAs(staff.name(), staff.via().id(), "staff.logout", staff.name(), "", address);
  }

  /** Sets the session cookie of a sign-in. */
  public static void setSessionCookie(Request request, Response response, String session) {
    Response.addCookie(
        response,
        HttpCookie.build(SESSION_COOKIE, session)
            .path("/")
            .httpOnly(true)
            .sameSite(HttpCookie.SameSite.STRICT)
            .maxAge(ABSOLUTE.toSeconds())
            .secure(request.isSecure())
            .build());
  }

  /** Removes the session cookie from the browser. */
  public static void clearSessionCookie(Request request, Response response) {
    Response.addCookie(
        response,
        HttpCookie.build(SESSION_COOKIE, "")
            .path("/")
            .maxAge(0)
            .httpOnly(true)
            .sameSite(HttpCookie.SameSite.STRICT)
            .secure(request.isSecure())
            .build());
  }

  /**
   * The CSRF token of a signed-in browser's forms: derived from its session id, which only that
   * browser holds (the cookie is HttpOnly), so a form from another site cannot carry it, and it
   * changes with every sign-in.
   */
  public static String csrf(Staff staff) {
    return staff.sessionHash() == null
        ? ""
        : Secrets.hash("csrf:" + staff.sessionHash()).substring(0, 43);
  }

  /** True when a form's {@code csrf} field is the token of this browser's session. */
  public static boolean csrfOk(Staff staff, String sent) {
    String expected = csrf(staff);
    return sent != null
        && !expected.isEmpty()
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
  }

  // ---- tokens ----

  /** Makes a new bearer token for {@code account}; empty when there is no such account. */
  public Optional<IssuedToken> issueToken(String account, String label, String by)
      throws StoreException {
    String id = Secrets.shortId(random);
    String token = "trn_" + id + "_" + Secrets.random(random);
    boolean made =
        accounts.createToken(
            id, account, Secrets.hash(token), label == null ? "" : label, by, clock.millis());
    return made ? Optional.of(new IssuedToken(id, token)) : Optional.empty();
  }

  /** Creates an account with {@code password} (hashed here); false when the name is taken. */
  public boolean createAccount(String name, Role role, String password, String by)
      throws StoreException {
    boolean made = accounts.create(name, role, passwords.hash(password), by, clock.millis());
    if (made) {
      accountCreated();
    }
    return made;
  }

  // ---- audit ----

  /**
   * Writes one entry of the audit log for an action of {@code staff}: what ({@code action}, e.g.
   * {@code moderation.publish}), on what ({@code target}), with what ({@code detail}), from the
   * request's client address (the real client behind {@code --trust-proxy}). A failure to write is
   * logged, not thrown: the action itself is done by then.
   */
  public void audit(Request request, Staff staff, String action, String target, String detail) {
    auditAs(staff.name(), staff.via().id(), action, target, detail, Request.getRemoteAddr(request));
  }

  /** As {@link #audit(Request, Staff, String, String, String)} for the staff member {@link #of}. */
  public void audit(Request request, String action, String target, String detail) {
    Staff staff =
        of(request).orElseThrow(() -> new IllegalStateException("no staff on this request"));
    audit(request, staff, action, target, detail);
  }

  /** Writes one entry of the audit log with every field given (the command line's own). */
  public void auditAs(
      String actor, String via, String action, String target, String detail, String address) {
    try {
      accounts.audit(
          clock.millis(),
          actor,
          via,
          action,
          target == null ? "" : target,
          detail == null ? "" : detail,
          address == null ? "" : address);
    } catch (StoreException e) {
      log.error(
          "AUDIT not written: {} by {} ({}) on [{}] {} from {}",
          action,
          actor,
          via,
          target,
          detail,
          address,
          e);
    }
  }
}
