// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.server.testkit.DatabaseContract;
import terrain.store.Database;
import terrain.store.RecordStore;

/**
 * Migration V1041 (decision 0052) on a database holding rows in every older shape: pins one row
 * each in {@code free_answers} (before V1027), packed pins without heat counts (V1027 to V1040),
 * counts per device and option in {@code device_tallies} (before V1036) beside packed ones. After
 * it the readers, which read only the packed shapes, give the figures the older readers gave by
 * summing every shape, and the ingest adds to them.
 */
abstract class OlderRowsFoldedContract extends DatabaseContract {
  /** The URL of an empty database. */
  protected abstract String emptyUrl() throws Exception;

  @Override
  protected Database openDatabase() {
    return null; // each test migrates its own, in two steps
  }

  @Test
  void v1041_foldsOlderPinsAndDeviceTallies_readersGiveTheSameFigures() throws Exception {
    String url = emptyUrl();
    migrateUpTo(url, "1037"); // the last migration before V1041 on this branch
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO event_totals (event_id, responses) VALUES ('ev-1', 6)");
        // Before V1027: a row per pin (and the texts, which stay).
        s.executeUpdate(
            "INSERT INTO free_answers (event_id, question_id, device_id, seq, device_time, pin_x,"
                + " pin_y) VALUES ('ev-1', 'map', 'k0', 1, 1, 1000, 3),"
                + " ('ev-1', 'map', 'k0', 2, 2, 0, 0), ('ev-1', 'map', 'k0', 3, 3, 500, 500),"
                + " ('ev-1', 'other', 'k0', 3, 3, 10, 990)");
        s.executeUpdate(
            "INSERT INTO free_answers (event_id, question_id, device_id, seq, device_time,"
                + " answer_text) VALUES ('ev-1', 'mot', 'k0', 1, 1, 'bonjour')");
        s.executeUpdate(
            "INSERT INTO device_tallies (event_id, site_id, device_id, question_id, option_id, n,"
                + " rank_sum, firsts) VALUES ('ev-old', 'hub-1', 'k1', 'q', 'yes', 4, 5, 3),"
                + " ('ev-old', 'hub-1', 'k1', 'q', 'no', 1, 1, 1),"
                + " ('ev-old', '', 'k2', 'q', 'yes', 2, 2, 2)");
      }
      // V1027 to V1040: packed pins, no heat counts; a packed device count beside the old ones.
      try (PreparedStatement pins =
              c.prepareStatement(
                  "INSERT INTO map_pins (event_id, question_id, device_id, first_seq, last_seq,"
                      + " pins, packed) VALUES ('ev-1', 'map', 'k1', 10, 11, 2, ?)");
          PreparedStatement counts =
              c.prepareStatement(
                  "INSERT INTO device_counts (event_id, site_id, device_id, seq, part, packed)"
                      + " VALUES ('ev-old', 'hub-1', 'k1', 7, 0, ?)")) {
        pins.setBytes(
            1, MapPins.pack(List.of(new MapPins.Pin(10, 50, 950), new MapPins.Pin(11, 1000, 0))));
        pins.executeUpdate();
        counts.setBytes(
            1,
            Breakdowns.pack(
                    new TreeMap<>(Map.of("q", new TreeMap<>(Map.of("yes", new long[] {2, 2, 2})))),
                    Breakdowns.PER_ROW)
                .get(0));
        counts.executeUpdate();
      }
      c.commit();
    }

    database = migrate(url);

    List<Summary.Pin> map =
        List.of(
            new Summary.Pin(1000, 3),
            new Summary.Pin(0, 0),
            new Summary.Pin(500, 500),
            new Summary.Pin(50, 950),
            new Summary.Pin(1000, 0));
    try (Results results = new Results(database, EventCatalog.empty())) {
      Summary summary = results.summary("ev-1").orElseThrow();
      assertEquals(5, summary.pinCount("map"));
      assertTrue(Arrays.deepEquals(grid(map), summary.heatGrid("map")));
      assertEquals(1, summary.pinCount("other"));
      assertEquals(1, summary.heatGrid("other")[9][0]);
      assertEquals(Map.of("mot", 1L), summary.textCounts(), "the texts stay where they were");
    }
    try (Connection c = database.connect()) {
      assertEquals(sorted(map), sorted(pins(c, "ev-1", "map")));
      assertEquals(List.of(new Summary.Pin(10, 990)), pins(c, "ev-1", "other"));
      assertEquals(0, count(c, "SELECT COUNT(*) FROM free_answers WHERE pin_x IS NOT NULL"));
      assertEquals(0, count(c, "SELECT COUNT(*) FROM device_tallies"));
      assertEquals(
          List.of(
              new Breakdowns.DeviceTally("", "k2", "q", "yes", 2, 2, 2),
              new Breakdowns.DeviceTally("hub-1", "k1", "q", "no", 1, 1, 1),
              new Breakdowns.DeviceTally("hub-1", "k1", "q", "yes", 6, 7, 5)),
          Breakdowns.read(c, "ev-old").tallies());
      c.commit();
    }

    // The ingest adds its rows to the folded ones.
    try (RecordStore store = new RecordStore(database);
        Results results = new Results(database, EventCatalog.empty())) {
      store.accept(
          List.of(
              new Record(
                  DeviceId.of("k1"),
                  12,
                  RecordKind.RESPONSE,
                  "ev-1",
                  12,
                  0,
                  new ResponseBody(
                          "p",
                          List.of(
                              ResponseBody.Answer.pin(
                                  "map", new ResponseBody.Pin(500, 500), Optional.empty())))
                      .encode())),
          1000,
          false,
          new TallyHook());
      Summary summary = results.summary("ev-1").orElseThrow();
      assertEquals(6, summary.pinCount("map"));
      assertEquals(2, summary.heatGrid("map")[4][4]);
    }
  }

  /** The grid of {@code pins} by the hub's live results' rule, written out again here. */
  private static long[][] grid(List<Summary.Pin> pins) {
    long[][] grid = new long[10][10];
    for (Summary.Pin p : pins) {
      grid[Math.min(9, p.y() * 10 / 1001)][Math.min(9, p.x() * 10 / 1001)]++;
    }
    return grid;
  }

  private static List<Summary.Pin> pins(Connection c, String event, String question)
      throws Exception {
    List<Summary.Pin> out = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement("SELECT packed FROM map_pins WHERE event_id = ? AND question_id = ?")) {
      select.setString(1, event);
      select.setString(2, question);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          out.addAll(MapPins.unpack(rs.getBytes(1)));
        }
      }
    }
    return out;
  }

  private static List<Summary.Pin> sorted(List<Summary.Pin> pins) {
    List<Summary.Pin> out = new ArrayList<>(pins);
    out.sort(Comparator.comparingInt(Summary.Pin::x).thenComparingInt(Summary.Pin::y));
    return out;
  }

  private static long count(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
