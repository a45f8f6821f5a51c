// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import terrain.store.Database;
import terrain.store.StoreException;
import terrain.testkit.Postgres;
import terrain.testkit.Services;

/**
 * Databases with the server's tables on the test PostgreSQL (TERRAIN_TEST_PG_URL), each a copy of
 * one database this JVM migrated once: the PostgreSQL twin of {@link MigratedDerby}. Migrating a
 * fresh schema took 1 to 2.5 s per test; {@code CREATE DATABASE ... TEMPLATE} copies the migrated
 * one in a fraction of that, and the copy is opened as the server opens it (Flyway checks its
 * history and has nothing to apply). The tables live in the copy's schema {@value #SCHEMA}, with
 * the same URL options as {@link Postgres.Schema#url()}.
 *
 * <p>Copying a database needs the CREATEDB privilege. Where the test user lacks it, each copy is a
 * fresh schema on TERRAIN_TEST_PG_URL, migrated, as before: slower, same tables.
 *
 * <p>As an extension (an instance field with {@code @RegisterExtension}), {@link #copy()} hands out
 * databases dropped after the test, once its {@code @AfterEach} methods have closed them; {@link
 * #freshCopy()} is for a database kept longer (a server started once per class), dropped by the
 * caller. A JVM killed before its end leaves its databases behind ({@code terrain_t*}), as it left
 * its schemas.
 */
public final class MigratedPostgres implements AfterEachCallback {
  /** The schema that holds the server's tables in the template and so in every copy. */
  static final String SCHEMA = "terrain";

  private static final String MIGRATIONS = "classpath:db/migration/server";
  private static final String NO_PRIVILEGE = "42501";

  /** The template's name; null until made, "" when the user cannot create databases. */
  private static String template;

  private final List<Copy> copies = new ArrayList<>();

  /** A database (or, without CREATEDB, a schema) with the server's tables; {@link #drop()} it. */
  public record Copy(String url, String dropUrl, String dropSql) {
    /** Drops the copy and everything in it, ending any session left on it. */
    public void drop() throws SQLException {
      execute(dropUrl, dropSql);
    }
  }

  /** A migrated copy that this extension drops after the test (may skip the test). */
  public Copy copy() throws SQLException, StoreException {
    Copy copy = freshCopy();
    copies.add(copy);
    return copy;
  }

  @Override
  public void afterEach(ExtensionContext context) throws SQLException {
    for (Copy copy : copies) {
      copy.drop();
    }
    copies.clear();
  }

  /** A migrated copy (may skip the test); the caller drops it. */
  public static Copy freshCopy() throws SQLException, StoreException {
    String base = Services.postgresUrl();
    String template = template(base);
    if (template.isEmpty()) {
      Postgres.Schema schema = Postgres.freshSchema();
      Database.open(schema.url(), MIGRATIONS).close();
      return new Copy(schema.url(), base, "DROP SCHEMA IF EXISTS " + schema.name() + " CASCADE");
    }
    String name = "terrain_t" + unique();
    execute(base, "CREATE DATABASE " + name + " TEMPLATE " + template);
    return new Copy(
        new Postgres.Schema(withDatabase(base, name), SCHEMA).url(),
        base,
        "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /**
   * The migrated template's name, made on first use and dropped when the JVM exits; "" when the
   * user may not create databases.
   */
  private static synchronized String template(String base) throws SQLException, StoreException {
    if (template == null) {
      String name = "terrain_tmpl" + unique();
      try {
        execute(base, "CREATE DATABASE " + name);
      } catch (SQLException e) {
        if (NO_PRIVILEGE.equals(e.getSQLState())) {
          template = "";
          return template;
        }
        throw e;
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      execute(base, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                    } catch (SQLException ignored) {
                      // a template left behind at exit
                    }
                  }));
      String url = withDatabase(base, name);
      execute(url, "CREATE SCHEMA " + SCHEMA);
      Database.open(new Postgres.Schema(url, SCHEMA).url(), MIGRATIONS).close();
      template = name;
    }
    return template;
  }

  /** {@code url} naming the database {@code name} instead of its own. */
  static String withDatabase(String url, String name) {
    String prefix = "jdbc:postgresql://";
    if (!url.startsWith(prefix)) {
      throw new IllegalArgumentException(
          "TERRAIN_TEST_PG_URL [" + url + "] must start with " + prefix);
    }
    int query = url.indexOf('?');
    String head = query < 0 ? url : url.substring(0, query);
    String tail = query < 0 ? "" : url.substring(query);
    int slash = head.indexOf('/', prefix.length());
    String host = slash < 0 ? head : head.substring(0, slash);
    return host + "/" + name + tail;
  }

  private static String unique() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
