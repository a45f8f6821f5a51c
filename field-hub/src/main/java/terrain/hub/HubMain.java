// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import terrain.broker.BrokerStartException;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventFileException;
import terrain.core.event.EventLoader;
import terrain.core.text.ConsoleLanguage;
import terrain.core.text.Messages;
import terrain.core.trust.EnrolmentText;
import terrain.core.trust.TrustException;
import terrain.enrolment.EnrolmentClient;
import terrain.enrolment.EnrolmentException;
import terrain.hardware.gpio.GpioPins;
import terrain.hardware.printer.PrinterChoice;
import terrain.http.HttpStartException;
import terrain.hub.panel.PanelSettings;
import terrain.hub.trust.HubTrust;
import terrain.transport.MqttCredentials;
import terrain.transport.tls.CertificatePin;

/** {@code ./terrain hub}: runs a field hub until Ctrl-C or SIGTERM. */
@Command(
    name = "hub",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The field hub of a site: an MQTT broker for the kiosks, a durable store, and an uplink that"
          + " sends everything to the sync server once it is reachable.",
      "Status page: http://HOST:HTTP/ (JSON at /api/status and /api/preflight).",
      "First start: --enrol TEXT (the enrolment text of the hub's kit, or a file holding it);"
          + " later starts read DATA/trust/ and need no network. --dev runs a development hub"
          + " with the site key instead."
    })
