// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.testkit;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * The base of the server's contracts run on each database it supports: a migrated, empty {@link
 * #database} per test, opened before the contract's own {@code @BeforeEach} and closed after its
 * {@code @AfterEach} (JUnit runs a superclass's first and last).
 */
public abstract class DatabaseContract {
  private static final String MIGRATIONS = "classpath:db/migration/server";

  protected Database database;

  /** A migrated database with the server's tables, empty: {@link #derby} or {@link #postgres}. */
  protected abstract Database openDatabase() throws Exception;

  @BeforeEach
  protected final void openDatabaseFirst() throws Exception {
    database = openDatabase();
  }

  @AfterEach
  protected final void closeDatabaseLast() {
    if (database != null) {
      database.close();
    }
  }

  /**
   * The server's database in Derby files in {@code dir}: a copy of one database this JVM migrated
   * once ({@link MigratedDerby}), opened with the migrations as the server opens it (Flyway checks
   * the copy's history and has nothing to apply).
   */
  protected static Database derby(Path dir) throws StoreException {
    Path db = dir.resolve("db");
    MigratedDerby.copyTo(db);
    return Database.open(Database.derbyUrl(db), MIGRATIONS);
  }

  /**
   * The server's database on PostgreSQL: a copy of one database this JVM migrated once ({@link
   * MigratedPostgres}), dropped after the test; pooled as the server pools it, so a contract's many
   * small transactions do not each open a PostgreSQL session (a new backend process, about 40 times
   * a Derby statement's cost here; decision 0021).
   */
  protected static Database postgres(MigratedPostgres postgres)
      throws SQLException, StoreException {
    Database database = Database.open(postgres.copy().url(), MIGRATIONS);
    database.pool(Database.PoolSettings.of(POSTGRES_POOL));
    return database;
  }

  /**
   * Migrates the empty database at {@code url} up to {@code version} only (Flyway configured as
   * {@link Database#open} configures it), for a migration's own tests: rows written in the shapes
   * of that version, then {@link #migrate} runs the migrations after it.
   */
  protected static void migrateUpTo(String url, String version) {
    org.flywaydb.core.Flyway.configure(DatabaseContract.class.getClassLoader())
        .dataSource(url, null, null)
        .locations("classpath:db/migration/core", MIGRATIONS)
        .outOfOrder(true)
        .placeholders(
            java.util.Map.of(
                "binary", url.startsWith("jdbc:derby:") ? "VARCHAR(32672) FOR BIT DATA" : "BYTEA"))
        .target(version)
        .load()
        .migrate();
  }

  /** Opens the database at {@code url} as the server opens it, running the migrations it lacks. */
  protected static Database migrate(String url) throws StoreException {
    return Database.open(url, MIGRATIONS);
  }

  /** More connections than a contract's concurrent threads (8 at most), as few as that allows. */
  private static final int POSTGRES_POOL = 10;

  /** Closes what the contract opened, in the order given, skipping what was never opened. */
  protected static void closeAll(AutoCloseable... opened) throws Exception {
    for (AutoCloseable c : opened) {
      if (c != null) {
        c.close();
      }
    }
  }
}
