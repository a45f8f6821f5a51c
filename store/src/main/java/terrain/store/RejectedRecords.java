// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import terrain.core.record.DeviceId;
import terrain.core.record.RecordKind;

/**
 * Reads the records a node quarantined ({@code rejected_records}, see {@link
 * RecordStore.Quarantine}) for its status page and {@code GET /api/rejected}, on pooled connections
 * rather than the ingest's own.
 */
public final class RejectedRecords {
  /** Most rows {@link #list} returns. */
  public static final int MAX_LIST = 1000;

  private final Database database;

  public RejectedRecords(Database database) {
    this.database = database;
  }

  /** How many records are quarantined here. */
  public long count() throws StoreException {
    try (Connection c = database.connect();
        PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM rejected_records");
        ResultSet rs = select.executeQuery()) {
      rs.next();
      long count = rs.getLong(1);
      c.commit();
      return count;
    } catch (SQLException e) {
      throw StoreException.of("counting the quarantined records", e);
    }
  }

  /** The most recent quarantined records first, at most {@code limit} (and {@link #MAX_LIST}). */
  public List<RecordStore.Rejected> list(int limit) throws StoreException {
    try (Connection c = database.connect();
        PreparedStatement select =
            c.prepareStatement(
                "SELECT device_id, seq, kind, event_id, hop, reason, received_time"
                    + " FROM rejected_records ORDER BY received_time DESC, device_id, seq")) {
      select.setMaxRows(Math.max(1, Math.min(limit, MAX_LIST)));
      List<RecordStore.Rejected> out = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          short code = rs.getShort(3);
          out.add(
              new RecordStore.Rejected(
                  DeviceId.of(rs.getString(1)),
                  rs.getLong(2),
                  RecordKind.fromCode(code)
                      .orElseThrow(
                          () ->
                              new SQLException("unknown record kind " + code + " in the database")),
                  rs.getString(4),
                  DeviceId.of(rs.getString(5)),
                  rs.getString(6),
                  rs.getLong(7)));
        }
      }
      c.commit();
      return out;
    } catch (SQLException e) {
      throw StoreException.of("listing the quarantined records", e);
    }
  }

  /** The body of a record this node quarantined (empty when an earlier hop did), for ops. */
  public byte[] body(DeviceId device, long seq) throws StoreException {
    try (Connection c = database.connect();
        PreparedStatement select =
            c.prepareStatement(
                "SELECT body FROM rejected_records WHERE device_id = ? AND seq = ?")) {
      select.setString(1, device.value());
      select.setLong(2, seq);
      try (ResultSet rs = select.executeQuery()) {
        byte[] body = rs.next() ? rs.getBytes(1) : new byte[0];
        c.commit();
        return body;
      }
    } catch (SQLException e) {
      throw StoreException.of("reading a quarantined record", e);
    }
  }
}
