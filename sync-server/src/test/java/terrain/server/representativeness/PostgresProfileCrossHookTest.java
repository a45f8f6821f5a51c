// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.representativeness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.server.testkit.MigratedPostgres;
import terrain.store.Database;
import terrain.store.RecordStore;

/**
 * The same contract on PostgreSQL (TERRAIN_TEST_PG_URL), in a copy of a migrated database per test.
 */
class PostgresProfileCrossHookTest extends ProfileCrossHookContract {
  @RegisterExtension final MigratedPostgres postgres = new MigratedPostgres();

  @Override
  protected Database openDatabase() throws Exception {
    return postgres(postgres);
  }

  /**
   * Two server instances on one PostgreSQL receive the same batches at the same time, one from the
   * first batch on, the other from the last: each response is counted once, in its cell.
   */
  @Test
  void accept_whenTwoStoresShareOneDatabaseConcurrently_countsEachResponseOnce() throws Exception {
    List<List<Record>> batches = new ArrayList<>();
    List<Record> all = new ArrayList<>();
    for (int d = 0; d < 4; d++) {
      List<Record> device = responses(DeviceId.of("kiosk-" + d), 60, d);
      all.addAll(device);
      for (int i = 0; i < device.size(); i += 15) {
        batches.add(device.subList(i, i + 15));
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (RecordStore other = new RecordStore(database)) {
      List<Future<Integer>> done = new ArrayList<>();
      List<List<Record>> reversed = new ArrayList<>(batches);
      Collections.reverse(reversed);
      for (RecordStore instance : List.of(store, other)) {
        List<List<Record>> order = instance == store ? batches : reversed;
        Callable<Integer> ingest =
            () -> {
              int inserted = 0;
              for (List<Record> batch : order) {
                inserted += instance.accept(batch, 1000, false, new ProfileCrossHook()).inserted();
              }
              return inserted;
            };
        done.add(pool.submit(ingest));
      }
      int inserted = 0;
      for (Future<Integer> f : done) {
        inserted += f.get();
      }
      assertEquals(all.size(), inserted);
    } finally {
      pool.shutdownNow();
    }

    assertCounts(expected(all), read());
  }
}
