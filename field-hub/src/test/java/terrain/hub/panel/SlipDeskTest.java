// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.hardware.printer.Slip;
import terrain.store.Database;
import terrain.store.RecordStore;

/** The close-of-day slip from a real Derby store: counts, pending and the day's hash. */
class SlipDeskTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final Instant NOON = Instant.parse("2026-12-04T11:00:00Z");
  private static final DeviceId K1 = DeviceId.of("kiosk-1");
  private static final DeviceId K2 = DeviceId.of("kiosk-2");

  @Test
  void daySlip_countsTodaysRecordsPerDeviceAndHashesThemInDeviceSeqOrder(@TempDir Path dir)
      throws Exception {
    try (Database database = Database.open(Database.derbyUrl(dir.resolve("db")));
        RecordStore store = new RecordStore(database)) {
      long yesterday = NOON.minusSeconds(86_400).toEpochMilli();
      long today = NOON.toEpochMilli();
      // Yesterday's record of kiosk-1 is not part of today's slip.
      store.accept(List.of(record(K1, 1, "a")), yesterday, true, RecordStore.InsertHook.NONE);
      store.accept(
          List.of(record(K2, 1, "c"), record(K1, 2, "b"), record(K1, 3, "é")),
          today,
          true,
          RecordStore.InsertHook.NONE);
      store.acknowledged(Map.of(K1, 2L));
      SlipDesk desk = new SlipDesk("hub-1", null, null, store, dir, null, Clock.fixed(NOON, PARIS));

      Slip slip = desk.daySlip(Locale.ENGLISH);

      assertEquals("day-20261204", slip.name());
      assertEquals("Hub hub-1: close of day 2026-12-04", slip.title());
      assertEquals("kiosk-1: 2 records, 1 waiting", slip.lines().get(0));
      assertEquals("kiosk-2: 1 records, 1 waiting", slip.lines().get(1));
      assertEquals("Total: 3 records, 2 waiting to be sent", slip.lines().get(2));
      // SHA-256 of kiosk-1/2 "b", kiosk-1/3 "é", kiosk-2/1 "c", each framed as SlipDesk says:
      //   device UTF-8, 00, seq (8 bytes), kind 01, event UTF-8, 00, body length (4 bytes), body.
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      for (Object[] r :
          new Object[][] {{"kiosk-1", 2L, "b"}, {"kiosk-1", 3L, "é"}, {"kiosk-2", 1L, "c"}}) {
        byte[] body = ((String) r[2]).getBytes(StandardCharsets.UTF_8);
        sha.update(((String) r[0]).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(java.nio.ByteBuffer.allocate(8).putLong((Long) r[1]).array());
        sha.update((byte) 1);
        sha.update("ev-1".getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(java.nio.ByteBuffer.allocate(4).putInt(body.length).array());
        sha.update(body);
      }
      String hash = java.util.HexFormat.of().formatHex(sha.digest());
      assertEquals(hash.substring(0, 32), slip.lines().get(5));
      assertEquals(hash.substring(32), slip.lines().get(6));
    }
  }

  private static Record record(DeviceId device, long seq, String body) {
    return new Record(
        device, seq, RecordKind.RESPONSE, "ev-1", 1, 0, body.getBytes(StandardCharsets.UTF_8));
  }
}
