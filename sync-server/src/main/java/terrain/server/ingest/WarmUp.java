// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.io.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.event.EventDefinition;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.wire.Topics;
import terrain.core.wire.WireCodec;
import terrain.store.Database;
import terrain.store.RecordStore;
import terrain.store.StoreException;
import terrain.transport.Receiver;

/**
 * The server's ingest run at start on made-up participations, into a scratch Derby database that is
 * deleted afterwards, before the broker lets hubs in (decision 0064).
 *
 * <p>A server started as a hub's backlog waits runs its first batches on code the JVM has not
 * compiled yet: Derby's inserts and B-trees, the wire decoding, the hooks. That made such a drain
 * half as long again as one into a server that had been running (issue 14). The warm-up runs the
 * very path the ingest runs ({@link Receiver#handle}: decode, screen, accept with the server's
 * hooks, commit) on the same kind of database, so the compilers do that work before the first hub
 * arrives. Nothing of it reaches the server's own database. It stops at its count of records or its
 * time budget, whichever comes first, and a warm-up that fails (a full disk, say) is logged and the
 * server starts cold.
 */
public final class WarmUp {
  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

  /**
   * Records ingested at start by default: about 5 s on a 2-core machine, after which a
   * 122,175-record backlog drains in three quarters of the time a cold server takes (decision
   * 0064's measurements; 60,000 took 4.5 s for a little less).
   */
  public static final int DEFAULT_RECORDS = 100_000;

  /** The most {@code --warm-up} accepts. */
  public static final int MAX_RECORDS = 1_000_000;

  /** The warm-up stops after this long, whatever its count: a slow machine starts sooner. */
  public static final Duration BUDGET = Duration.ofSeconds(15);

  /**
   * Free space the warm-up leaves for the server's own data: its scratch database takes about 60 MB
   * for 100,000 records, for a few seconds.
   */
  static final long MIN_FREE_BYTES = 1_000_000_000L;

  /** Records per batch: the hub's uplink batch. */
  static final int BATCH = 5000;

  /** The made-up hub whose batches the warm-up receives. */
  static final DeviceId HUB = DeviceId.of("warm-up-hub");

  private static final String MIGRATIONS = "classpath:db/migration/server";

  /** Builds the server's ingest hooks on the scratch database. */
  @FunctionalInterface
  public interface Hooks {
    RecordStore.InsertHook on(Database database, BatchSender sender);
  }

  /**
   * What the warm-up did.
   *
   * @param records records received and committed
   * @param quarantined records the server's rules refused among them (0 unless the made-up records
   *     and the rules disagree)
   * @param millis from the scratch database's creation to its deletion
   */
  public record Outcome(long records, long batches, long quarantined, long millis) {}

  private WarmUp() {}

  /**
   * Runs the warm-up in {@code folder} (emptied first, deleted after) and logs what it did.
   *
   * @param events the server's events, whose polls the made-up residents answer
   * @param records how many records to ingest; 0 does nothing
   * @return what it did, or empty when it did nothing or failed (logged)
   */
  public static Optional<Outcome> run(
      Path folder,
      List<EventDefinition> events,
      int records,
      Duration budget,
      Hooks hooks,
      Clock clock) {
    return run(folder, events, records, budget, hooks, clock, MIN_FREE_BYTES);
  }

