// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool contract on embedded Derby files, and Derby's shutdown behind the pool. */
class DerbyDatabasePoolTest extends DatabasePoolContract {
  @TempDir Path dir;

  @Override
  Database openDatabase() throws Exception {
    return Database.open(Database.derbyUrl(dir.resolve("db")));
  }

  @Test
  void close_withAConnectionStillBorrowed_shutsDerbyDown() throws Exception {
    pool(2, Duration.ZERO);
    Connection forgotten = database.connect();
    assertTrue(Files.exists(dir.resolve("db/db.lck")), "Derby holds its lock while booted");

    database.close();

    assertFalse(Files.exists(dir.resolve("db/db.lck")), "Derby shut down and let its files go");
    assertThrows(SQLException.class, forgotten::createStatement, "the borrower is cut off");
  }
}
