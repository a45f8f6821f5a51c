// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import terrain.core.text.ConsoleLanguage;
import terrain.core.text.Messages;
import terrain.http.TlsIdentity;
import terrain.http.TrustedProxies;
import terrain.server.followup.MailSettings;
import terrain.transport.MqttCredentials;

/**
 * {@code ./terrain server}: the central sync server. Runs until Ctrl-C (SIGTERM), then stops
 * cleanly.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "The central sync server: receives the records of field hubs over MQTT, counts the"
            + " results and serves them over HTTP. Ctrl-C stops it.")
public final class ServerMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "Folder of the server's database and broker files (created if missing).")
  Path data;

  @Option(
      names = "--http",
      required = true,
      paramLabel = "PORT",
      description = "HTTP port (results, API); 0 picks a free one.")
  int http;

  @Option(
      names = "--mqtt",
      paramLabel = "PORT",
      defaultValue = "1883",
      description =
          "Port of the embedded MQTT broker; 0 picks a free one. Ignored with --broker."
              + " Default: ${DEFAULT-VALUE}.")
  int mqtt;

  @Option(
      names = "--broker",
      paramLabel = "URL",
      description =
          "Use this MQTT broker (tcp://HOST:PORT) instead of starting the embedded one, e.g. to"
              + " share ingest between several server instances.")
  String broker;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      description = "Database: jdbc:postgresql://HOST:5432/DB?user=USER. Default: Derby in DIR/db.")
  String db;

  @Option(
      names = "--site-key",
      paramLabel = "KEY",
      description =
          "Site key from which MQTT passwords derive (with --dev, or for an external --broker)."
              + " Default: env TERRAIN_SITE_KEY, else the development key with --dev.")
  String siteKey;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = "0.0.0.0",
      description = "Address HTTP and the embedded broker listen on. Default: ${DEFAULT-VALUE}.")
  String bind;

  @Option(
      names = "--event",
      paramLabel = "FILE",
      description =
          "Event definition (YAML) whose title and labels the results show; repeat for several.")
  List<Path> events = new ArrayList<>();

  @Option(
      names = "--dev",
      description =
          "Development mode, for demos and quick tries: the development site key and the keys"
              + " devices announce on first use are accepted. Without it, MQTT logins are the"
              + " server's own services and the devices enrolled by provisioning.")
  boolean dev;

  @Option(
      names = "--allow-development-keys",
      negatable = true,
      fallbackValue = "true",
      description =
          "Register the key a device announces on first use (only with --dev;"
              + " --no-allow-development-keys refuses them). Default: on with --dev, else off.")
  Boolean allowDevelopmentKeys;

  @Option(
      names = "--public-url",
      paramLabel = "URL",
      description =
          "The server's address as devices reach it, written in enrolment texts (e.g."
              + " https://terrain.example.fr). Default: http://127.0.0.1:HTTPPORT.")
  String publicUrl;

  @Option(
      names = "--mqtt-public",
      paramLabel = "tcp://HOST:PORT",
      description =
          "The server's MQTT address as hubs reach it, written in hubs' bundles. Default:"
              + " tcp://127.0.0.1:MQTTPORT.")
  String mqttPublic;

  @Option(
      names = "--ingest-group",
      paramLabel = "NAME",
      description =
          "The MQTT shared-subscription group in which the server instances of one deployment"
              + " split the ingest: the same on each of them, another for another deployment on"
              + " the same broker (a-z, 0-9, '-'; default: ${DEFAULT-VALUE}).")
  String ingestGroup = terrain.core.wire.Topics.DEFAULT_INGEST_GROUP;

  @Option(
      names = "--metrics-public",
      description =
          "Serve /metrics to every client that reaches the HTTP port, for a Prometheus on another"
              + " host (keep the port behind a firewall or a private network). Default: this"
              + " machine's loopback clients only.")
  boolean metricsPublic;

  @Option(
      names = "--warm-up",
      paramLabel = "RECORDS",
      description =
          "Made-up participations the server ingests into a scratch database at start, before it"
              + " lets hubs in, so that the first backlog after a restart meets compiled code (a"
              + " few seconds; Derby only; 0 starts cold; default: ${DEFAULT-VALUE}).")
  int warmUp = terrain.server.ingest.WarmUp.DEFAULT_RECORDS;

  @Option(
      names = "--admin-token",
      paramLabel = "TOKEN",
      description =
          "Shared bearer token of the admin API, 16 characters or more (deprecated: it acts as an"
              + " admin named admin-token; create named accounts with ./terrain staff add and give"
              + " scripts their own tokens). Default: env TERRAIN_ADMIN_TOKEN, else none.")
  String adminToken;

  @Option(
      names = "--claims-per-minute",
      paramLabel = "N",
      defaultValue = "20",
      description =
          "Claim attempts allowed per client address and minute. Default: ${DEFAULT-VALUE}.")
  int claimsPerMinute;

  @Option(
      names = "--partner",
      paramLabel = "ID:KEY[:NAME]",
      description =
          "A partner whose cashiers debit wallets on /partner, signing in with KEY (8 characters"
              + " or more), e.g. piscine:48213377:Piscine municipale. Repeat for each partner.")
  List<String> partners = new ArrayList<>();

  @Option(
      names = "--trust-proxy",
      paramLabel = "CIDR[,CIDR...]",
      description =
          "Reverse proxies (addresses or blocks, e.g. 127.0.0.1 or 10.0.0.0/8) whose Forwarded"
              + " and X-Forwarded-* headers are believed: behind them rate limits key on the real"
              + " client and cookies are Secure when the client came over HTTPS. From any other"
              + " address the headers are ignored. Default: none.")
  String trustProxy;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "Certificate chain (PEM, the server's own first) for HTTPS on --http and MQTT over TLS on"
              + " --mqtt; with --tls-key. Hubs pin its SHA-256, printed at start.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "Private key (PEM, unencrypted, readable by this user only) of --tls-cert.")
  Path tlsKey;

  @Option(
      names = "--smtp-host",
      paramLabel = "HOST",
      description =
          "SMTP server of the follow-up mails (\"vous avez dit, nous avons fait\"), with"
              + " --smtp-from. Default: none, mails stay queued in the database.")
  String smtpHost;

  @Option(
      names = "--smtp-port",
      paramLabel = "PORT",
      defaultValue = "587",
      description = "Its port: 587 (STARTTLS), 465 (TLS) or 25. Default: ${DEFAULT-VALUE}.")
  int smtpPort;

  @Option(
      names = "--smtp-security",
      paramLabel = "MODE",
      defaultValue = "starttls",
      description =
          "starttls (required), tls (from the first byte, port 465) or none (a relay on this"
              + " machine). Default: ${DEFAULT-VALUE}.")
  String smtpSecurity;

  @Option(
      names = "--smtp-from",
      paramLabel = "ADDRESS",
      description = "The mails' sender, e.g. \"Mairie <participation@mairie.fr>\".")
  String smtpFrom;

  @Option(
      names = "--smtp-user",
      paramLabel = "USER",
      description =
          "SMTP login; its password from the file of --smtp-password-file or env"
              + " TERRAIN_SMTP_PASSWORD (never on the command line).")
  String smtpUser;

  @Option(
      names = "--smtp-password-file",
      paramLabel = "FILE",
      description = "File holding the SMTP password (its first line).")
  Path smtpPasswordFile;

  private final Map<String, String> env;

  ServerMain(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * {@code ./terrain staff ...}: staff accounts on the server's database or over HTTP ({@link
   * terrain.server.staff.StaffMain}); returns the exit code.
   */
  public static int staff(String... args) {
    return terrain.server.staff.StaffMain.run(args);
  }

  /**
   * Applies the server's JVM-wide Derby settings (page cache, identity ranges) unless set with
   * {@code -D}: for a bench's reference inserts, so that they run on the server's Derby.
   */
  public static void derbySettings() {
    SyncServer.derbySettings();
  }

  /**
   * {@link #derbySettings()} with Derby's page cache sized for a server heap of {@code
   * maxHeapBytes} rather than this JVM's: for a bench whose own heap is not the server's.
   */
  public static void derbySettings(long maxHeapBytes) {
    SyncServer.derbySettings(maxHeapBytes);
  }

  /**
   * The server's ingest hooks on {@code database}, as {@link SyncServer} chains them, for the
   * in-process replay of the ingest ({@code ./terrain bench ingest-replay}): everything the server
   * does in a batch's transaction, without its broker or HTTP.
   */
  public static terrain.store.RecordStore.InsertHook ingestHook(
      terrain.store.Database database, java.time.Clock clock) {
    return SyncServer.ingestHook(
        database,
        new terrain.server.devices.DeviceRegistry(database, clock),
        new terrain.server.ingest.BatchSender(),
        true,
        clock);
  }

  /**
   * The results summary of an event as {@code GET /api/events/{id}/summary} and the live results
   * page read it, for {@code ./terrain bench ingest-replay}: each call reads it once (one
   * transaction) and says what it carried; the reader keeps its connection until {@code database}
   * is closed.
   */
  public static java.util.concurrent.Callable<String> summaryReader(
      terrain.store.Database database, String eventId) {
    terrain.server.results.Results results =
        new terrain.server.results.Results(database, terrain.server.results.EventCatalog.empty());
    return () -> {
      terrain.server.results.Summary summary = results.summary(eventId).orElseThrow();
      long pins = summary.pins().values().stream().mapToLong(java.util.List::size).sum();
      long counted = summary.heat().keySet().stream().mapToLong(summary::pinCount).sum();
      return summary.responses()
          + " responses, "
          + pins
          + " pins read, "
          + counted
          + " pins counted in heat grids";
    };
  }

  /** Runs the server until it is stopped; returns the process exit code. */
  public static int run(String... args) {
    return run(System.getenv(), args);
  }

  static int run(Map<String, String> env, String... args) {
    CommandLine command = new CommandLine(new ServerMain(env));
    command.setErr(
        new PrintWriter(
            new java.io.OutputStreamWriter(System.err, ConsoleLanguage.charset(env)), true));
    return command.execute(args);
  }

  /** As {@link #run(String...)} with the environment and the console given, for tests. */
  static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    CommandLine command = new CommandLine(new ServerMain(env));
    command.setOut(out);
    command.setErr(err);
    return command.execute(args);
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    ServerConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.flush();
      return 2;
    }
    TlsIdentity tls;
    try {
      tls = tls();
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.flush();
      return 2;
    }
    if (config.developmentKey()) {
      log.warn("development site key in use: provision real keys before an event");
    }
    if (config.allowDevelopmentKeys()) {
      log.warn(
          "development device keys allowed: a device's first announced key is trusted; pass"
              + " --no-allow-development-keys once devices are enrolled by provisioning");
    }
    if (config.adminToken() != null) {
      log.warn(
          "--admin-token (or TERRAIN_ADMIN_TOKEN) is a shared admin credential, deprecated: it"
              + " stays accepted as the admin 'admin-token' for scripts and to create the first"
              + " accounts (./terrain staff add NAME --role admin --server URL --token TOKEN)."
              + " Give each person an account and each script its own token, then drop it.");
    }
    if (!SLF4JBridgeHandler.isInstalled()) {
      // Paho logs through java.util.logging.
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    SyncServer server;
    try {
      server = SyncServer.start(config, tls, Clock.systemUTC(), new SecureRandom());
    } catch (StartException e) {
      err.println(describe(e.failure(), messages(env)));
      err.flush();
      return exitCode(e.failure());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "server-shutdown"));
    server.awaitClosed();
    return 0;
  }

  /** The TLS identity of --tls-cert and --tls-key, null without them; logs its pin. */
  TlsIdentity tls() {
    if (tlsCert == null && tlsKey == null) {
      return null;
    }
    if (tlsCert == null || tlsKey == null) {
      throw new IllegalArgumentException(
          (tlsCert == null
                  ? "--tls-key is given without --tls-cert"
                  : "--tls-cert is given without --tls-key")
              + ": pass both (the certificate chain and its private key, PEM files), or neither"
              + " for plain HTTP and MQTT.");
    }
    TlsIdentity identity = TlsIdentity.load(tlsCert, tlsKey, "--tls-cert", "--tls-key");
    log.info(
        "TLS certificate SHA-256: {} ({}, valid until {}); hubs pin it",
        identity.sha256(),
        identity.certificate().getSubjectX500Principal().getName(),
        identity.notAfter());
    if (identity.notAfter().isBefore(java.time.Instant.now())) {
      log.warn(
          "The TLS certificate {} expired on {}: browsers and unpinned clients refuse it; renew it"
              + " and give hubs the new SHA-256.",
          tlsCert,
          identity.notAfter());
    }
    return identity;
  }

  ServerConfig config() {
    String key = siteKey;
    if (key == null) {
      String fromEnv = env.get("TERRAIN_SITE_KEY");
      if (fromEnv != null && !fromEnv.isBlank()) {
        key = fromEnv;
      } else if (dev) {
        key = MqttCredentials.DEVELOPMENT_KEY;
      }
    }
    String admin = adminToken;
    if (admin == null) {
      String fromEnv = env.get("TERRAIN_ADMIN_TOKEN");
      admin = fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
    }
    return new ServerConfig(
        data,
        http,
        mqtt,
        broker,
        db,
        key,
        MqttCredentials.DEVELOPMENT_KEY.equals(key),
        bind,
        events,
        allowDevelopmentKeys == null ? dev : allowDevelopmentKeys,
        admin,
        claimsPerMinute,
        partners.stream().map(terrain.server.partner.Partner::parse).toList(),
        dev,
        publicUrl,
        mqttPublic,
        TrustedProxies.parse("--trust-proxy", trustProxy),
        ingestGroup,
        metricsPublic,
        mail(),
        warmUp);
  }

  /** The SMTP settings of the --smtp-* options; its constructor says what is wrong. */
  MailSettings mail() {
    String password = null;
    if (smtpPasswordFile != null) {
      try {
        password = Files.readAllLines(smtpPasswordFile).stream().findFirst().orElse("").strip();
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--smtp-password-file ["
                + smtpPasswordFile
                + "] cannot be read ("
                + e.getMessage()
                + "): pass a file this user can read, holding the password on its first line.");
      }
    } else {
      String fromEnv = env.get("TERRAIN_SMTP_PASSWORD");
      password = fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
    }
    if (smtpUser == null && smtpPasswordFile == null) {
      password = null;
    }
    return new MailSettings(
        smtpHost,
        smtpPort,
        smtpFrom,
        smtpUser,
        password,
        smtpSecurity,
        java.time.Duration.ofSeconds(30),
        12);
  }

  /** The start's messages in the console's language ({@code LC_ALL}, {@code LANG}...). */
  static Messages messages(Map<String, String> env) {
    return new Messages("terrain.server.cli.messages", ConsoleLanguage.of(env));
  }

  /** The operator's words for a failed start: what happened and the exact fix. */
  static String describe(StartFailure failure, Messages m) {
    if (failure instanceof StartFailure.PortInUse p) {
      return m.text("start.portInUse", p.service(), String.valueOf(p.port()), p.option());
    } else if (failure instanceof StartFailure.DataFolder d) {
      return m.text("start.dataFolder", d.folder(), d.reason());
    } else if (failure instanceof StartFailure.EventFile e) {
      return m.text("start.eventFile") + "\n" + e.problems();
    } else if (failure instanceof StartFailure.DatabaseUnavailable d) {
      return d.message();
    } else if (failure instanceof StartFailure.BrokerFailed b) {
      return m.text("start.broker", b.message());
    } else if (failure instanceof StartFailure.ServerKey k) {
      return m.text("start.serverKey", k.message());
    } else if (failure instanceof StartFailure.HttpFailed h) {
      return m.text("start.http", h.message());
    }
    throw new IllegalStateException("unknown failure " + failure);
  }

  /** 2 for what the operator fixes on the command line, 1 for what failed at run time. */
  static int exitCode(StartFailure failure) {
    return failure instanceof StartFailure.PortInUse
            || failure instanceof StartFailure.DataFolder
            || failure instanceof StartFailure.EventFile
            || failure instanceof StartFailure.ServerKey
        ? 2
        : 1;
  }
}
