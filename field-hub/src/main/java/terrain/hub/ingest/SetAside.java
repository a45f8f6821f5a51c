// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import terrain.core.record.Record;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * Records kept aside in the hub store's {@code set_aside} table (migration {@code
 * db/migration/hub}): those of a revoked device that arrived anyway. They are never forwarded nor
 * counted; the same record received again is kept once.
 */
public final class SetAside {
  /** The hub's own Flyway location, after the core one. */
  public static final String MIGRATIONS = "classpath:db/migration/hub";

  private static final String DUPLICATE = "23505";

  private final Database database;
  private final AtomicLong count = new AtomicLong();

  public SetAside(Database database) throws StoreException {
    this.database = database;
    try (Connection c = database.connect();
        PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM set_aside");
        ResultSet rs = select.executeQuery()) {
      rs.next();
      count.set(rs.getLong(1));
      c.commit();
    } catch (SQLException e) {
      throw StoreException.of("counting the records set aside", e);
    }
  }

  /** Keeps {@code records}; returns how many were new. */
  public int keep(List<Record> records, long receivedTime, String reason) throws StoreException {
    int added = 0;
    try (Connection c = database.connect();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO set_aside (device_id, seq, kind, event_id, device_time,"
                    + " received_time, reason, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Record r : records) {
        insert.setString(1, r.device().value());
        insert.setLong(2, r.seq());
        insert.setShort(3, (short) r.kind().code());
        insert.setString(4, r.eventId());
        insert.setLong(5, r.deviceTime());
        insert.setLong(6, receivedTime);
        insert.setString(7, reason.length() > 200 ? reason.substring(0, 200) : reason);
        insert.setBytes(8, r.body());
        try {
          insert.executeUpdate();
          added++;
        } catch (SQLException e) {
          if (!DUPLICATE.equals(e.getSQLState())) {
            throw e;
          }
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw StoreException.of("setting records aside", e);
    }
    count.addAndGet(added);
    return added;
  }

  /** Records kept aside in this store. */
  public long count() {
    return count.get();
  }
}
