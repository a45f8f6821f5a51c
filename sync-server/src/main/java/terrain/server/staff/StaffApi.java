// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.staff;

import static terrain.http.Requests.jsonBody;
import static terrain.http.Responses.sendError;
import static terrain.http.Responses.sendJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.http.Endpoint;
import terrain.http.Json;
import terrain.server.access.Access;
import terrain.server.access.PasswordHash;
import terrain.server.access.Role;
import terrain.server.access.Staff;
import terrain.server.access.StaffAccounts;
import terrain.server.http.PageRoutes;
import terrain.store.StoreException;

/**
 * The JSON API of staff accounts and of the audit log, for scripts and {@code terrain staff
 * --server}:
 *
 * <pre>
 * GET  /api/staff/me                                   any staff: {"name","role","via"}
 * GET  /api/admin/staff                                admin: [{"name","role","disabled",
 *                                                      "createdAt","createdBy","sessions","tokens"}]
 * POST /api/admin/staff {"name","role","password"}     admin: 201 | 409 exists | 400
 * POST /api/admin/staff/{name}/role {"role"}           admin
 * POST /api/admin/staff/{name}/disable | /enable       admin (disabling ends its sessions)
 * POST /api/admin/staff/{name}/sessions/end            admin: {"ended": N}
 * POST /api/admin/staff/{name}/password {"password"}   admin
 * POST /api/admin/staff/{name}/tokens {"label"?}       admin or the account: 201 {"account","id",
 *                                                      "token"} (the token is shown only here)
 * POST /api/admin/staff/{name}/tokens/{id}/revoke      admin or the account
 * GET  /api/admin/audit[?limit=N&amp;actor=NAME&amp;action=PREFIX]   admin: {"entries":[{"id","at",
 *                                                      "actor","via","action","target","detail",
 *                                                      "address"}]}, newest first
 * </pre>
 *
 * Every change is in the audit log. Errors are {@code {"error": what to do}}, in English.
 */
public final class StaffApi {
  private static final Logger log = LoggerFactory.getLogger(StaffApi.class);
  private static final String STAFF = "/api/admin/staff";
  private static final String AUDIT = "/api/admin/audit";
  private static final String ME = "/api/staff/me";
  private static final int MAX_BODY = 4 * 1024;

  private final Access access;

  public StaffApi(Access access) {
    this.access = access;
  }

  /**
   * The routes of the API. The accounts and the audit take every method: the order of their answers
   * is the API's (405 for a method that is neither GET nor POST, then the body, then who asks, then
   * the method again). A change of an account is its own POST route.
   */
  public void routes(PageRoutes.Builder routes) {
    String account = STAFF + "/{name}";
    routes
        .other(ME, json((rq, rs, cb, body, get) -> me(rq, rs, cb, get)))
        .other(AUDIT, json((rq, rs, cb, body, get) -> audit(rq, rs, cb, get)))
        .other(STAFF, json(this::accounts))
        .post(account + "/role", change(false, this::role))
        .post(
            account + "/disable", change(false, (c, out, rs, cb) -> disable(c, out, true, rs, cb)))
        .post(
            account + "/enable", change(false, (c, out, rs, cb) -> disable(c, out, false, rs, cb)))
        .post(account + "/sessions/end", change(false, this::endSessions))
        .post(account + "/password", change(false, this::password))
        .post(account + "/tokens", change(true, this::issueToken))
        .post(account + "/tokens/{token}/revoke", change(true, this::revokeToken))
        .other(STAFF + "/*", json(this::noSuchAction));
  }

  /** One route of the API, given the JSON body (empty object without one) and GET-or-HEAD. */
  @FunctionalInterface
  private interface JsonEndpoint {
    void handle(Request request, Response response, Callback callback, JsonNode body, boolean get)
        throws StoreException;
  }

