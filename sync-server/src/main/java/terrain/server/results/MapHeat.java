// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import terrain.core.codec.ByteReader;
import terrain.core.codec.ByteWriter;
import terrain.core.codec.WireException;
import terrain.core.record.ResponseBody;
import terrain.core.results.Tally;

/**
 * The heat grid of a map question kept as counts (migration V1041, decision 0052): a {@code
 * map_heat} row per event, question and batch holds how many pins fell in each cell of a {@value
 * #GRID} x {@value #GRID} grid, so the results summary sums a few rows instead of decoding every
 * pin. Packed as varints: each non-empty cell's index (row x {@value #GRID} + column, row 0 at the
 * top), then its count.
 */
final class MapHeat {
  /** Rows and columns of the grid: the hub's live results' and the results pages'. */
  static final int GRID = Tally.HEAT_GRID;

  /** The statement {@link #insert} writes a batch's counts with. */
  static final String INSERT =
      "INSERT INTO map_heat (event_id, question_id, device_id, seq, pins, packed)"
          + " VALUES (?, ?, ?, ?, ?, ?)";

  private MapHeat() {}

  /** The cell of a pin, per mille: row times {@link #GRID} plus column (as {@link Tally} does). */
  static int cell(int x, int y) {
    return line(y) * GRID + line(x);
  }

  private static int line(int perMille) {
    return Math.min(GRID - 1, perMille * GRID / (ResponseBody.Pin.SCALE + 1));
  }

  /** The packed form of a grid's counts ({@code GRID * GRID} cells, row by row). */
  static byte[] pack(long[] cells) {
    ByteWriter out = new ByteWriter(64);
    for (int i = 0; i < cells.length; i++) {
      if (cells[i] != 0) {
        out.varint(i).varint(cells[i]);
      }
    }
    return out.toByteArray();
  }

  /**
   * Adds a row's counts to {@code grid} ({@code grid[row][column]}).
   *
   * @throws SQLException when the row is damaged
   */
  static void unpack(byte[] packed, long[][] grid) throws SQLException {
    ByteReader in = new ByteReader(packed);
    try {
      while (in.hasRemaining()) {
        int cell = in.count("cell", GRID * GRID - 1);
        grid[cell / GRID][cell % GRID] += in.varint("count");
      }
    } catch (WireException e) {
      throw DamagedRow.of("map_heat", packed.length, e.getMessage(), e);
    }
  }

  /** The total of a grid's counts. */
  static long total(long[] cells) {
    long n = 0;
    for (long c : cells) {
      n += c;
    }
    return n;
  }

  /** Whose heat row: one question of one event, named after a record it counts. */
  record Key(String eventId, String questionId) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = eventId.compareTo(o.eventId);
      return c != 0 ? c : questionId.compareTo(o.questionId);
    }
  }

  /** The counts of one question in one batch, and the record the row is named after. */
  static final class Counted {
    final long[] cells = new long[GRID * GRID];
    String device;
    long seq;

    void add(String device, long seq, int x, int y) {
      if (this.device == null
          || device.compareTo(this.device) < 0
          || (device.equals(this.device) && seq < this.seq)) {
        this.device = device;
        this.seq = seq;
      }
      cells[cell(x, y)]++;
    }
  }

  /**
   * Inserts a row per (event, question) of {@code counted}, in key order. A row is named after the
   * smallest record identity it counts: each record is stored once, so no other batch or server
   * instance writes the same row (no UPDATE, no lock, as {@code profile_counts}).
   */
  static void insert(Connection connection, Map<Key, Counted> counted) throws SQLException {
    if (counted.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      for (Map.Entry<Key, Counted> entry : counted.entrySet()) {
        Counted c = entry.getValue();
        insert.setString(1, entry.getKey().eventId());
        insert.setString(2, entry.getKey().questionId());
        insert.setString(3, c.device);
        insert.setLong(4, c.seq);
        insert.setLong(5, total(c.cells));
        insert.setBytes(6, pack(c.cells));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }
}
