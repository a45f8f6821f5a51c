// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.server.testkit.MigratedPostgres;
import terrain.server.testkit.Responses;
import terrain.store.Database;
import terrain.store.RecordStore;

/**
 * The same contract on PostgreSQL (TERRAIN_TEST_PG_URL), in a copy of a migrated database per test.
 */
class PostgresTallyHookTest extends TallyHookContract {
  @RegisterExtension final MigratedPostgres postgres = new MigratedPostgres();

  @Override
  protected Database openDatabase() throws Exception {
    return postgres(postgres);
  }

  /**
   * Two server instances on one PostgreSQL receive the same batches at the same time (a hub resent
   * them, and the shared subscription handed the copies to different instances), one from the first
   * batch on, the other from the last: every response is counted once. Both create the same tally
   * rows at the same moment; the unique violation this provokes (SQLState 23505) is retried by the
   * record store, hook included.
   */
  @Test
  void accept_whenTwoStoresShareOneDatabaseConcurrently_countsEachRecordOnce() throws Exception {
    List<List<Record>> batches = new ArrayList<>();
    List<Record> all = new ArrayList<>();
    for (int d = 0; d < 4; d++) {
      List<Record> device = Responses.of(DeviceId.of("kiosk-" + d), "ev-race", 60);
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
                inserted += instance.accept(batch, 1000, false, new TallyHook()).inserted();
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

    Summary summary = results.summary("ev-race").orElseThrow();
    assertEquals(all.size(), summary.responses());
    assertEquals(Responses.counts(all), new TreeMap<>(summary.byQuestion()));
  }

  /**
   * PostgreSQL refuses U+0000 in a text (Derby stores it): when the rules let such a response
   * through, the database's refusal quarantines it alone and the others are counted.
   */
  @Test
  void accept_whenTextHoldsNulAndRulesMissIt_quarantinesItOnPostgres() throws Exception {
    DeviceId kiosk = DeviceId.of("k-nul");
    List<Record> good = new ArrayList<>(Responses.of(kiosk, "ev-1", 3));
    ResponseBody nul =
        new ResponseBody("poll-1", List.of(ResponseBody.Answer.text("q-text", "a\u0000b")));
    List<Record> batch = new ArrayList<>(good);
    batch.add(new Record(kiosk, 4, RecordKind.RESPONSE, "ev-1", 5, 0, nul.encode()));

    RecordStore.AcceptResult result = store.accept(batch, 1000, false, new TallyHook(), NO_RULES);

    assertEquals(java.util.Map.of(kiosk, 4L), result.upTo());
    assertEquals(1, result.quarantined().size());
    String reason = result.quarantined().get(0).reason();
    org.junit.jupiter.api.Assertions.assertTrue(
        reason.startsWith("the database refused it: SQLState 22"), reason);
    assertEquals(3, results.summary("ev-1").orElseThrow().responses());
    assertEquals(Responses.counts(good), results.summary("ev-1").orElseThrow().byQuestion());
  }
}
