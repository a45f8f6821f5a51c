// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;

/** One contract, run against every database Terrain supports (Derby, PostgreSQL). */
abstract class RecordStoreContract {
  static final DeviceId KIOSK = DeviceId.of("kiosk-a");
  static final DeviceId OTHER = DeviceId.of("kiosk-b");

  RecordStore store;

  abstract Database openDatabase() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = new RecordStore(openDatabase());
  }

  @AfterEach
  void close() {
    if (store == null) {
      return; // the database was not available (assumption failed)
    }
    store.close();
    store.database().close();
  }

  static Record record(DeviceId device, long seq, String content) {
    return new Record(device, seq, RecordKind.RESPONSE, "ev-1", 1000 + seq, 0, content.getBytes());
  }

  static List<Record> range(DeviceId device, long from, long to) {
    List<Record> out = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) {
      out.add(record(device, seq, "r" + seq));
    }
    return out;
  }

  @Test
  void statusReads_whenPooledAndTheStoreBusy_answerOnAPooledConnection() throws Exception {
    store.append(KIOSK, RecordKind.RESPONSE, "ev-1", 10, new byte[] {1});
    store.database().pool(Database.PoolSettings.of(2));
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      // The ingest holds the store (its own connection) for each batch: status reads must not
      // queue behind it.
      synchronized (store) {
        Future<List<RecordStore.DeviceProgress>> devices = reader.submit(store::devices);
        assertEquals(1, devices.get(5, TimeUnit.SECONDS).get(0).upto());
        assertEquals(List.of(), reader.submit(store::conflicts).get(5, TimeUnit.SECONDS));
      }
    } finally {
      reader.shutdownNow();
    }
  }

  @Test
  void append_whenCalled_allocatesIncreasingSeqAndQueuesInOutbox() throws Exception {
    Record first = store.append(KIOSK, RecordKind.RESPONSE, "ev-1", 10, new byte[] {1});
    Record second = store.append(KIOSK, RecordKind.RESPONSE, "ev-1", 11, new byte[] {2});
    assertEquals(1, first.seq());
    assertEquals(2, second.seq());
    assertEquals(2, store.pendingCount());
    assertEquals(List.of(first, second), store.pending(Map.of(), 10));
  }

  @Test
  void appendAll_whenSeveralDrafts_commitsConsecutiveSeqsTogether() throws Exception {
    store.append(KIOSK, RecordKind.RESPONSE, "ev-1", 1, new byte[] {1});
    List<Record> both =
        store.appendAll(
            KIOSK,
            List.of(
                new RecordStore.Draft(RecordKind.RESPONSE, "ev-1", new byte[] {2}),
                new RecordStore.Draft(RecordKind.TICKET, "ev-1", new byte[] {3})),
            2);
    assertEquals(List.of(2L, 3L), both.stream().map(Record::seq).toList());
    assertEquals(3, store.pendingCount());
    assertEquals(RecordKind.TICKET, store.pending(Map.of(), 10).get(2).kind());
    store.acknowledged(Map.of(KIOSK, 2L));
    assertEquals(2, store.forwardedCount(KIOSK, RecordKind.RESPONSE));
    assertEquals(0, store.forwardedCount(KIOSK, RecordKind.TICKET));
  }

  @Test
  void acknowledged_whenUpToGiven_removesFromOutboxButKeepsRecords() throws Exception {
    for (int i = 0; i < 5; i++) {
      store.append(KIOSK, RecordKind.RESPONSE, "ev-1", i, new byte[] {(byte) i});
    }
    store.acknowledged(Map.of(KIOSK, 3L));
    assertEquals(2, store.pendingCount());
    assertEquals(4, store.pending(Map.of(), 10).get(0).seq());
    assertEquals(5, store.records("ev-1", RecordKind.RESPONSE).size());
    store.acknowledged(Map.of(KIOSK, 2L)); // an old, repeated ack changes nothing
    assertEquals(2, store.pendingCount());
    store.acknowledged(Map.of(KIOSK, 99L)); // never past what is here
    assertEquals(0, store.pendingCount());
    assertEquals(5, store.devices().get(0).forwarded());
  }

  @Test
  void recordsOfDevice_whenRangeGiven_readsThatDevicesKindInSeqOrder() throws Exception {
    store.accept(range(KIOSK, 1, 6), 1, false, RecordStore.InsertHook.NONE);
    store.accept(range(OTHER, 1, 6), 1, false, RecordStore.InsertHook.NONE);
    store.append(KIOSK, RecordKind.TICKET, "ev-1", 7, new byte[] {7});
    List<Record> read = store.records(KIOSK, 2, 7, RecordKind.RESPONSE);
    assertEquals(List.of(3L, 4L, 5L, 6L), read.stream().map(Record::seq).toList());
    assertEquals(range(KIOSK, 3, 6), read);
    assertEquals(0, store.records(KIOSK, 6, 6, RecordKind.RESPONSE).size());
  }

  @Test
  void pending_whenAfterGiven_skipsRecordsInFlight() throws Exception {
    store.accept(range(KIOSK, 1, 10), 1, false, RecordStore.InsertHook.NONE);
    store.accept(range(OTHER, 1, 3), 1, false, RecordStore.InsertHook.NONE);
    List<Record> next = store.pending(Map.of(KIOSK, 8L), 100);
    assertEquals(List.of(9L, 10L, 1L, 2L, 3L), next.stream().map(Record::seq).toList());
    assertEquals(4, store.pending(Map.of(), 4).size());
  }

  @Test
  void accept_whenSameBatchTwice_storesOnce() throws Exception {
    RecordStore.AcceptResult first =
        store.accept(range(KIOSK, 1, 50), 5, false, RecordStore.InsertHook.NONE);
    RecordStore.AcceptResult second =
        store.accept(range(KIOSK, 1, 50), 6, false, RecordStore.InsertHook.NONE);
    assertEquals(50, first.inserted());
    assertEquals(0, second.inserted());
    assertEquals(50, second.duplicates());
    assertEquals(Map.of(KIOSK, 50L), second.upTo());
    assertEquals(50, store.records("ev-1", RecordKind.RESPONSE).size());
  }

  @Test
  void accept_whenGap_acknowledgesOnlyContiguousPrefix() throws Exception {
    assertEquals(
        Map.of(KIOSK, 0L),
        store.accept(range(KIOSK, 6, 10), 1, false, RecordStore.InsertHook.NONE).upTo());
    assertEquals(
        Map.of(KIOSK, 3L),
        store.accept(range(KIOSK, 1, 3), 1, false, RecordStore.InsertHook.NONE).upTo());
    assertEquals(
        Map.of(KIOSK, 10L),
        store.accept(range(KIOSK, 4, 5), 1, false, RecordStore.InsertHook.NONE).upTo());
  }

  @Test
  void accept_whenSameIdentityDifferentContent_keepsConflictAsideOnce() throws Exception {
    store.accept(range(KIOSK, 1, 3), 1, false, RecordStore.InsertHook.NONE);
    assertEquals(0, store.conflictCount());
    List<Record> forged = List.of(record(KIOSK, 2, "something else"));
    RecordStore.AcceptResult result = store.accept(forged, 2, false, RecordStore.InsertHook.NONE);
    assertEquals(1, result.conflicts());
    assertEquals(0, store.accept(forged, 3, false, RecordStore.InsertHook.NONE).conflicts());
    assertEquals(1, store.conflicts().size());
    assertEquals(1, store.conflictCount());
    RecordStore.Conflict conflict = store.conflicts().get(0);
    assertEquals(2, conflict.seq());
    assertEquals(record(KIOSK, 2, "r2").contentHash(), conflict.keptHash());
    List<Record> kept = store.records("ev-1", RecordKind.RESPONSE);
    assertEquals("r2", new String(kept.get(1).body()));
  }

  @Test
  void accept_whenHub_stampsHubTimeWithoutChangingIdentity() throws Exception {
    store.accept(range(KIOSK, 1, 1), 777, true, RecordStore.InsertHook.NONE);
    Record kept = store.records("ev-1", RecordKind.RESPONSE).get(0);
    assertEquals(777, kept.hubTime());
    // The same record arriving again (sent again by a kiosk) is a duplicate, not a conflict.
    assertEquals(
        1, store.accept(range(KIOSK, 1, 1), 900, true, RecordStore.InsertHook.NONE).duplicates());
  }

  @Test
  void accept_whenHookFails_commitsNothing() throws Exception {
    try {
      store.accept(
          range(KIOSK, 1, 5),
          1,
          false,
          (connection, inserted) -> {
            throw new java.sql.SQLException("boom", "XX000");
          });
    } catch (StoreException expected) {
      assertTrue(expected.getMessage().contains("boom"));
    }
    assertEquals(0, store.records("ev-1", RecordKind.RESPONSE).size());
    assertEquals(0, store.pendingCount());
  }

  /**
   * A batch larger than several multi-row inserts (decision 0056): full chunks of {@link
   * RecordStore#ROWS_PER_INSERT} rows and a rest, over two devices, mixed with duplicates, a
   * conflict and a gap. Every new record is stored once, field for field.
   */
  @Test
  void accept_whenBatchSpansSeveralMultiRowInserts_storesEachNewRecordOnceFieldForField()
      throws Exception {
    store.accept(range(KIOSK, 1, 30), 1, false, RecordStore.InsertHook.NONE);
    List<Record> batch = new ArrayList<>(range(KIOSK, 1, 260));
    batch.set(16, record(KIOSK, 17, "changed"));
    List<Record> other = range(OTHER, 1, 150);
    other.remove(99); // seq 100 missing: OTHER is acknowledged up to 99
    batch.addAll(other);
    List<Record> inserted = new ArrayList<>();

    RecordStore.AcceptResult result =
        store.accept(batch, 7, true, (connection, records) -> inserted.addAll(records));

    assertEquals(230 + 149, result.inserted());
    assertTrue(result.inserted() > 3 * RecordStore.ROWS_PER_INSERT);
    assertEquals(29, result.duplicates());
    assertEquals(1, result.conflicts());
    assertEquals(Map.of(KIOSK, 260L, OTHER, 99L), result.upTo());
    List<Record> expected = new ArrayList<>();
    for (Record record : range(KIOSK, 1, 260)) {
      expected.add(record.seq() <= 30 ? record.withHubTime(0) : record.withHubTime(7));
    }
    for (Record record : other) {
      expected.add(record.withHubTime(7));
    }
    assertEquals(expected, store.records("ev-1", RecordKind.RESPONSE));
    assertEquals(expected.subList(30, expected.size()), inserted);
    // The stored hashes are the records' own: the same batch again is all duplicates.
    RecordStore.AcceptResult again = store.accept(batch, 8, true, RecordStore.InsertHook.NONE);
    assertEquals(0, again.inserted());
    assertEquals(0, again.conflicts());
  }

  /**
   * A record the database refuses inside a multi-row chunk: the batch is stored again record by
   * record, the culprit quarantined and every other record kept.
   */
  @Test
  void accept_whenOneRecordOfAMultiRowChunkIsRefused_quarantinesOnlyThatRecord() throws Exception {
    Record poison = record(KIOSK, 150, "r150");
    RecordStore.InsertHook hook =
        (connection, records) -> {
          if (records.contains(poison)) {
            throw new java.sql.SQLException("refused for the test", "23505");
          }
        };
    RecordStore.Quarantine quarantine =
        new RecordStore.Quarantine(DeviceId.of("hub-test"), record -> java.util.Optional.empty());

    RecordStore.AcceptResult result =
        store.accept(range(KIOSK, 1, 260), 5, false, hook, quarantine);

    assertEquals(Map.of(KIOSK, 260L), result.upTo());
    assertEquals(1, result.quarantined().size());
    assertEquals(150, result.quarantined().get(0).seq());
    List<Record> kept = store.records("ev-1", RecordKind.RESPONSE);
    assertEquals(259, kept.size());
    assertTrue(kept.stream().noneMatch(record -> record.seq() == 150));
  }

  @Test
  void accept_whenHookThrowsUnchecked_rollsBackSoTheNextCommitKeepsNothingOfIt() throws Exception {
    RecordStore.InsertHook broken =
        (connection, inserted) -> {
          throw new IllegalStateException("a bug in a hook");
        };
    IllegalStateException thrown =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> store.accept(range(KIOSK, 1, 5), 1, false, broken));
    assertEquals("a bug in a hook", thrown.getMessage());

    store.accept(range(OTHER, 1, 2), 2, false, RecordStore.InsertHook.NONE);

    assertEquals(range(OTHER, 1, 2), store.records("ev-1", RecordKind.RESPONSE));
    RecordStore.AcceptResult again =
        store.accept(range(KIOSK, 1, 5), 3, false, RecordStore.InsertHook.NONE);
    assertEquals(5, again.inserted(), "the failed batch's records were not kept");
    assertEquals(Map.of(KIOSK, 5L), again.upTo());
  }

  @Test
  void setting_whenWrittenTwice_keepsLast() throws Exception {
    assertTrue(store.setting("device.id").isEmpty());
    store.setSetting("device.id", "kiosk-a");
    store.setSetting("device.id", "kiosk-b");
    assertEquals("kiosk-b", store.setting("device.id").orElseThrow());
  }
}
