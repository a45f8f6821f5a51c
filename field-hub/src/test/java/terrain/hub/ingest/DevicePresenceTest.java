// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
