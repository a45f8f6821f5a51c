// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.testkit;

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

/**
 * Schemas of their own on the test PostgreSQL (TERRAIN_TEST_PG_URL), so runs never see each other's
 * rows; a loud skip when the variable is unset, a failure with {@code CI=true}.
 *
 * <p>As an extension (an instance field with {@code @RegisterExtension}), {@link #schema()} hands
 * out schemas that are dropped after the test, once its {@code @AfterEach} methods have closed the
 * database: the PostgreSQL twin of {@code @TempDir}. {@link #freshSchema()} is for tests that keep
 * a schema longer (a server started once per class) and drop it themselves.
 */
public final class Postgres implements AfterEachCallback {
  /** {@code -c synchronous_commit=off}, URL-encoded for the driver's {@code options}. */
  static final String NO_FLUSH_WAIT = "-c%20synchronous_commit%3Doff";

  private final List<Schema> schemas = new ArrayList<>();

  /** A schema on the test PostgreSQL; {@link #drop()} it when done. */
  public record Schema(String baseUrl, String name) {
    /**
     * The JDBC URL whose tables live in this schema. Its sessions commit without waiting for the
     * WAL flush ({@code synchronous_commit=off}, the PostgreSQL twin of Derby's test durability in
     * the unit tests; decision 0021): the same statements, locks and isolation, minus an fsync per
     * commit on a disk the whole machine shares.
     */
    public String url() {
      return baseUrl
          + (baseUrl.contains("?") ? "&" : "?")
          + "currentSchema="
          + name
          + "&options="
          + NO_FLUSH_WAIT;
    }

    /** Drops the schema and everything in it. */
    public void drop() throws SQLException {
      execute(baseUrl, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }

  /** A new schema that this extension drops after the test. */
  public Schema schema() throws SQLException {
    Schema schema = freshSchema();
    schemas.add(schema);
    return schema;
  }

  @Override
  public void afterEach(ExtensionContext context) throws SQLException {
    for (Schema schema : schemas) {
      schema.drop();
    }
    schemas.clear();
  }

  /** A new, empty schema on TERRAIN_TEST_PG_URL (may skip the test); the caller drops it. */
  public static Schema freshSchema() throws SQLException {
    String url = Services.postgresUrl();
    Schema schema =
        new Schema(url, "t_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
    execute(url, "CREATE SCHEMA " + schema.name());
    return schema;
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
