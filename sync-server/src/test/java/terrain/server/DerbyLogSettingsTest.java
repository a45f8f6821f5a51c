// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.store.Database;

/**
 * The server's Derby writes its log in files of {@link SyncServer#DERBY_LOG_FILE}, not Derby's 1
 * MiB: a drain's commits no longer wait for a new log file at nearly every batch (decision 0069).
 */
class DerbyLogSettingsTest {
  @Test
  void derbySettings_whenSeveralMegabytesAreLogged_keepsThemInOneLogFile(@TempDir Path dir)
      throws Exception {
    SyncServer.derbySettings();
    assertEquals(
        String.valueOf(SyncServer.DERBY_LOG_FILE), System.getProperty(SyncServer.DERBY_LOG_SWITCH));
    assertEquals(
        String.valueOf(SyncServer.DERBY_CHECKPOINT_LOG),
        System.getProperty(SyncServer.DERBY_CHECKPOINT));

    Path db = dir.resolve("db");
    try (Database database = Database.open(Database.derbyUrl(db));
        Connection c = database.connectDedicated()) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE filler (id INT PRIMARY KEY, text VARCHAR(1000))");
      }
      String text = "x".repeat(1000);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO filler VALUES (?, ?)")) {
        for (int i = 0; i < 4_000; i++) { // about 4 MB of log: a second file at Derby's 1 MiB
          insert.setInt(1, i);
          insert.setString(2, text);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      c.commit();

      assertEquals(List.of("log1.dat"), logFiles(db.resolve("log")));
    }
  }

  private static List<String> logFiles(Path log) throws Exception {
    try (Stream<Path> files = Files.list(log)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> name.matches("log\\d+\\.dat"))
          .sorted()
          .toList();
    }
  }
}
