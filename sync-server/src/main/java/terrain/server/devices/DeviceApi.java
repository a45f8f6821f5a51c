// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.devices;

import static terrain.http.Requests.jsonBody;
import static terrain.http.Responses.sendError;
import static terrain.http.Responses.sendJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;
import terrain.core.trust.MqttSecret;
import terrain.core.trust.PinHash;
import terrain.core.trust.TrustException;
import terrain.http.Json;
import terrain.server.access.Access;
import terrain.server.access.RateLimiter;
import terrain.server.access.Role;
import terrain.store.StoreException;

/**
 * The enrolment API of devices.
 *
 * <pre>
 * (every /api/admin/ route needs the admin role, see Access; each change is in the audit log)
 * POST /api/admin/devices               Bearer ADMIN; {"kind","event","name"?,"count"?,"validHours"?,
 *                                       "hub"?,"pin"?} 201 [{"id","kind","name","event","enrolment",
 *                                       "expiresAt"}]
 * GET  /api/admin/devices[?event=ID]    Bearer ADMIN; [{"id","kind","name","event","state",...}]
 * POST /api/admin/devices/{id}/revoke   Bearer ADMIN; {"after": ISO-8601?} 200 {"id","revokedAfter"}
 * POST /api/admin/devices/{id}/roll     Bearer ADMIN; 200 {"id","enrolment","expiresAt"}
 * POST /api/admin/devices/{id}/replace  Bearer ADMIN; {"by": NEW} 200 {"id","replacedBy",...}
 * POST /api/enrol                       {"device","token","publicKey","secretHash","version"}
 *                                       200 {"bundle"} | 404 | 410 | 400 | 429
 * </pre>
 *
 * Errors are {@code {"error": what happened and what to do}}, in English (for ops tools).
 */
