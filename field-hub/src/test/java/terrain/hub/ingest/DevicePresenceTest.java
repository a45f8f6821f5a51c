// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import terrain.core.record.DeviceId;

class DevicePresenceTest {
  private final DevicePresence presence =
      new DevicePresence(Clock.fixed(Instant.ofEpochMilli(5_000), ZoneOffset.UTC));
  private final DeviceId kiosk = DeviceId.of("kiosk-1");

  @Test
  void handle_whenOnlineThenOffline_tracksTheLastStatus() {
    presence.handle("terrain/v1/dev/kiosk-1/status", bytes("online"));
    assertTrue(presence.snapshot().get(kiosk).online());

    presence.handle("terrain/v1/dev/kiosk-1/status", bytes(" OFFLINE\n"));

    assertFalse(presence.snapshot().get(kiosk).online());
    assertEquals(5_000, presence.snapshot().get(kiosk).since());
  }

  @Test
  void handle_whenPayloadUnknownOrTopicForeign_ignoresIt() {
    presence.handle("terrain/v1/dev/kiosk-1/status", bytes("maybe"));
    presence.handle("terrain/v1/hub/hub-1/status", bytes("online"));
    presence.handle("terrain/v1/dev/bad id/status", bytes("online"));

    assertTrue(presence.snapshot().isEmpty());
  }

  @Test
  void handle_whenRetainedStatusCleared_forgetsTheDevice() {
    presence.handle("terrain/v1/dev/kiosk-1/status", bytes("online"));

    presence.handle("terrain/v1/dev/kiosk-1/status", new byte[0]);

    assertTrue(presence.snapshot().isEmpty());
  }

  @Test
  void handle_whenFirstJsonStatusIsFresh_keepsItsTime() {
    DevicePresence later =
        new DevicePresence(Clock.fixed(Instant.ofEpochMilli(3_600_000), ZoneOffset.UTC));
    later.handle("terrain/v1/dev/kiosk-1/status", bytes(json(3_600_000 - 30_000)));

    DevicePresence.Presence seen = later.snapshot().get(kiosk);
    assertTrue(seen.online());
    assertEquals(3_600_000, seen.since());
    assertEquals(3_570_000L, seen.report().time());
    assertEquals(7L, seen.report().bundleSequence());
  }

  @Test
  void handle_whenFirstJsonStatusIsAnOldRetainedOne_dropsItsTimeAndCountsTheDeviceOffline() {
    DevicePresence later =
        new DevicePresence(Clock.fixed(Instant.ofEpochMilli(3_600_000), ZoneOffset.UTC));
    long said = 3_600_000 - DevicePresence.STALE_MILLIS - 1;

    later.handle("terrain/v1/dev/kiosk-1/status", bytes(json(said)));

    DevicePresence.Presence seen = later.snapshot().get(kiosk);
    assertFalse(seen.online(), "an old retained status says nothing of now");
    assertEquals(said, seen.since(), "last contact: when it said it");
    assertNull(seen.report().time(), "no clock measure from it");
    assertEquals(7L, seen.report().bundleSequence(), "the rest still describes the device");
  }

  @Test
  void handle_whenAnOldTimeFollowsAnotherStatus_isAClockBehind() {
    DevicePresence later =
        new DevicePresence(Clock.fixed(Instant.ofEpochMilli(3_600_000), ZoneOffset.UTC));
    long behind = 3_600_000 - 5 * 60_000;
    later.handle("terrain/v1/dev/kiosk-1/status", bytes(json(behind)));

    later.handle("terrain/v1/dev/kiosk-1/status", bytes(json(behind + 60_000)));

    DevicePresence.Presence seen = later.snapshot().get(kiosk);
    assertTrue(seen.online());
    assertEquals(3_600_000, seen.since());
    assertEquals(behind + 60_000, seen.report().time());
  }

  private static String json(long time) {
    return "{\"state\":\"online\",\"time\":"
        + time
        + ",\"bundleSequence\":7,\"bundleSha256\":null,\"printer\":\"pdf\"}";
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
