// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Derby has compiled: the statement texts in its statement cache, which every connection to
 * the database shares ({@code SYSCS_DIAG.STATEMENT_CACHE}). The query itself is left out.
 */
public final class DerbyStatementCache {
  private DerbyStatementCache() {}

  /** The cached texts, read on {@code connection} (committed after). */
  public static Set<String> texts(Connection connection) throws SQLException {
    Set<String> texts = new TreeSet<>();
    try (Statement select = connection.createStatement();
        ResultSet rs = select.executeQuery("SELECT sql_text FROM SYSCS_DIAG.STATEMENT_CACHE")) {
      while (rs.next()) {
        if (!rs.getString(1).contains("SYSCS_DIAG.STATEMENT_CACHE")) {
          texts.add(rs.getString(1));
        }
      }
    }
    if (!connection.getAutoCommit()) {
      connection.commit();
    }
    return texts;
  }
}
