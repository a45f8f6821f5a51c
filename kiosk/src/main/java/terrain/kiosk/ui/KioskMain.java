// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import terrain.core.broker.MqttCredentials;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventFileException;
import terrain.core.event.EventLoader;
import terrain.core.store.StoreException;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.sync.SyncAgent;

/**
 * {@code ./terrain kiosk}: the resident kiosk (or the facilitator's tablet) on this machine's
 * screen, storing every participation in its data folder and sending it to the field hub when one
 * is given and reachable.
 */
@Command(
    name = "kiosk",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Opens the kiosk: attract screen, language choice, the event's first poll, thank you.",
      "Every participation is stored in DIR before the thank-you screen, and sent to the hub",
      "(--hub) whenever it is reachable; without a hub the kiosk works all day and sends later.",
      "Full screen with no way out but the staff PIN: hold the top corner 3 seconds, type it.",
      "Exit 2: bad arguments, an event file with mistakes, an unusable data folder."
    })
public final class KioskMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(KioskMain.class);
  private static final String SITE_KEY_ENV = "TERRAIN_SITE_KEY";
  private static final String PIN_ENV = "TERRAIN_KIOSK_PIN";

  /** How the app is used. */
  enum Mode {
    kiosk,
    tablet
  }

  @Option(names = "--event", required = true, paramLabel = "FILE", description = "Event file.")
  Path eventFile;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "This device's data folder (its database and identity).")
  Path data;

  @Option(
      names = "--hub",
      paramLabel = "URL",
      description = "The field hub's MQTT broker, e.g. tcp://192.168.4.1:1883 (default: none).")
  String hub;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description = "kiosk (residents, default) or tablet (facilitator; skeleton for now).")
  Mode mode = Mode.kiosk;

  @Option(names = "--windowed", description = "A window instead of full screen (development).")
  boolean windowed;

  @Option(
      names = "--pin",
      paramLabel = "PIN",
      description =
          "Staff PIN, 4 to 8 digits (default: env " + PIN_ENV + ", else 0000 for development).")
  String pin;

  @Option(
      names = "--site-key",
      paramLabel = "KEY",
      description =
          "Site key from which the MQTT password is derived (default: env "
              + SITE_KEY_ENV
              + ", else the public development key).")
  String siteKey;

  @Spec CommandSpec spec;

  private final PrintStream err;
  private final Map<String, String> env;

  KioskMain(PrintStream err, Map<String, String> env) {
    this.err = err;
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the kiosk until staff leave it; returns the exit code. */
  public static int run(String... args) {
    return run(System.out, System.err, System.getenv(), args);
  }

  static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
    CommandLine line = new CommandLine(new KioskMain(err, env));
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    return line.execute(args);
  }

  @Override
  public Integer call() throws InterruptedException {
    KioskSettings settings = settings();
    SyncAgent.Settings sync = null;
    if (hub != null) {
      try {
        sync = SyncAgent.Settings.of(hub, siteKey());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--hub: " + e.getMessage());
      }
    }
    EventDefinition event;
    try {
      event = EventLoader.load(eventFile);
    } catch (EventFileException e) {
      err.println(e.getMessage());
      return 2;
    }
    SecureRandom random = new SecureRandom();
    Clock clock = Clock.systemDefaultZone();
    KioskEngine engine;
    try {
      engine = KioskEngine.open(data, Optional.empty(), clock, random);
    } catch (StoreException | IllegalArgumentException e) {
      err.println(
          "Cannot open the data folder "
              + data
              + ": "
              + e.getMessage()
              + ". Check that no other kiosk uses it, or pass another --data DIR.");
      return 2;
    }
    ScheduledExecutorService timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kiosk-timers");
              t.setDaemon(true);
              return t;
            });
    SyncAgent agent = null;
    CountDownLatch closed = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    AtomicBoolean windowFailed = new AtomicBoolean();
    Thread hook =
        new Thread(
            () -> {
              closed.countDown();
              try {
                finished.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "kiosk-shutdown");
    try {
      if (sync != null) {
        SyncAgent started =
            new SyncAgent(engine.store(), engine.deviceId(), sync, timers, clock, random);
        engine.addCommitListener(record -> started.wake());
        started.start();
        agent = started;
        log.info("Sending to the hub {} as {}", hub, engine.deviceId());
      } else {
        log.info("No --hub: participations stay in {} until a hub is given", data);
      }
      Runtime.getRuntime().addShutdownHook(hook);
      UiScheduler scheduler = new ExecutorUiScheduler(timers, Platform::runLater);
      KioskApp app = new KioskApp(engine, event, settings, clock, scheduler, closed::countDown);
      boolean fullScreen = !windowed && mode == Mode.kiosk;
      String title = "Terrain — " + event.title().fr();
      try {
        Platform.setImplicitExit(false);
        Platform.startup(
            () -> {
              try {
                Stage stage = new Stage();
                stage.setOnHidden(e -> closed.countDown());
                app.show(stage, fullScreen, title);
                log.info("Kiosk {} showing {} ({} mode)", engine.deviceId(), event.id(), mode);
              } catch (RuntimeException e) {
                log.error("Cannot show the kiosk window: {}", e.toString(), e);
                windowFailed.set(true);
                closed.countDown();
              }
            });
      } catch (RuntimeException e) {
        err.println(
            "Cannot open the kiosk window: "
                + e.getMessage()
                + ". Run it on the kiosk's screen (DISPLAY set), or use ./terrain simulate"
                + " for a kiosk without a screen.");
        return 1;
      }
      closed.await();
      log.info("Kiosk {} closing", engine.deviceId());
      return windowFailed.get() ? 1 : 0;
    } finally {
      if (agent != null) {
        agent.close();
      }
      timers.shutdownNow();
      engine.close();
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already running the hook.
      }
      Platform.exit();
    }
  }

  private KioskSettings settings() {
    String chosen = pin != null ? pin : env.get(PIN_ENV);
    if (chosen == null || chosen.isBlank()) {
      log.warn(
          "development staff PIN 0000 in use: pass --pin (or set {}) before an event", PIN_ENV);
      chosen = KioskSettings.DEVELOPMENT_PIN;
    }
    try {
      return KioskSettings.withPin(chosen);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--pin: " + e.getMessage());
    }
  }

  private String siteKey() {
    if (siteKey != null && !siteKey.isEmpty()) {
      return siteKey;
    }
    String fromEnv = env.get(SITE_KEY_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    log.warn("development site key in use: provision real keys before an event");
    return MqttCredentials.DEVELOPMENT_KEY;
  }
}
