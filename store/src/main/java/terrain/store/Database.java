// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
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

  /**
   * How the pool of {@link #pool(PoolSettings)} behaves.
   *
   * @param maximumSize connections open at most; a borrower past it waits for one to come back
   * @param connectionTimeout how long a borrower waits before {@link #connect()} fails (250 ms or
   *     more, HikariCP's floor)
   * @param leakThreshold a connection kept longer than this is logged with the stack of the code
   *     that borrowed it; zero turns the check off, otherwise 2 s or more (HikariCP's floor)
   */
  public record PoolSettings(int maximumSize, Duration connectionTimeout, Duration leakThreshold) {
    /**
     * A claim waits microseconds for a connection; one still missing after 5 s means the pool is
     * held by a leak or a stuck database, and an error answer beats a request hanging 30 s
     * (HikariCP's default) behind an HTTP client that has given up.
     */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Every unit of work here is a short transaction (milliseconds; the ledger audit of a market
     * day well under a second): one held 20 s is a connection somebody forgot to close.
     */
    public static final Duration DEFAULT_LEAK_THRESHOLD = Duration.ofSeconds(20);

    public PoolSettings {
      if (maximumSize < 1) {
        throw new IllegalArgumentException(
            "pool maximumSize [" + maximumSize + "] must be 1 or more");
      }
      if (connectionTimeout.compareTo(Duration.ofMillis(250)) < 0) {
        throw new IllegalArgumentException(
            "pool connectionTimeout [" + connectionTimeout + "] must be 250 ms or more");
      }
      if (!leakThreshold.isZero() && leakThreshold.compareTo(Duration.ofSeconds(2)) < 0) {
        throw new IllegalArgumentException(
            "pool leakThreshold [" + leakThreshold + "] must be zero (off) or 2 s or more");
      }
    }

    /** A pool of at most {@code maximumSize} connections with the default timeouts. */
    public static PoolSettings of(int maximumSize) {
      return new PoolSettings(maximumSize, DEFAULT_CONNECTION_TIMEOUT, DEFAULT_LEAK_THRESHOLD);
    }
  }

  /**
   * What the pool does right now, for metrics.
   *
   * @param active connections borrowed
   * @param idle connections open and free
   * @param pending borrowers waiting for a connection
   * @param maximum the bound
   */
  public record PoolStats(int active, int idle, int pending, int maximum) {}

  /**
   * Connections the pool keeps open while nothing happens. A server is idle most of the week and
   * busy on a market day: two keep the first requests quick without holding a PostgreSQL backend
   * process per possible HTTP thread; the pool opens the others as borrowers need them (a Derby
   * connection costs a few hundred microseconds, a PostgreSQL one a few milliseconds) and closes
   * them after 10 minutes unused.
   */
  private static final int MINIMUM_IDLE = 2;

  private final String url;
  private final Dialect dialect;
  private volatile HikariDataSource pool;
  private boolean flywayRan;

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
    Map<String, String> placeholders = Map.of("binary", dialect.binaryType);
    // Flyway's start (its plugins, Jackson, the scan) cost a kiosk's start 0.1 s with the class
    // data sharing archive and 0.5 s without, to find nothing to do on every start but the first
    // after an upgrade (decision 0073).
    Optional<String> fingerprint =
        MigrationFingerprint.of(getClass().getClassLoader(), locations, placeholders);
    if (fingerprint.isPresent() && fingerprint.equals(storedFingerprint())) {
      flywayRan = false;
      return;
    }
    try {
      Flyway.configure(getClass().getClassLoader())
          .dataSource(url, null, null)
          .locations(locations.toArray(String[]::new))
          // The core, hub and server series are numbered apart (V2, V1001.., V3001..): a new core
          // migration must still apply to a database that already has later server or hub ones.
          .outOfOrder(true)
          .placeholders(placeholders)
          .loggers("slf4j")
          .load()
          .migrate();
      flywayRan = true;
      fingerprint.ifPresent(this::storeFingerprint);
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

  /** The fingerprint the last complete migration stored; empty if none (or no table yet). */
  private Optional<String> storedFingerprint() {
    try (Connection c = open()) {
      try (PreparedStatement select =
              c.prepareStatement("SELECT fingerprint FROM schema_fingerprint WHERE id = 1");
          ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      } finally {
        c.rollback(); // read only; Derby refuses to close a connection in a transaction
      }
    } catch (SQLException e) {
      // A database made before the table, or a new one: Flyway decides, as before.
      return Optional.empty();
    }
  }

  /**
   * Stores the fingerprint of the migrations just applied. Failing to is not an error: the next
   * open runs Flyway again, as it always did.
   */
  private void storeFingerprint(String fingerprint) {
    try (Connection c = open()) {
      try {
        int updated;
        try (PreparedStatement update =
            c.prepareStatement("UPDATE schema_fingerprint SET fingerprint = ? WHERE id = 1")) {
          update.setString(1, fingerprint);
          updated = update.executeUpdate();
        }
        if (updated == 0) {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO schema_fingerprint (id, fingerprint) VALUES (1, ?)")) {
            insert.setString(1, fingerprint);
            insert.executeUpdate();
          }
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      // Another process stored it at the same moment, or the table is missing: Flyway next time.
    }
  }

  /**
   * Whether opening this database ran Flyway: false when the stored fingerprint showed the schema
   * already migrated with the migrations on the classpath (decision 0073).
   */
  public boolean flywayRan() {
    return flywayRan;
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
   * From now on {@link #connect()} borrows from a bounded pool (HikariCP) whose connections go back
   * on {@code close()}: work left uncommitted is rolled back, and auto-commit, isolation and
   * read-only are reset to what {@code connect()} promises when the borrower changed them. Without
   * a pool each {@code connect()} opens a new connection. Calling it again changes nothing.
   *
   * @throws StoreException if the pool cannot open its first connection
   */
  public synchronized void pool(PoolSettings settings) throws StoreException {
    if (pool != null) {
      return;
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName(poolName());
    config.setDataSource(new DriverManagerSource(url));
    config.setAutoCommit(false);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    config.setReadOnly(false);
    config.setMaximumPoolSize(settings.maximumSize());
    config.setMinimumIdle(Math.min(MINIMUM_IDLE, settings.maximumSize()));
    config.setConnectionTimeout(settings.connectionTimeout().toMillis());
    config.setLeakDetectionThreshold(settings.leakThreshold().toMillis());
    try {
      pool = new HikariDataSource(config);
    } catch (HikariPool.PoolInitializationException e) {
      throw new StoreException(
          "Could not open the connection pool of the database at "
              + poolName()
              + ": "
              + rootMessage(e)
              + ". Check that the database runs and the URL (--db).",
          e);
    }
  }

  /**
   * A connection in a transaction (auto-commit off), read committed; from the pool if there is one.
   * Close it when the unit of work is done: a pooled connection held longer than the leak threshold
   * is logged with the borrower's stack.
   *
   * @throws SQLTransientConnectionException when the pool had no free connection in time
   */
  public Connection connect() throws SQLException {
    HikariDataSource current = pool;
    if (current == null) {
      return open();
    }
    try {
      return current.getConnection();
    } catch (SQLTransientConnectionException e) {
      HikariPoolMXBean stats = current.getHikariPoolMXBean();
      SQLTransientConnectionException clear =
          new SQLTransientConnectionException(
              "No database connection free within "
                  + current.getConnectionTimeout()
                  + " ms: all "
                  + current.getMaximumPoolSize()
                  + " of pool "
                  + current.getPoolName()
                  + " are in use ("
                  + (stats == null ? "?" : stats.getThreadsAwaitingConnection())
                  + " waiting). A connection not closed is logged as 'Connection leak detection"
                  + " triggered' with the stack that took it; otherwise the database is slow or"
                  + " the pool too small for the load.",
              e.getSQLState(),
              e);
      throw clear;
    }
  }

  /**
   * A connection of its own, outside the pool, with the settings of {@link #connect()}: for an
   * owner that keeps it open for its whole life (the record store, a reader that holds one between
   * requests). It neither takes a place under the pool's bound nor looks like a leak.
   */
  public Connection connectDedicated() throws SQLException {
    return open();
  }

  /**
   * Whether the database answers a trivial query ({@code VALUES 1}, {@code SELECT 1}) within {@code
   * timeout}, on a connection of the pool when there is one: for readiness checks.
   *
   * @throws SQLException with the database's reason when it does not (closed, unreachable, busy)
   */
  public void ping(Duration timeout) throws SQLException {
    try (Connection connection = connect();
        java.sql.Statement statement = connection.createStatement()) {
      statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
      try (java.sql.ResultSet rs =
          statement.executeQuery(dialect == Dialect.DERBY ? "VALUES 1" : "SELECT 1")) {
        if (!rs.next()) {
          throw new SQLException("the database answered a trivial query with no row");
        }
      }
      connection.rollback();
    }
  }

  /** Whether {@link #connect()} borrows from a pool ({@link #pool} was called). */
  public boolean pooled() {
    return pool != null;
  }

  /** Active, idle and waiting counts of the pool; empty without a pool. */
  public Optional<PoolStats> poolStats() {
    HikariDataSource current = pool;
    if (current == null || current.getHikariPoolMXBean() == null) {
      return Optional.empty();
    }
    HikariPoolMXBean bean = current.getHikariPoolMXBean();
    return Optional.of(
        new PoolStats(
            bean.getActiveConnections(),
            bean.getIdleConnections(),
            bean.getThreadsAwaitingConnection(),
            current.getMaximumPoolSize()));
  }

  /**
   * The pool's name in logs and thread names: dialect and place, without the URL's parameters (a
   * PostgreSQL URL may carry a password).
   */
  private String poolName() {
    String place = url.substring(url.indexOf(':', "jdbc:".length()) + 1);
    int end = place.length();
    for (char c : new char[] {';', '?'}) {
      int at = place.indexOf(c);
      if (at >= 0) {
        end = Math.min(end, at);
      }
    }
    return "db-" + dialect.name().toLowerCase(Locale.ROOT) + ":" + place.substring(0, end);
  }

  /**
   * Connections from {@link DriverManager}, as HikariCP's own {@code jdbcUrl} source opens them,
   * but keeping the login timeout HikariCP sets to itself: HikariCP's source sets it JVM-wide, and
   * Derby then boots every database on a timer (with 1 s, creating a database on a busy machine
   * failed with "Login timeout exceeded"; a crash recovery can take longer than any such bound).
   */
  private static final class DriverManagerSource implements DataSource {
    private final String url;
    private volatile int loginTimeoutSeconds;

    DriverManagerSource(String url) {
      this.url = url;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return DriverManager.getConnection(url);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return DriverManager.getConnection(url, user, password);
    }

    /** What HikariCP waits for a connection being opened when it shuts down. */
    @Override
    public int getLoginTimeout() {
      return loginTimeoutSeconds;
    }

    @Override
    public void setLoginTimeout(int seconds) {
      loginTimeoutSeconds = seconds;
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
      // Logs go through SLF4J.
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException("no java.util.logging here");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      if (type.isInstance(this)) {
        return type.cast(this);
      }
      throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return type.isInstance(this);
    }
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
    HikariDataSource current = pool;
    if (current != null) {
      // Closes the idle connections and aborts borrowed ones, before Derby shuts down.
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