  private static Endpoint json(JsonEndpoint endpoint) {
    return (request, response, callback) -> {
      String method = request.getMethod();
      boolean get = HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method);
      boolean post = HttpMethod.POST.is(method);
      try {
        if (!get && !post) {
          response.getHeaders().put(HttpHeader.ALLOW, "GET, POST");
          sendError(
              response, callback, 405, "method " + method + " is not allowed; use GET or POST");
          return;
        }
        JsonNode body = Json.object();
        if (post && request.getLength() != 0) {
          // Read the body before any refusal, so that the connection stays usable.
          Optional<JsonNode> read =
              jsonBody(request, response, callback, MAX_BODY, "the body is not JSON");
          if (read.isEmpty()) {
            return;
          }
          body = read.get();
        }
        endpoint.handle(request, response, callback, body, get);
      } catch (StoreException e) {
        log.warn("HTTP {} {} failed", method, request.getHttpURI().getPath(), e);
        sendError(response, callback, 503, "the database does not answer; try again shortly");
      }
    };
  }

  private void accounts(
      Request request, Response response, Callback callback, JsonNode body, boolean get)
      throws StoreException {
    if (get) {
      list(request, response, callback);
    } else {
      create(request, response, callback, body);
    }
  }

  /** A path under {@code /api/admin/staff/} that is no change of an account. */
  private void noSuchAction(
      Request request, Response response, Callback callback, JsonNode body, boolean get) {
    if (access.requireRole(request, response, callback, Role.ADMIN).isEmpty()) {
      return;
    }
    sendError(
        response,
        callback,
        404,
        "no such action: use "
            + STAFF
            + "/NAME/role|disable|enable|sessions/end|password|tokens|tokens/ID/revoke");
  }

  private void me(Request request, Response response, Callback callback, boolean get) {
    Optional<Staff> who = access.requireStaff(request, response, callback);
    if (who.isEmpty()) {
      return;
    }
    if (!get) {
      sendError(response, callback, 405, "use GET " + ME);
      return;
    }
    ObjectNode out = Json.object();
    out.put("name", who.get().name());
    out.put("role", who.get().role().id());
    out.put("via", who.get().via().id());
    sendJson(response, callback, 200, out);
  }

  private void list(Request request, Response response, Callback callback) throws StoreException {
    if (!access.allows(request, response, callback, Role.ADMIN)) {
      return;
    }
    StaffAccounts store = access.accounts();
    Map<String, Integer> sessions = store.openSessions(access.clock().millis());
    ArrayNode out = Json.array();
    for (StaffAccounts.Account a : store.list()) {
      ObjectNode node = out.addObject();
      node.put("name", a.name());
      node.put("role", a.role().id());
      node.put("disabled", a.disabled());
      node.put("createdAt", Instant.ofEpochMilli(a.createdAt()).toString());
      node.put("createdBy", a.createdBy());
      node.put("sessions", sessions.getOrDefault(a.name(), 0));
      ArrayNode tokens = node.putArray("tokens");
      for (StaffAccounts.Token t : store.tokens(a.name())) {
        if (!t.revoked()) {
          tokens.add(token(t));
        }
      }
    }
    sendJson(response, callback, 200, out);
  }

  private static ObjectNode token(StaffAccounts.Token t) {
    ObjectNode node = Json.object();
    node.put("id", t.id());
    node.put("label", t.label());
    node.put("createdAt", Instant.ofEpochMilli(t.createdAt()).toString());
    node.put("createdBy", t.createdBy());
    if (t.lastUsedAt() != null) {
      node.put("lastUsedAt", Instant.ofEpochMilli(t.lastUsedAt()).toString());
    }
    return node;
  }

  private void create(Request request, Response response, Callback callback, JsonNode body)
      throws StoreException {
    Optional<Staff> who = access.requireRole(request, response, callback, Role.ADMIN);
    if (who.isEmpty()) {
      return;
    }
    String name = text(body, "name");
    Optional<Role> role = Role.parse(text(body, "role"));
    String password = text(body, "password");
    String usage = "the body must be {\"name\", \"role\", \"password\"}: ";
    if (!StaffAccounts.validName(name)) {
      sendError(response, callback, 400, usage + "\"name\" must be " + StaffAccounts.NAME_RULE);
      return;
    }
    if (role.isEmpty()) {
      sendError(response, callback, 400, usage + "\"role\" must be " + Role.choices());
      return;
    }
    Optional<String> weak = PasswordHash.problem(password);
    if (weak.isPresent()) {
      sendError(response, callback, 400, usage + "\"password\": " + weak.get());
      return;
    }
    if (!access.createAccount(name, role.get(), password, who.get().name())) {
      sendError(
          response,
          callback,
          409,
          "the account " + name + " exists already: change it with " + STAFF + "/" + name + "/...");
      return;
    }
    access.audit(request, who.get(), "staff.create", name, "role " + role.get().id());
    ObjectNode out = Json.object();
    out.put("name", name);
    out.put("role", role.get().id());
    sendJson(response, callback, 201, out);
  }

  /** A change of the account {@code name}, asked by {@code staff}, with its JSON body. */
  private record Change(Request request, JsonNode body, Staff staff, String name) {}

  /**
   * One change of an account: fills {@code out} and says whether the account (or token) was there;
   * null when it answered itself.
   */
  @FunctionalInterface
  private interface Action {
    Boolean apply(Change change, ObjectNode out, Response response, Callback callback)
        throws StoreException;
  }

  /**
   * POST {@code /api/admin/staff/{name}/...}: an admin, or the account itself when {@code
   * ownAllowed} (its tokens); the body read before any refusal; 404 without such an account.
   */
  private Endpoint change(boolean ownAllowed, Action action) {
    return json(
        (request, response, callback, body, get) -> {
          String name = PageRoutes.param(request, "name");
          Optional<Staff> who =
              ownAllowed
                  ? access.requireStaff(request, response, callback)
                  : access.requireRole(request, response, callback, Role.ADMIN);
          if (who.isEmpty()) {
            return;
          }
          if (ownAllowed && who.get().role() != Role.ADMIN && !who.get().name().equals(name)) {
            sendError(
                response,
                callback,
                403,
                "only an admin, or the account " + name + " itself, may manage its tokens");
            return;
          }
          if (!StaffAccounts.validName(name)) {
            sendError(response, callback, 404, "[" + name + "] is not an account name");
            return;
          }
          ObjectNode out = Json.object();
          out.put("name", name);
          Boolean done =
              action.apply(new Change(request, body, who.get(), name), out, response, callback);
          if (done == null) {
            return;
          }
          if (!done) {
            sendError(
                response,
                callback,
                404,
                "no account " + name + " (or no such token): see GET " + STAFF);
            return;
          }
          sendJson(response, callback, 200, out);
        });
  }

  private Boolean role(Change c, ObjectNode out, Response response, Callback callback)
      throws StoreException {
    Optional<Role> role = Role.parse(text(c.body(), "role"));
    if (role.isEmpty()) {
      sendError(response, callback, 400, "the body must be {\"role\": " + Role.choices() + "}");
      return null;
    }
    boolean done = access.accounts().setRole(c.name(), role.get(), access.clock().millis());
    if (done) {
      access.audit(c.request(), c.staff(), "staff.role", c.name(), role.get().id());
      out.put("role", role.get().id());
    }
    return done;
  }

  private Boolean disable(
      Change c, ObjectNode out, boolean disable, Response response, Callback callback)
      throws StoreException {
    if (disable && c.name().equals(c.staff().name())) {
      sendError(response, callback, 409, "an admin cannot disable their own account");
      return null;
    }
    boolean done = access.accounts().setDisabled(c.name(), disable, access.clock().millis());
    if (done) {
      access.audit(
          c.request(), c.staff(), disable ? "staff.disable" : "staff.enable", c.name(), "");
      out.put("disabled", disable);
    }
    return done;
  }

  private Boolean endSessions(Change c, ObjectNode out, Response response, Callback callback)
      throws StoreException {
    StaffAccounts store = access.accounts();
    if (store.account(c.name()).isEmpty()) {
      return false;
    }
    int ended = store.endSessions(c.name());
    access.audit(c.request(), c.staff(), "staff.sessions.end", c.name(), ended + " ended");
    out.put("ended", ended);
    return true;
  }

  private Boolean password(Change c, ObjectNode out, Response response, Callback callback)
      throws StoreException {
    String password = text(c.body(), "password");
    Optional<String> weak = PasswordHash.problem(password);
    if (weak.isPresent()) {
      sendError(response, callback, 400, "the body must be {\"password\"}: " + weak.get());
      return null;
    }
    StaffAccounts store = access.accounts();
    boolean done =
        store.setPassword(c.name(), access.passwords().hash(password), access.clock().millis());
    if (done) {
      store.endSessions(c.name());
      access.audit(c.request(), c.staff(), "staff.password", c.name(), "sessions ended");
    }
    return done;
  }

  private Boolean issueToken(Change c, ObjectNode out, Response response, Callback callback)
      throws StoreException {
    String label = text(c.body(), "label");
    if (label != null
        && (label.length() > 100 || label.chars().anyMatch(Character::isISOControl))) {
      sendError(response, callback, 400, "\"label\" must be one line of 100 characters at most");
      return null;
    }
    Optional<Access.IssuedToken> issued =
        access.issueToken(c.name(), label == null ? "" : label.strip(), c.staff().name());
    if (issued.isEmpty()) {
      return false;
    }
    access.audit(
        c.request(),
        c.staff(),
        "staff.token.create",
        c.name(),
        issued.get().id() + (label == null ? "" : " " + label.strip()));
    out.put("account", c.name());
    out.put("id", issued.get().id());
    out.put("token", issued.get().token());
    sendJson(response, callback, 201, out);
    return null;
  }

  private Boolean revokeToken(Change c, ObjectNode out, Response response, Callback callback)
      throws StoreException {
    String token = PageRoutes.param(c.request(), "token");
    boolean done = access.accounts().revokeToken(c.name(), token, access.clock().millis());
    if (done) {
      access.audit(c.request(), c.staff(), "staff.token.revoke", c.name(), token);
      out.put("revoked", token);
    }
    return done;
  }

  private void audit(Request request, Response response, Callback callback, boolean get)
      throws StoreException {
    if (!access.allows(request, response, callback, Role.ADMIN)) {
      return;
    }
    if (!get) {
      sendError(response, callback, 405, "use GET " + AUDIT);
      return;
    }
    Fields query = Request.extractQueryParameters(request);
    int limit = 200;
    String limitText = query.getValue("limit");
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > StaffAccounts.MAX_AUDIT) {
        sendError(
            response, callback, 400, "?limit= must be 1 to " + StaffAccounts.MAX_AUDIT + " (200)");
        return;
      }
    }
    String actor = query.getValue("actor");
    String action = query.getValue("action");
    if ((actor != null && actor.length() > 64) || (action != null && action.length() > 64)) {
      sendError(response, callback, 400, "?actor= and ?action= are 64 characters at most");
      return;
    }
    ObjectNode out = Json.object();
    ArrayNode entries = out.putArray("entries");
    for (StaffAccounts.AuditEntry e : access.accounts().audit(limit, actor, action)) {
      ObjectNode node = entries.addObject();
      node.put("id", e.id());
      node.put("at", Instant.ofEpochMilli(e.atMillis()).toString());
      node.put("actor", e.actor());
      node.put("via", e.via());
      node.put("action", e.action());
      node.put("target", e.target());
      node.put("detail", e.detail());
      node.put("address", e.address());
    }
    sendJson(response, callback, 200, out);
  }

  private static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node != null && node.isTextual() ? node.asText() : null;
  }
}