  /**
   * As the other {@code run}, skipped when the folder's disk has less than {@code minFreeBytes}.
   */
  static Optional<Outcome> run(
      Path folder,
      List<EventDefinition> events,
      int records,
      Duration budget,
      Hooks hooks,
      Clock clock,
      long minFreeBytes) {
    if (records <= 0) {
      log.info("Ingest warm-up off (--warm-up 0): the first batches after this start run cold.");
      return Optional.empty();
    }
    long start = System.nanoTime();
    try {
      delete(folder);
      long free = freeBytes(folder);
      if (free < minFreeBytes) {
        log.warn(
            "Ingest warm-up skipped: {} MB free where its scratch database would go ({}), under"
                + " the {} MB it leaves for the server's own data. The server starts cold; free"
                + " some space.",
            free / 1_000_000,
            folder.getParent(),
            minFreeBytes / 1_000_000);
        return Optional.empty();
      }
      Receiver receiver;
      try (Database database = Database.open(Database.derbyUrl(folder), MIGRATIONS)) {
        receiver = ingest(database, events, records, budget, hooks, clock, start);
      }
      delete(folder);
      Outcome outcome =
          new Outcome(
              receiver.receivedCount(),
              receiver.batchCount(),
              receiver.quarantinedCount(),
              (System.nanoTime() - start) / 1_000_000);
      log.info(
          "Ingest warmed up: {} made-up records in {} batches, {} ms (scratch database deleted)",
          outcome.records(),
          outcome.batches(),
          outcome.millis());
      if (outcome.quarantined() > 0) {
        log.warn(
            "The warm-up's made-up records were refused {} times by the record rules: the warm-up"
                + " and the rules disagree; report it (the server's own records are not"
                + " concerned).",
            outcome.quarantined());
      }
      return Optional.of(outcome);
    } catch (StoreException | IOException | RuntimeException e) {
      // Whatever stops it, the warm-up only saves time: the server starts all the same.
      log.warn(
          "Ingest warm-up stopped ({}); the server starts without it, and the first batches after"
              + " this start run slower. Check the free space in {}.",
          e.getMessage(),
          folder.getParent(),
          e);
      try {
        delete(folder);
      } catch (IOException cleanup) {
        log.warn(
            "Could not delete the warm-up's scratch folder {}: {}", folder, cleanup.toString());
      }
      return Optional.empty();
    }
  }

  /** Ingests the made-up batches; returns the receiver, which counted them. */
  private static Receiver ingest(
      Database database,
      List<EventDefinition> events,
      int records,
      Duration budget,
      Hooks hooks,
      Clock clock,
      long start)
      throws StoreException {
    BatchSender sender = new BatchSender();
    RecordStore.InsertHook hook = hooks.on(database, sender);
    try (RecordStore store = new RecordStore(database)) {
      store.prepareAccept(hook);
      Receiver receiver =
          new Receiver(store, DeviceId.of("warm-up-server"), false, hook, clock, result -> {});
      receiver.pipeline(null, sender::during);
      // A market day that began this morning.
      WarmUpRecords made =
          new WarmUpRecords(events, clock.millis() - Duration.ofHours(12).toMillis(), 1);
      String topic = Topics.hubUp(HUB);
      long deadline = start + budget.toNanos();
      long batchId = 0;
      List<Record> waiting = new ArrayList<>();
      while (receiver.receivedCount() < records && System.nanoTime() < deadline) {
        if (waiting.isEmpty()) {
          waiting.addAll(made.next((int) Math.min(BATCH, records - receiver.receivedCount())));
        }
        // As the hub's uplink does: what fits the wire's limits now, the rest in the next batch.
        WireCodec.Encoded batch = WireCodec.encodeLeadingBatch(HUB, ++batchId, waiting);
        waiting.subList(0, batch.records()).clear();
        long before = receiver.batchCount();
        receiver.handle(topic, batch.payload());
        if (receiver.batchCount() == before) {
          throw new IllegalStateException(
              "a batch was not committed in the scratch database (see the line above)");
        }
      }
      return receiver;
    }
  }

  /** Free space on the disk that holds {@code folder} (or its nearest existing parent). */
  private static long freeBytes(Path folder) throws IOException {
    Path existing = folder.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw new IOException("no existing folder above " + folder);
    }
    return Files.getFileStore(existing).getUsableSpace();
  }

  private static void delete(Path folder) throws IOException {
    // Nothing happens when it does not exist.
    FileUtils.deleteDirectory(folder.toFile());
  }
}
