// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.representativeness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Migration V1041 (decision 0052) for the profile counts, in the migration's transaction: the
 * counts kept before V1036 in {@code profile_cells} and {@code profile_tallies} (a row per cell, a
 * row per cell and option) become {@code profile_counts} rows, one per event and cell (or its
 * parts), named after device '' and seq 0, which no record has; the old rows are deleted, so that
 * {@link Representativeness} reads one shape.
 */
public final class ProfileFolding {
  private ProfileFolding() {}

  /** Folds {@code profile_cells} and {@code profile_tallies} into {@code profile_counts}. */
  public static void foldOlderRows(Connection c) throws SQLException {
    Map<List<String>, long[]> responses = new TreeMap<>(ProfileFolding::compare);
    Map<List<String>, SortedMap<String, SortedMap<String, Long>>> options =
        new TreeMap<>(ProfileFolding::compare);
    try (PreparedStatement select =
            c.prepareStatement("SELECT event_id, age_band, area, responses FROM profile_cells");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        List<String> cell = List.of(rs.getString(1), rs.getString(2), rs.getString(3));
        responses.computeIfAbsent(cell, k -> new long[1])[0] += rs.getLong(4);
      }
    }
    try (PreparedStatement select =
            c.prepareStatement(
                "SELECT event_id, age_band, area, question_id, option_id, n"
                    + " FROM profile_tallies");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        List<String> cell = List.of(rs.getString(1), rs.getString(2), rs.getString(3));
        responses.computeIfAbsent(cell, k -> new long[1]);
        options
            .computeIfAbsent(cell, k -> new TreeMap<>())
            .computeIfAbsent(rs.getString(4), q -> new TreeMap<>())
            .merge(rs.getString(5), rs.getLong(6), Long::sum);
      }
    }
    if (!responses.isEmpty()) {
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO profile_counts (event_id, age_band, area, device_id, seq, part,"
                  + " responses, packed) VALUES (?, ?, ?, '', 0, ?, ?, ?)")) {
        for (Map.Entry<List<String>, long[]> cell : responses.entrySet()) {
          List<byte[]> parts =
              ProfileCounts.pack(options.getOrDefault(cell.getKey(), new TreeMap<>()));
          for (int part = 0; part < Math.max(1, parts.size()); part++) {
            insert.setString(1, cell.getKey().get(0));
            insert.setString(2, cell.getKey().get(1));
            insert.setString(3, cell.getKey().get(2));
            insert.setInt(4, part);
            // The responses once, in the first part, as the ingest writes them.
            insert.setLong(5, part == 0 ? cell.getValue()[0] : 0);
            insert.setBytes(6, parts.isEmpty() ? new byte[0] : parts.get(part));
            insert.addBatch();
          }
        }
        insert.executeBatch();
      }
    }
    try (Statement delete = c.createStatement()) {
      delete.executeUpdate("DELETE FROM profile_tallies");
      delete.executeUpdate("DELETE FROM profile_cells");
    }
  }

  private static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < a.size(); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
