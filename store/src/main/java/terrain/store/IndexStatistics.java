// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derby's index statistics, refreshed by the application when its writes pause, instead of by
 * Derby's own daemon (decision 0055).
 *
 * <p>Derby's daemon ({@code derby.storage.indexStats.auto}, on by default) rescans a table's
 * indexes whenever a statement is compiled and the table's row count has moved by a factor of about
 * e since the last scan. A store that fills from empty (a new server, a hub on market day) rescans
 * at 1,000, 2,700, 7,400, 20,000, 55,000... rows, in a thread of its own, while the writes go on:
 * during a 122,175-record backlog drain it took about a third of a core of the two (flight
 * recording, {@code jdk.ThreadCPULoad}). Here the daemon is off ({@link #disableDaemon()}) and
 * {@link #refreshIfDue()}, called every minute, rescans every table of the schema once {@link
 * #DUE_AFTER} rows were written since the last scan and none for {@link #IDLE}: the statistics are
 * as fresh for the next quiet read, and the scans never compete with a drain.
 *
 * <p>PostgreSQL keeps its statistics itself (autovacuum's analyze): nothing is done there.
 */
public final class IndexStatistics {
  private static final Logger log = LoggerFactory.getLogger(IndexStatistics.class);

  /** Derby's property for its daemon. */
  static final String DAEMON = "derby.storage.indexStats.auto";

  /** Rows written since the last refresh that make the next one due. */
  public static final long DUE_AFTER = 10_000;

  /** How long writes must have paused before a refresh. */
  public static final Duration IDLE = Duration.ofSeconds(30);

  private final Database database;
  private final LongSupplier written;
  private final Clock clock;
  private long seen;
  private Instant changed;
  private long refreshedAt;

  /**
   * @param written a counter of the rows the application wrote (e.g. records accepted), read on
   *     each call; only its changes matter
   */
  public IndexStatistics(Database database, LongSupplier written, Clock clock) {
    this.database = Objects.requireNonNull(database, "database");
    this.written = Objects.requireNonNull(written, "written");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.seen = written.getAsLong();
    this.refreshedAt = seen;
    this.changed = clock.instant();
  }

  /**
   * Turns Derby's daemon off for the databases booted after this call, unless the operator set the
   * property (a {@code -D} wins).
   */
  public static void disableDaemon() {
    if (System.getProperty(DAEMON) == null) {
      System.setProperty(DAEMON, "false");
    }
  }

  /**
   * Refreshes the statistics when {@link #DUE_AFTER} rows were written since the last refresh and
   * none for {@link #IDLE}.
   *
   * @return the tables refreshed, 0 when none was due (or not Derby)
   */
  public synchronized int refreshIfDue() throws StoreException {
    if (database.dialect() != Database.Dialect.DERBY) {
      return 0;
    }
    long now = written.getAsLong();
    Instant at = clock.instant();
    if (now != seen) {
      seen = now;
      changed = at;
      return 0;
    }
    if (now - refreshedAt < DUE_AFTER || Duration.between(changed, at).compareTo(IDLE) < 0) {
      return 0;
    }
    int tables = refresh();
    refreshedAt = now;
    return tables;
  }

  /**
   * {@link #refreshIfDue()} for a scheduler: a refresh is logged, a failure too (the next call
   * retries), and nothing is thrown.
   */
  public void refreshIfDueLogged() {
    try {
      int tables = refreshIfDue();
      if (tables > 0) {
        log.info("Index statistics refreshed on {} tables (writes paused)", tables);
      }
    } catch (StoreException | RuntimeException e) {
      log.warn("Index statistics not refreshed, next try in a minute: {}", e.getMessage(), e);
    }
  }

  /** Rescans the indexes of every table of the connection's schema; the number of tables. */
  public int refresh() throws StoreException {
    try (Connection c = database.connect()) {
      List<String> tables = new ArrayList<>();
      String schema;
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT s.schemaname, t.tablename FROM sys.systables t JOIN sys.sysschemas s"
                  + " ON t.schemaid = s.schemaid WHERE s.schemaname = CURRENT SCHEMA"
                  + " AND t.tabletype = 'T' ORDER BY t.tablename")) {
        schema = null;
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            schema = rs.getString(1);
            tables.add(rs.getString(2));
          }
        }
      }
      try (PreparedStatement update =
          c.prepareStatement("CALL SYSCS_UTIL.SYSCS_UPDATE_STATISTICS(?, ?, NULL)")) {
        for (String table : tables) {
          update.setString(1, schema);
          update.setString(2, table);
          update.execute();
          c.commit();
        }
      }
      return tables.size();
    } catch (SQLException e) {
      throw new StoreException("could not refresh Derby's index statistics: " + e.getMessage(), e);
    }
  }
}
