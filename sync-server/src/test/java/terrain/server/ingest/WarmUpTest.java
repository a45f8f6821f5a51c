// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.server.SyncServer;
import terrain.server.devices.DeviceRegistry;
import terrain.server.testkit.LogCapture;
import terrain.store.RecordStore;

/**
 * The ingest's warm-up at start (decision 0064) on real Derby files: it runs the server's own hooks
 * on made-up participations that pass the server's rules, leaves nothing behind, and never stops a
 * start.
 */
class WarmUpTest {
  private static final Path MARKET_DAY = Path.of("../examples/events/market-day.yaml");
  private static final Clock CLOCK = Clock.systemUTC();

  @TempDir Path dir;

  /** The server's hooks, counting by kind the records they are given. */
  private static final class Counting {
    final Map<RecordKind, Integer> kinds = new EnumMap<>(RecordKind.class);

    WarmUp.Hooks hooks() {
      return (database, sender) -> {
        RecordStore.InsertHook server =
            SyncServer.ingestHook(
                database, new DeviceRegistry(database, CLOCK), sender, false, CLOCK);
        RecordStore.InsertHook counter =
            (connection, inserted) -> inserted.forEach(r -> kinds.merge(r.kind(), 1, Integer::sum));
        return RecordStore.InsertHook.all(List.of(counter, server));
      };
    }
  }

  @Test
  void run_ingestsMadeUpParticipationsThroughTheServersHooks_andDeletesItsDatabase()
      throws Exception {
    Counting counting = new Counting();
    Path folder = dir.resolve("warm-up");

    Optional<WarmUp.Outcome> outcome =
        WarmUp.run(
            folder, List.of(market()), 12_000, Duration.ofMinutes(2), counting.hooks(), CLOCK);

    assertTrue(outcome.isPresent(), "the warm-up ran");
    long records = outcome.get().records();
    assertTrue(
        records >= 12_000 && records <= 12_002,
        "stops at its count, a participation not split: " + records);
    assertTrue(outcome.get().batches() >= 3, "in the hub's batches of 5,000 at most");
    assertEquals(0, outcome.get().quarantined(), "every made-up record passes the server's rules");
    assertEquals(records, counting.kinds.values().stream().mapToInt(Integer::intValue).sum());
    int responses = counting.kinds.getOrDefault(RecordKind.RESPONSE, 0);
    int ideas = counting.kinds.getOrDefault(RecordKind.IDEA, 0);
    int tickets = counting.kinds.getOrDefault(RecordKind.TICKET, 0);
    assertTrue(responses > 9_000, "mostly responses: " + counting.kinds);
    assertTrue(ideas > 1_000 && ideas < 3_000, "an idea one time in five: " + counting.kinds);
    assertEquals(
        WarmUpRecords.KIOSKS * WarmUpRecords.TICKETS_PER_KIOSK,
        tickets,
        "each kiosk's tickets up to the warm-up's cap");
    assertFalse(Files.exists(folder), "the scratch database is deleted");
  }

  @Test
  void run_emptiesWhatAKilledStartLeftBehind() throws Exception {
    Path folder = dir.resolve("warm-up");
    Files.createDirectories(folder.resolve("seg0"));
    Files.writeString(folder.resolve("seg0").resolve("c10.dat"), "left by a start killed midway");

    Optional<WarmUp.Outcome> outcome =
        WarmUp.run(folder, List.of(market()), 100, Duration.ofMinutes(2), hooks(), CLOCK);

    assertTrue(outcome.map(WarmUp.Outcome::records).orElse(0L) >= 100, "" + outcome);
    assertFalse(Files.exists(folder));
  }

  @Test
  void run_stopsAtItsBudget() throws Exception {
    Path folder = dir.resolve("warm-up");

    Optional<WarmUp.Outcome> outcome =
        WarmUp.run(folder, List.of(market()), 1_000_000, Duration.ZERO, hooks(), CLOCK);

    assertEquals(Optional.of(0L), outcome.map(WarmUp.Outcome::records), "no time, no batch");
    assertFalse(Files.exists(folder));
  }

  @Test
  void run_whenTheScratchDatabaseCannotBeMade_saysSoAndLetsTheServerStart() throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("data"), "a file where a folder should be");

    try (LogCapture log = new LogCapture(WarmUp.class)) {
      Optional<WarmUp.Outcome> outcome =
          WarmUp.run(
              notAFolder.resolve("warm-up"),
              List.of(market()),
              5_000,
              Duration.ofMinutes(2),
              hooks(),
              CLOCK);

      assertEquals(Optional.empty(), outcome);
      assertTrue(
          log.lines().stream()
              .anyMatch(
                  l ->
                      l.contains("Ingest warm-up stopped")
                          && l.contains("the server starts without it")),
          log.lines().toString());
    }
  }

  @Test
  void run_whenTheDiskIsNearlyFull_skipsAndSaysSo() throws Exception {
    Path folder = dir.resolve("warm-up");

    try (LogCapture log = new LogCapture(WarmUp.class)) {
      Optional<WarmUp.Outcome> outcome =
          WarmUp.run(
              folder,
              List.of(market()),
              5_000,
              Duration.ofMinutes(2),
              hooks(),
              CLOCK,
              Long.MAX_VALUE);

      assertEquals(Optional.empty(), outcome);
      assertFalse(Files.exists(folder), "nothing written");
      assertTrue(
          log.lines().stream()
              .anyMatch(l -> l.contains("Ingest warm-up skipped") && l.contains("free some space")),
          log.lines().toString());
    }
  }

  @Test
  void run_off_doesNothing() throws Exception {
    Path folder = dir.resolve("warm-up");

    assertEquals(
        Optional.empty(),
        WarmUp.run(folder, List.of(market()), 0, Duration.ofMinutes(2), hooks(), CLOCK));
    assertFalse(Files.exists(folder));
  }

  @Test
  void madeUpRecords_areTheSameForTheSameSeed_andNumberEachKioskInOrder() throws Exception {
    long start = 1_796_000_000_000L;
    List<Record> first = new WarmUpRecords(List.of(market()), start, 7).next(2_000);
    List<Record> again = new WarmUpRecords(List.of(market()), start, 7).next(2_000);

    assertTrue(first.size() >= 2_000 && first.size() <= 2_002, "a participation is not split");
    for (int i = 0; i < first.size(); i++) {
      if (first.get(i).kind() != RecordKind.TICKET) {
        // Tickets are signed with keys made at each run.
        assertTrue(java.util.Arrays.equals(first.get(i).body(), again.get(i).body()), "" + i);
      }
    }
    Map<String, Long> last = new java.util.HashMap<>();
    for (Record record : first) {
      long before = last.getOrDefault(record.device().value(), 0L);
      assertEquals(before + 1, record.seq(), "each kiosk's seqs follow each other: " + record);
      assertTrue(record.hubTime() > record.deviceTime(), "stamped by the hub after the kiosk");
      last.put(record.device().value(), record.seq());
    }
    assertEquals(WarmUpRecords.KIOSKS, last.size(), "every kiosk takes part: " + last.keySet());
  }

  private static WarmUp.Hooks hooks() {
    return new Counting().hooks();
  }

  private static EventDefinition market() throws Exception {
    return EventLoader.load(MARKET_DAY);
  }
}
