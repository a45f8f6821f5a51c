// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.trust.Bundle;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;
import terrain.core.trust.MqttSecret;
import terrain.core.trust.PinHash;
import terrain.core.trust.SignedBundle;
import terrain.core.trust.TrustException;

/**
 * Plays the sync server's {@code POST /api/enrol} for device tests: a JDK HTTP server on an
 * ephemeral loopback port that checks the request like the server does (a 32-byte Ed25519 public
 * key, a 64-hex secret hash, a known unused token) and answers with a bundle signed by its own
 * keys. It remembers every request body and the enrolled secret hashes (for a broker's logins).
 */
public final class TestEnrolServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The PIN of every bundle. */
  public static final String PIN = "482913";

  private final HttpServer http;
  private final DeviceKeys serverKeys = DeviceKeys.generate(new SecureRandom());
  private final String pinHash;
  private final Map<String, DeviceKind> waiting = new ConcurrentHashMap<>();
  private final Map<String, String> used = new ConcurrentHashMap<>();
  private final Map<String, String> hashByUsername = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final String eventId;
  private final String eventYaml;
  private volatile String hub;

  private TestEnrolServer(HttpServer http, String eventId, String eventYaml) throws TrustException {
    this.http = http;
    this.eventId = eventId;
    this.eventYaml = eventYaml;
    this.pinHash = PinHash.hash(PIN, new SecureRandom(), 1000);
  }

  /** A server whose bundles carry no event file, for event {@code ev-test}. */
  public static TestEnrolServer start() throws IOException, TrustException {
    return start("ev-test", null);
  }

  /** A server whose bundles carry the event {@code eventId} and its file ({@code eventYaml}). */
  public static TestEnrolServer start(String eventId, String eventYaml)
      throws IOException, TrustException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    TestEnrolServer server = new TestEnrolServer(http, eventId, eventYaml);
    http.createContext("/api/enrol", server::handle);
    http.start();
    return server;
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  /** The hub address written into the bundles. */
  public TestEnrolServer hub(String uri) {
    this.hub = uri;
    return this;
  }

  /** A new enrolment of a device, as ops would print on its kit. */
  public EnrolmentText device(String id, DeviceKind kind) {
    String token = EnrolmentText.newToken(new SecureRandom());
    waiting.put(id + "/" + token, kind);
    return new EnrolmentText(uri(), DeviceId.of(id), token);
  }

  /** The bodies of every enrolment request received. */
  public List<String> requests() {
    return new ArrayList<>(requests);
  }

  /** What was wrong with a request, as the test server saw it. */
  public List<String> problems() {
    return new ArrayList<>(problems);
  }

  /** The secret hash an enrolled device's username logs in with. */
  public Optional<String> secretHash(String username) {
    return Optional.ofNullable(hashByUsername.get(username));
  }

  public DeviceKeys serverKeys() {
    return serverKeys;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(body);
      if (!"POST".equals(exchange.getRequestMethod())) {
        answer(exchange, 405, error("POST only"));
        return;
      }
      JsonNode request = JSON.readTree(body);
      String device = text(request, "device");
      String token = text(request, "token");
      String publicKey = text(request, "publicKey");
      String secretHash = text(request, "secretHash");
      try {
        if (DeviceKeys.rawPublicKey(DeviceKeys.publicKeyFromText(publicKey)).length != 32) {
          throw new InvalidKeyException("not 32 bytes");
        }
      } catch (InvalidKeyException | IllegalArgumentException e) {
        problems.add("publicKey: " + e.getMessage());
        answer(exchange, 400, error("publicKey must be a base64url raw Ed25519 key"));
        return;
      }
      if (!MqttSecret.isHash(secretHash)) {
        problems.add("secretHash: " + secretHash);
        answer(exchange, 400, error("secretHash must be 64 lowercase hex characters"));
        return;
      }
      String key = device + "/" + token;
      if (used.containsKey(key)) {
        answer(
            exchange,
            410,
            error(
                "this enrolment was already used: ask ops for a new one: terrain provision device"
                    + " roll "
                    + device));
        return;
      }
      DeviceKind kind = waiting.remove(key);
      if (kind == null) {
        answer(exchange, 404, error("unknown device or token"));
        return;
      }
      used.put(key, device);
      Bundle.Entry entry =
          new Bundle.Entry(DeviceId.of(device), kind, device, publicKey, secretHash, null);
      hashByUsername.put(entry.mqttUsername(), secretHash);
      Bundle bundle =
          new Bundle(
              Bundle.FORMAT,
              1,
              System.currentTimeMillis() / 1000,
              serverKeys.publicKeyText(),
              DeviceId.of(device),
              EventId.of(eventId),
              1,
              eventYaml,
              "https://claim.example.org/",
              null,
              hub,
              null,
              "0.1.0",
              pinHash,
              List.of(entry));
      ObjectNode out = JSON.createObjectNode();
      out.put("bundle", SignedBundle.sign(bundle, serverKeys).text());
      answer(exchange, 200, JSON.writeValueAsString(out));
    } catch (RuntimeException e) {
      problems.add(e.toString());
      throw e;
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || !value.isTextual() ? "" : value.asText();
  }

  private static String error(String message) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("error", message);
    return JSON.writeValueAsString(node);
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
