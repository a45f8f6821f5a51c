// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static terrain.hub.TestSupport.awaitJson;
import static terrain.hub.TestSupport.freePort;
import static terrain.hub.TestSupport.startOnFreePort;
import static terrain.testkit.TextAssertions.assertContainsAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.trust.EnrolmentText;
import terrain.enrolment.EnrolmentClient;
import terrain.hub.trust.HubTrust;

/**
 * A hub's enrolment against a server stand-in: it starts from what it keeps, with no server. The
 * enrolment itself (requests, refusals, files) is tested in the enrolment module.
 */
class HubEnrolmentTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private final EnrolmentClient client = EnrolmentClient.withDefaultClient(new SecureRandom());

  @Test
  void enrol_thenASecondStartNeedsNoServer() throws Exception {
    Path data = dir.resolve("hub");
    int port = freePort();
    HubTrust enrolled;
    try (ServerStandIn server = new ServerStandIn()) {
      server.uplink("tcp://127.0.0.1:" + port);
      server.enrolledKiosk("kiosk-aa0001");
      enrolled = HubTrust.enrol(client, server.waitingHub("hub-a1b2c3"), data);
    }
    assertEquals(DeviceId.of("hub-a1b2c3"), enrolled.id());

    // The server is gone: the hub starts from its trust folder alone.
    HubTrust loaded = HubTrust.load(data).orElseThrow();
    assertEquals(enrolled.current().sha256(), loaded.current().sha256());
    assertEquals("tcp://127.0.0.1:" + port, loaded.enrolment().uplink());
    try (Hub hub = startOnFreePort(TestSupport.enrolledAt(data, loaded))) {
      assertEquals("hub-a1b2c3", hub.id().value());
      // Its uplink logs in as hub:hub-a1b2c3 with its own secret (here on its own broker).
      awaitJson(hub.httpUrl() + "/api/status", s -> s.path("uplink").asText().equals("up"), WAIT);
    }
  }

  @Test
  void hubMain_whenEnrolFileHoldsAUsedText_printsTheServersErrorAndExits1() throws Exception {
    try (ServerStandIn server = new ServerStandIn()) {
      server.uplink("tcp://127.0.0.1:1883");
      EnrolmentText text = server.waitingHub("hub-0f0f0f");
      HubTrust.enrol(client, text, dir.resolve("first"));
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
