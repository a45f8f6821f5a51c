// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The opt-in pool of {@link Database}, on a real Derby database. */
class ConnectionPoolTest {
  @TempDir Path dir;
  Database database;

  @BeforeEach
  void open() throws Exception {
    database = Database.open(Database.derbyUrl(dir.resolve("db")));
    database.pool(2);
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (n INTEGER)");
      c.commit();
    }
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void close_whenWorkNotCommitted_rollsItBackAndResetsTheConnection() throws Exception {
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO t VALUES (1)");
      c.setAutoCommit(true);
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO t VALUES (2)");
    }

    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
      assertFalse(c.getAutoCommit());
      assertEquals(Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation());
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1), "the committed row only");
    }
  }

  @Test
  void close_afterCommitWithOtherSettings_resetsThemForTheNextUser() throws Exception {
    try (Connection c = database.connect()) {
      c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      c.setReadOnly(true);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
        assertTrue(rs.next());
      }
      c.commit();
    }

    try (Connection c = database.connect()) {
      assertEquals(Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation());
      assertFalse(c.isReadOnly());
      assertFalse(c.getAutoCommit());
    }
  }

  @Test
  void close_afterWorkSinceASavepointRollback_rollsTheRestBack() throws Exception {
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO t VALUES (1)");
      java.sql.Savepoint savepoint = c.setSavepoint();
      s.executeUpdate("INSERT INTO t VALUES (2)");
      c.rollback(savepoint);
    }

    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
      assertTrue(rs.next());
      assertEquals(0, rs.getInt(1), "nothing was committed");
    }
  }

  @Test
  void connect_afterClose_reusesTheConnectionAndRefusesTheOldHandle() throws Exception {
    Connection first = database.connect();
    String real = first.unwrap(Connection.class).toString();
    first.close();

    Connection second = database.connect();

    assertEquals(real, second.unwrap(Connection.class).toString());
    assertTrue(first.isClosed());
    assertThrows(SQLException.class, first::createStatement);
    second.close();
  }
}
