// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import terrain.store.Database;
import terrain.testkit.Postgres;

/**
 * V1039 (decision 0050) on a database holding claims written the old way, twice: each claim keeps
 * its {@code ticket_claims} row as it was, a claimed ticket row without one (never written by the
 * server, but possible by hand) gets one with nothing remaining, an unclaimed ticket stays
 * unclaimed, and {@code tickets} no longer has the claim's columns. Derby and PostgreSQL.
 */
class ClaimWrittenOnceMigrationTest {
  private static final String[] LOCATIONS = {
    "classpath:db/migration/core", "classpath:db/migration/server"
  };

  @RegisterExtension final Postgres postgres = new Postgres();

  @TempDir Path dir;

  @Test
  void derby_claimsWrittenTwice_areKeptInTicketClaimsOnly() throws Exception {
    String url = Database.derbyUrl(dir.resolve("db"));
    migrateBefore(url, "VARCHAR(32672) FOR BIT DATA");
    seedOldClaims(url);
    Database.open(url, "classpath:db/migration/server").close();
    checkMigrated(url.replace(";create=true", ""));
  }

  @Test
  void postgres_claimsWrittenTwice_areKeptInTicketClaimsOnly() throws Exception {
    String url = postgres.schema().url();
    migrateBefore(url, "BYTEA");
    seedOldClaims(url);
    Database.open(url, "classpath:db/migration/server").close();
    checkMigrated(url);
  }

  /** The schema as it was before V1039. */
  private static void migrateBefore(String url, String binary) {
    Flyway.configure(ClaimWrittenOnceMigrationTest.class.getClassLoader())
        .dataSource(url, null, null)
        .locations(LOCATIONS)
        .outOfOrder(true)
        .placeholders(Map.of("binary", binary))
        .target("1037")
        .load()
        .migrate();
  }

  /**
   * Serial 1: claimed by wallet w1, both places (3 of 5 briqs left). Serial 2: claimed in {@code
   * tickets} only. Serial 3: not claimed.
   */
  private static void seedOldClaims(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ticket =
            c.prepareStatement(
                "INSERT INTO tickets (device_id, serial, code, short_code, event_id, briqs,"
                    + " golden, issued_at, expires_at, claimed_by_wallet, claimed_at)"
                    + " VALUES ('k1', ?, ?, ?, 'market', 5, 0, 1000, 9000, ?, ?)");
        PreparedStatement claim =
            c.prepareStatement(
                "INSERT INTO ticket_claims (device_id, serial, wallet_id, briqs, remaining,"
                    + " expires_at, claimed_at) VALUES ('k1', 1, 'w1', 5, 3, 9000, 2000)")) {
      Object[][] rows = {{1L, "w1", 2000L}, {2L, "w2", 2100L}, {3L, null, null}};
      for (Object[] row : rows) {
        ticket.setLong(1, (Long) row[0]);
        ticket.setString(2, "code-" + row[0]);
        ticket.setString(3, "SHORT" + row[0]);
        ticket.setString(4, (String) row[1]);
        ticket.setObject(5, row[2], java.sql.Types.BIGINT);
        ticket.executeUpdate();
      }
      claim.executeUpdate();
    }
  }

  private static void checkMigrated(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement select =
            c.prepareStatement(
                "SELECT serial, wallet_id, briqs, remaining, expires_at, claimed_at"
                    + " FROM ticket_claims WHERE device_id = 'k1' ORDER BY serial")) {
      List<List<Object>> claims = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          claims.add(
              List.of(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getInt(3),
                  rs.getInt(4),
                  rs.getLong(5),
                  rs.getLong(6)));
        }
      }
      assertEquals(
          List.of(List.of(1L, "w1", 5, 3, 9000L, 2000L), List.of(2L, "w2", 5, 0, 9000L, 2100L)),
          claims,
          "the claim written twice kept as it was; the one in tickets only kept, nothing left");
      List<String> columns = new ArrayList<>();
      DatabaseMetaData meta = c.getMetaData();
      String table = meta.storesUpperCaseIdentifiers() ? "TICKETS" : "tickets";
      try (ResultSet rs = meta.getColumns(null, c.getSchema(), table, null)) {
        while (rs.next()) {
          columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
      }
      assertEquals(true, columns.contains("short_code"), "tickets' columns read: " + columns);
      assertFalse(columns.contains("claimed_by_wallet"), "tickets' columns: " + columns);
      assertFalse(columns.contains("claimed_at"), "tickets' columns: " + columns);
    }
  }
}
