// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * A JDBC database of a Terrain node: embedded Derby in a folder (kiosk, hub, small server) or
 * PostgreSQL (a server past one machine). Opening it applies the schema migrations.
 */
public final class Database implements AutoCloseable {
  /** The SQL families Terrain runs on; the migrations differ only in the binary column type. */
  public enum Dialect {
    DERBY("VARCHAR(32672) FOR BIT DATA"),
    POSTGRESQL("BYTEA");

    private final String binaryType;

    Dialect(String binaryType) {
      this.binaryType = binaryType;
    }
  }

  private final String url;
  private final Dialect dialect;
  private volatile ConnectionPool pool;

  private Database(String url, Dialect dialect) {
    this.url = url;
    this.dialect = dialect;
  }

  /** The JDBC URL of an embedded Derby database in {@code folder}, created if missing. */
  public static String derbyUrl(Path folder) {
    return "jdbc:derby:" + folder.toAbsolutePath() + ";create=true";
  }

  /**
   * Opens a database and migrates it.
   *
   * @param migrations Flyway locations after the core one, e.g. {@code
   *     classpath:db/migration/server}
   */
  public static Database open(String url, String... migrations) throws StoreException {
    Dialect dialect;
    if (url.startsWith("jdbc:derby:")) {
      dialect = Dialect.DERBY;
      prepareDerby(url);
    } else if (url.startsWith("jdbc:postgresql:")) {
      dialect = Dialect.POSTGRESQL;
    } else {
      throw new StoreException(
          "Database URL ["
              + url
              + "] is not supported: use jdbc:derby:/path/to/folder or"
              + " jdbc:postgresql://host:5432/database");
    }
    Database database = new Database(url, dialect);
    database.migrate(migrations);
    return database;
  }

  private static void prepareDerby(String url) throws StoreException {
    String path = url.substring("jdbc:derby:".length());
    int semicolon = path.indexOf(';');
    if (semicolon >= 0) {
      path = path.substring(0, semicolon);
    }
    Path folder = Path.of(path).toAbsolutePath();
    try {
      Files.createDirectories(folder.getParent());
    } catch (Exception e) {
      throw new StoreException(
          "Cannot create the folder "
              + folder.getParent()
              + " for the database: "
              + e.getMessage()
              + ". Check the --data path and its permissions.",
          e);
    }
    // Derby writes its diagnostic log next to the database rather than into the working folder.
    if (System.getProperty("derby.stream.error.file") == null) {
      System.setProperty(
          "derby.stream.error.file", folder.getParent().resolve("derby.log").toString());
    }
  }

  private void migrate(String... migrations) throws StoreException {
    List<String> locations = new ArrayList<>();
    locations.add("classpath:db/migration/core");
    locations.addAll(List.of(migrations));
    try {
      Flyway.configure(getClass().getClassLoader())
          .dataSource(url, null, null)
          .locations(locations.toArray(String[]::new))
          .placeholders(Map.of("binary", dialect.binaryType))
          .loggers("slf4j")
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StoreException(
          "Could not open or migrate the database at "
              + url
              + ": "
              + rootMessage(e)
              + ". If another Terrain process uses this data folder, stop it first.",
          e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    String message = e.getMessage();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message;
  }

  public Dialect dialect() {
    return dialect;
  }

  public String url() {
    return url;
  }

  /**
   * Keeps up to {@code idle} connections open for reuse from now on (a server with many short
   * transactions); {@link #connect()} then hands out pooled connections whose {@code close()}
   * returns them. Without it, each {@code connect()} opens a new connection.
   */
  public synchronized void pool(int idle) {
    if (pool == null) {
      pool = new ConnectionPool(this::open, idle);
    }
  }

  public Connection connect() throws SQLException {
    ConnectionPool current = pool;
    return current == null ? open() : current.get();
  }

  private Connection open() throws SQLException {
    Connection connection = DriverManager.getConnection(url);
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    return connection;
  }

  /**
   * Shuts an embedded Derby database down cleanly (a crash is also safe, only slower to reopen).
   */
  @Override
  public void close() {
    ConnectionPool current = pool;
    if (current != null) {
      current.close();
    }
    if (dialect == Dialect.DERBY) {
      String base = url.contains(";") ? url.substring(0, url.indexOf(';')) : url;
      try {
        DriverManager.getConnection(base + ";shutdown=true").close();
      } catch (SQLException expected) {
        // Derby reports a successful shutdown as SQLState 08006.
      }
    }
  }
}
