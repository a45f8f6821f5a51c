// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.RecordKind;

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
}
