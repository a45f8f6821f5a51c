// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.hub.TestSupport.FAST_UPLINK;
import static terrain.hub.TestSupport.awaitJson;
import static terrain.hub.TestSupport.freePort;
import static terrain.testkit.TextAssertions.assertContainsAll;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.trust.EnrolmentText;
import terrain.hub.trust.Enroller;
import terrain.hub.trust.EnrolmentException;
import terrain.hub.trust.HubTrust;
import terrain.hub.trust.TrustFiles;

/** A hub's enrolment against a server stand-in: what it keeps, and what it refuses to do. */
class HubEnrolmentTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private final Enroller enroller = new Enroller(new SecureRandom());

  @Test
  void enrol_storesTrustOwnerOnly_andASecondStartNeedsNoServer() throws Exception {
    Path data = dir.resolve("hub");
    int port = freePort();
    HubTrust enrolled;
    try (ServerStandIn server = new ServerStandIn()) {
      server.uplink("tcp://127.0.0.1:" + port);
      server.enrolledKiosk("kiosk-aa0001");
      enrolled = enroller.enrol(server.waitingHub("hub-a1b2c3"), data);
    }
    assertEquals(DeviceId.of("hub-a1b2c3"), enrolled.id());

    Path trust = data.resolve(TrustFiles.FOLDER);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(trust)));
    for (String file : new String[] {TrustFiles.BUNDLE, TrustFiles.KEY, TrustFiles.SECRET}) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(trust.resolve(file))),
          file);
    }
    try (var listing = Files.list(trust)) {
      assertEquals(3, listing.count(), "no temporary file left behind");
    }

    // The server is gone: the hub starts from its trust folder alone.
    HubTrust loaded = HubTrust.load(data).orElseThrow();
    assertEquals(enrolled.current().sha256(), loaded.current().sha256());
    assertEquals("tcp://127.0.0.1:" + port, loaded.enrolment().uplink());
    HubConfig config =
        HubConfig.enrolled(data, port, 0, loaded.enrolment().uplink(), loaded)
            .withBindAddress("127.0.0.1")
            .withUplinkSettings(FAST_UPLINK);
    try (Hub hub = Hub.start(config, Clock.systemUTC(), new SecureRandom())) {
      assertEquals("hub-a1b2c3", hub.id().value());
      // Its uplink logs in as hub:hub-a1b2c3 with its own secret (here on its own broker).
      awaitJson(hub.httpUrl() + "/api/status", s -> s.path("uplink").asText().equals("up"), WAIT);
    }
  }

  @Test
  void enrol_whenTokenUsedOrUnknown_printsTheServersErrorAndChangesNothing() throws Exception {
    try (ServerStandIn server = new ServerStandIn()) {
      server.uplink("tcp://127.0.0.1:1883");
      EnrolmentText text = server.waitingHub("hub-c0ffee");
      enroller.enrol(text, dir.resolve("first"));

      Path second = dir.resolve("second");
      EnrolmentException used =
          assertThrows(EnrolmentException.class, () -> enroller.enrol(text, second));
      assertContainsAll(
          used.getMessage(),
          "already used or has expired",
          "this enrolment token was already used: ask ops for a new one: terrain provision"
              + " device roll hub-c0ffee",
          "Nothing was changed");
      assertFalse(Files.exists(second), "nothing written for a used token");

      EnrolmentText unknown =
          new EnrolmentText(server.url(), DeviceId.of("hub-c0ffee"), "A".repeat(32));
      EnrolmentException notFound =
          assertThrows(EnrolmentException.class, () -> enroller.enrol(unknown, second));
      assertContainsAll(
          notFound.getMessage(),
          "does not know this device or token",
          "unknown device or token: check the enrolment text");
      assertFalse(Files.exists(second));
    }
  }

  @Test
  void enrol_whenFolderBelongsToAnotherHub_refusesAndKeepsIt() throws Exception {
    Path data = dir.resolve("hub");
    try (ServerStandIn server = new ServerStandIn()) {
      server.uplink("tcp://127.0.0.1:1883");
      enroller.enrol(server.waitingHub("hub-aaaaaa"), data);
      byte[] before = Files.readAllBytes(data.resolve("trust/bundle"));

      EnrolmentException e =
          assertThrows(
              EnrolmentException.class,
              () -> enroller.enrol(server.waitingHub("hub-bbbbbb"), data));

      assertContainsAll(
          e.getMessage(),
          "this folder belongs to hub hub-aaaaaa: use another --data or roll hub-aaaaaa");
      assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(data.resolve("trust/bundle"))));
    }
  }

  @Test
  void enrol_whenServerUnreachable_saysSoAndChangesNothing() throws Exception {
    Path data = dir.resolve("hub");
    EnrolmentText text =
        new EnrolmentText(
            URI.create("http://127.0.0.1:" + freePort()),
            DeviceId.of("hub-dddddd"),
            "B".repeat(32));

    EnrolmentException e = assertThrows(EnrolmentException.class, () -> enroller.enrol(text, data));

    assertContainsAll(e.getMessage(), "cannot reach the sync server at http://127.0.0.1:");
    assertFalse(Files.exists(data));
  }

  @Test
  void hubMain_whenEnrolFileHoldsAUsedText_printsTheServersErrorAndExits1() throws Exception {
    try (ServerStandIn server = new ServerStandIn()) {
      server.uplink("tcp://127.0.0.1:1883");
      EnrolmentText text = server.waitingHub("hub-0f0f0f");
      enroller.enrol(text, dir.resolve("first"));
      Path file = dir.resolve("kit.txt");
      Files.writeString(file, text.text() + "\n");
      Path data = dir.resolve("second");
      java.io.StringWriter err = new java.io.StringWriter();

      int code =
          HubMain.run(
              java.util.Map.of(),
              new java.io.PrintWriter(new java.io.StringWriter(), true),
              new java.io.PrintWriter(err, true),
              "--enrol",
              file.toString(),
              "--data",
              data.toString(),
              "--mqtt",
              "0",
              "--http",
              "0");

      assertEquals(1, code, err.toString());
      assertContainsAll(
          err.toString(),
          "Cannot enrol the hub: this enrolment text was already used or has expired",
          "terrain provision device roll hub-0f0f0f");
      assertFalse(Files.exists(data));
    }
  }

  @Test
  void load_whenNeverEnrolled_isEmpty() throws Exception {
    assertEquals(Optional.empty(), HubTrust.load(dir));
  }
}
