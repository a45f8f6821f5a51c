// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * Runs short units of work in their own transaction on a fresh connection, again when the database
 * says the failure is transient (deadlock, lock timeout, serialization failure, or a unique
 * violation from a row another transaction inserted first). Each try again waits a random moment,
 * longer each time: threads that met at the same moment do not meet again at once. Derby refills an
 * identity column's values (the ledger's entries) in one short transaction that does not wait for a
 * lock; claims that all ran out of values together failed five times in a row within a millisecond
 * (a CI run, {@code LedgerContract}).
 */
public final class Transactions {
  private static final int MAX_ATTEMPTS = 5;

  /** Work in one transaction; committed when it returns. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private Transactions() {}

  /**
   * @param action what the work does, for the error message ("claiming a ticket")
   */
  public static <T> T run(Database database, String action, Work<T> work) throws StoreException {
    SQLException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try (Connection connection = database.connect()) {
        // Statements kept per connection (Statements) do not mark HikariCP's connection dirty:
        // its own rollback on return would not run, so every failure (an SQLException, a
        // runtime exception or an error) rolls back here, in the finally.
        boolean committed = false;
        try {
          T result = work.run(connection);
          connection.commit();
          committed = true;
          return result;
        } catch (SQLException e) {
          if (!isTransient(e)) {
            throw StoreException.of(action, e);
          }
          last = e;
        } finally {
          if (!committed) {
            rollbackQuietly(connection);
          }
        }
      } catch (SQLException e) {
        throw StoreException.of(action, e);
      }
      if (attempt < MAX_ATTEMPTS) {
        pause(attempt, action, last);
      }
    }
    throw StoreException.of(action, last);
  }

  /** Up to 2, 4, 8, then 16 ms, at random: 30 ms in all at worst. */
  private static void pause(int attempt, String action, SQLException last) throws StoreException {
    try {
      TimeUnit.NANOSECONDS.sleep(
          ThreadLocalRandom.current().nextLong(100_000L, 1_000_000L << attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StoreException.of(action, last);
    }
  }

  /** True for SQLState 23505: a unique or primary key constraint refused the row. */
  public static boolean isUniqueViolation(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if ("23505".equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  static boolean isTransient(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      String state = s.getSQLState();
      if (state != null
          && (state.equals("23505")
              || state.equals("40001")
              || state.equals("40P01")
              || state.equals("40XL1")
              || state.equals("40XL2"))) {
        return true;
      }
    }
    return false;
  }

  /** Rolls back, ignoring a broken connection (closing it is next anyway). */
  public static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; it is closed next.
    }
  }
}
