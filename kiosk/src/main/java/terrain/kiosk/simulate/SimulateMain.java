// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventFileException;
import terrain.core.event.EventLoader;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;
import terrain.core.trust.TrustException;
import terrain.enrolment.EnrolmentClient;
import terrain.enrolment.EnrolmentException;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.sync.StatusReport;
import terrain.kiosk.sync.SyncAgent;
import terrain.kiosk.trust.DeviceTrust;
import terrain.store.StoreException;
import terrain.transport.MqttCredentials;

/**
 * {@code ./terrain simulate}: headless kiosks that record seeded random responses through the same
 * engine as the kiosk screens, and send them to a field hub.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Runs K headless kiosks in this process, each with its own database under DIR/kiosk-1 ..",
      "DIR/kiosk-K, that record seeded random responses to the event's polls and send them to",
      "the field hub, then waits until the hub has acknowledged every one.",
      "",
      "N is the TOTAL number of responses the kiosks of DIR must hold: kiosk i holds N/K (the",
      "first N mod K kiosks one more). A run records only what is missing, so a run that was",
      "killed and started again ends with exactly N, and a second run with the same N records",
      "nothing new and only waits for the acks. Use the same K on the same DIR: the device ids",
      "are kept in DIR/kiosk-i, and their seq continues from run to run.",
      "",
      "Every second it prints 'recorded X of N, acked Y of N', with ', hub unreachable,",
      "retrying: REASON' while the hub cannot be reached (not an error: it keeps retrying).",
      "The last line, once everything is acknowledged, is exactly 'acked N of N' (exit 0).",
      "",
      "Enrolment: --enrolments FILE.json is the list that 'terrain provision device enrol",
      "--json' writes, [{\"id\":...,\"enrolment\":TEXT},...]: kiosk i enrols with entry i once",
      "(kept in DIR/kiosk-i/trust) and logs in to the hub with its own secret. --dev instead:",
      "development ids and the development site key.",
      "Exit 2: bad arguments, an enrolment refused, an event file with mistakes, an unusable",
      "data folder.",
      "Exit 1: a database failure while recording."
    })
public final class SimulateMain implements java.util.concurrent.Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(SimulateMain.class);
  private static final String SITE_KEY_ENV = "TERRAIN_SITE_KEY";
  private static final long MAX_ENROLMENTS_BYTES = 1024 * 1024;

  @Option(
      names = "--hub",
      required = true,
      paramLabel = "URL",
      description = "The field hub's MQTT broker, e.g. tcp://192.168.4.1:1883.")
  String hub;

  @Option(names = "--event", required = true, paramLabel = "FILE", description = "Event file.")
  Path eventFile;

  @Option(
      names = "--kiosks",
      required = true,
      paramLabel = "K",
      description = "Number of kiosks, 1 to 64.")
  int kiosks;

  @Option(
      names = "--responses",
      required = true,
      paramLabel = "N",
      description = "Responses the kiosks of DIR must hold in total (see above).")
  long responses;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "Folder of the kiosks' databases.")
  Path data;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed of the random answers (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(
      names = "--enrolments",
      paramLabel = "FILE.json",
      description = "Enrolments of the kiosks, kiosk i takes entry i (see above).")
  Path enrolments;

  @Option(names = "--dev", description = "Development: kiosks without enrolment (see above).")
  boolean dev;

  @Option(
      names = "--site-key",
      paramLabel = "KEY",
      description =
          "With --dev: site key from which the kiosks' MQTT passwords are derived (default: env "
              + SITE_KEY_ENV
              + ", else the public development key).")
  String siteKey;

  @Option(
      names = "--rate",
      paramLabel = "PER_SECOND",
      description = "Responses per second, all kiosks together (default: as fast as possible).")
  Double rate;

  @Option(
      names = "--tickets",
      paramLabel = "DIR",
      description = "Also print each issued ticket as a PDF into DIR (as a kiosk's printer would).")
  Path tickets;

  @Option(
      names = "--claim-host",
      paramLabel = "HOST",
      defaultValue = "briqs.example.fr",
      description =
          "Host in the tickets' QR codes: HTTPS://HOST/T/CODE (default: ${DEFAULT-VALUE}).")
  String claimHost;

  @Spec CommandSpec spec;

  /** The printer of the simulated kiosks: PDF files in --tickets, or none. */
  private java.util.Optional<SimulatedKiosk.Printing> ticketPrinter() {
    if (tickets == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new SimulatedKiosk.Printing(
            new terrain.hardware.printer.FilePrinter(
                tickets, new terrain.hardware.printer.TicketPdf()),
            claimHost));
  }

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final List<SimulatedKiosk> running = new ArrayList<>();
  private final List<ScheduledExecutorService> schedulers = new ArrayList<>();
  private final List<Thread> recorders = new ArrayList<>();
  private boolean closed;

  SimulateMain(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return run(System.out, System.err, System.getenv(), args);
  }

  static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
    List<String> rest = new ArrayList<>(List.of(args));
    if (rest.remove("--workshop")) {
      return SimulateWorkshop.run(out, err, rest.toArray(String[]::new));
    }
    CommandLine line = new CommandLine(new SimulateMain(out, err, env));
    line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    return line.execute(args);
  }

  @Override
  public Integer call() throws InterruptedException {
    validate();
    List<EnrolmentText> enrolled;
    try {
      enrolled = readEnrolments();
    } catch (EnrolmentException e) {
      err.println(e.getMessage());
      return 2;
    }
    EventDefinition event;
    try {
      event = EventLoader.load(eventFile);
    } catch (EventFileException e) {
      err.println(e.getMessage());
      return 2;
    }
    Optional<String> siteKey = enrolled.isEmpty() ? Optional.of(siteKey()) : Optional.empty();
    Thread hook = new Thread(this::stopAndClose, "simulate-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Optional<String> openProblem = openKiosks(event, enrolled, siteKey);
      if (openProblem.isPresent()) {
        err.println(openProblem.get());
        return 2;
      }
      for (SimulatedKiosk kiosk : running) {
        kiosk.agent().start();
        Thread thread = new Thread(kiosk, "kiosk-" + kiosk.index() + "-record");
        thread.setDaemon(true);
        synchronized (this) {
          recorders.add(thread);
        }
        thread.start();
      }
      Optional<String> failure = awaitAcknowledged();
      if (failure.isPresent()) {
        err.println("Recording stopped: " + failure.get());
        return 1;
      }
      if (stop.getCount() == 0) {
        return 1; // interrupted by a signal; the shutdown hook closes everything
      }
      stopAndClose();
      // Printed after everything is closed, so that it stays the last line.
      out.println("acked " + responses + " of " + responses);
      return 0;
    } finally {
      stopAndClose();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already running the hook.
      }
    }
  }

  private void validate() {
    if (kiosks < 1 || kiosks > 64) {
      throw new ParameterException(
          spec.commandLine(), "--kiosks [" + kiosks + "] must be from 1 to 64");
    }
    if (responses < 0) {
      throw new ParameterException(
          spec.commandLine(), "--responses [" + responses + "] must be 0 or more");
    }
    if (rate != null && !(rate > 0)) {
      throw new ParameterException(
          spec.commandLine(),
          "--rate [" + rate + "] must be more than 0 (leave it out for no limit)");
    }
    if (siteKey != null && siteKey.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--site-key must not be empty");
    }
    if (enrolments == null && !dev) {
      throw new ParameterException(
          spec.commandLine(),
          "the simulated kiosks are not enrolled: pass --enrolments FILE.json (terrain provision"
              + " device enrol --count K --json), or add --dev");
    }
    try {
      SyncAgent.Settings.of(hub, "validation");
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--hub: " + e.getMessage());
    }
  }

  private String siteKey() {
    if (siteKey != null) {
      return siteKey;
    }
    String fromEnv = env.get(SITE_KEY_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    log.warn("development site key in use: provision real keys before an event");
    return MqttCredentials.DEVELOPMENT_KEY;
  }

  /**
   * The enrolment texts of {@code --enrolments}, at least one per kiosk; empty without the option.
   */
  private List<EnrolmentText> readEnrolments() throws EnrolmentException {
    if (enrolments == null) {
      return List.of();
    }
    JsonNode root;
    try {
      if (Files.size(enrolments) > MAX_ENROLMENTS_BYTES) {
        throw new EnrolmentException(
            enrolments
                + " is larger than "
                + MAX_ENROLMENTS_BYTES
                + " bytes: is it the right file?");
      }
      root = new ObjectMapper().readTree(enrolments.toFile());
    } catch (IOException e) {
      throw new EnrolmentException(
          "Cannot read --enrolments "
              + enrolments
              + " ("
              + e.getMessage()
              + "): give the file that terrain provision device enrol --json wrote",
          e);
    }
    if (root == null || !root.isArray()) {
      throw new EnrolmentException(
          "--enrolments "
              + enrolments
              + " must be a JSON list [{\"id\":...,\"enrolment\":TEXT},...], as terrain provision"
              + " device enrol --json writes it");
    }
    if (root.size() < kiosks) {
      throw new EnrolmentException(
          "--enrolments "
              + enrolments
              + " has "
              + root.size()
              + " enrolment(s) for "
              + kiosks
              + " kiosks: enrol "
              + (kiosks - root.size())
              + " more (terrain provision device enrol --count N --json), or pass --kiosks "
              + root.size());
    }
    List<EnrolmentText> texts = new ArrayList<>();
    for (int i = 0; i < kiosks; i++) {
      JsonNode entry = root.get(i);
      JsonNode text = entry == null ? null : entry.get("enrolment");
      if (text == null || !text.isTextual()) {
        throw new EnrolmentException(
            "--enrolments " + enrolments + ": entry " + (i + 1) + " has no \"enrolment\" text");
      }
      EnrolmentText parsed;
      try {
        parsed = EnrolmentText.parse(text.asText());
      } catch (TrustException e) {
        throw new EnrolmentException(
            "--enrolments " + enrolments + ": entry " + (i + 1) + ": " + e.getMessage(), e);
      }
      JsonNode id = entry.get("id");
      if (id != null && id.isTextual() && !id.asText().equals(parsed.device().value())) {
        throw new EnrolmentException(
            "--enrolments "
                + enrolments
                + ": entry "
                + (i + 1)
                + " says id "
                + id.asText()
                + " but its enrolment text is for "
                + parsed.device());
      }
      texts.add(parsed);
    }
    return texts;
  }

  /**
   * The trust of kiosk {@code i}: kept in its folder from an earlier run, or enrolled now with its
   * entry of the list.
   */
  private DeviceTrust trustOf(int i, Path folder, EnrolmentText enrolment, SecureRandom random)
      throws EnrolmentException, StoreException {
    Optional<DeviceTrust> kept;
    try {
      kept = DeviceTrust.load(folder);
    } catch (TrustException e) {
      throw new EnrolmentException(e.getMessage(), e);
    }
    if (kept.isPresent()) {
      if (!kept.get().deviceId().equals(enrolment.device())) {
        throw new EnrolmentException(
            folder
                + " belongs to device "
                + kept.get().deviceId()
                + ", and entry "
                + i
                + " of --enrolments is "
                + enrolment.device()
                + ": use another --data folder, or the enrolments of the first run");
      }
      return kept.get();
    }
    return new DeviceTrust(
        EnrolmentClient.withDefaultClient(random)
            .enrol(
                enrolment,
                folder,
                EnumSet.of(DeviceKind.KIOSK),
                KioskEngine.storedDeviceId(folder)));
  }

  /** Opens the engines one after the other (Derby boots faster so) and wires their agents. */
  private Optional<String> openKiosks(
      EventDefinition event, List<EnrolmentText> enrolled, Optional<String> siteKey) {
    long intervalNanos = rate == null ? 0 : Math.round(kiosks * 1e9 / rate);
    SecureRandom random = new SecureRandom();
    for (int i = 1; i <= kiosks; i++) {
      Path folder = data.resolve("kiosk-" + i);
      KioskEngine engine;
      SyncAgent.Settings settings;
      StatusReport report;
      long held;
      try {
        if (enrolled.isEmpty()) {
          engine = KioskEngine.open(folder, Optional.empty(), Clock.systemUTC(), random);
          settings = SyncAgent.Settings.of(hub, siteKey.orElseThrow());
          report = StatusReport.of(Optional.empty(), folder, Optional::empty);
        } else {
          DeviceTrust trust = trustOf(i, folder, enrolled.get(i - 1), random);
          engine = KioskEngine.openEnrolled(folder, trust, Clock.systemUTC());
          settings = SyncAgent.Settings.enrolled(hub, trust.mqttSecret());
          report = StatusReport.of(Optional.of(trust), folder, Optional::empty);
        }
      } catch (EnrolmentException e) {
        return Optional.of("Cannot enrol kiosk " + i + " in " + folder + ": " + e.reason());
      } catch (StoreException | IllegalArgumentException e) {
        return Optional.of("Cannot open kiosk " + i + " in " + folder + ": " + e.getMessage());
      }
      try {
        held = engine.responseCount(event.eventId());
      } catch (StoreException e) {
        engine.close();
        return Optional.of("Cannot read kiosk " + i + " in " + folder + ": " + e.getMessage());
      }
      int index = i;
      ScheduledExecutorService scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "kiosk-" + index + "-sync");
                t.setDaemon(true);
                return t;
              });
      SyncAgent agent =
          new SyncAgent(
              engine.store(),
              engine.deviceId(),
              settings,
              scheduler,
              Clock.systemUTC(),
              random,
              report);
      engine.addCommitListener(record -> agent.wake());
      long share = responses / kiosks + (i <= responses % kiosks ? 1 : 0);
      synchronized (this) {
        schedulers.add(scheduler);
        running.add(
            new SimulatedKiosk(
                i, engine, agent, event, share, held, seed, intervalNanos, stop, ticketPrinter()));
      }
      log.info(
          "Kiosk {} is {} ({} of its {} responses already held)",
          i,
          engine.deviceId(),
          held,
          share);
    }
    return Optional.empty();
  }

  /**
   * Prints progress every second until every kiosk holds its share and the hub has acknowledged
   * everything; a failure message if a kiosk could not record.
   */
  private Optional<String> awaitAcknowledged() throws InterruptedException {
    while (true) {
      long recorded = 0;
      long acked = 0;
      boolean finished = true;
      String unreachable = null;
      for (SimulatedKiosk kiosk : running) {
        if (kiosk.failure().isPresent()) {
          return kiosk.failure();
        }
        // In this order: a kiosk seen done commits nothing after, so the outbox read next is final.
        boolean done = kiosk.done();
        long held = kiosk.recorded();
        long pending;
        try {
          pending = kiosk.engine().store().pendingCount();
          acked += kiosk.acked();
        } catch (StoreException e) {
          return Optional.of("kiosk " + kiosk.index() + ": " + e.getMessage());
        }
        recorded += held;
        finished &= done && pending == 0;
        if (unreachable == null && !kiosk.agent().hubReachable()) {
          unreachable = kiosk.agent().lastProblem();
        }
      }
      if (finished) {
        return Optional.empty();
      }
      String line =
          "recorded " + recorded + " of " + responses + ", acked " + acked + " of " + responses;
      if (unreachable != null) {
        line += ", hub unreachable, retrying: " + unreachable;
      }
      out.println(line);
      if (stop.await(1, TimeUnit.SECONDS)) {
        return Optional.empty();
      }
    }
  }

  /** Stops the recording loops, says offline, closes the links and the databases. Idempotent. */
  private synchronized void stopAndClose() {
    stop.countDown();
    if (closed) {
      return;
    }
    closed = true;
    for (SimulatedKiosk kiosk : running) {
      kiosk.agent().close();
    }
    // A recording loop ends after its current commit; wait for it before closing the database.
    try {
      for (Thread recorder : recorders) {
        recorder.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ScheduledExecutorService scheduler : schedulers) {
      scheduler.shutdownNow();
    }
    for (SimulatedKiosk kiosk : running) {
      kiosk.engine().close();
    }
  }
}
