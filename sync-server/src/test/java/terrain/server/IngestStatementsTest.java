// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.server.devices.DeviceRegistry;
import terrain.server.ingest.BatchSender;
import terrain.server.testkit.MigratedDerby;
import terrain.server.testkit.Responses;
import terrain.store.Database;
import terrain.store.RecordStore;
import terrain.testkit.DerbyStatementCache;

/**
 * The server compiles its ingest's statements at start (decision 0062): the first backlog batch
 * after a restart then compiles nothing while its hub waits for the ack.
 */
class IngestStatementsTest {
  @TempDir Path dir;

  @Test
  void firstBatches_afterPrepareAccept_compileNothing() throws Exception {
    Path db = dir.resolve("db");
    MigratedDerby.copyTo(db);
    Clock clock = Clock.systemUTC();
    try (Database database = Database.open(Database.derbyUrl(db), "classpath:db/migration/server");
        RecordStore store = new RecordStore(database)) {
      RecordStore.InsertHook hook =
          SyncServer.ingestHook(
              database, new DeviceRegistry(database, clock), new BatchSender(), false, clock);
      assertTrue(
          hook.statements().size() > 15,
          "the hooks name their statements, through the set-aside filter: " + hook.statements());

      int prepared = store.prepareAccept(hook);
      assertEquals(new HashSet<>(hook.statements()).size() + 10, prepared);
      Set<String> compiled = compiled(database);

      // Two devices' responses, then more of them: tallies and totals inserted, then updated.
      List<Record> first = new ArrayList<>(Responses.of(DeviceId.of("kiosk-1"), "ev-1", 150));
      first.addAll(Responses.of(DeviceId.of("kiosk-2"), "ev-1", 30));
      store.accept(first, clock.millis(), false, hook);
      List<Record> more = Responses.of(DeviceId.of("kiosk-1"), "ev-1", 180).subList(150, 180);
      assertEquals(30, store.accept(more, clock.millis(), false, hook).inserted());

      Set<String> after = compiled(database);
      after.removeAll(compiled);
      assertEquals(Set.of(), after, "compiled by the batches although prepared at start");
    }
  }

  private static Set<String> compiled(Database database) throws Exception {
    try (Connection c = database.connectDedicated()) {
      return DerbyStatementCache.texts(c);
    }
  }
}