public final class DeviceApi {
  private static final Logger log = LoggerFactory.getLogger(DeviceApi.class);
  private static final int MAX_BODY = 8 * 1024;
  private static final String ADMIN = "/api/admin/devices";
  private static final String ENROL = "/api/enrol";
  private static final Pattern TOKEN =
      Pattern.compile("[A-Z2-7]{" + EnrolmentText.TOKEN_LENGTH + "}");
  private static final String VALID_HOURS =
      "\"validHours\" must be 1 to "
          + Enrolments.MAX_VALID_HOURS
          + " (default "
          + Enrolments.DEFAULT_VALID_HOURS
          + ")";
  private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+-]{1,40}");

  /** Enrolment attempts per client address and minute. */
  public static final int ENROL_ATTEMPTS_PER_MINUTE = 30;

  private final Enrolments enrolments;
  private final Access access;
  private final RateLimiter enrolLimit;
  private final Supplier<URI> publicUrl;
  private final Clock clock;
  private final SecureRandom random;

  /**
   * @param access the check of admin calls (the admin role)
   * @param publicUrl the server's address written in enrolment texts
   */
  public DeviceApi(
      Enrolments enrolments,
      Access access,
      RateLimiter enrolLimit,
      Supplier<URI> publicUrl,
      Clock clock,
      SecureRandom random) {
    this.enrolments = enrolments;
    this.access = access;
    this.enrolLimit = enrolLimit;
    this.publicUrl = publicUrl;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Where the API's routes go: the server's router ({@code PageRoutes}, decision 0043), taken as a
   * function so that this package does not depend on the server's HTTP package (which depends on
   * ingest, which depends on this one).
   */
  @FunctionalInterface
  public interface Routes {
    /** {@code method} (GET also answers HEAD) on {@code spec}. */
    void add(String method, String spec, terrain.http.Endpoint endpoint);
  }

  /** The routes of the API. */
  public void routes(Routes routes) {
    routes.add("POST", ADMIN, admin(this::create));
    routes.add("GET", ADMIN, admin((rq, rs, cb, body) -> list(rq, rs, cb)));
    routes.add("POST", ADMIN + "/{id}/revoke", admin(change("revoke", this::revoke)));
    routes.add("POST", ADMIN + "/{id}/roll", admin(change("roll", this::roll)));
    routes.add("POST", ADMIN + "/{id}/replace", admin(change("replace", this::replace)));
    routes.add("POST", ADMIN + "/*", admin(this::noSuchAction));
    routes.add(
        "POST",
        ENROL,
        (rq, rs, cb) -> {
          try {
            enrol(rq, rs, cb);
          } catch (StoreException e) {
            log.warn("HTTP POST {} failed", ENROL, e);
            sendError(rs, cb, 503, "the database does not answer; try again shortly");
          }
        });
  }

  /** An admin endpoint with its JSON body (empty object for GET). */
  @FunctionalInterface
  private interface AdminEndpoint {
    void handle(Request request, Response response, Callback callback, JsonNode body)
        throws Exception;
  }

  private terrain.http.Endpoint admin(AdminEndpoint endpoint) {
    return (request, response, callback) -> {
      JsonNode body = Json.object();
      if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
        // Read the body before any refusal, so that the connection stays usable.
        Optional<JsonNode> read =
            request.getLength() == 0
                ? Optional.of(Json.object())
                : jsonBody(request, response, callback, MAX_BODY, "the body is not JSON");
        if (read.isEmpty()) {
          return;
        }
        body = read.get();
      }
      if (!access.allows(request, response, callback, Role.ADMIN)) {
        return;
      }
      try {
        endpoint.handle(request, response, callback, body);
      } catch (StoreException e) {
        log.warn("HTTP {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
        sendError(response, callback, 503, "the database does not answer; try again shortly");
      }
    };
  }

  private void create(Request request, Response response, Callback callback, JsonNode body)
      throws StoreException {
    DeviceKind kind;
    try {
      kind = DeviceKind.parse(text(body, "kind"));
    } catch (TrustException e) {
      badRequest(response, callback, "\"kind\": " + e.getMessage());
      return;
    }
    String event = text(body, "event");
    if (event == null || !EventId.isValid(event)) {
      badRequest(
          response,
          callback,
          "\"event\" must be the id of the event (lower-case letters, digits and dashes), e.g."
              + " \"marche-2026-11-28\"");
      return;
    }
    String name = null;
    if (body.has("name") && !body.get("name").isNull()) {
      name = text(body, "name");
      if (name == null
          || name.isBlank()
          || name.strip().length() > Enrolments.MAX_NAME
          || name.chars().anyMatch(Character::isISOControl)) {
        badRequest(
            response,
            callback,
            "\"name\" must be text of 1 to " + Enrolments.MAX_NAME + " characters on one line");
        return;
      }
      name = name.strip();
    }
    Optional<Integer> count = number(body, "count", 1, Enrolments.MAX_COUNT, 1);
    if (count.isEmpty()) {
      badRequest(response, callback, "\"count\" must be 1 to " + Enrolments.MAX_COUNT);
      return;
    }
    Optional<Integer> hours = validHours(body);
    if (hours.isEmpty()) {
      badRequest(response, callback, VALID_HOURS);
      return;
    }
    String hub = null;
    if (body.has("hub") && !body.get("hub").isNull()) {
      hub = text(body, "hub");
      Optional<String> problem = mqttAddressProblem(hub);
      if (problem.isPresent()) {
        badRequest(response, callback, "\"hub\" " + problem.get());
        return;
      }
    }
    String pinHash = null;
    if (body.has("pin") && !body.get("pin").isNull()) {
      String pin = text(body, "pin");
      if (!PinHash.isValidPin(pin)) {
        badRequest(response, callback, "\"pin\" must be 4 to 8 digits, as text: \"pin\": \"4821\"");
        return;
      }
      try {
        pinHash = PinHash.hash(pin, random);
      } catch (TrustException e) {
        badRequest(response, callback, "\"pin\": " + e.getMessage());
        return;
      }
    }
    List<Enrolments.Issued> issued =
        enrolments.create(
            new Enrolments.Order(
                kind, EventId.of(event), name, count.get(), hours.get(), hub, pinHash));
    access.audit(
        request,
        "device.enrol",
        event,
        kind.label()
            + " x"
            + issued.size()
            + (name == null ? "" : " " + name)
            + ": "
            + String.join(", ", issued.stream().map(i -> i.device().id().value()).toList()));
    ArrayNode out = Json.array();
    URI server = publicUrl.get();
    for (Enrolments.Issued item : issued) {
      ObjectNode node = out.addObject();
      Enrolments.Device d = item.device();
      node.put("id", d.id().value());
      node.put("kind", d.kind().label());
      node.put("name", d.name());
      node.put("event", d.event().value());
      node.put("enrolment", item.text(server).text());
      node.put("expiresAt", Instant.ofEpochSecond(d.tokenExpiresAt()).toString());
      if (d.hub() != null) {
        node.put("hub", d.hub());
      }
    }
    sendJson(response, callback, 201, out);
  }

  private void list(Request request, Response response, Callback callback) throws StoreException {
    String event = Request.extractQueryParameters(request).getValue("event");
    if (event != null && !EventId.isValid(event)) {
      badRequest(response, callback, "?event= must be an event id, e.g. marche-2026-11-28");
      return;
    }
    ArrayNode out = Json.array();
    for (Enrolments.Device d :
        enrolments.list(event == null ? Optional.empty() : Optional.of(EventId.of(event)))) {
      out.add(json(d));
    }
    sendJson(response, callback, 200, out);
  }

  /** One change of an enrolled device; null when it answered itself (a bad body). */
  @FunctionalInterface
  private interface DeviceAction {
    Enrolments.Change apply(DeviceId device, JsonNode body, Response response, Callback callback)
        throws StoreException;
  }

  /** POST /api/admin/devices/{id}/{action}: the device, then the change, audited. */
  private AdminEndpoint change(String action, DeviceAction act) {
    return (request, response, callback, body) -> {
      // The decoded path matched ADMIN/{id}/ACTION: the id is its segment after ADMIN.
      String rest = Request.getPathInContext(request).substring(ADMIN.length() + 1);
      String id = rest.substring(0, rest.indexOf('/'));
      if (!DeviceId.isValid(id)) {
        sendError(response, callback, 404, "[" + id + "] is not a device id");
        return;
      }
      Enrolments.Change change = act.apply(DeviceId.of(id), body, response, callback);
      if (change == null) {
        return;
      }
      if (change instanceof Enrolments.Changed) {
        access.audit(request, "device." + action, id, body.toString());
      }
      if (change instanceof Enrolments.Unknown unknown) {
        sendError(
            response,
            callback,
            404,
            "no device "
                + unknown.id()
                + " is enrolled: check the id with GET /api/admin/devices (terrain provision"
                + " device list)");
      } else if (change instanceof Enrolments.Refused refused) {
        sendError(response, callback, 409, refused.reason());
      } else if (change instanceof Enrolments.Changed changed) {
        ObjectNode out = json(changed.device());
        if (changed.token() != null) {
          out.put(
              "enrolment",
              new EnrolmentText(publicUrl.get(), changed.device().id(), changed.token()).text());
          out.put("expiresAt", Instant.ofEpochSecond(changed.device().tokenExpiresAt()).toString());
        }
        sendJson(response, callback, 200, out);
      }
    };
  }

  private Enrolments.Change revoke(
      DeviceId device, JsonNode body, Response response, Callback callback) throws StoreException {
    long after = clock.instant().getEpochSecond();
    if (body.has("after") && !body.get("after").isNull()) {
      String text = text(body, "after");
      try {
        after = Instant.parse(text == null ? "" : text).getEpochSecond();
      } catch (DateTimeParseException e) {
        badRequest(
            response,
            callback,
            "\"after\" must be an ISO-8601 time such as 2026-11-28T14:30:00Z (default: now)");
        return null;
      }
    }
    return enrolments.revoke(device, after);
  }

  private Enrolments.Change roll(
      DeviceId device, JsonNode body, Response response, Callback callback) throws StoreException {
    Optional<Integer> hours = validHours(body);
    if (hours.isEmpty()) {
      badRequest(response, callback, VALID_HOURS);
      return null;
    }
    return enrolments.roll(device, hours.get());
  }

  private Enrolments.Change replace(
      DeviceId device, JsonNode body, Response response, Callback callback) throws StoreException {
    String by = text(body, "by");
    if (by == null || !DeviceId.isValid(by)) {
      badRequest(response, callback, "the body must be {\"by\": \"ID of the replacing device\"}");
      return null;
    }
    return enrolments.replace(device, DeviceId.of(by));
  }

  /** POST under /api/admin/devices/ that no action takes: 404, saying why. */
  private void noSuchAction(Request request, Response response, Callback callback, JsonNode body) {
    String rest = Request.getPathInContext(request).substring(ADMIN.length() + 1);
    int slash = rest.indexOf('/');
    String id = slash < 0 ? rest : rest.substring(0, slash);
    String action = slash < 0 ? "" : rest.substring(slash + 1);
    if (!DeviceId.isValid(id)) {
      sendError(response, callback, 404, "[" + id + "] is not a device id");
      return;
    }
    sendError(
        response, callback, 404, "no such action [" + action + "]: use revoke, roll or replace");
  }

  private void enrol(Request request, Response response, Callback callback) throws StoreException {
    Optional<JsonNode> read =
        jsonBody(request, response, callback, MAX_BODY, "the body is not JSON");
    if (read.isEmpty()) {
      return;
    }
    if (!enrolLimit.admits(
        "enrol:" + Request.getRemoteAddr(request), response, callback, "enrolment attempts")) {
      return;
    }
    JsonNode body = read.get();
    String device = text(body, "device");
    String token = text(body, "token");
    String publicKey = text(body, "publicKey");
    String secretHash = text(body, "secretHash");
    String version = text(body, "version");
    String usage =
        "the body must be {\"device\": ID, \"token\": TOKEN, \"publicKey\": base64url of the raw"
            + " 32-byte Ed25519 key, \"secretHash\": hex SHA-256 of the MQTT secret, \"version\":"
            + " \"0.1.0\"}: ";
    if (device == null || !DeviceId.isValid(device)) {
      badRequest(response, callback, usage + "\"device\" is not a device id");
      return;
    }
    if (token == null || !TOKEN.matcher(token).matches()) {
      badRequest(
          response,
          callback,
          usage + "\"token\" is not " + EnrolmentText.TOKEN_LENGTH + " base32 characters");
      return;
    }
    byte[] raw = rawKey(publicKey);
    if (raw == null) {
      badRequest(
          response,
          callback,
          usage + "\"publicKey\" is not an Ed25519 public key (base64url, 32 bytes)");
      return;
    }
    if (!MqttSecret.isHash(secretHash)) {
      badRequest(response, callback, usage + "\"secretHash\" is not 64 lower-case hex digits");
      return;
    }
    if (version != null && !VERSION.matcher(version).matches()) {
      badRequest(response, callback, usage + "\"version\" is not a version such as 0.1.0");
      return;
    }
    Enrolments.Enrolment result =
        enrolments.enrol(DeviceId.of(device), token, raw, secretHash, version);
    if (result instanceof Enrolments.Enrolled enrolled) {
      ObjectNode out = Json.object();
      out.put("bundle", enrolled.bundle().text());
      sendJson(response, callback, 200, out);
    } else if (result instanceof Enrolments.Gone gone) {
      sendError(response, callback, 410, gone.reason());
    } else {
      log.info("Enrolment refused for [{}] from {}", device, Request.getRemoteAddr(request));
      sendError(
          response,
          callback,
          404,
          "no device waits for this enrolment: check the text on the device's kit, or ask"
              + " ops for a new one (terrain provision device roll ID)");
    }
  }

  static ObjectNode json(Enrolments.Device d) {
    ObjectNode node = Json.object();
    node.put("id", d.id().value());
    node.put("kind", d.kind().label());
    node.put("name", d.name());
    node.put("event", d.event().value());
    node.put("state", d.state().label());
    if (d.enrolledAt() != null) {
      node.put("enrolledAt", Instant.ofEpochSecond(d.enrolledAt()).toString());
    }
    if (d.revokedAfter() != null) {
      node.put("revokedAfter", Instant.ofEpochSecond(d.revokedAfter()).toString());
    }
    if (d.replaces() != null) {
      node.put("replaces", d.replaces().value());
    }
    if (d.replacedBy() != null) {
      node.put("replacedBy", d.replacedBy().value());
    }
    if (d.hub() != null) {
      node.put("hub", d.hub());
    }
    return node;
  }

  /** Why {@code address} is not a {@code tcp://HOST:PORT} or {@code ssl://HOST:PORT}. */
  public static Optional<String> mqttAddressProblem(String address) {
    String fix = " must be tcp://HOST:PORT or ssl://HOST:PORT, e.g. tcp://192.168.1.10:1883";
    if (address == null) {
      return Optional.of(fix.strip());
    }
    try {
      URI uri = new URI(address);
      if (!("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme()))
          || uri.getHost() == null
          || uri.getPort() < 1
          || uri.getUserInfo() != null
          || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        return Optional.of("[" + address + "]" + fix);
      }
      return Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.of("[" + address + "]" + fix);
    }
  }

  private static byte[] rawKey(String text) {
    if (text == null || text.length() > 64) {
      return null;
    }
    try {
      byte[] raw = Base64.getUrlDecoder().decode(text);
      if (raw.length != DeviceKeys.KEY_LENGTH) {
        return null;
      }
      DeviceKeys.publicKeyFromRaw(raw);
      return raw;
    } catch (IllegalArgumentException | InvalidKeyException e) {
      return null;
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node == null || !node.isTextual() ? null : node.asText();
  }

  /** The {@code validHours} of an enrolment token, its default when absent; empty when wrong. */
  private static Optional<Integer> validHours(JsonNode body) {
    return number(
        body, "validHours", 1, Enrolments.MAX_VALID_HOURS, Enrolments.DEFAULT_VALID_HOURS);
  }

  private static Optional<Integer> number(
      JsonNode body, String field, int min, int max, int fallback) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.of(fallback);
    }
    if (!node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
      return Optional.empty();
    }
    return Optional.of(node.asInt());
  }

  private static void badRequest(Response response, Callback callback, String message) {
    sendError(response, callback, 400, message);
  }
}
