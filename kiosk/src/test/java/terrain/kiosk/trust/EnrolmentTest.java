// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;
import terrain.core.trust.PinHash;
import terrain.enrolment.EnrolmentClient;
import terrain.enrolment.EnrolmentException;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.testing.TestEnrolment;
import terrain.kiosk.testing.TestEvents;
import terrain.testkit.TestEnrolServer;

/**
 * A kiosk enrols with a server made in the test, takes what it needs from its bundle, and restarts
 * without the server. The enrolment itself (requests, refusals, files) is tested in the enrolment
 * module.
 */
class EnrolmentTest {
  @TempDir Path dir;
  private TestEnrolServer server;
  private final EnrolmentClient client = EnrolmentClient.withDefaultClient(new SecureRandom());

  @BeforeEach
  void startServer() throws Exception {
    server = TestEvents.enrolServer().hub("tcp://127.0.0.1:1883");
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private Path data() {
    return dir.resolve("kiosk");
  }

  @Test
  void enrol_whenServerAnswers_givesTheHubClaimHostAndPinOfTheBundle() throws Exception {
    DeviceTrust trust =
        TestEnrolment.kiosk(server.device("kiosk-3f9a1c", DeviceKind.KIOSK), data());

    assertEquals(DeviceId.of("kiosk-3f9a1c"), trust.deviceId());
    assertEquals(DeviceKind.KIOSK, trust.kind());
    assertEquals(Optional.of("tcp://127.0.0.1:1883"), trust.hub());
    assertEquals(Optional.of("claim.example.org"), trust.claimHost());
    assertTrue(PinHash.matches(trust.pinHash().orElseThrow(), TestEnrolServer.PIN));
  }

  @Test
  void load_whenServerGone_restartsWithTheEnrolledIdentity() throws Exception {
    DeviceTrust enrolled =
        TestEnrolment.kiosk(server.device("kiosk-a1b2c3", DeviceKind.KIOSK), data());
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
  void enrol_whenFolderHoldsAnotherDevicesDatabase_namesItAndChangesNothing() throws Exception {
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
                client.enrol(
                    text,
                    data(),
                    EnumSet.of(DeviceKind.KIOSK),
                    KioskEngine.storedDeviceId(data())));

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
            () -> client.enrol(text, data(), EnumSet.of(DeviceKind.KIOSK), Optional.empty()));

    assertTrue(e.getMessage().contains("--mode tablet"), e.getMessage());
    assertTrue(Files.notExists(data()));
  }

  private static Clock clock() {
    return Clock.systemUTC();
  }
}
