// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;

/** Retention on a real Derby store: what a prune removes, and what it must never touch. */
class RetentionTest {
  private static final DeviceId KIOSK = DeviceId.of("kiosk-a");
  private static final DeviceId OTHER = DeviceId.of("kiosk-b");
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final Instant NOW = Instant.parse("2026-06-30T10:00:00Z");

  @TempDir Path folder;
  private RecordStore store;

  @BeforeEach
  void open() throws Exception {
    store = new RecordStore(Database.open(Database.derbyUrl(folder.resolve("db"))));
  }

  @AfterEach
  void close() {
    store.close();
    store.database().close();
  }

  private Retention retention(int keepDays) {
    return new Retention(store, keepDays, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private long at(int daysAgo) {
    return NOW.toEpochMilli() - daysAgo * DAY;
  }

  private List<Long> seqs(String eventId, RecordKind kind) throws StoreException {
    List<Long> out = new ArrayList<>();
    for (Record r : store.records(eventId, kind)) {
      out.add(r.seq());
    }
    return out;
  }

  @Test
  void prune_keepsUnackedRecentKeysAndLastTicket_andCountsAndPointersStay() throws Exception {
    // A kiosk's own records: the key 40 days ago, then a response and its ticket per day.
    store.append(KIOSK, RecordKind.DEVICE_KEY, "", at(40), new byte[] {9}); // seq 1
    for (int daysAgo = 35; daysAgo >= 31; daysAgo--) { // seqs 2..11: old
      store.appendAll(
          KIOSK,
          List.of(
              new RecordStore.Draft(RecordKind.RESPONSE, "ev-1", new byte[] {(byte) daysAgo}),
              new RecordStore.Draft(RecordKind.TICKET, "ev-1", new byte[] {(byte) daysAgo})),
          at(daysAgo));
    }
    store.append(KIOSK, RecordKind.RESPONSE, "ev-1", at(2), new byte[] {2}); // seq 12: recent
    store.acknowledged(Map.of(KIOSK, 12L));
    // Another device, old but only half acknowledged.
    for (int i = 0; i < 4; i++) {
      store.append(OTHER, RecordKind.RESPONSE, "ev-1", at(50), new byte[] {(byte) i});
    }
    store.acknowledged(Map.of(OTHER, 2L));

    RecordStore.Pruned pruned = retention(30).runOnce();

    // Pruned: kiosk's 5 old responses and 4 old tickets (the last one, seq 11, stays); other's 1,
    // 2.
    assertEquals(new RecordStore.Pruned(11, 2), pruned);
    assertEquals(List.of(1L), seqs("", RecordKind.DEVICE_KEY));
    assertEquals(List.of(11L), seqs("ev-1", RecordKind.TICKET));
    assertEquals(List.of(12L, 3L, 4L), responseSeqs());
    // Counts read back by kiosks (cap of tickets, responses held) are what they were.
    assertEquals(5, store.count(KIOSK, "ev-1", RecordKind.TICKET));
    assertEquals(6, store.count(KIOSK, "ev-1", RecordKind.RESPONSE));
    assertEquals(4, store.count(OTHER, "ev-1", RecordKind.RESPONSE));
    assertEquals(6, store.forwardedCount(KIOSK, RecordKind.RESPONSE));
    assertEquals(2, store.forwardedCount(OTHER, RecordKind.RESPONSE));
    // Pointers intact: nothing pending lost, the next seq is not reused.
    List<RecordStore.DeviceProgress> devices = store.devices();
    assertEquals(new RecordStore.DeviceProgress(KIOSK, 12, 12, at(2)), devices.get(0));
    assertEquals(2, devices.get(1).pending());
    assertEquals(List.of(3L, 4L), store.pending(Map.of(), 10).stream().map(Record::seq).toList());
    assertEquals(
        13,
        store.append(KIOSK, RecordKind.RESPONSE, "ev-1", NOW.toEpochMilli(), new byte[0]).seq());

    // A second run finds nothing more; after the last acks and time passing, the rest goes.
    assertEquals(new RecordStore.Pruned(0, 0), retention(30).runOnce());
    store.acknowledged(Map.of(OTHER, 4L, KIOSK, 13L));
    assertEquals(new RecordStore.Pruned(3, 2), retention(1).runOnce());
    assertEquals(List.of(13L), responseSeqs());
    assertEquals(7, store.count(KIOSK, "ev-1", RecordKind.RESPONSE));
    assertEquals(4, store.forwardedCount(OTHER, RecordKind.RESPONSE));
  }

  private List<Long> responseSeqs() throws StoreException {
    return seqs("ev-1", RecordKind.RESPONSE);
  }

  @Test
  void accept_aPrunedRecordAgain_storesItWithoutForwardingIt() throws Exception {
    // A hub: records received 40 days ago, acknowledged by the server, pruned.
    Record first = new Record(KIOSK, 1, RecordKind.RESPONSE, "ev-1", at(40), 0, new byte[] {1});
    Record second = new Record(KIOSK, 2, RecordKind.RESPONSE, "ev-1", at(40), 0, new byte[] {2});
    store.accept(List.of(first, second), at(40), true, RecordStore.InsertHook.NONE);
    store.acknowledged(Map.of(KIOSK, 2L));
    assertEquals(2, retention(30).runOnce().records());

    // The kiosk sends seq 1 again (e.g. restored from a backup): stored, upto unchanged, and not
    // pending, since the server acknowledged it already (it would dedup it by identity anyway).
    RecordStore.AcceptResult again =
        store.accept(List.of(first), NOW.toEpochMilli(), true, RecordStore.InsertHook.NONE);
    assertEquals(1, again.inserted());
    assertEquals(Map.of(KIOSK, 2L), again.upTo());
    assertEquals(0, store.pendingCount());
    assertArrayEquals(new byte[] {1}, store.records("ev-1", RecordKind.RESPONSE).get(0).body());
  }

  @Test
  void keepDays_zeroNeverPrunes_andOutOfRangeIsRefusedWithTheRule() throws Exception {
    store.append(KIOSK, RecordKind.RESPONSE, "ev-1", at(400), new byte[] {1});
    store.acknowledged(Map.of(KIOSK, 1L));
    assertEquals(new RecordStore.Pruned(0, 0), retention(0).runOnce());
    assertEquals(1, store.records("ev-1", RecordKind.RESPONSE).size());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> retention(-1));
    assertTrue(e.getMessage().contains("--keep-days -1"), e.getMessage());
    assertTrue(e.getMessage().contains("0 to never prune"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> retention(Retention.MAX_KEEP_DAYS + 1));
  }

  @Test
  void schedule_prunesAtOnceThenDaily_andZeroSchedulesNothing() throws Exception {
    store.append(KIOSK, RecordKind.RESPONSE, "ev-1", at(31), new byte[] {1});
    store.append(KIOSK, RecordKind.RESPONSE, "ev-1", at(31), new byte[] {2});
    store.acknowledged(Map.of(KIOSK, 2L));
    java.util.concurrent.ScheduledExecutorService executor =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      assertEquals(null, retention(0).schedule(executor));
      java.util.concurrent.ScheduledFuture<?> daily = retention(30).schedule(executor);
      // The first run is due now: a task queued after it on the same thread runs after it.
      executor.submit(() -> {}).get(30, java.util.concurrent.TimeUnit.SECONDS);

      assertEquals(List.of(), responseSeqs());
      assertEquals(2, store.count(KIOSK, "ev-1", RecordKind.RESPONSE));
      long nextRunHours = daily.getDelay(java.util.concurrent.TimeUnit.HOURS);
      assertTrue(nextRunHours >= 23 && nextRunHours <= 24, "next run in " + nextRunHours + " h");
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void migrate_aDatabaseWithALaterSeries_stillAddsThePrunedTable() throws Exception {
    Path other = folder.resolve("upgrade");
    String url = Database.derbyUrl(other);
    Database old = Database.open(url, "classpath:db/migration/later");
    // As a database made before V2 existed: its later series applied, no pruned table.
    try (Connection c = old.connectDedicated();
        Statement s = c.createStatement()) {
      s.executeUpdate("DROP TABLE pruned");
      s.executeUpdate("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '2'");
      // Nor the fingerprint of its migrations, which came later (decision 0073).
      s.executeUpdate("DELETE FROM schema_fingerprint");
      c.commit();
    }
    old.close();

    Database upgraded = Database.open(url, "classpath:db/migration/later");
    try (RecordStore reopened = new RecordStore(upgraded)) {
      assertEquals(0, reopened.count(KIOSK, "ev-1", RecordKind.TICKET));
    } finally {
      upgraded.close();
    }
  }
}
