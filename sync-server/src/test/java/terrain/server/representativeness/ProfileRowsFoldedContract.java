// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.representativeness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.server.testkit.DatabaseContract;
import terrain.store.Database;
import terrain.store.RecordStore;

/**
 * Migration V1041 (decision 0052) on profile counts kept in both shapes: a row per cell and per
 * option ({@code profile_cells}, {@code profile_tallies}, before V1036) beside packed rows ({@code
 * profile_counts}). After it {@link Representativeness#counts}, which reads the packed rows only,
 * gives the sums the older reader gave, and the ingest adds to them.
 */
abstract class ProfileRowsFoldedContract extends DatabaseContract {
  static final String EVENT = ProfileCrossHookContract.EVENT;

  /** The URL of an empty database. */
  protected abstract String emptyUrl() throws Exception;

  @Override
  protected Database openDatabase() {
    return null; // each test migrates its own, in two steps
  }

  @Test
  void v1041_foldsTheCountsKeptBeforeV1036_countsStayTheSame() throws Exception {
    String url = emptyUrl();
    migrateUpTo(url, "1037"); // the last migration before V1041 on this branch
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate(
            "INSERT INTO profile_cells (event_id, age_band, area, responses) VALUES"
                + " ('"
                + EVENT
                + "', 'jeunes', 'nord', 5), ('"
                + EVENT
                + "', '', 'sud', 2),"
                + " ('ev-other', 'jeunes', 'nord', 9)");
        s.executeUpdate(
            "INSERT INTO profile_tallies (event_id, age_band, area, question_id, option_id, n)"
                + " VALUES ('"
                + EVENT
                + "', 'jeunes', 'nord', 'q-parc', 'yes', 4),"
                + " ('"
                + EVENT
                + "', 'jeunes', 'nord', 'q-parc', 'no', 1),"
                + " ('"
                + EVENT
                + "', 'jeunes', 'nord', 'q-mode', 'velo', 3),"
                + " ('"
                + EVENT
                + "', '', 'sud', 'q-parc', 'yes', 2),"
                + " ('ev-other', 'jeunes', 'nord', 'q-parc', 'no', 9)");
      }
      // A batch counted between V1036 and V1040, packed.
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO profile_counts (event_id, age_band, area, device_id, seq, part,"
                  + " responses, packed) VALUES (?, 'jeunes', 'nord', 'k9', 4, 0, 2, ?)")) {
        insert.setString(1, EVENT);
        insert.setBytes(
            2,
            ProfileCounts.pack(new TreeMap<>(Map.of("q-parc", new TreeMap<>(Map.of("yes", 2L)))))
                .get(0));
        insert.executeUpdate();
      }
      c.commit();
    }

    database = migrate(url);

    Map<List<String>, Long> cells = new HashMap<>();
    cells.put(List.of("jeunes", "nord"), 7L);
    cells.put(List.of("", "sud"), 2L);
    Map<List<String>, Map<String, Map<String, Long>>> answers = new HashMap<>();
    answers.put(
        List.of("jeunes", "nord"),
        new HashMap<>(
            Map.of(
                "q-parc",
                new HashMap<>(Map.of("yes", 6L, "no", 1L)),
                "q-mode",
                new HashMap<>(Map.of("velo", 3L)))));
    answers.put(
        List.of("", "sud"), new HashMap<>(Map.of("q-parc", new HashMap<>(Map.of("yes", 2L)))));
    Representativeness.Counts expected = new Representativeness.Counts(cells, answers);
    ProfileCrossHookContract.assertCounts(expected, read(EVENT));
    assertEquals(Map.of(List.of("jeunes", "nord"), 9L), new HashMap<>(read("ev-other").cells()));
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      for (String table : List.of("profile_cells", "profile_tallies")) {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
          rs.next();
          assertEquals(0, rs.getLong(1), table + " is emptied");
        }
      }
      c.commit();
    }

    // The ingest adds its rows to the folded ones.
    List<Record> records = ProfileCrossHookContract.responses(DeviceId.of("k1"), 12, 0);
    try (RecordStore store = new RecordStore(database)) {
      store.accept(records, 1000, false, new ProfileCrossHook());
    }
    Representativeness.Counts ingested = ProfileCrossHookContract.expected(records);
    ingested.cells().forEach((cell, n) -> expected.cells().merge(cell, n, Long::sum));
    ingested
        .answers()
        .forEach(
            (cell, byQuestion) ->
                byQuestion.forEach(
                    (question, byOption) ->
                        byOption.forEach(
                            (option, n) ->
                                expected
                                    .answers()
                                    .computeIfAbsent(cell, k -> new HashMap<>())
                                    .computeIfAbsent(question, k -> new HashMap<>())
                                    .merge(option, n, Long::sum))));
    ProfileCrossHookContract.assertCounts(expected, read(EVENT));
  }

  private Representativeness.Counts read(String event) throws Exception {
    try (Connection c = database.connect()) {
      Representativeness.Counts counts = Representativeness.counts(c, event);
      c.commit();
      return counts;
    }
  }
}
