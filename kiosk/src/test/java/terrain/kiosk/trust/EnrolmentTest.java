// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;
import terrain.core.trust.MqttSecret;
import terrain.core.trust.PinHash;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.testing.TestEnrolServer;
import terrain.kiosk.testing.TestEvents;

/** A kiosk enrols with a server made in the test, keeps its trust, and restarts without it. */
class EnrolmentTest {
  @TempDir Path dir;
  private TestEnrolServer server;
  private final Enrolment enrolment = Enrolment.withDefaultClient(new SecureRandom());

  @BeforeEach
  void startServer() throws Exception {
    server = TestEnrolServer.start().hub("tcp://127.0.0.1:1883");
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private Path data() {
    return dir.resolve("kiosk");
  }

  @Test
  void enrol_whenServerAnswers_sendsOnlyThePublicPartsAndKeepsThemOwnerOnly() throws Exception {
    EnrolmentText text = server.device("kiosk-3f9a1c", DeviceKind.KIOSK);

    DeviceTrust trust = enrolment.enrol(text, data(), DeviceKind.KIOSK, Optional.empty());

    assertEquals(DeviceId.of("kiosk-3f9a1c"), trust.deviceId());
    assertEquals(1, server.requests().size());
    assertEquals(java.util.List.of(), server.problems());
    String request = server.requests().get(0);
    JsonNode body = new ObjectMapper().readTree(request);
    assertEquals("kiosk-3f9a1c", body.get("device").asText());
    assertEquals(text.token(), body.get("token").asText());
    byte[] publicKey = Base64.getUrlDecoder().decode(body.get("publicKey").asText());
    assertEquals(32, publicKey.length);
    assertArrayEquals(trust.keys().publicKeyRaw(), publicKey);
    String secretHash = body.get("secretHash").asText();
    assertTrue(secretHash.matches("[0-9a-f]{64}"), secretHash);
    assertEquals(MqttSecret.hash(trust.mqttSecret()), secretHash);
    // Neither the secret nor the private key leaves the device, in any usual encoding.
    byte[] pkcs8 = trust.keys().privateKeyPkcs8();
    byte[] seed = java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
    for (String secretForm :
        java.util.List.of(
            trust.mqttSecret(),
            Base64.getEncoder().encodeToString(pkcs8),
            Base64.getUrlEncoder().withoutPadding().encodeToString(pkcs8),
            Base64.getUrlEncoder().withoutPadding().encodeToString(seed),
            Base64.getEncoder().encodeToString(seed),
            HexFormat.of().formatHex(seed))) {
      assertFalse(request.contains(secretForm), "the request holds a secret: " + request);
    }

    Path trustDir = data().resolve("trust");
    assertEquals("rwx------", perms(trustDir));
    for (String file : java.util.List.of("bundle", "device-ed25519.pk8", "mqtt.secret")) {
      assertEquals("rw-------", perms(trustDir.resolve(file)), file);
    }
    assertArrayEquals(pkcs8, Files.readAllBytes(trustDir.resolve("device-ed25519.pk8")));
    assertEquals(trust.mqttSecret(), Files.readString(trustDir.resolve("mqtt.secret")));
    try (var files = Files.list(trustDir)) {
      assertEquals(3, files.count(), "no temporary file left behind");
    }
    assertEquals(Optional.of("tcp://127.0.0.1:1883"), trust.hub());
    assertEquals(Optional.of("claim.example.org"), trust.claimHost());
    assertTrue(PinHash.matches(trust.pinHash().orElseThrow(), TestEnrolServer.PIN));
  }

  @Test
  void load_whenServerGone_restartsWithTheEnrolledIdentity() throws Exception {
    DeviceTrust enrolled =
        enrolment.enrol(
            server.device("kiosk-a1b2c3", DeviceKind.KIOSK),
            data(),
            DeviceKind.KIOSK,
            Optional.empty());
    server.close();

    DeviceTrust loaded = DeviceTrust.load(data()).orElseThrow();

    assertEquals(enrolled.deviceId(), loaded.deviceId());
    assertEquals(enrolled.keys().publicKeyText(), loaded.keys().publicKeyText());
    assertEquals(enrolled.mqttSecret(), loaded.mqttSecret());
    assertEquals(enrolled.bundleText(), loaded.bundleText());
    Path event = loaded.writeEvent(data());
    assertEquals(TestEvents.marketYaml(), Files.readString(event));
    for (int start = 0; start < 2; start++) {
      try (KioskEngine engine =
          KioskEngine.openEnrolled(data(), DeviceTrust.load(data()).orElseThrow(), clock())) {
        assertEquals(DeviceId.of("kiosk-a1b2c3"), engine.deviceId());
        assertEquals(loaded.keys().publicKey(), engine.publicKey());
        assertEquals(
            0, engine.pendingCount(), "the server knows an enrolled key: no DEVICE_KEY record");
      }
    }
  }

  @Test
  void enrol_whenTokenUsed_saysAskOpsAndWritesNothing() throws Exception {
    EnrolmentText text = server.device("kiosk-0a0b0c", DeviceKind.KIOSK);
    enrolment.enrol(text, dir.resolve("first"), DeviceKind.KIOSK, Optional.empty());

    EnrolmentException e =
        assertThrows(
            EnrolmentException.class,
            () -> enrolment.enrol(text, data(), DeviceKind.KIOSK, Optional.empty()));

    assertTrue(e.getMessage().contains("already used"), e.getMessage());
    assertTrue(
        e.getMessage().contains("terrain provision device roll kiosk-0a0b0c"), e.getMessage());
    assertTrue(Files.notExists(data()), "nothing written");
  }

  @Test
  void enrol_whenTokenUnknown_saysSoAndWritesNothing() throws Exception {
    EnrolmentText text =
        new EnrolmentText(
            server.uri(), DeviceId.of("kiosk-ffffff"), EnrolmentText.newToken(new SecureRandom()));

    EnrolmentException e =
        assertThrows(
            EnrolmentException.class,
            () -> enrolment.enrol(text, data(), DeviceKind.KIOSK, Optional.empty()));

    assertTrue(e.getMessage().contains("unknown"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown device or token"), e.getMessage());
    assertTrue(Files.notExists(data()));
  }

  @Test
  void enrol_whenServerUnreachable_saysCheckTheNetwork() throws Exception {
    EnrolmentText text = server.device("kiosk-123456", DeviceKind.KIOSK);
    server.close();

    EnrolmentException e =
        assertThrows(
            EnrolmentException.class,
            () -> enrolment.enrol(text, data(), DeviceKind.KIOSK, Optional.empty()));

    assertTrue(
        e.getMessage().startsWith("Cannot reach the server " + server.uri()), e.getMessage());
    assertTrue(e.getMessage().contains("network"), e.getMessage());
    assertTrue(Files.notExists(data()));
  }

  @Test
  void enrol_whenFolderBelongsToAnotherDevice_namesItAndChangesNothing() throws Exception {
    DeviceId other;
    try (KioskEngine dev =
        KioskEngine.open(data(), Optional.empty(), clock(), new SplittableRandom(3))) {
      other = dev.deviceId();
    }
    byte[] keyBefore = Files.readAllBytes(data().resolve("trust/device-ed25519.pk8"));
    EnrolmentText text = server.device("kiosk-abcdef", DeviceKind.KIOSK);

    EnrolmentException e =
        assertThrows(
            EnrolmentException.class,
            () ->
                enrolment.enrol(
                    text, data(), DeviceKind.KIOSK, KioskEngine.storedDeviceId(data())));

    assertTrue(e.getMessage().contains("belongs to device " + other), e.getMessage());
    assertTrue(e.getMessage().contains("use another --data"), e.getMessage());
    assertTrue(e.getMessage().contains("roll " + other), e.getMessage());
    assertEquals(0, server.requests().size(), "refused before asking the server");
    assertArrayEquals(keyBefore, Files.readAllBytes(data().resolve("trust/device-ed25519.pk8")));
    assertFalse(DeviceTrust.enrolled(data()));
  }

  @Test
  void enrol_whenEnrolledAsTablet_saysAddModeTablet() throws Exception {
    EnrolmentText text = server.device("tablet-aaaaaa", DeviceKind.TABLET);

    EnrolmentException e =
        assertThrows(
            EnrolmentException.class,
            () -> enrolment.enrol(text, data(), DeviceKind.KIOSK, Optional.empty()));

    assertTrue(e.getMessage().contains("--mode tablet"), e.getMessage());
    assertTrue(Files.notExists(data()));
  }

  @Test
  void read_whenFileHoldsTheText_readsIt() throws Exception {
    EnrolmentText text = server.device("kiosk-bbbbbb", DeviceKind.KIOSK);
    Path file = dir.resolve("kit.txt");
    Files.writeString(file, "\n" + text.text() + "\n");

    assertEquals(text, Enrolment.read(file.toString()));
    assertEquals(text, Enrolment.read(text.text()));
    EnrolmentException e =
        assertThrows(EnrolmentException.class, () -> Enrolment.read("not-a-kit"));
    assertTrue(e.getMessage().contains("enrolment text"), e.getMessage());
  }

  @Test
  void load_whenKeyFileReplaced_refusesWithWhatToDo() throws Exception {
    enrolment.enrol(
        server.device("kiosk-cccccc", DeviceKind.KIOSK),
        data(),
        DeviceKind.KIOSK,
        Optional.empty());
    DeviceTrust.writeKey(data(), DeviceKeys.generate(new SecureRandom()));

    var e = assertThrows(terrain.core.trust.TrustException.class, () -> DeviceTrust.load(data()));

    assertTrue(e.getMessage().contains("another public key"), e.getMessage());
    assertTrue(e.getMessage().contains("enrol the device again"), e.getMessage());
  }

  private static Clock clock() {
    return Clock.systemUTC();
  }

  private static String perms(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
