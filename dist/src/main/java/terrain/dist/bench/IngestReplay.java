// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.server.ServerMain;
import terrain.store.Database;
import terrain.store.RecordStore;

/**
 * The server's ingest replayed in one process on the rows of a {@code bench sync} backlog (the
 * kiosks' stores it leaves behind), as decisions 0027 and 0044 measured it: the reference's bare
 * batched inserts, then {@link RecordStore#accept} with the server's own hooks and record rules
 * ({@link SyncServer#ingestHook}) in batches of {@link Reference#BATCH}, each timed by the thread's
 * CPU. On a machine shared with other work the CPU times are the steadier figures; run it under the
 * flight recorder ({@code TERRAIN_JAVA_OPTS=-XX:StartFlightRecording=...}) for shares. At the end
 * it reads the largest event's results summary as the live pages poll it (decision 0052): CPU and
 * wall time per summary, and the rows behind its maps.
 */
@Command(
    name = "ingest-replay",
    mixinStandardHelpOptions = true,
    description =
        "The server's ingest of a bench sync backlog replayed in one process: CPU and wall time"
            + " against the bare inserts of the same rows, then one results summary's time"
            + " (run bench sync first).")
final class IngestReplay implements Callable<Integer> {
  @Option(
      names = "--kiosks",
      description = "The kiosks' stores of a bench sync run (default: ${DEFAULT-VALUE}).")
  Path kiosks = Path.of(".terrain", "bench-sync", "kiosks");

  @Option(
      names = "--data",
      description = "Scratch folder, emptied first (default: ${DEFAULT-VALUE}).")
  Path data = Path.of(".terrain", "bench-ingest-replay");

  @Override
  public Integer call() throws Exception {
    List<Path> stores = new ArrayList<>();
    try (var folders = Files.list(kiosks)) {
      folders.sorted().map(f -> f.resolve("db")).filter(Files::isDirectory).forEach(stores::add);
    }
    if (stores.isEmpty()) {
      System.err.println("No kiosk store under " + kiosks + ": run ./terrain bench sync first.");
      return 2;
    }
    List<Record> rows = new ArrayList<>(Reference.records(stores));
    // As the hub forwards them: by device, in seq order.
    rows.sort(
        Comparator.comparing((Record r) -> r.device().value()).thenComparingLong(Record::seq));
    terrain.dist.proc.Folders.emptyForThisRun(data);
    Files.createDirectories(data);
    // Its CPU time, and what it allocates: unlike the CPU, the same from run to run on a loaded
    // machine.
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    long cpu = threads.getCurrentThreadCpuTime();
    double referenceWall = Reference.batchedInsertSeconds(data.resolve("reference"), rows);
    double referenceCpu = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;

    Clock clock = Clock.systemUTC();
    try (Database database =
            Database.open(
                Database.derbyUrl(data.resolve("server")), "classpath:db/migration/server");
        RecordStore store = new RecordStore(database)) {
      RecordStore.InsertHook hook = ServerMain.ingestHook(database, clock);
      // As the server does at its start, before the measured ingest (decision 0062).
      store.prepareAccept(hook);
      RecordStore.Quarantine rules = RecordStore.Quarantine.of(DeviceId.of("replay-server"));
      cpu = threads.getCurrentThreadCpuTime();
      long allocated = threads.getCurrentThreadAllocatedBytes();
      long wall = System.nanoTime();
      int inserted = 0;
      for (int from = 0; from < rows.size(); from += Reference.BATCH) {
        List<Record> batch = rows.subList(from, Math.min(rows.size(), from + Reference.BATCH));
        inserted += store.accept(batch, clock.millis(), false, hook, rules).inserted();
      }
      double ingestCpu = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
      double ingestAllocated = (threads.getCurrentThreadAllocatedBytes() - allocated) / 1e6;
      double ingestWall = (System.nanoTime() - wall) / 1e9;
      System.out.printf(
          "ingest replay: %d records (%d stored) in batches of %d%n"
              + "  reference (bare batched inserts): CPU %.2f s, wall %.2f s%n"
              + "  ingest (RecordStore.accept + the server's hooks): CPU %.2f s, wall %.2f s%n"
              + "  ratio: CPU %.2fx, wall %.2fx%n"
              + "  ingest allocated %.0f MB, %.0f bytes per record%n",
          rows.size(),
          inserted,
          Reference.BATCH,
          referenceCpu,
          referenceWall,
          ingestCpu,
          ingestWall,
          ingestCpu / referenceCpu,
          ingestWall / referenceWall,
          ingestAllocated,
          ingestAllocated * 1e6 / rows.size());
      summaries(database, threads);
    }
    return 0;
  }

  /** How many times the summary is read once warmed up; the figures are per summary. */
  private static final int SUMMARIES = 10;

  /**
   * The results summary of the largest event, as the live results page polls it while a backlog is
   * ingested: the thread's CPU and the wall time per summary, and the rows behind its map part.
   */
  private static void summaries(Database database, ThreadMXBean threads) throws Exception {
    String event = null;
    try (var c = database.connect();
        var s = c.createStatement();
        var rs =
            s.executeQuery("SELECT event_id FROM event_totals ORDER BY responses DESC, event_id")) {
      if (rs.next()) {
        event = rs.getString(1);
      }
      c.commit();
    }
    if (event == null) {
      return;
    }
    var reader = ServerMain.summaryReader(database, event);
    String carried = "";
    for (int i = 0; i < 3; i++) {
      carried = reader.call();
    }
    long cpu = threads.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    for (int i = 0; i < SUMMARIES; i++) {
      reader.call();
    }
    double summaryCpu = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / SUMMARIES;
    double summaryWall = (System.nanoTime() - wall) / 1e6 / SUMMARIES;
    System.out.printf(
        "  summary of event %s (%s): CPU %.1f ms, wall %.1f ms per summary (%d after 3)%n"
            + "  rows behind its maps: %s%n",
        event, carried, summaryCpu, summaryWall, SUMMARIES, mapRows(database, event));
  }

  /** The event's rows in the tables that hold its pins or their counts (those that exist). */
  private static String mapRows(Database database, String event) throws Exception {
    List<String> out = new ArrayList<>();
    String[][] tables = {
      {"map_pins", "map_pins", ""},
      {"map_heat", "map_heat", ""},
      {"free_answers pins", "free_answers", " AND pin_x IS NOT NULL"}
    };
    try (var c = database.connect()) {
      for (String[] t : tables) {
        try (var s =
            c.prepareStatement("SELECT COUNT(*) FROM " + t[1] + " WHERE event_id = ?" + t[2])) {
          s.setString(1, event);
          try (var rs = s.executeQuery()) {
            rs.next();
            out.add(t[0] + " " + rs.getLong(1));
          }
        } catch (java.sql.SQLException e) {
          // A table this version does not have.
          c.rollback();
        }
      }
      c.commit();
    }
    return String.join(", ", out);
  }
}
