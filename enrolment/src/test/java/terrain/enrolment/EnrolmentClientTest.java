// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.enrolment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.testkit.TextAssertions.assertContainsAll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;
import terrain.core.trust.MqttSecret;
import terrain.core.trust.TrustException;
import terrain.testkit.TestEnrolServer;

/**
 * A device enrols with a server stand-in (a JDK HTTP server playing {@code POST /api/enrol}), keeps
 * its trust owner-only, reads it back with no network, and refuses what it must refuse without
 * writing anything.
 */
class EnrolmentClientTest {
  private static final Set<DeviceKind> KIOSK = EnumSet.of(DeviceKind.KIOSK);
  private static final Set<DeviceKind> HUB = EnumSet.of(DeviceKind.HUB);

  @TempDir Path dir;
  private TestEnrolServer server;
  private final EnrolmentClient client = EnrolmentClient.withDefaultClient(new SecureRandom());

  @BeforeEach
  void startServer() throws Exception {
    server = TestEnrolServer.start().hub("tcp://127.0.0.1:1883");
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private Path data() {
    return dir.resolve("device");
  }

  @Test
  void enrol_whenServerAnswers_sendsOnlyThePublicPartsAndKeepsThemOwnerOnly() throws Exception {
    EnrolmentText text = server.device("kiosk-3f9a1c", DeviceKind.KIOSK);

    EnrolledDevice device = client.enrol(text, data(), KIOSK, Optional.empty());

    assertEquals(DeviceId.of("kiosk-3f9a1c"), device.id());
    assertEquals(DeviceKind.KIOSK, device.kind());
    assertEquals(1, server.requests().size());
    assertEquals(List.of(), server.problems());
    String request = server.requests().get(0);
    JsonNode body = new ObjectMapper().readTree(request);
    assertEquals("kiosk-3f9a1c", body.get("device").asText());
    assertEquals(text.token(), body.get("token").asText());
    assertEquals(EnrolmentClient.version(), body.get("version").asText());
    byte[] publicKey = Base64.getUrlDecoder().decode(body.get("publicKey").asText());
    assertEquals(32, publicKey.length);
    assertArrayEquals(device.keys().publicKeyRaw(), publicKey);
    String secretHash = body.get("secretHash").asText();
    assertTrue(secretHash.matches("[0-9a-f]{64}"), secretHash);
    assertEquals(MqttSecret.hash(device.mqttSecret()), secretHash);
    // Neither the secret nor the private key leaves the device, in any usual encoding.
    byte[] pkcs8 = device.keys().privateKeyPkcs8();
    byte[] seed = java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
    for (String secretForm :
        List.of(
            device.mqttSecret(),
            Base64.getEncoder().encodeToString(pkcs8),
            Base64.getUrlEncoder().withoutPadding().encodeToString(pkcs8),
            Base64.getUrlEncoder().withoutPadding().encodeToString(seed),
            Base64.getEncoder().encodeToString(seed),
            HexFormat.of().formatHex(seed))) {
      assertFalse(request.contains(secretForm), "the request holds a secret: " + request);
    }

    Path trust = data().resolve(TrustFiles.FOLDER);
    assertEquals("rwx------", perms(trust));
    for (String file : List.of(TrustFiles.BUNDLE, TrustFiles.KEY, TrustFiles.SECRET)) {
      assertEquals("rw-------", perms(trust.resolve(file)), file);
    }
    assertArrayEquals(pkcs8, Files.readAllBytes(trust.resolve(TrustFiles.KEY)));
    assertEquals(device.mqttSecret(), Files.readString(trust.resolve(TrustFiles.SECRET)));
    try (var files = Files.list(trust)) {
      assertEquals(3, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void load_whenServerGone_givesTheSameDevice() throws Exception {
    EnrolledDevice enrolled =
        client.enrol(server.device("hub-a1b2c3", DeviceKind.HUB), data(), HUB, Optional.empty());
    server.close();

    EnrolledDevice loaded = EnrolledDevice.load(data(), HUB).orElseThrow();

    assertEquals(enrolled.id(), loaded.id());
    assertEquals(enrolled.keys().publicKeyText(), loaded.keys().publicKeyText());
    assertEquals(enrolled.mqttSecret(), loaded.mqttSecret());
    assertEquals(enrolled.bundleText(), loaded.bundleText());
    assertEquals(enrolled.sha256(), loaded.sha256());
    assertArrayEquals(
        server.serverKeys().publicKeyRaw(), DeviceKeys.rawPublicKey(loaded.serverKey()));
  }

  @Test
  void load_whenNeverEnrolled_isEmpty() throws Exception {
    assertEquals(Optional.empty(), EnrolledDevice.load(dir, HUB));
  }

  @Test
  void load_whenKeyFileReplaced_refusesWithWhatToDo() throws Exception {
    client.enrol(server.device("kiosk-cccccc", DeviceKind.KIOSK), data(), KIOSK, Optional.empty());
    new TrustFiles(data())
        .write(TrustFiles.KEY, DeviceKeys.generate(new SecureRandom()).privateKeyPkcs8());

    TrustException e = assertThrows(TrustException.class, () -> EnrolledDevice.load(data(), KIOSK));

    assertContainsAll(e.getMessage(), "another public key", "enrol the device again");
  }

  @Test
  void load_whenSecretMissing_namesTheFile() throws Exception {
    client.enrol(server.device("kiosk-dddddd", DeviceKind.KIOSK), data(), KIOSK, Optional.empty());
    Files.delete(data().resolve("trust/mqtt.secret"));

    TrustException e = assertThrows(TrustException.class, () -> EnrolledDevice.load(data(), KIOSK));

    assertContainsAll(e.getMessage(), "misses", "mqtt.secret", "restore", "roll");
  }

  @Test
  void enrol_whenTokenUsed_saysAlreadyUsedWithTheServersWordsAndWritesNothing() throws Exception {
    EnrolmentText text = server.device("hub-c0ffee", DeviceKind.HUB);
    client.enrol(text, dir.resolve("first"), HUB, Optional.empty());

    EnrolmentException e =
        assertThrows(
            EnrolmentException.class, () -> client.enrol(text, data(), HUB, Optional.empty()));

    assertTrue(
        e.reason().startsWith("this enrolment text was already used or has expired"), e.reason());
    assertContainsAll(
        e.getMessage(),
        "This enrolment text was already used",
        "this enrolment was already used: ask ops for a new one: terrain provision device roll"
            + " hub-c0ffee",
        "Nothing was changed");
    assertTrue(Files.notExists(data()), "nothing written");
  }

  @Test
  void enrol_whenTokenUnknown_saysSoAndWritesNothing() throws Exception {
    EnrolmentText text =
        new EnrolmentText(
            server.uri(), DeviceId.of("kiosk-ffffff"), EnrolmentText.newToken(new SecureRandom()));

    EnrolmentException e =
        assertThrows(
            EnrolmentException.class, () -> client.enrol(text, data(), KIOSK, Optional.empty()));

    assertContainsAll(
        e.getMessage(),
        "does not know this device or token",
        "unknown device or token",
        "terrain provision device roll kiosk-ffffff");
    assertTrue(Files.notExists(data()));
  }

  @Test
  void enrol_whenServerUnreachable_saysCheckTheNetwork() throws Exception {
    EnrolmentText text = server.device("kiosk-123456", DeviceKind.KIOSK);
    server.close();

    EnrolmentException e =
        assertThrows(
            EnrolmentException.class, () -> client.enrol(text, data(), KIOSK, Optional.empty()));

    assertTrue(
        e.getMessage().startsWith("Cannot reach the server " + server.uri()), e.getMessage());
    assertTrue(e.reason().startsWith("cannot reach the server "), e.reason());
    assertContainsAll(e.getMessage(), "network", "Nothing was changed");
    assertTrue(Files.notExists(data()));
  }

  @Test
  void enrol_whenFolderBelongsToAnotherDevice_refusesBeforeAskingAndKeepsIt() throws Exception {
    client.enrol(server.device("hub-aaaaaa", DeviceKind.HUB), data(), HUB, Optional.empty());
    byte[] before = Files.readAllBytes(data().resolve("trust/bundle"));
    EnrolmentText other = server.device("hub-bbbbbb", DeviceKind.HUB);

    EnrolmentException e =
        assertThrows(
            EnrolmentException.class, () -> client.enrol(other, data(), HUB, Optional.empty()));

    assertContainsAll(
        e.getMessage(),
        "belongs to device hub-aaaaaa: use another --data folder for hub-bbbbbb, or roll"
            + " hub-aaaaaa (terrain provision device roll hub-aaaaaa)");
    assertEquals(1, server.requests().size(), "refused before asking the server");
    assertArrayEquals(before, Files.readAllBytes(data().resolve("trust/bundle")));
  }

  @Test
  void enrol_whenTheDatabaseHoldsAnotherId_refusesBeforeAsking() throws Exception {
    EnrolmentText text = server.device("kiosk-abcdef", DeviceKind.KIOSK);

    EnrolmentException e =
        assertThrows(
            EnrolmentException.class,
            () -> client.enrol(text, data(), KIOSK, Optional.of(DeviceId.of("kiosk-000001"))));

    assertContainsAll(e.getMessage(), "belongs to device kiosk-000001", "use another --data");
    assertEquals(0, server.requests().size());
  }

  @Test
  void enrol_whenEnrolledAsAnotherKind_saysWhichProgramToUse() throws Exception {
    EnrolmentText kiosk = server.device("kiosk-aaaaaa", DeviceKind.KIOSK);
    EnrolmentText hub = server.device("hub-aaaaab", DeviceKind.HUB);

    EnrolmentException asHub =
        assertThrows(
            EnrolmentException.class, () -> client.enrol(kiosk, data(), HUB, Optional.empty()));
    EnrolmentException asKiosk =
        assertThrows(
            EnrolmentException.class, () -> client.enrol(hub, data(), KIOSK, Optional.empty()));

    assertContainsAll(
        asHub.getMessage(),
        "kiosk-aaaaaa is enrolled as a kiosk, and this program runs as a hub",
        "terrain kiosk --enrol",
        "Nothing was changed");
    assertContainsAll(asKiosk.getMessage(), "enrol a hub with terrain hub --enrol");
    assertTrue(Files.notExists(data()));
  }

  @Test
  void enrol_forgetting_removesTheFilesOfTheEarlierEnrolment() throws Exception {
    new TrustFiles(data()).write("config", new byte[] {1});

    client
        .forgetting("config")
        .enrol(server.device("hub-f0f0f0", DeviceKind.HUB), data(), HUB, Optional.empty());

    assertTrue(Files.notExists(data().resolve("trust/config")));
    assertTrue(new TrustFiles(data()).enrolled());
  }

  @Test
  void read_whenFileHoldsTheText_readsIt() throws Exception {
    EnrolmentText text = server.device("kiosk-bbbbbb", DeviceKind.KIOSK);
    Path file = dir.resolve("kit.txt");
    Files.writeString(file, "\n" + text.text() + "\n");

    assertEquals(text, EnrolmentClient.read(file.toString()));
    assertEquals(text, EnrolmentClient.read(text.text()));
    EnrolmentException e =
        assertThrows(EnrolmentException.class, () -> EnrolmentClient.read("not-a-kit"));
    assertContainsAll(e.getMessage(), "enrolment text");
    assertContainsAll(
        assertThrows(EnrolmentException.class, () -> EnrolmentClient.read(" ")).getMessage(),
        "--enrol is empty");
  }

  @Test
  void trustFiles_writeReplacesAtomicallyAndOwnerOnly() throws Exception {
    TrustFiles files = new TrustFiles(data());
    files.write("x", new byte[] {1});
    files.write("x", new byte[] {2});

    assertArrayEquals(new byte[] {2}, files.read("x"));
    assertEquals("rw-------", perms(files.file("x")));
    try (var listing = Files.list(files.folder())) {
      assertEquals(1, listing.count());
    }
  }

  private static String perms(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
