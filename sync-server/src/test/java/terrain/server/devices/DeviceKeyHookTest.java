// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.devices;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.ticket.DeviceKeys;
import terrain.server.testkit.LogCapture;
import terrain.server.testkit.MigratedDerby;
import terrain.server.testkit.Tickets;
import terrain.store.Database;
import terrain.store.RecordStore;

/**
 * Device keys announced in DEVICE_KEY records, registered on first use, on a real Derby (a copy of
 * a migrated database).
 */
class DeviceKeyHookTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  Database database;
  RecordStore store;
  DeviceRegistry registry;

  @BeforeEach
  void open() throws Exception {
    MigratedDerby.copyTo(dir.resolve("db"));
    database = Database.open(Database.derbyUrl(dir.resolve("db")), "classpath:db/migration/server");
    store = new RecordStore(database);
    registry = new DeviceRegistry(database, java.time.Clock.systemUTC());
  }

  @AfterEach
  void close() {
    store.close();
    database.close();
  }

  @Test
  void accept_whenFirstKeyAnnounced_registersItAndKeepsItAgainstALaterDifferentKey()
      throws Exception {
    DeviceId kiosk = DeviceId.of("kiosk-01");
    DeviceKeys first = new Tickets(kiosk, 1).keys();
    DeviceKeys second = new Tickets(kiosk, 2).keys();
    DeviceKeyHook hook = new DeviceKeyHook(registry, true, CLOCK);

    store.accept(List.of(keyRecord(kiosk, 1, first)), 1000, false, hook);
    try (LogCapture log = new LogCapture(DeviceKeyHook.class)) {
      store.accept(List.of(keyRecord(kiosk, 2, second)), 2000, false, hook);

      assertTrue(
          log.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("first key")),
          log.lines().toString());
    }

    DeviceRegistry.Registered registered = registry.find(kiosk).orElseThrow();
    assertArrayEquals(first.publicKeyRaw(), DeviceKeys.rawPublicKey(registered.publicKey()));
    assertEquals(CLOCK.instant().getEpochSecond(), registered.registeredAt());
  }

  @Test
  void accept_whenDevelopmentKeysRefused_doesNotRegister() throws Exception {
    DeviceId kiosk = DeviceId.of("kiosk-02");
    DeviceKeyHook hook = new DeviceKeyHook(registry, false, CLOCK);

    store.accept(List.of(keyRecord(kiosk, 1, new Tickets(kiosk, 3).keys())), 1000, false, hook);

    assertEquals(Optional.empty(), registry.find(kiosk));
  }

  @Test
  void accept_whenKeyBodyIsNotAKey_storesRecordWithoutRegistering() throws Exception {
    DeviceId kiosk = DeviceId.of("kiosk-03");
    RecordKind kind = deviceKeyKind();
    Record broken = new Record(kiosk, 1, kind, "-", 1, 0, new byte[] {1, 2, 3});

    RecordStore.AcceptResult result =
        store.accept(List.of(broken), 1000, false, new DeviceKeyHook(registry, true, CLOCK));

    assertEquals(1, result.inserted());
    assertEquals(Optional.empty(), registry.find(kiosk));
  }

  private static Record keyRecord(DeviceId device, long seq, DeviceKeys keys) {
    return new Record(device, seq, deviceKeyKind(), "-", seq, 0, keys.publicKeyRaw());
  }

  private static RecordKind deviceKeyKind() {
    return RecordKind.DEVICE_KEY;
  }
}
