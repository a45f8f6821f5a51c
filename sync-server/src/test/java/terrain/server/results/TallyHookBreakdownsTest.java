// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.server.ingest.BatchSender;
import terrain.server.testkit.DatabaseContract;
import terrain.store.Database;
import terrain.store.RecordStore;

/**
 * The breakdowns (decision 0035) hold rows per device and hour and per device and option, not per
 * response: 5,000 market-day responses (4 kiosks, 5 batches as a hub sends them) accepted through
 * the tallies hook leave 12 hour rows and 72 option rows that add up to every response. What they
 * cost the drain is measured by {@code ./terrain bench sync}, not here.
 */
class TallyHookBreakdownsTest extends DatabaseContract {
  static final int BATCHES = 5;
  static final int PER_BATCH = 1_000;

  @TempDir Path dir;

  @Override
  protected Database openDatabase() throws Exception {
    return derby(dir);
  }

  @Test
  void breakdowns_holdRowsPerDeviceAndHour_thatAddUpToEveryResponse() throws Exception {
    BatchSender sender = new BatchSender();
    sender.during(
        "terrain/v1/hub/hub-bench/up",
        () -> {
          try {
            RecordStore store = new RecordStore(database);
            TallyHook hook = new TallyHook(sender);
            long now = 1;
            for (List<Record> batch : batches()) {
              store.accept(batch, now++, false, hook);
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      // 4 devices x 3 hours, one site
      assertEquals(12, count(s, "SELECT COUNT(*) FROM participation_hours"));
      assertEquals(
          BATCHES * PER_BATCH,
          count(s, "SELECT SUM(n) FROM participation_hours WHERE site_id = 'hub-bench'"));
      // A packed row per device and batch, inserted (decision 0044), not a row per option.
      assertEquals(4 * BATCHES, count(s, "SELECT COUNT(*) FROM device_counts"));
      // 4 devices x (5 venue + 2 envies + 5 horaires + 2 dimanche + 3 priorites + 1 zone)
      List<Breakdowns.DeviceTally> tallies = Breakdowns.read(c, "marche-2026-11-28").tallies();
      assertEquals(4 * 18, tallies.size());
      assertEquals(
          BATCHES * PER_BATCH,
          tallies.stream()
              .filter(t -> t.question().equals("priorites"))
              .mapToLong(Breakdowns.DeviceTally::firsts)
              .sum());
      assertEquals(
          BATCHES * PER_BATCH * 2L,
          tallies.stream()
              .filter(t -> t.question().equals("priorites") && t.option().equals("prix"))
              .mapToLong(Breakdowns.DeviceTally::rankSum)
              .sum());
      assertEquals(
          BATCHES * PER_BATCH / 4,
          tallies.stream()
              .filter(t -> t.device().equals("kiosk-2") && t.question().equals("dimanche"))
              .mapToLong(Breakdowns.DeviceTally::n)
              .sum());
    }
  }

  @Test
  void deviceCounts_packAndUnpack_acrossParts_andAddTheRowsKeptBefore() throws Exception {
    java.util.SortedMap<String, java.util.SortedMap<String, long[]>> options =
        new java.util.TreeMap<>();
    for (int q = 0; q < 4; q++) {
      java.util.SortedMap<String, long[]> counted = new java.util.TreeMap<>();
      for (int o = 0; o < 7; o++) {
        counted.put("option-" + o, new long[] {o + 1, 300_000L * o, q});
      }
      options.put("question-" + q, counted);
    }
    List<byte[]> parts = Breakdowns.pack(options, 120);
    java.util.Map<List<String>, long[]> summed =
        new java.util.TreeMap<>(
            java.util.Comparator.comparing((List<String> k) -> String.join("/", k)));
    for (byte[] part : parts) {
      assertEquals(true, part.length <= 120, "part of " + part.length + " bytes");
      Breakdowns.unpack("hub-1", "k1", part, summed);
    }
    assertEquals(true, parts.size() > 4, "questions span parts: " + parts.size());
    assertEquals(28, summed.size());
    assertEquals(
        List.of(7L, 1_800_000L, 3L),
        java.util.Arrays.stream(summed.get(List.of("hub-1", "k1", "question-3", "option-6")))
            .boxed()
            .toList());

    try (Connection c = database.connect()) {
      // Two batches' rows of one device: read, they are summed.
      PreparedInsert.row(
          c,
          "ev-old",
          "hub-1",
          "k1",
          3,
          Breakdowns.pack(
                  new java.util.TreeMap<>(
                      java.util.Map.of(
                          "q",
                          new java.util.TreeMap<>(java.util.Map.of("yes", new long[] {4, 5, 3})))),
                  Breakdowns.PER_ROW)
              .get(0));
      PreparedInsert.row(
          c,
          "ev-old",
          "hub-1",
          "k1",
          7,
          Breakdowns.pack(
                  new java.util.TreeMap<>(
                      java.util.Map.of(
                          "q",
                          new java.util.TreeMap<>(java.util.Map.of("yes", new long[] {2, 2, 2})))),
                  Breakdowns.PER_ROW)
              .get(0));
      c.commit();
      List<Breakdowns.DeviceTally> tallies = Breakdowns.read(c, "ev-old").tallies();
      assertEquals(
          List.of(new Breakdowns.DeviceTally("hub-1", "k1", "q", "yes", 6, 7, 5)), tallies);
      c.commit();
    }
  }

  /** A device_counts row written by hand. */
  private static final class PreparedInsert {
    static void row(Connection c, String event, String site, String device, long seq, byte[] packed)
        throws Exception {
      try (java.sql.PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO device_counts (event_id, site_id, device_id, seq, part, packed)"
                  + " VALUES (?, ?, ?, ?, 0, ?)")) {
        insert.setString(1, event);
        insert.setString(2, site);
        insert.setString(3, device);
        insert.setLong(4, seq);
        insert.setBytes(5, packed);
        insert.executeUpdate();
      }
    }
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Responses of 4 kiosks over 3 hours, in (device, seq) order within each batch. */
  private static List<List<Record>> batches() {
    String[] venues = {"pied", "velo", "tram-bus", "voiture", "autre"};
    List<List<Record>> out = new ArrayList<>();
    long[] seq = new long[4];
    long start = 1_795_852_800_000L; // 2026-11-28T05:00Z
    for (int b = 0; b < BATCHES; b++) {
      List<Record> batch = new ArrayList<>();
      for (int d = 0; d < 4; d++) {
        for (int i = 0; i < PER_BATCH / 4; i++) {
          long s = ++seq[d];
          List<ResponseBody.Answer> answers = new ArrayList<>();
          answers.add(new ResponseBody.Answer("venue", List.of(venues[(int) (s % 5)])));
          answers.add(
              new ResponseBody.Answer(
                  "envies", s % 2 == 0 ? List.of("bio", "bancs-ombre") : List.of("bio")));
          answers.add(new ResponseBody.Answer("horaires", List.of(Long.toString(s % 5 + 1))));
          answers.add(new ResponseBody.Answer("dimanche", List.of(s % 3 == 0 ? "no" : "yes")));
          answers.add(
              new ResponseBody.Answer("priorites", List.of("proprete", "prix", "toilettes")));
          answers.add(
              ResponseBody.Answer.pin(
                  "ou-habitez",
                  new ResponseBody.Pin((int) (s % 1000), (int) (s * 7 % 1000)),
                  Optional.of("parc")));
          long time = start + (s * 3 * 3_600_000L) / (BATCHES * PER_BATCH / 4 + 1);
          batch.add(
              new Record(
                  DeviceId.of("kiosk-" + d),
                  s,
                  RecordKind.RESPONSE,
                  "marche-2026-11-28",
                  time,
                  0,
                  new ResponseBody("avenir-du-marche", answers).encode()));
        }
      }
      out.add(batch);
    }
    return out;
  }
}
