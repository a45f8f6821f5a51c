// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import terrain.testkit.Services;

/** The pool contract on PostgreSQL, in a fresh schema per test (TERRAIN_TEST_PG_URL). */
class PostgresDatabasePoolTest extends DatabasePoolContract {
  @Override
  Database openDatabase() throws Exception {
    String url = Services.postgresUrl();
    String schema = "t_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String separator = url.contains("?") ? "&" : "?";
    return Database.open(url + separator + "currentSchema=" + schema);
  }
}
