// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import terrain.dist.proc.Child;
import terrain.dist.proc.Commands;
import terrain.dist.proc.Ports;

/**
 * The {@code server} processes of a bench (decision 0026): one on its embedded broker and Derby,
 * or, with {@code --servers} above 1 or {@code --db}/{@code --broker}, N instances sharing one
 * PostgreSQL schema of the bench's own (dropped at the end) and one external MQTT broker in an
 * ingest group of the bench's own. The first starts alone (it migrates the schema), the others
 * together. {@code bench sync} and {@code bench tickets} start their servers through it.
 */
final class ServerFleet implements AutoCloseable {
  static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
  static final String LOCAL_DB = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  static final String LOCAL_BROKER = "tcp://127.0.0.1:1883";
  static final Duration START = Duration.ofSeconds(180);

  /** Where the servers run, from the bench's {@code --servers}, {@code --db}, {@code --broker}. */
  record Setup(int servers, String db, String broker) {
    /**
     * Checks the options and fills the defaults: with several servers the local PostgreSQL and
     * Mosquitto; with one, Derby and the embedded broker unless given.
     *
     * @throws IllegalArgumentException saying what to pass instead
     */
    static Setup of(int servers, String db, String broker) {
      if (servers < 1 || servers > 8) {
        throw new IllegalArgumentException("--servers [" + servers + "] must be 1 to 8.");
      }
      String dbUrl = db != null ? db : servers > 1 ? LOCAL_DB : null;
      String brokerUrl = broker != null ? broker : servers > 1 ? LOCAL_BROKER : null;
      if (dbUrl != null && servers > 1 && !dbUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "--db ["
                + dbUrl
                + "]: several servers share one PostgreSQL; pass"
                + " jdbc:postgresql://HOST:5432/DB?user=USER.");
      }
      if (brokerUrl != null) {
        URI uri = URI.create(brokerUrl);
        if (!"tcp".equals(uri.getScheme()) || uri.getPort() < 1) {
          throw new IllegalArgumentException(
              "--broker [" + brokerUrl + "] must be tcp://HOST:PORT, e.g. " + LOCAL_BROKER + ".");
        }
      }
      return new Setup(servers, dbUrl, brokerUrl);
    }

    /** Whether the servers run on PostgreSQL or an external broker (figures named apart). */
    boolean shared() {
      return servers > 1 || db != null || broker != null;
    }

    URI brokerUri() {
      return broker == null ? null : URI.create(broker);
    }
  }

  private final Setup setup;
  private final String classpath;
  private final Path data;
  private final Path logs;
  private final String schema;
  private final String serverDb;
  private final String group;
  private final List<Integer> http = new ArrayList<>();
  private final int mqtt;
  private final List<Child> started = new ArrayList<>();

  /**
   * Makes the schema (on PostgreSQL) and picks the ports; starts nothing yet.
   *
   * @param run this run's own suffix: schema {@code SCHEMAPREFIX_RUN}, ingest group {@code
   *     bench-RUN}
   * @param data the servers' data folders go to {@code data/NAME}
   * @param logs their logs to {@code logs/NAME.log}
   */
  ServerFleet(Setup setup, String run, String schemaPrefix, String classpath, Path data, Path logs)
      throws IOException, SQLException {
    this.setup = setup;
    this.classpath = classpath;
    this.data = data;
    this.logs = logs;
    for (int i = 0; i < setup.servers(); i++) {
      http.add(Ports.free());
    }
    mqtt = Ports.free();
    group = "bench-" + run;
    if (setup.db() != null && setup.db().startsWith("jdbc:postgresql:")) {
      schema = schemaPrefix + "_" + run;
      execute(setup.db(), "CREATE SCHEMA " + schema);
      serverDb = setup.db() + (setup.db().contains("?") ? "&" : "?") + "currentSchema=" + schema;
    } else {
      schema = null;
      serverDb = setup.db();
    }
  }

  /** The JVM options of a server by its name (e.g. a flight recording). */
  @FunctionalInterface
  interface JvmOptions {
    List<String> of(String name) throws IOException;
  }

  /** What a bench does once the first server is up, before the others start. */
  @FunctionalInterface
  interface FirstUp {
    void run(Child first) throws Exception;
  }

  /**
   * Starts every server with {@code more} options: the first alone, then {@code firstUp} (e.g.
   * publishing an event the others read at their start), then the others together; returns once all
   * listen.
   */
  List<Child> start(JvmOptions jvm, FirstUp firstUp, String... more) throws Exception {
    for (int i = 0; i < setup.servers(); i++) {
      Child server = start(i, jvm.of(name(i)), more);
      if (i == 0) {
        awaitListening(server);
        firstUp.run(server);
      }
    }
    for (Child server : started) {
      awaitListening(server);
    }
    return List.copyOf(started);
  }

  private Child start(int i, List<String> jvm, String... more) throws IOException {
    List<String> args = new ArrayList<>();
    if (setup.broker() != null) {
      args.addAll(List.of("--broker", setup.broker(), "--ingest-group", group));
    }
    if (serverDb != null) {
      args.addAll(List.of("--db", serverDb));
    }
    args.addAll(List.of(more));
    String name = name(i);
    Child server =
        Child.start(
            name,
            classpath,
            logs.resolve(name + ".log"),
            null,
            jvm,
            Commands.server(data.resolve(name), http.get(i), mqtt, args.toArray(String[]::new)));
    started.add(server);
    return server;
  }

  /** {@code server} alone, {@code server-1}... with several. */
  String name(int i) {
    return setup.servers() == 1 ? "server" : "server-" + (i + 1);
  }

  int size() {
    return setup.servers();
  }

  int httpPort(int i) {
    return http.get(i);
  }

  /** The embedded broker's port (the servers' own when no external broker is given). */
  int mqttPort() {
    return mqtt;
  }

  /** Where a device or a bench's client reaches the servers' MQTT broker. */
  String brokerUrl() {
    return setup.broker() != null ? setup.broker() : "tcp://127.0.0.1:" + mqtt;
  }

  /** The JDBC URL of the servers' database (with the schema), or null for their own Derby. */
  String databaseUrl() {
    return serverDb;
  }

  /** E.g. "2 servers on PostgreSQL (schema x) and tcp://... (ingest group g)". */
  String describe() {
    return String.format(
        "%d server%s on %s and %s",
        setup.servers(),
        setup.servers() == 1 ? "" : "s",
        setup.db() == null
            ? "Derby"
            : schema != null ? "PostgreSQL (schema " + schema + ")" : redact(setup.db()),
        setup.broker() == null
            ? "the embedded broker"
            : setup.broker() + " (ingest group " + group + ")");
  }

  static void awaitListening(Child server) throws InterruptedException {
    server.awaitLine(LISTENING, START).orElseThrow(() -> failed(server));
  }

  static IllegalStateException failed(Child child) {
    List<String> lines = child.output();
    return new IllegalStateException(
        child.name()
            + " failed; last lines:\n"
            + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
  }

  static String redact(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  /** Stops the servers (last started first), then drops the schema. */
  @Override
  public void close() throws InterruptedException, SQLException {
    try {
      for (int i = started.size() - 1; i >= 0; i--) {
        started.get(i).close();
      }
    } finally {
      if (schema != null) {
        execute(setup.db(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    }
  }
}
