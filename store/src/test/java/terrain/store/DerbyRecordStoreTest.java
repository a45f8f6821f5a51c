// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.testkit.DerbyStatementCache;

class DerbyRecordStoreTest extends RecordStoreContract {
  @TempDir Path folder;

  @Override
  Database openDatabase() throws Exception {
    return Database.open(Database.derbyUrl(folder.resolve("db")));
  }

  @Test
  void reopen_whenRecordsCommitted_keepsThemAndContinuesSeq() throws Exception {
    store.append(KIOSK, RecordKind.RESPONSE, "ev-1", 1, new byte[] {1});
    store.append(KIOSK, RecordKind.RESPONSE, "ev-1", 2, new byte[] {2});
    store.acknowledged(Map.of(KIOSK, 1L));
    store.close();
    store.database().close();
    store = new RecordStore(openDatabase());
    assertEquals(3, store.append(KIOSK, RecordKind.RESPONSE, "ev-1", 3, new byte[] {3}).seq());
    assertEquals(2, store.pendingCount());
  }

  @Test
  void prepareAccept_leavesNothingForTheFirstBatchesToCompile() throws Exception {
    Set<String> before = compiled(store.database());
    assertTrue(
        before.stream().noneMatch(sql -> sql.startsWith("INSERT INTO records")),
        "a fresh database has not compiled the ingest yet: " + before);

    assertEquals(
        RecordStore.ACCEPT_STATEMENTS.size(), store.prepareAccept(RecordStore.InsertHook.NONE));
    Set<String> prepared = compiled(store.database());

    // A new device (its frontier row), a chunk of ROWS_PER_INSERT and a rest, then a gap filled,
    // duplicates and a conflict: every path of accept that runs SQL.
    List<Record> first = new ArrayList<>(range(KIOSK, 1, RecordStore.ROWS_PER_INSERT + 7));
    first.addAll(range(OTHER, 3, 4));
    store.accept(first, 1, false, RecordStore.InsertHook.NONE);
    List<Record> second = new ArrayList<>(range(OTHER, 1, 2));
    second.add(record(KIOSK, 5, "something else"));
    second.addAll(range(KIOSK, 6, 8));
    RecordStore.AcceptResult result = store.accept(second, 2, false, RecordStore.InsertHook.NONE);
    assertEquals(1, result.conflicts());
    assertEquals(Map.of(KIOSK, RecordStore.ROWS_PER_INSERT + 7L, OTHER, 4L), result.upTo());

    Set<String> after = compiled(store.database());
    after.removeAll(prepared);
    assertEquals(Set.of(), after, "compiled by the batches although prepared at start");
  }

  private static Set<String> compiled(Database database) throws Exception {
    try (Connection c = database.connectDedicated()) {
      return DerbyStatementCache.texts(c);
    }
  }
}
