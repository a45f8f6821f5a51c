// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.store.Database;

/**
 * The server's Derby page cache fits its heap even when every cached page is one of Derby's
 * largest, which the server's own tables use (decisions 0059, 0060).
 */
class DerbyPageCacheTest {
  private static final long MB = 1L << 20;

  @Test
  void pageCache_isBoundedByAQuarterOfTheHeap_between1000And16000Pages() {
    assertEquals(4_096, SyncServer.derbyPageCache(512 * MB)); // the heap it ships with
    assertEquals(8_192, SyncServer.derbyPageCache(1024 * MB));
    assertEquals(16_000, SyncServer.derbyPageCache(2048 * MB));
    assertEquals(16_000, SyncServer.derbyPageCache(6 * 1024 * MB));
    assertEquals(1_000, SyncServer.derbyPageCache(64 * MB)); // Derby's own default, no less
    for (long heap = 128 * MB; heap <= 8192 * MB; heap += 16 * MB) { // above Derby's floor
      long cached = (long) SyncServer.derbyPageCache(heap) * SyncServer.DERBY_LARGEST_PAGE;
      assertTrue(cached * 4 <= heap, heap / MB + " MB heap, " + cached / MB + " MB cached");
    }
  }

  @Test
  void recordsTable_usesDerbysLargestPage_theOneTheCacheIsSizedFor(@TempDir Path dir)
      throws Exception {
    try (Database database =
            Database.open(Database.derbyUrl(dir.resolve("db")), "classpath:db/migration/server");
        Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT t.tablename, MAX(d.pagesize) FROM sys.systables t,"
                    + " TABLE(SYSCS_DIAG.SPACE_TABLE(t.tablename)) d"
                    + " WHERE t.tabletype = 'T' GROUP BY t.tablename")) {
      int largest = 0;
      int records = 0;
      while (rs.next()) {
        largest = Math.max(largest, rs.getInt(2));
        if (rs.getString(1).equals("RECORDS")) {
          records = rs.getInt(2);
        }
      }
      c.rollback(); // read only; the pool's connections do not commit by themselves
      assertEquals(SyncServer.DERBY_LARGEST_PAGE, records, "records' heap pages");
      assertEquals(SyncServer.DERBY_LARGEST_PAGE, largest, "no table has larger pages");
    }
  }
}
