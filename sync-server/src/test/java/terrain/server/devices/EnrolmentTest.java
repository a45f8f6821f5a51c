// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.devices;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.Ticket;
import terrain.core.ticket.TicketCodec;
import terrain.core.trust.Bundle;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;
import terrain.core.trust.MqttSecret;
import terrain.core.trust.PinHash;
import terrain.core.trust.SignedBundle;
import terrain.core.wire.Topics;
import terrain.server.ServerConfig;
import terrain.server.SyncServer;
import terrain.server.testkit.Http;
import terrain.server.testkit.MigratedDerby;
import terrain.testkit.MqttPeer;
import terrain.testkit.MutableClock;
import terrain.transport.MqttCredentials;

/**
 * Enrolment of devices on a server started without {@code --dev}: real Jetty, real Derby, the
 * server's real embedded broker, Paho clients.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnrolmentTest {
  static final String ADMIN = "admin-token-0123456789abcdef";
  static final String EVENT = "fete-des-voisins";

  Path dir;
  final MutableClock clock = new MutableClock(Instant.now());
  final SecureRandom random = new SecureRandom();
  SyncServer server;
  Http http;
  String mqttUrl;

  @BeforeAll
  void start(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    // The event the tickets name: the server refuses tickets of an event it does not know.
    Path event = dir.resolve(EVENT + ".yaml");
    java.nio.file.Files.writeString(
        event,
        terrain.server.testkit.TestEnv.ticketEvent(
            EVENT, terrain.server.testkit.TestEnv.TICKET_REWARDS));
    server =
        SyncServer.start(
            new ServerConfig(
                MigratedDerby.serverData(dir.resolve("server")),
                0,
                0,
                null,
                null,
                null,
                false,
                "127.0.0.1",
                List.of(event),
                false,
                ADMIN,
                1000,
                List.of(),
                false,
                null,
                null,
                null,
                terrain.core.wire.Topics.DEFAULT_INGEST_GROUP,
                false,
                terrain.server.followup.MailSettings.NONE,
                0),
            clock,
            random);
    http = new Http(server.baseUrl());
    mqttUrl = "tcp://127.0.0.1:" + server.brokerPort();
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** A device as it enrols itself: its own keys and secret. */
  record Device(EnrolmentText text, DeviceKeys keys, String secret) {
    DeviceId id() {
      return text.device();
    }

    String enrolBody() {
      return "{\"device\":\""
          + text.device()
          + "\",\"token\":\""
          + text.token()
          + "\",\"publicKey\":\""
          + keys.publicKeyText()
          + "\",\"secretHash\":\""
          + MqttSecret.hash(secret)
          + "\",\"version\":\"0.1.0\"}";
    }
  }

  Http.Reply admin(String method, String path, String json) throws Exception {
    return http.send(method, path, json, "Authorization", "Bearer " + ADMIN);
  }

  Device order(String json) throws Exception {
    Http.Reply reply = admin("POST", "/api/admin/devices", json);
    assertEquals(201, reply.status(), reply.body());
    return fresh(reply.json().get(0).get("enrolment").asText());
  }

  Device fresh(String enrolment) throws Exception {
    return new Device(
        EnrolmentText.parse(enrolment), DeviceKeys.generate(random), MqttSecret.generate(random));
  }

  Bundle enrol(Device device) throws Exception {
    Http.Reply reply = http.send("POST", "/api/enrol", device.enrolBody());
    assertEquals(200, reply.status(), reply.body());
    return SignedBundle.parse(reply.json().get("bundle").asText()).verify(serverKey().publicKey());
  }

  DeviceKeys serverKey() throws Exception {
    return DeviceKeys.fromPkcs8(Files.readAllBytes(ServerKeyFile.path(dir.resolve("server"))));
  }

  MqttPeer login(Device device, String secret) throws MqttException {
    return MqttPeer.Options.of(mqttUrl, device.id().value())
        .as(MqttCredentials.deviceUsername(device.id().value()), secret)
        .connect();
  }

  @Test
  void enrol_happyPath_returnsABundleSignedByTheServerKey() throws Exception {
    Http.Reply created =
        admin(
            "POST",
            "/api/admin/devices",
            "{\"kind\":\"kiosk\",\"event\":\""
                + EVENT
                + "\",\"name\":\"Stand mairie\",\"count\":2,\"hub\":\"tcp://192.168.1.10:1883\","
                + "\"pin\":\"4821\"}");
    assertEquals(201, created.status(), created.body());
    JsonNode first = created.json().get(0);
    assertTrue(first.get("id").asText().matches("kiosk-[0-9a-f]{6}"), created.body());
    assertEquals("Stand mairie 1", first.get("name").asText());
    assertEquals("Stand mairie 2", created.json().get(1).get("name").asText());
    assertTrue(first.get("enrolment").asText().startsWith(server.baseUrl() + "/enrol#v1/"));
    Device kiosk = fresh(first.get("enrolment").asText());

    Bundle bundle = enrol(kiosk);

    assertEquals(kiosk.id(), bundle.recipient());
    assertEquals(EVENT, bundle.eventId().value());
    assertEquals("tcp://192.168.1.10:1883", bundle.hub());
    assertEquals(serverKey().publicKeyText(), bundle.serverKey());
    Bundle.Entry self = bundle.self().orElseThrow();
    assertEquals(kiosk.keys().publicKeyText(), self.publicKey());
    assertEquals(MqttSecret.hash(kiosk.secret()), self.secretHash());
    assertEquals(DeviceKind.KIOSK, self.kind());
    assertTrue(PinHash.matches(bundle.pinHash(), "4821"), "the staff PIN travels hashed");
    assertTrue(bundle.sequence() > 0);
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(ServerKeyFile.path(dir.resolve("server")))));
    JsonNode listed = admin("GET", "/api/admin/devices?event=" + EVENT, null).json();
    boolean enrolled = false;
    for (JsonNode d : listed) {
      if (d.get("id").asText().equals(kiosk.id().value())) {
        enrolled = d.get("state").asText().equals("enrolled") && d.has("enrolledAt");
      }
    }
    assertTrue(enrolled, listed.toString());
  }

  @Test
  void enrol_tokenWorksOnce_secondUseIs410() throws Exception {
    Device kiosk = order("{\"kind\":\"tablet\",\"event\":\"" + EVENT + "\"}");
    enrol(kiosk);

    Device again = new Device(kiosk.text(), DeviceKeys.generate(random), "another-secret");
    Http.Reply reply = http.send("POST", "/api/enrol", again.enrolBody());

    assertEquals(410, reply.status(), reply.body());
    assertTrue(reply.body().contains("terrain provision device roll " + kiosk.id()), reply.body());
  }

  @Test
  void enrol_expiredToken_is410() throws Exception {
    Device kiosk = order("{\"kind\":\"kiosk\",\"event\":\"" + EVENT + "\",\"validHours\":1}");
    clock.advance(Duration.ofMinutes(61));

    Http.Reply reply = http.send("POST", "/api/enrol", kiosk.enrolBody());

    assertEquals(410, reply.status(), reply.body());
    assertTrue(reply.body().contains("expired"), reply.body());
    JsonNode listed = admin("GET", "/api/admin/devices", null).json();
    for (JsonNode d : listed) {
      if (d.get("id").asText().equals(kiosk.id().value())) {
        assertEquals("expired", d.get("state").asText());
      }
    }
  }

  @Test
  void enrol_unknownDeviceOrWrongToken_is404_malformedIs400() throws Exception {
    Device kiosk = order("{\"kind\":\"kiosk\",\"event\":\"" + EVENT + "\"}");
    Device unknown =
        fresh(
            new EnrolmentText(
                    java.net.URI.create(server.baseUrl()),
                    DeviceId.of("kiosk-000000"),
                    kiosk.text().token())
                .text());
    Device wrongToken =
        fresh(
            new EnrolmentText(
                    java.net.URI.create(server.baseUrl()),
                    kiosk.id(),
                    EnrolmentText.newToken(random))
                .text());

    Http.Reply a = http.send("POST", "/api/enrol", unknown.enrolBody());
    Http.Reply b = http.send("POST", "/api/enrol", wrongToken.enrolBody());

    assertEquals(404, a.status(), a.body());
    assertEquals(404, b.status(), b.body());
    assertEquals(a.body(), b.body(), "the same answer for an unknown device and a wrong token");
    for (String bad :
        List.of(
            "not json",
            "{}",
            kiosk.enrolBody().replace(kiosk.keys().publicKeyText(), "c2hvcnQ"),
            kiosk.enrolBody().replace(MqttSecret.hash(kiosk.secret()), "XYZ"),
            kiosk.enrolBody().replace(kiosk.text().token(), "short"))) {
      Http.Reply reply = http.send("POST", "/api/enrol", bad);
      assertEquals(400, reply.status(), bad + " -> " + reply.body());
      assertTrue(reply.json().has("error"));
    }
    // Still usable after all that: nothing was changed.
    enrol(kiosk);
  }

  @Test
  void enrol_tooManyAttemptsFromOneAddress_is429() throws Exception {
    Device kiosk = order("{\"kind\":\"kiosk\",\"event\":\"" + EVENT + "\"}");
    Device guess =
        fresh(
            new EnrolmentText(
                    java.net.URI.create(server.baseUrl()),
                    kiosk.id(),
                    EnrolmentText.newToken(random))
                .text());
    int status = 0;
    for (int i = 0; i <= DeviceApi.ENROL_ATTEMPTS_PER_MINUTE && status != 429; i++) {
      status = http.send("POST", "/api/enrol", guess.enrolBody()).status();
    }

    assertEquals(429, status, "guessing tokens is slowed down");
    clock.advance(Duration.ofMinutes(2));
    enrol(kiosk);
  }

  @Test
  void adminEndpoints_withoutTheToken_are401() throws Exception {
    assertEquals(401, http.get("/api/admin/devices").status());
    assertEquals(
        401,
        http.send("POST", "/api/admin/devices", "{\"kind\":\"kiosk\",\"event\":\"" + EVENT + "\"}")
            .status());
    assertEquals(
        401,
        http.send(
                "POST",
                "/api/admin/devices/kiosk-000000/revoke",
                "{}",
                "Authorization",
                "Bearer wrong-token-0123456789")
            .status());
    assertEquals(401, http.send("POST", "/api/admin/devices/kiosk-000000/roll", "{}").status());
    assertEquals(
        401,
        http.send("POST", "/api/admin/devices/kiosk-000000/replace", "{\"by\":\"x\"}").status());
  }

  @Test
  void adminCreate_refusesBadFields() throws Exception {
    for (String bad :
        List.of(
            "{\"kind\":\"toaster\",\"event\":\"" + EVENT + "\"}",
            "{\"kind\":\"kiosk\",\"event\":\"Not An Id\"}",
            "{\"kind\":\"kiosk\",\"event\":\"" + EVENT + "\",\"count\":201}",
            "{\"kind\":\"kiosk\",\"event\":\"" + EVENT + "\",\"validHours\":721}",
            "{\"kind\":\"kiosk\",\"event\":\"" + EVENT + "\",\"pin\":\"12\"}",
            "{\"kind\":\"kiosk\",\"event\":\"" + EVENT + "\",\"hub\":\"http://x\"}")) {
      Http.Reply reply = admin("POST", "/api/admin/devices", bad);
      assertEquals(400, reply.status(), bad + " -> " + reply.body());
    }
  }

  @Test
  void mqtt_enrolledDeviceLogsInWithItsOwnSecret_othersAreRefused() throws Exception {
    Device kiosk = order("{\"kind\":\"kiosk\",\"event\":\"" + EVENT + "\"}");
    Device waiting = order("{\"kind\":\"kiosk\",\"event\":\"" + EVENT + "\"}");
    enrol(kiosk);

    try (MqttPeer peer = login(kiosk, kiosk.secret())) {
      assertTrue(peer.isConnected());
    }
    assertThrows(MqttException.class, () -> login(kiosk, "wrong-secret").close());
    assertThrows(MqttException.class, () -> login(waiting, waiting.secret()).close());
    String devPassword =
        MqttCredentials.passwordFor(
            MqttCredentials.DEVELOPMENT_KEY, MqttCredentials.deviceUsername(kiosk.id().value()));
    assertThrows(
        MqttException.class,
        () -> login(kiosk, devPassword).close(),
        "the development site key is refused without --dev");
  }

  @Test
  void revoke_disconnectsTheConnectedDeviceAndRefusesItAfter() throws Exception {
    Device kiosk = order("{\"kind\":\"kiosk\",\"event\":\"" + EVENT + "\"}");
    enrol(kiosk);
    try (MqttPeer peer = login(kiosk, kiosk.secret())) {

      Http.Reply reply = admin("POST", "/api/admin/devices/" + kiosk.id() + "/revoke", "{}");

      assertEquals(200, reply.status(), reply.body());
      assertEquals("revoked", reply.json().get("state").asText());
      assertNotNull(reply.json().get("revokedAfter"));
      peer.awaitDisconnect();
      await().atMost(Duration.ofSeconds(10)).until(() -> !peer.isConnected());
    }
    assertThrows(MqttException.class, () -> login(kiosk, kiosk.secret()).close());
  }

  @Test
  void roll_givesANewToken_newKeysSameIdentity_oldTicketsStillVerify() throws Exception {
    Device kiosk = order("{\"kind\":\"kiosk\",\"event\":\"" + EVENT + "\"}");
    enrol(kiosk);
    SignedTicket before = ticket(kiosk, 1);

    Http.Reply rolled = admin("POST", "/api/admin/devices/" + kiosk.id() + "/roll", null);
    assertEquals(200, rolled.status(), rolled.body());
    Device again = fresh(rolled.json().get("enrolment").asText());
    assertEquals(kiosk.id(), again.id());
    assertNotEquals(kiosk.text().token(), again.text().token());
    Bundle bundle = enrol(again);

    assertEquals(again.keys().publicKeyText(), bundle.self().orElseThrow().publicKey());
    SignedTicket after = ticket(again, 2);
    String wallet = http.send("POST", "/api/wallets", null).json().get("token").asText();
    for (SignedTicket t : List.of(before, after)) {
      Http.Reply claim =
          http.send(
              "POST",
              "/api/claims",
              "{\"code\":\"" + t.code() + "\"}",
              "Authorization",
              "Bearer " + wallet);
      assertEquals(201, claim.status(), claim.body());
    }
    assertThrows(MqttException.class, () -> login(kiosk, kiosk.secret()).close());
    try (MqttPeer peer = login(again, again.secret())) {
      assertTrue(peer.isConnected());
    }
  }

  @Test
  void config_retainedBundleReachesAHubWithTheNewRevocation() throws Exception {
    String event = "marche-config";
    Device hub = order("{\"kind\":\"hub\",\"event\":\"" + event + "\"}");
    Device kiosk = order("{\"kind\":\"kiosk\",\"event\":\"" + event + "\"}");
    Bundle hubBundle = enrol(hub);
    assertEquals("tcp://127.0.0.1:" + server.brokerPort(), hubBundle.uplink());
    enrol(kiosk);
    String topic = Topics.eventConfig(event);
    await().atMost(Duration.ofSeconds(10)).until(server::configsPublished);

    try (MqttPeer peer =
        MqttPeer.Options.of(mqttUrl, hub.id().value())
            .as(MqttCredentials.hubUsername(hub.id().value()), hub.secret())
            .connect()) {
      peer.subscribe(topic);
      Bundle retained = config(peer.next());
      assertNull(retained.recipient());
      assertTrue(retained.device(kiosk.id()).orElseThrow().revokedAfter() == null);

      admin("POST", "/api/admin/devices/" + kiosk.id() + "/revoke", "{}");

      Bundle changed = config(peer.next());
      assertTrue(changed.sequence() > retained.sequence());
      assertNotNull(changed.device(kiosk.id()).orElseThrow().revokedAfter());
      assertFalse(changed.device(hub.id()).orElseThrow().revokedAfter() != null);
    }
  }

  @Test
  void replace_revokesTheOldAndGivesItsNameToTheNew() throws Exception {
    Device old = order("{\"kind\":\"kiosk\",\"event\":\"" + EVENT + "\",\"name\":\"Entree\"}");
    Device by = order("{\"kind\":\"kiosk\",\"event\":\"" + EVENT + "\"}");
    enrol(old);

    Http.Reply reply =
        admin(
            "POST", "/api/admin/devices/" + old.id() + "/replace", "{\"by\":\"" + by.id() + "\"}");

    assertEquals(200, reply.status(), reply.body());
    assertEquals(by.id().value(), reply.json().get("replacedBy").asText());
    assertEquals("revoked", reply.json().get("state").asText());
    Bundle bundle = enrol(by);
    assertEquals("Entree", bundle.self().orElseThrow().name());
    Http.Reply wrongKind =
        admin(
            "POST",
            "/api/admin/devices/" + by.id() + "/replace",
            "{\"by\":\"" + order("{\"kind\":\"hub\",\"event\":\"" + EVENT + "\"}").id() + "\"}");
    assertEquals(409, wrongKind.status(), wrongKind.body());
  }

  private Bundle config(MqttPeer.Message message) throws Exception {
    return SignedBundle.parse(message.text()).verify(serverKey().publicKey());
  }

  private static SignedTicket ticket(Device device, long serial) {
    Ticket ticket =
        Ticket.of(
            device.id(),
            serial,
            terrain.core.id.EventId.of(EVENT),
            "response",
            1,
            Instant.now().getEpochSecond() - 60,
            180,
            false);
    return TicketCodec.sign(ticket, device.keys().privateKey());
  }
}
