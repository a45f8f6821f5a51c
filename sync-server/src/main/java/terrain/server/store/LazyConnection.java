// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import terrain.store.Database;

/**
 * A connection of its own for a reader of the database, opened on first use with its settings and
 * kept (a dedicated one, outside the pool: a pooled one held between requests would be a leak);
 * {@link #close()} rolls back and drops it, so that the next {@link #get()} opens a fresh one (a
 * database restart heals by itself). Not thread-safe: its owner serialises the calls.
 */
public final class LazyConnection implements AutoCloseable {
  /** The settings of a connection just opened (isolation, read-only, auto-commit). */
  @FunctionalInterface
  public interface Setup {
    void apply(Connection connection) throws SQLException;
  }

  private final Database database;
  private final Setup setup;
  private Connection connection;

  public LazyConnection(Database database, Setup setup) {
    this.database = database;
    this.setup = setup;
  }

  /**
   * A reader's connection whose reads in one transaction agree with each other (repeatable read,
   * read-only): a summary's total and its counts, a workshop's records.
   */
  public static LazyConnection repeatableReads(Database database) {
    return new LazyConnection(
        database,
        c -> {
          c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
          c.setReadOnly(true);
        });
  }

  /** The open connection, opened now if there is none. */
  public Connection get() throws SQLException {
    if (connection == null) {
      Connection c = database.connectDedicated();
      setup.apply(c);
      connection = c;
    }
    return connection;
  }

  /** Rolls back and closes the connection if one is open; never throws. */
  @Override
  public void close() {
    if (connection != null) {
      try {
        connection.rollback();
        connection.close();
      } catch (SQLException ignored) {
        // Already broken: nothing left to release.
      }
      connection = null;
    }
  }
}
