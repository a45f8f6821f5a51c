// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claim path's statements, prepared once per physical connection and kept with it (decision
 * 0045): a claim's seven statements no longer build their JDBC objects (Derby: a statement and its
 * activation; HikariCP: a proxy) on every claim. HikariCP keeps no statement cache on purpose, so
 * the statements are prepared on the connection under its proxy, which it does not track.
 *
 * <p>Rules for callers: only inside {@link Transactions#run} (it rolls back on any failure, since
 * HikariCP does not see these statements make the transaction dirty); never close the statement,
 * close its result sets; set every parameter (and {@code setMaxRows}) before each execution.
 */
public final class Statements {
  /** The statements of each physical connection; connections closed are dropped when one comes. */
  private static final Map<Connection, Map<String, PreparedStatement>> KEPT =
      new ConcurrentHashMap<>();

  private Statements() {}

  /** The statement of {@code sql} on {@code c}'s physical connection, prepared the first time. */
  public static PreparedStatement prepared(Connection c, String sql) throws SQLException {
    Connection physical = c.unwrap(Connection.class);
    Map<String, PreparedStatement> statements = KEPT.get(physical);
    if (statements == null) {
      // A connection seen for the first time (the pool opened it): forget those closed since.
      KEPT.keySet().removeIf(Statements::closed);
      statements = new ConcurrentHashMap<>();
      KEPT.put(physical, statements);
    }
    PreparedStatement statement = statements.get(sql);
    if (statement == null || statement.isClosed()) {
      statement = physical.prepareStatement(sql);
      statements.put(sql, statement);
    }
    return statement;
  }

  /** How many physical connections have statements kept (for tests). */
  static int connections() {
    return KEPT.size();
  }

  private static boolean closed(Connection connection) {
    try {
      return connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }
}
