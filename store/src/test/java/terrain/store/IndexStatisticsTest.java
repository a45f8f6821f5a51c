// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.testkit.MutableClock;

/** The application's refresh of Derby's index statistics, on a real Derby store. */
class IndexStatisticsTest {
  @TempDir Path folder;
  private Database database;
  private final AtomicLong written = new AtomicLong();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));

  @BeforeEach
  void open() throws Exception {
    database = Database.open(Database.derbyUrl(folder.resolve("db")));
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE visits (id INT PRIMARY KEY, area INT NOT NULL)");
      s.execute("CREATE INDEX visits_area ON visits (area)");
      c.commit();
    }
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void refreshIfDue_whenEnoughRowsWereWrittenAndWritesPaused_rescansTheIndexes() throws Exception {
    IndexStatistics statistics = new IndexStatistics(database, written::get, clock);
    insert(0, 12_000);
    written.addAndGet(12_000);

    assertEquals(0, statistics.refreshIfDue(), "writes just happened: not yet");
    clock.advance(IndexStatistics.IDLE.minusSeconds(1));
    assertEquals(0, statistics.refreshIfDue(), "paused for less than IDLE: not yet");
    assertEquals(0, statisticsOf("VISITS"));

    clock.advance(Duration.ofSeconds(2));
    assertTrue(statistics.refreshIfDue() > 0, "due: rows written, then a pause");
    assertTrue(statisticsOf("VISITS") > 0, "Derby holds statistics for the area index now");
    assertEquals(0, statistics.refreshIfDue(), "nothing written since");
  }

  @Test
  void refreshIfDue_whenFewerRowsThanDueAfterWereWritten_leavesTheStatistics() throws Exception {
    IndexStatistics statistics = new IndexStatistics(database, written::get, clock);
    insert(0, 12_000);
    written.addAndGet(12_000);
    statistics.refreshIfDue();
    clock.advance(IndexStatistics.IDLE.plusSeconds(1));
    assertTrue(statistics.refreshIfDue() > 0);
    Timestamp first = createdAt("VISITS");

    insert(12_000, 500);
    written.addAndGet(500);
    statistics.refreshIfDue();
    clock.advance(IndexStatistics.IDLE.plusSeconds(1));
    assertEquals(0, statistics.refreshIfDue(), "500 rows since the last refresh: not due");
    assertEquals(first, createdAt("VISITS"));

    insert(12_500, (int) IndexStatistics.DUE_AFTER);
    written.addAndGet(IndexStatistics.DUE_AFTER);
    statistics.refreshIfDue();
    clock.advance(IndexStatistics.IDLE.plusSeconds(1));
    assertTrue(statistics.refreshIfDue() > 0, "DUE_AFTER more rows: due again");
  }

  private void insert(int from, int count) throws Exception {
    try (Connection c = database.connect();
        PreparedStatement insert =
            c.prepareStatement("INSERT INTO visits (id, area) VALUES (?, ?)")) {
      for (int i = from; i < from + count; i++) {
        insert.setInt(1, i);
        insert.setInt(2, i % 97);
        insert.addBatch();
      }
      insert.executeBatch();
      c.commit();
    }
  }

  private int statisticsOf(String table) throws Exception {
    return (Integer) statistic("COUNT(*)", table);
  }

  private Timestamp createdAt(String table) throws Exception {
    return (Timestamp) statistic("MAX(st.creationtimestamp)", table);
  }

  /** One aggregate over the rows of {@code SYS.SYSSTATISTICS} that belong to {@code table}. */
  private Object statistic(String aggregate, String table) throws Exception {
    try (Connection c = database.connect();
        PreparedStatement select =
            c.prepareStatement(
                "SELECT "
                    + aggregate
                    + " FROM sys.sysstatistics st JOIN sys.systables t"
                    + " ON st.tableid = t.tableid WHERE t.tablename = ?")) {
      select.setString(1, table);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        Object value = rs.getObject(1);
        c.commit();
        return value;
      }
    }
  }
}