public final class HubMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(HubMain.class);

  /** Environment variable read when {@code --site-key} is not given. */
  public static final String SITE_KEY_ENV = "TERRAIN_SITE_KEY";

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "The hub's data folder (created if missing): db/ and broker/.")
  private Path data;

  @Option(
      names = "--mqtt",
      required = true,
      paramLabel = "PORT",
      description = "MQTT port for the kiosks (0 picks a free one).")
  private int mqttPort;

  @Option(
      names = "--http",
      required = true,
      paramLabel = "PORT",
      description = "HTTP port of the status page (0 picks a free one).")
  private int httpPort;

  @Option(
      names = "--uplink",
      paramLabel = "URL",
      description =
          "The sync server's MQTT broker, tcp://HOST:PORT or ssl://HOST:PORT (default for an"
              + " enrolled hub: the one of its bundle; required with --dev).")
  private String uplink;

  @Option(
      names = "--enrol",
      paramLabel = "TEXT|FILE",
      description =
          "Enrol this hub with the enrolment text of its kit (or a file holding it), then run.")
  private String enrol;

  @Option(
      names = "--dev",
      description =
          "Development hub: kiosks log in with passwords derived from the site key (public"
              + " development key by default). For demos and quick tries only.")
  private boolean dev;

  @Option(
      names = "--hub-id",
      paramLabel = "ID",
      description = "The hub's id (default: generated once and kept in the data folder).")
  private String hubId;

  @Option(
      names = "--site-key",
      paramLabel = "KEY",
      description =
          "With --dev: site key for the kiosks' MQTT passwords (default: env "
              + SITE_KEY_ENV
              + ").")
  private String siteKey;

  @Option(
      names = "--uplink-site-key",
      paramLabel = "KEY",
      description = "With --dev: site key of the sync server's broker (default: the site key).")
  private String uplinkSiteKey;

  @Option(
      names = "--uplink-pin",
      paramLabel = "SHA256HEX",
      description =
          "Trust only the sync server certificate with this SHA-256 on an ssl:// uplink (the sync"
              + " server prints it at start). Default: the system's certificate authorities.")
  private String uplinkPin;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = HubConfig.ANY_ADDRESS,
      description = "Address to listen on (default: ${DEFAULT-VALUE}, every interface).")
  private String bind;

  @Option(
      names = "--event",
      paramLabel = "FILE",
      description =
          "An event file (repeatable): the live results at /results show its title, questions"
              + " and options (without it, the ids the kiosks record).")
  private List<Path> eventFiles = new ArrayList<>();

  @Option(
      names = "--keep-days",
      paramLabel = "N",
      description =
          "Prune the records the server acknowledged more than N days ago, at start and daily"
              + " (default: ${DEFAULT-VALUE}; 0: never).")
  private int keepDays = terrain.store.Retention.DEFAULT_KEEP_DAYS;

  @Option(
      names = "--metrics-public",
      description =
          "Serve /metrics to every client that reaches the HTTP port, for a Prometheus on another"
              + " host (keep the port on the kiosks' private network). Default: this machine's"
              + " loopback clients only.")
  private boolean metricsPublic;

  @Option(
      names = "--printer",
      paramLabel = "URI",
      description =
          "Where the hub prints its status and close-of-day slips: "
              + PrinterChoice.FORMS
              + ". Default: no printer.")
  private String printer;

  @Option(
      names = "--light-pins",
      paramLabel = "R,G[,B]",
      description =
          "GPIO lines (BCM numbers) of the status light, red then green (then blue), e.g. 17,27."
              + " Default: no light.")
  private String lightPins;

  @Option(
      names = "--button-pin",
      paramLabel = "N",
      description =
          "GPIO line (BCM number) of the button to ground: press prints a status slip, hold 3 s"
              + " stops the hub. Default: no button.")
  private Integer buttonPin;

  @Option(
      names = "--shutdown-command",
      paramLabel = "COMMAND",
      arity = "0..1",
      fallbackValue = "systemctl poweroff",
      description =
          "Run after the hub stopped on a 3-s hold of the button; alone: systemctl poweroff (see"
              + " docs/operations.md for the polkit rule). Default: the hub only stops.")
  private String shutdownCommand;

  @Spec private CommandSpec spec;

  private final Map<String, String> env;

  HubMain(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the hub; returns the exit code once it has stopped (0), or at once if it cannot start. */
  public static int run(String... args) {
    return run(System.getenv(), args);
  }

  static int run(Map<String, String> env, String... args) {
    return new CommandLine(new HubMain(env))
        .setErr(
            new PrintWriter(
                new java.io.OutputStreamWriter(System.err, ConsoleLanguage.charset(env)), true))
        .execute(args);
  }

  /** As {@link #run(String...)} with the environment and console given, for tests. */
  static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    return new CommandLine(new HubMain(env)).setOut(out).setErr(err).execute(args);
  }

  /**
   * The configuration of a development hub ({@code --dev}) the options describe, with the site key
   * from the environment if needed.
   */
  HubConfig config() {
    String key = siteKey != null ? siteKey : env.get(SITE_KEY_ENV);
    if (key == null) {
      key = MqttCredentials.DEVELOPMENT_KEY;
    }
    return HubConfig.of(data, mqttPort, httpPort, uplink, hubId, key, uplinkSiteKey)
        .withBindAddress(bind)
        .withMetricsPublic(metricsPublic);
  }

  /** Why the hub cannot start; the message says what to do. */
  static final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    Refusal(String message, int exitCode, Throwable cause) {
      super(message, cause);
      this.exitCode = exitCode;
    }
  }

  /** The configuration of an enrolled hub: enrols first with {@code --enrol}. */
  HubConfig enrolledConfig() throws Refusal, InterruptedException {
    if (siteKey != null || uplinkSiteKey != null) {
      throw new Refusal(
          "--site-key and --uplink-site-key are for development hubs: add --dev, or leave them"
              + " out (an enrolled hub logs in with its own secret)",
          CommandLine.ExitCode.USAGE,
          null);
    }
    HubTrust trust;
    if (enrol != null) {
      EnrolmentText text;
      try {
        text = EnrolmentClient.read(enrol);
      } catch (EnrolmentException e) {
        throw new Refusal("Cannot enrol the hub: " + e.reason(), CommandLine.ExitCode.USAGE, e);
      }
      try {
        trust =
            HubTrust.enrol(
                EnrolmentClient.withDefaultClient(new SecureRandom()),
                text,
                data.toAbsolutePath().normalize());
      } catch (EnrolmentException e) {
        throw new Refusal("Cannot enrol the hub: " + e.reason(), 1, e);
      }
    } else {
      try {
        trust = HubTrust.load(data.toAbsolutePath().normalize()).orElse(null);
      } catch (TrustException e) {
        throw new Refusal("Cannot start the hub: " + e.getMessage(), 1, e);
      }
      if (trust == null) {
        throw new Refusal(
            "this hub is not enrolled: run terrain hub --enrol TEXT (from its kit), or add --dev"
                + " for a development hub",
            CommandLine.ExitCode.USAGE,
            null);
      }
    }
    String server = uplink;
    if (server == null) {
      server = trust.current().bundle().uplink();
    }
    if (server == null) {
      server = trust.enrolment().uplink();
    }
    if (server == null) {
      throw new Refusal(
          "the hub's bundle names no server broker: pass --uplink tcp://HOST:PORT",
          CommandLine.ExitCode.USAGE,
          null);
    }
    HubConfig config = HubConfig.enrolled(data, mqttPort, httpPort, server, trust);
    if (hubId != null && !hubId.equals(trust.id().value())) {
      throw new Refusal(
          "--hub-id "
              + hubId
              + " differs from the id this hub was enrolled as ("
              + trust.id()
              + "): leave --hub-id out",
          CommandLine.ExitCode.USAGE,
          null);
    }
    return config.withBindAddress(bind);
  }

  /** The event files given with {@code --event}, each checked. */
  private List<EventDefinition> events() throws Refusal {
    List<EventDefinition> out = new ArrayList<>();
    for (Path file : eventFiles) {
      try {
        out.add(EventLoader.load(file));
      } catch (EventFileException e) {
        throw new Refusal("--event " + file + ": " + e.getMessage(), CommandLine.ExitCode.USAGE, e);
      }
    }
    return out;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    HubConfig config;
    try {
      if (dev && enrol != null) {
        throw new Refusal(
            "--dev and --enrol do not go together: a development hub is not enrolled. Leave"
                + " one out.",
            CommandLine.ExitCode.USAGE,
            null);
      }
      config =
          (dev ? config() : enrolledConfig())
              .withEvents(events())
              .withKeepDays(keepDays)
              .withMetricsPublic(metricsPublic);
    } catch (HubConfig.InvalidConfigException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return CommandLine.ExitCode.USAGE;
    } catch (Refusal e) {
      log.debug("The hub did not start", e);
      spec.commandLine().getErr().println(e.getMessage());
      return e.exitCode;
    }
    String pin = uplinkPin;
    if (pin == null && config.trust() != null) {
      // An enrolled hub pins the certificate its bundle names, if the server has one.
      pin = config.trust().current().bundle().serverCertificateSha256();
    }
    if (pin != null) {
      try {
        pin = CertificatePin.parse(pin, uplinkPin != null ? "--uplink-pin" : "the hub's bundle");
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println(e.getMessage());
        return CommandLine.ExitCode.USAGE;
      }
      if (!config.uplink().startsWith("ssl://")) {
        spec.commandLine()
            .getErr()
            .println(
                "--uplink-pin needs a TLS uplink: pass --uplink ssl://HOST:PORT (the sync server's"
                    + " --mqtt with --tls-cert), or leave --uplink-pin out.");
        return CommandLine.ExitCode.USAGE;
      }
    }
    PanelSettings panel;
    try {
      panel =
          new PanelSettings(
              printer == null ? null : PrinterChoice.parse(printer),
              GpioPins.parse(lightPins, buttonPin),
              PanelSettings.command(shutdownCommand));
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicReference<Hub> running = new AtomicReference<>();
    Runnable shutdown =
        () -> {
          Hub started = running.get();
          if (started != null) {
            started.close();
          }
          runShutdownCommand(panel.shutdownCommand());
          stopped.countDown();
        };
    Hub hub;
    try {
      hub = Hub.start(config, pin, panel, shutdown, Clock.systemDefaultZone(), new SecureRandom());
      running.set(hub);
    } catch (HubStartException e) {
      log.debug("The hub did not start", e);
      spec.commandLine().getErr().println(describe(e, config, messages(env)));
      return e.exitCode();
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("Stopping hub {}", hub.id());
                  hub.close();
                  stopped.countDown();
                },
                "hub-shutdown"));
    stopped.await();
    return CommandLine.ExitCode.OK;
  }

  /** The start's messages in the console's language ({@code LC_ALL}, {@code LANG}...). */
  static Messages messages(Map<String, String> env) {
    return new Messages("terrain.hub.cli.messages", ConsoleLanguage.of(env));
  }

  /**
   * The operator's words for a failed start: a port in use in the console's language, with the
   * option that changes it; any other failure as the hub said it.
   */
  static String describe(HubStartException e, HubConfig config, Messages m) {
    if (e.getCause() instanceof BrokerStartException b && b.isPortInUse()) {
      return m.text("start.portInUse", "MQTT", String.valueOf(config.mqttPort()), "--mqtt");
    }
    if (e.getCause() instanceof HttpStartException h && h.isPortInUse()) {
      return m.text("start.portInUse", "HTTP", String.valueOf(config.httpPort()), "--http");
    }
    return e.getMessage();
  }

  /** Runs the configured shutdown command, if any; its failure goes to the log. */
  private static void runShutdownCommand(List<String> command) {
    if (command.isEmpty()) {
      return;
    }
    log.warn("Running the shutdown command {}", command);
    try {
      Process process = new ProcessBuilder(command).inheritIO().start();
      int code = process.waitFor();
      if (code != 0) {
        log.error(
            "The shutdown command {} exited with {}: check the polkit rule of"
                + " docs/operations.md, or shut the Pi down by hand",
            command,
            code);
      }
    } catch (IOException e) {
      log.error("Cannot run the shutdown command {}: {}", command, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
