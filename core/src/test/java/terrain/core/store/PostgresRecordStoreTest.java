// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** The same contract on PostgreSQL, in a fresh schema per test (TERRAIN_TEST_PG_URL). */
class PostgresRecordStoreTest extends RecordStoreContract {
  @Override
  Database openDatabase() throws Exception {
    String url = System.getenv("TERRAIN_TEST_PG_URL");
    assumeTrue(url != null && !url.isBlank(), "TERRAIN_TEST_PG_URL is not set");
    String schema = "t_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String separator = url.contains("?") ? "&" : "?";
    return Database.open(url + separator + "currentSchema=" + schema);
  }
}
