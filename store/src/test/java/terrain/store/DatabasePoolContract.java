// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What {@link Database#pool} promises its borrowers, on the real database: HikariCP's resets and
 * rollbacks, the bound, the timeout message, leak reports and the counts for metrics.
 */
abstract class DatabasePoolContract {
  static final Duration TIMEOUT = Duration.ofMillis(300);

  Database database;

  abstract Database openDatabase() throws Exception;

  @BeforeEach
  void open() throws Exception {
    database = openDatabase();
  }

  @AfterEach
  void close() {
    if (database != null) {
      // null when the database's service was missing and the test was skipped
      database.close();
    }
  }

  /** A pool of {@code size} and a table {@code t}; with one connection, reuse is certain. */
  void pool(int size, Duration leakThreshold) throws Exception {
    pool(size, TIMEOUT, leakThreshold);
  }

  /** As {@link #pool(int, Duration)} with the borrowers' {@code timeout}. */
  void pool(int size, Duration timeout, Duration leakThreshold) throws Exception {
    database.pool(new Database.PoolSettings(size, timeout, leakThreshold));
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (n INTEGER)");
      c.commit();
    }
  }

  @Test
  void close_whenWorkNotCommitted_rollsItBackAndResetsTheConnection() throws Exception {
    pool(1, Duration.ZERO);
    Connection real;
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      real = c.unwrap(Connection.class);
      s.executeUpdate("INSERT INTO t VALUES (1)");
      c.setAutoCommit(true);
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO t VALUES (2)");
    }

    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
      assertSame(real, c.unwrap(Connection.class), "the same connection, reused");
      assertFalse(c.getAutoCommit());
      assertEquals(Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation());
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1), "the row committed by auto-commit only");
    }
  }

  @Test
  void close_afterCommitWithOtherSettings_resetsThemForTheNextUser() throws Exception {
    pool(1, Duration.ZERO);
    Connection real;
    try (Connection c = database.connect()) {
      real = c.unwrap(Connection.class);
      c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      c.setReadOnly(true);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
        assertTrue(rs.next());
      }
      c.commit();
    }

    try (Connection c = database.connect()) {
      assertSame(real, c.unwrap(Connection.class), "the same connection, reused");
      assertEquals(Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation());
      assertFalse(c.isReadOnly());
      assertFalse(c.getAutoCommit());
    }
  }

  @Test
  void close_afterAutoCommitLeftOn_turnsItOffForTheNextUser() throws Exception {
    pool(1, Duration.ZERO);
    try (Connection c = database.connect()) {
      c.setAutoCommit(true);
    }

    try (Connection c = database.connect()) {
      assertFalse(c.getAutoCommit());
    }
  }

  @Test
  void close_afterWorkSinceASavepointRollback_rollsTheRestBack() throws Exception {
    pool(1, Duration.ZERO);
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO t VALUES (1)");
      Savepoint savepoint = c.setSavepoint();
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
    pool(1, Duration.ZERO);
    Connection first = database.connect();
    Connection real = first.unwrap(Connection.class);
    first.close();

    Connection second = database.connect();

    assertSame(real, second.unwrap(Connection.class));
    assertTrue(first.isClosed());
    assertThrows(SQLException.class, first::createStatement);
    second.close();
  }

  @Test
  void connect_whenAllAreBorrowed_waitsForOneToComeBack() throws Exception {
    // The third borrower must still be waiting when one comes back: a timeout far above the time
    // between the two, even on a loaded machine (300 ms was seen to pass there).
    pool(2, Duration.ofSeconds(30), Duration.ZERO);
    ExecutorService waiter = Executors.newSingleThreadExecutor();
    try {
      Connection a = database.connect();
      Connection b = database.connect();
      Future<Connection> third = waiter.submit(database::connect);

      assertTrue(
          await(() -> database.poolStats().orElseThrow().pending() == 1, Duration.ofSeconds(5)),
          "the third borrower waits: " + database.poolStats());
      assertEquals(new Database.PoolStats(2, 0, 1, 2), database.poolStats().orElseThrow());
      Connection aReal = a.unwrap(Connection.class);
      a.close();

      try (Connection c = third.get(5, TimeUnit.SECONDS)) {
        assertSame(aReal, c.unwrap(Connection.class), "the one given back, not a third");
        assertEquals(new Database.PoolStats(2, 0, 0, 2), database.poolStats().orElseThrow());
      }
      b.close();
      assertEquals(0, database.poolStats().orElseThrow().active());
    } finally {
      waiter.shutdownNow();
    }
  }

  @Test
  void connect_whenAllStayBorrowedPastTheTimeout_failsSayingWhatToCheck() throws Exception {
    pool(1, Duration.ZERO);
    try (Connection held = database.connect()) {
      assertFalse(held.isClosed());
      long start = System.nanoTime();

      SQLTransientConnectionException e =
          assertThrows(SQLTransientConnectionException.class, database::connect);

      assertTrue(
          System.nanoTime() - start >= TIMEOUT.toNanos(), "it waited the timeout before failing");
      assertTrue(
          e.getMessage().startsWith("No database connection free within 300 ms: all 1 of pool db-"),
          e.getMessage());
      assertTrue(e.getMessage().contains("Connection leak detection triggered"), e.getMessage());
      assertFalse(e.getMessage().contains("user="), "no URL parameters: " + e.getMessage());
    }
    try (Connection c = database.connect()) {
      assertNotNull(c, "given back, the connection serves again");
    }
  }

  @Test
  void connect_whenHeldPastTheLeakThreshold_logsTheBorrowersStack() throws Exception {
    pool(1, Duration.ofSeconds(2));
    Logger logger = (Logger) LoggerFactory.getLogger("com.zaxxer.hikari.pool.ProxyLeakTask");
    LeakReports reports = new LeakReports();
    reports.start();
    logger.addAppender(reports);
    Connection leaked = borrowAndForget();
    try {
      assertTrue(reports.seen.await(10, TimeUnit.SECONDS), "a leak report within 10 s");
      ILoggingEvent report = reports.first;
      assertTrue(
          report.getFormattedMessage().startsWith("Connection leak detection triggered"),
          report.getFormattedMessage());
      IThrowableProxy stack = report.getThrowableProxy();
      assertTrue(
          Arrays.stream(stack.getStackTraceElementProxyArray())
              .map(StackTraceElementProxy::getStackTraceElement)
              .anyMatch(frame -> frame.getMethodName().equals("borrowAndForget")),
          "the stack of the borrower");
    } finally {
      leaked.close();
      logger.detachAppender(reports);
    }
  }

  @Test
  void poolStats_withoutAPool_isEmpty() {
    assertTrue(database.poolStats().isEmpty());
  }

  private Connection borrowAndForget() throws SQLException {
    return database.connect();
  }

  static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  private static final class LeakReports extends AppenderBase<ILoggingEvent> {
    final CountDownLatch seen = new CountDownLatch(1);
    volatile ILoggingEvent first;

    @Override
    protected void append(ILoggingEvent event) {
      if (first == null) {
        first = event;
        seen.countDown();
      }
    }
  }
}
