// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import static terrain.http.Json.error;
import static terrain.http.Requests.bearer;
import static terrain.http.Requests.jsonBody;
import static terrain.http.Responses.sendError;
import static terrain.http.Responses.sendJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.id.WalletId;
import terrain.core.record.DeviceId;
import terrain.http.Endpoint;
import terrain.http.Json;
import terrain.server.access.Access;
import terrain.server.access.RateLimiter;
import terrain.server.access.Role;
import terrain.server.devices.DeviceRegistry;
import terrain.server.http.PageRoutes;
import terrain.server.ledger.Ledger;
import terrain.server.partner.Partner;
import terrain.server.partner.Partners;
import terrain.server.wallet.Wallets;
import terrain.store.StoreException;

/**
 * The JSON API of tickets and wallets, on Jetty 12 core handlers; paths it does not know are left
 * to the next handler.
 *
 * <pre>
 * POST /api/wallets                  201 {"id","token","recoveryCode"}
 * POST /api/claims {"code": ...}     Bearer TOKEN; 201 {"briqs","balance"} | 409 | 422 | 410 | 403
 *                                    (422 reasons include Claims.Refusal names; 409 NOT_YET_SYNCED
 *                                    with Retry-After: a golden ticket whose record is not here)
 *                                    | 401 no wallet | 429 too many attempts (Retry-After)
 * GET  /api/wallets/me               Bearer TOKEN; {"id","balance","entries":[...],"tickets":[...]}
 * POST /api/devices/{id}/revoke      Bearer ADMIN (admin role, audited; see Access); {"after": epochSeconds}
 * PUT  /api/devices/{id}/key         Bearer ADMIN_TOKEN; {"publicKey": base64 of the raw 32 bytes}
 *                                    201 registered | 200 already known | 409 another key
 * GET  /api/ledger/audit             Bearer ADMIN_TOKEN; the checks of the books, all 0 when right
 * POST /api/spend {"spendCode", "amount", "requestId"}
 *                                    Bearer PARTNER_ID:KEY; 201 {"amount","balance","partner"}
 *                                    | 200 this partner's requestId before, same code and amount
 *                                    | 409 REQUEST_ID_REUSED: it, with another code or amount
 *                                    | 400 REQUEST_ID_REQUIRED (8-64 of [A-Za-z0-9._-])
 *                                    | 404 unknown code
 *                                    | 422 INSUFFICIENT_BALANCE {"balance"} or bad amount
 * </pre>
 *
 * Errors are {@code {"error": message}}, with {@code "reason"} on claims. Messages are for
 * developers, in English.
 */
public final class ClaimApi {
  private static final Logger log = LoggerFactory.getLogger(ClaimApi.class);
  private static final int MAX_BODY = 8 * 1024;
  private static final int HISTORY = 200;

  private final Wallets wallets;
  private final Claims claims;
  private final Ledger ledger;
  private final DeviceRegistry registry;
  private final RateLimiter claimLimit;
  private final Access access;
  private final Clock clock;
  private final Partners partners;
  private final RateLimiter partnerLimit;

  /**
   * @param access the check of admin calls (device keys: admin; the ledger's audit: analyst)
   */
  public ClaimApi(
      Wallets wallets,
      Claims claims,
      Ledger ledger,
      DeviceRegistry registry,
      RateLimiter claimLimit,
      Access access,
      Clock clock,
      Partners partners) {
    this.wallets = wallets;
    this.claims = claims;
    this.ledger = ledger;
    this.registry = registry;
    this.claimLimit = claimLimit;
    this.access = access;
    this.clock = clock;
    this.partners = partners;
    this.partnerLimit = new RateLimiter(60, clock);
  }

  /** The routes of the API. */
  public void routes(PageRoutes.Builder routes) {
    routes
        .guarded(ClaimApi::guard)
        .post("/api/wallets", (rq, rs, cb) -> createWallet(rs, cb))
        .post("/api/claims", this::claim)
        .get("/api/wallets/me", this::wallet)
        .put("^/api/devices/.+/key$", (rq, rs, cb) -> enrol(rq, rs, cb, device(rq, "/key")))
        .post("/api/spend", this::spend)
        .get("/api/ledger/audit", this::audit)
        .post(
            "^/api/devices/.+/revoke$", (rq, rs, cb) -> revoke(rq, rs, cb, device(rq, "/revoke")));
  }

