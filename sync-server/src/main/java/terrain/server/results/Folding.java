// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Migration V1041 (decision 0052) for the results' tables, in the migration's transaction: the rows
 * kept in older shapes are folded into the packed ones, so that readers read one shape. Pins stored
 * one row each before V1027 move from {@code free_answers} to {@code map_pins}; every pin of an
 * event's map question is counted into one {@code map_heat} row; the counts per device and option
 * kept in {@code device_tallies} before V1036 become {@code device_counts} rows. Folded rows are
 * named after seq 0, which no record has (a record's seq is 1 or more), so the ingest never writes
 * the same row.
 */
public final class Folding {
  /** The seq that names folded rows: records start at 1. */
  static final long FOLDED = 0;

  private Folding() {}

  /** Folds the pins, then the heat grids, then the device counts. */
  public static void foldOlderRows(Connection c) throws SQLException {
    if (hasColumn(c, "free_answers", "pin_x")) {
      pinsIntoMapPins(c);
    }
    heatFromMapPins(c);
    deviceTallies(c);
  }

  private static void pinsIntoMapPins(Connection c) throws SQLException {
    try (PreparedStatement select =
            c.prepareStatement(
                "SELECT event_id, question_id, device_id, seq, pin_x, pin_y FROM free_answers"
                    + " WHERE pin_x IS NOT NULL ORDER BY event_id, question_id, device_id, seq");
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO map_pins (event_id, question_id, device_id, first_seq, last_seq,"
                    + " pins, packed) VALUES (?, ?, ?, ?, ?, ?, ?)");
        ResultSet rs = select.executeQuery()) {
      List<String> key = null;
      List<MapPins.Pin> row = new ArrayList<>();
      while (rs.next()) {
        List<String> next = List.of(rs.getString(1), rs.getString(2), rs.getString(3));
        if (!next.equals(key) || row.size() == MapPins.PER_ROW) {
          addPins(insert, key, row);
          key = next;
          row = new ArrayList<>();
        }
        row.add(new MapPins.Pin(rs.getLong(4), rs.getInt(5), rs.getInt(6)));
      }
      addPins(insert, key, row);
      insert.executeBatch();
    }
    try (Statement delete = c.createStatement()) {
      delete.executeUpdate("DELETE FROM free_answers WHERE pin_x IS NOT NULL");
    }
  }

  private static void addPins(PreparedStatement insert, List<String> key, List<MapPins.Pin> row)
      throws SQLException {
    if (row.isEmpty()) {
      return;
    }
    insert.setString(1, key.get(0));
    insert.setString(2, key.get(1));
    insert.setString(3, key.get(2));
    insert.setLong(4, row.get(0).seq());
    insert.setLong(5, row.get(row.size() - 1).seq());
    insert.setInt(6, row.size());
    insert.setBytes(7, MapPins.pack(row));
    insert.addBatch();
  }

  /** One {@code map_heat} row per event and question, counting every pin stored so far. */
  private static void heatFromMapPins(Connection c) throws SQLException {
    Map<MapHeat.Key, long[]> grids = new TreeMap<>();
    try (PreparedStatement select =
            c.prepareStatement("SELECT event_id, question_id, packed FROM map_pins");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        long[] cells =
            grids.computeIfAbsent(
                new MapHeat.Key(rs.getString(1), rs.getString(2)),
                k -> new long[MapHeat.GRID * MapHeat.GRID]);
        for (Summary.Pin pin : MapPins.unpack(rs.getBytes(3))) {
          cells[MapHeat.cell(pin.x(), pin.y())]++;
        }
      }
    }
    if (grids.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO map_heat (event_id, question_id, device_id, seq, pins, packed)"
                + " VALUES (?, ?, '', "
                + FOLDED
                + ", ?, ?)")) {
      for (Map.Entry<MapHeat.Key, long[]> grid : grids.entrySet()) {
        insert.setString(1, grid.getKey().eventId());
        insert.setString(2, grid.getKey().questionId());
        insert.setLong(3, MapHeat.total(grid.getValue()));
        insert.setBytes(4, MapHeat.pack(grid.getValue()));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** The rows of {@code device_tallies} as one {@code device_counts} row per device (or parts). */
  private static void deviceTallies(Connection c) throws SQLException {
    try (PreparedStatement select =
            c.prepareStatement(
                "SELECT event_id, site_id, device_id, question_id, option_id, n, rank_sum, firsts"
                    + " FROM device_tallies ORDER BY event_id, site_id, device_id, question_id,"
                    + " option_id");
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO device_counts (event_id, site_id, device_id, seq, part, packed)"
                    + " VALUES (?, ?, ?, "
                    + FOLDED
                    + ", ?, ?)");
        ResultSet rs = select.executeQuery()) {
      List<String> key = null;
      SortedMap<String, SortedMap<String, long[]>> options = new TreeMap<>();
      while (rs.next()) {
        List<String> next = List.of(rs.getString(1), rs.getString(2), rs.getString(3));
        if (!next.equals(key)) {
          addDevice(insert, key, options);
          key = next;
          options = new TreeMap<>();
        }
        options
            .computeIfAbsent(rs.getString(4), q -> new TreeMap<>())
            .merge(
                rs.getString(5),
                new long[] {rs.getLong(6), rs.getLong(7), rs.getLong(8)},
                (a, b) -> new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
      }
      addDevice(insert, key, options);
      insert.executeBatch();
    }
    try (Statement delete = c.createStatement()) {
      delete.executeUpdate("DELETE FROM device_tallies");
    }
  }

  private static void addDevice(
      PreparedStatement insert,
      List<String> key,
      SortedMap<String, SortedMap<String, long[]>> options)
      throws SQLException {
    if (key == null || options.isEmpty()) {
      return;
    }
    List<byte[]> parts = Breakdowns.pack(options, Breakdowns.PER_ROW);
    for (int part = 0; part < parts.size(); part++) {
      insert.setString(1, key.get(0));
      insert.setString(2, key.get(1));
      insert.setString(3, key.get(2));
      insert.setInt(4, part);
      insert.setBytes(5, parts.get(part));
      insert.addBatch();
    }
  }

  /**
   * Whether the current schema's {@code table} has {@code column} (another migration may have
   * changed {@code free_answers}); Derby names them in capitals, PostgreSQL in small letters.
   */
  static boolean hasColumn(Connection c, String table, String column) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    String schema = c.getSchema();
    for (boolean upper : new boolean[] {true, false}) {
      try (ResultSet rs =
          meta.getColumns(
              null,
              schema,
              upper ? table.toUpperCase(java.util.Locale.ROOT) : table,
              upper ? column.toUpperCase(java.util.Locale.ROOT) : column)) {
        if (rs.next()) {
          return true;
        }
      }
    }
    return false;
  }
}
