// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.trust.Bundle;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;
import terrain.core.trust.MqttSecret;
import terrain.core.trust.SignedBundle;

/**
 * The sync server's enrolment as a hub sees it, made in the test from real pieces: a JDK HTTP
 * server answering {@code POST /api/enrol} as the protocol says, and bundles signed with a server
 * key generated here. Kiosks are "enrolled" by the test with secrets it keeps.
 */
final class ServerStandIn implements AutoCloseable {
  static final String EVENT = "ev-market";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  final DeviceKeys serverKeys = DeviceKeys.generate(RANDOM);
  private final HttpServer http;
  private final Map<String, String> tokens = new HashMap<>();
  private final Set<String> used = new HashSet<>();
  private final Map<DeviceId, Bundle.Entry> devices = new HashMap<>();
  private final AtomicLong sequence = new AtomicLong(10);
  private volatile String uplink;

  ServerStandIn() throws IOException {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/api/enrol", this::enrol);
    http.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  /** The server's broker written into hub bundles. */
  void uplink(String uplink) {
    this.uplink = uplink;
  }

  /** A waiting hub and its enrolment text. */
  synchronized EnrolmentText waitingHub(String id) {
    String token = EnrolmentText.newToken(RANDOM);
    tokens.put(id, token);
    return new EnrolmentText(url(), DeviceId.of(id), token);
  }

  /** A kiosk enrolled on the server; returns its MQTT secret. */
  synchronized String enrolledKiosk(String id) {
    String secret = MqttSecret.generate(RANDOM);
    devices.put(
        DeviceId.of(id),
        new Bundle.Entry(
            DeviceId.of(id),
            DeviceKind.KIOSK,
            "Kiosque " + id,
            DeviceKeys.generate(RANDOM).publicKeyText(),
            MqttSecret.hash(secret),
            null));
    return secret;
  }

  synchronized void revoke(String id, Instant after) {
    Bundle.Entry e = devices.get(DeviceId.of(id));
    devices.put(
        e.id(),
        new Bundle.Entry(
            e.id(), e.kind(), e.name(), e.publicKey(), e.secretHash(), after.getEpochSecond()));
  }

  /**
   * The event's configuration, signed by {@code signer}, with the next sequence or the one given.
   */
  synchronized String config(DeviceKeys signer, long sequence) {
    return SignedBundle.sign(bundle(null, sequence, signer), signer).text();
  }

  synchronized String config() {
    return config(serverKeys, sequence.incrementAndGet());
  }

  long sequence() {
    return sequence.get();
  }

  private Bundle bundle(DeviceId recipient, long seq, DeviceKeys signer) {
    List<Bundle.Entry> list = new ArrayList<>(devices.values());
    list.sort((a, b) -> a.id().value().compareTo(b.id().value()));
    return new Bundle(
        Bundle.FORMAT,
        seq,
        Instant.now().getEpochSecond(),
        signer.publicKeyText(),
        recipient,
        EventId.of(EVENT),
        1,
        null,
        "https://claim.example.fr",
        uplink,
        null,
        null,
        "0.1.0",
        null,
        list);
  }

  private void enrol(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        answer(exchange, 405, "{\"error\":\"POST only\"}");
        return;
      }
      JsonNode body;
      try {
        body = JSON.readTree(exchange.getRequestBody());
      } catch (IOException e) {
        answer(exchange, 400, error("the request is not JSON"));
        return;
      }
      String device = body.path("device").asText("");
      String token = body.path("token").asText("");
      String publicKey = body.path("publicKey").asText("");
      String secretHash = body.path("secretHash").asText("");
      if (!MqttSecret.isHash(secretHash) || publicKey.isEmpty()) {
        answer(exchange, 400, error("secretHash and publicKey are required"));
        return;
      }
      String answer;
      synchronized (this) {
        if (!token.equals(tokens.get(device))) {
          answer(exchange, 404, error("unknown device or token: check the enrolment text"));
          return;
        }
        if (!used.add(device)) {
          answer(
              exchange,
              410,
              error(
                  "this enrolment token was already used: ask ops for a new one: terrain"
                      + " provision device roll "
                      + device));
          return;
        }
        DeviceId id = DeviceId.of(device);
        devices.put(
            id, new Bundle.Entry(id, DeviceKind.HUB, "Hub " + device, publicKey, secretHash, null));
        answer =
            SignedBundle.sign(bundle(id, sequence.incrementAndGet(), serverKeys), serverKeys)
                .text();
      }
      answer(exchange, 200, JSON.createObjectNode().put("bundle", answer).toString());
    }
  }

  private static String error(String message) {
    return JSON.createObjectNode().put("error", message).toString();
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