  /** The {@code {id}} of {@code /api/devices/{id}/ACTION}, from the decoded path it matched. */
  private static String device(Request request, String action) {
    String path = Request.getPathInContext(request);
    return path.substring("/api/devices/".length(), path.length() - action.length());
  }

  /** A database that does not answer: 503. */
  private static Endpoint guard(Endpoint endpoint) {
    return (request, response, callback) -> {
      try {
        endpoint.handle(request, response, callback);
      } catch (StoreException e) {
        log.warn("HTTP {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
        sendError(response, callback, 503, "the database does not answer; try again shortly");
      }
    };
  }

  private void createWallet(Response response, Callback callback) throws StoreException {
    Wallets.Created wallet = wallets.create();
    ObjectNode body = Json.object();
    body.put("id", wallet.id().value());
    body.put("token", wallet.token());
    body.put("recoveryCode", wallet.recoveryCode());
    sendJson(response, callback, 201, body);
  }

  private void claim(Request request, Response response, Callback callback) throws StoreException {
    // Read the body before any refusal, so that the connection stays usable.
    Optional<JsonNode> body =
        jsonBody(request, response, callback, MAX_BODY, "the body is not JSON");
    if (body.isEmpty()) {
      return;
    }
    if (!claimLimit.admits(Request.getRemoteAddr(request), response, callback, "claim attempts")) {
      return;
    }
    JsonNode code = body.get().get("code");
    String token = bearer(request);
    if (code == null || !code.isTextual()) {
      if (wallets.byToken(token).isEmpty()) {
        unauthorized(response, callback);
      } else {
        sendError(response, callback, 400, "the body must be {\"code\": \"...\"}");
      }
      return;
    }
    // The wallet is found in the claim's transaction: one connection, one commit per claim.
    Claims.Outcome outcome = claims.claim(c -> wallets.byToken(c, token), code.asText());
    if (outcome instanceof Claims.NoWallet) {
      unauthorized(response, callback);
    } else if (outcome instanceof Claims.Claimed claimed) {
      ObjectNode ok = Json.object();
      ok.put("briqs", claimed.briqs());
      ok.put("balance", claimed.balance());
      ok.put("event", claimed.ticket().ticket().eventId().value());
      ok.put("expiresAt", expiry(claimed.ticket().ticket().expiresAtEpochSecond()));
      sendJson(response, callback, 201, ok);
    } else if (outcome instanceof Claims.AlreadyClaimed) {
      sendJson(
          response, callback, 409, refused("ALREADY_CLAIMED", "this ticket was already claimed"));
    } else if (outcome instanceof Claims.Invalid invalid) {
      sendJson(response, callback, 422, refused(invalid.reason(), invalid.message()));
    } else if (outcome instanceof Claims.UnknownDevice unknown) {
      sendJson(
          response,
          callback,
          422,
          refused(
              "unknown device",
              "device " + unknown.device() + " that signed this ticket is not registered"));
    } else if (outcome instanceof Claims.Expired expired) {
      sendJson(
          response,
          callback,
          410,
          refused(
              "EXPIRED",
              "this ticket expired at "
                  + expiry(expired.ticket().ticket().expiresAtEpochSecond())));
    } else if (outcome instanceof Claims.Revoked revoked) {
      sendJson(
          response,
          callback,
          403,
          refused(
              "REVOKED",
              "device "
                  + revoked.ticket().ticket().device()
                  + " was revoked, and this ticket's record had not reached a hub or the server"
                  + " by then"));
    } else if (outcome instanceof Claims.Refused refusal) {
      sendJson(response, callback, 422, refused(refusal.refusal().name(), refusal.message()));
    } else if (outcome instanceof Claims.NotYetSynced notYet) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, 3600);
      sendJson(response, callback, 409, refused("NOT_YET_SYNCED", notYet.message()));
    } else {
      throw new IllegalStateException("unexpected claim outcome " + outcome);
    }
  }

  private void wallet(Request request, Response response, Callback callback) throws StoreException {
    Optional<WalletId> wallet = wallets.byToken(bearer(request));
    if (wallet.isEmpty()) {
      unauthorized(response, callback);
      return;
    }
    String account = Ledger.walletAccount(wallet.get());
    ObjectNode body = Json.object();
    body.put("id", wallet.get().value());
    body.put("balance", ledger.balance(account));
    ArrayNode entries = body.putArray("entries");
    for (Ledger.Entry entry : ledger.entries(account, HISTORY)) {
      ObjectNode item = entries.addObject();
      item.put("amount", entry.amount());
      item.put("at", Instant.ofEpochSecond(entry.atEpochSecond()).toString());
      item.put("reason", entry.reason().name().toLowerCase(java.util.Locale.ROOT));
      entry.ticket().ifPresent(t -> item.put("ticket", t.toString()));
    }
    body.put("spendCode", Wallets.spendCode(bearer(request)));
    body.put("spendable", ledger.spendable(wallet.get()));
    ArrayNode tickets = body.putArray("tickets");
    for (Ledger.Lot lot : ledger.lots(wallet.get())) {
      ObjectNode item = tickets.addObject();
      item.put("ticket", lot.ticket().toString());
      item.put("briqs", lot.briqs());
      item.put("remaining", lot.remaining());
      item.put("expiresAt", expiry(lot.expiresAtEpochSecond()));
    }
    sendJson(response, callback, 200, body);
  }

  private void enrol(Request request, Response response, Callback callback, String id)
      throws StoreException {
    Optional<JsonNode> body =
        jsonBody(request, response, callback, MAX_BODY, "the body is not JSON");
    if (body.isEmpty() || !access.allows(request, response, callback, Role.ADMIN)) {
      return;
    }
    if (!DeviceId.isValid(id)) {
      sendError(response, callback, 404, "[" + id + "] is not a device id");
      return;
    }
    JsonNode key = body.get().get("publicKey");
    byte[] raw;
    try {
      raw = key == null || !key.isTextual() ? null : Base64.getDecoder().decode(key.asText());
    } catch (IllegalArgumentException e) {
      raw = null;
    }
    if (raw == null || raw.length != 32) {
      sendError(
          response,
          callback,
          400,
          "the body must be {\"publicKey\": base64 of the device's raw 32-byte Ed25519 key}");
      return;
    }
    DeviceRegistry.Registration registration =
        registry.register(DeviceId.of(id), raw, clock.instant().getEpochSecond());
    access.audit(request, "device.key", id, registration.name().toLowerCase(java.util.Locale.ROOT));
    ObjectNode ok = Json.object();
    ok.put("device", id);
    ok.put("registration", registration.name().toLowerCase(java.util.Locale.ROOT));
    switch (registration) {
      case REGISTERED -> {
        log.info("Device {} enrolled by the admin API", id);
        sendJson(response, callback, 201, ok);
      }
      case ALREADY_KNOWN -> sendJson(response, callback, 200, ok);
      case CONFLICT ->
          sendError(
              response,
              callback,
              409,
              "device " + id + " has another key; a key is never replaced");
    }
  }

  private void spend(Request request, Response response, Callback callback) throws StoreException {
    Optional<JsonNode> body =
        jsonBody(request, response, callback, MAX_BODY, "the body is not JSON");
    if (body.isEmpty()) {
      return;
    }
    if (!partnerLimit.admits(
        "api-partner:" + Request.getRemoteAddr(request), response, callback, "spend attempts")) {
      return;
    }
    String credentials = bearer(request);
    int colon = credentials.indexOf(':');
    Optional<Partner> partner =
        colon < 0
            ? Optional.empty()
            : partners.authenticate(
                credentials.substring(0, colon), credentials.substring(colon + 1));
    if (partner.isEmpty()) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
      sendError(
          response,
          callback,
          401,
          "send Authorization: Bearer PARTNER_ID:KEY with a partner configured by --partner");
      return;
    }
    JsonNode code = body.get().get("spendCode");
    JsonNode amount = body.get().get("amount");
    JsonNode requestId = body.get().get("requestId");
    if (requestId == null
        || !requestId.isTextual()
        || !Ledger.isValidRequestId(requestId.asText())) {
      sendJson(
          response,
          callback,
          400,
          refused(
              "REQUEST_ID_REQUIRED",
              "send \"requestId\": "
                  + Ledger.REQUEST_ID_RULE
                  + ", new for each spend and the same when that spend is retried, so a retry"
                  + " never debits twice"));
      return;
    }
    if (code == null
        || !code.isTextual()
        || amount == null
        || !amount.canConvertToLong()
        || amount.asLong() < 1
        || amount.asLong() > PartnerWeb.MAX_AMOUNT) {
      sendJson(
          response,
          callback,
          422,
          refused(
              "BAD_REQUEST",
              "the body must be {\"spendCode\": code or wallet QR address, \"amount\": 1 to "
                  + PartnerWeb.MAX_AMOUNT
                  + ", \"requestId\": "
                  + Ledger.REQUEST_ID_RULE
                  + ", the same on a retry}"));
      return;
    }
    Optional<WalletId> wallet = wallets.bySpendCode(PartnerWeb.spendCodeOf(code.asText()));
    if (wallet.isEmpty()) {
      sendJson(
          response, callback, 404, refused("UNKNOWN_SPEND_CODE", "no wallet has this spend code"));
      return;
    }
    Ledger.SpendResult result =
        ledger.spend(wallet.get(), partner.get().id(), amount.asLong(), requestId.asText());
    ObjectNode ok = Json.object();
    ok.put("partner", partner.get().id().value());
    if (result instanceof Ledger.Spent spent) {
      ok.put("amount", spent.amount());
      ok.put("balance", spent.balance());
      sendJson(response, callback, 201, ok);
    } else if (result instanceof Ledger.Repeated repeated) {
      ok.put("amount", repeated.amount());
      ok.put("balance", repeated.balanceAfter());
      ok.put("repeated", true);
      sendJson(response, callback, 200, ok);
    } else if (result instanceof Ledger.Insufficient insufficient) {
      ObjectNode refusal =
          refused(
              "INSUFFICIENT_BALANCE",
              "the wallet holds " + insufficient.balance() + " spendable briqs");
      refusal.put("balance", insufficient.balance());
      sendJson(response, callback, 422, refusal);
    } else if (result instanceof Ledger.Reused reused) {
      ObjectNode refusal =
          refused(
              "REQUEST_ID_REUSED",
              "requestId "
                  + requestId.asText()
                  + " was already used by this partner for a spend of "
                  + reused.amount()
                  + " briqs with another spend code or amount; nothing was debited: send a new"
                  + " requestId for a new spend");
      sendJson(response, callback, 409, refusal);
    } else {
      throw new IllegalStateException("unexpected spend result " + result);
    }
  }

  private void audit(Request request, Response response, Callback callback) throws StoreException {
    if (!access.allows(request, response, callback, Role.ANALYST)) {
      return;
    }
    Ledger.Audit audit = ledger.audit();
    ObjectNode body = Json.object();
    body.put("ok", audit.ok());
    body.put("total", audit.total());
    body.put("entriesTotal", audit.entriesTotal());
    body.put("unbalancedTransfers", audit.unbalancedTransfers());
    body.put("driftedAccounts", audit.driftedAccounts());
    body.put("ticketsCreditedTwice", audit.ticketsCreditedTwice());
    body.put("pool", audit.pool());
    body.put("claims", audit.claims());
    sendJson(response, callback, 200, body);
  }

  private void revoke(Request request, Response response, Callback callback, String id)
      throws StoreException {
    Optional<JsonNode> body =
        jsonBody(request, response, callback, MAX_BODY, "the body is not JSON");
    if (body.isEmpty() || !access.allows(request, response, callback, Role.ADMIN)) {
      return;
    }
    if (!DeviceId.isValid(id)) {
      sendError(response, callback, 404, "[" + id + "] is not a device id");
      return;
    }
    JsonNode after = body.get().get("after");
    if (after == null || !after.canConvertToLong() || after.asLong() < 0) {
      sendError(
          response,
          callback,
          400,
          "the body must be {\"after\": epochSeconds}, tickets whose records reach the server or a hub later are refused");
      return;
    }
    DeviceId device = DeviceId.of(id);
    if (!registry.revoke(device, after.asLong())) {
      sendError(response, callback, 404, "device " + id + " has no registered key");
      return;
    }
    log.info(
        "Device {} revoked: its tickets whose records reached no hop by {} are refused",
        id,
        after.asLong());
    access.audit(request, "device.revoke", id, "after " + after.asLong());
    ObjectNode ok = Json.object();
    ok.put("device", id);
    ok.put("revokedAfter", after.asLong());
    sendJson(response, callback, 200, ok);
  }

  private void unauthorized(Response response, Callback callback) {
    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
    sendError(
        response,
        callback,
        401,
        "send Authorization: Bearer TOKEN with a token from POST /api/wallets");
  }

  private static String expiry(long epochSecond) {
    return Instant.ofEpochSecond(epochSecond).toString();
  }

  private ObjectNode refused(String reason, String message) {
    ObjectNode node = error(message);
    node.put("reason", reason);
    return node;
  }
}
