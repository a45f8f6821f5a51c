// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.stage.Screen;
import javafx.stage.Stage;
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
import terrain.core.record.DeviceId;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;
import terrain.core.trust.TrustException;
import terrain.enrolment.EnrolmentClient;
import terrain.enrolment.EnrolmentException;
import terrain.hardware.printer.JournaledPrinter;
import terrain.hardware.printer.PrintJournal;
import terrain.hardware.printer.PrinterChoice;
import terrain.kiosk.device.AttachDeviceServices;
import terrain.kiosk.device.DeviceServices;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.sync.StatusReport;
import terrain.kiosk.sync.SyncAgent;
import terrain.kiosk.sync.SyncRunner;
import terrain.kiosk.trust.DeviceTrust;
import terrain.kiosk.ui.staff.StaffPin;
import terrain.kiosk.ui.tablet.WhoIsMissing;
import terrain.kiosk.ui.thanks.TicketDesk;
import terrain.kiosk.workshop.WorkshopRoom;
import terrain.store.StoreException;
import terrain.transport.MqttCredentials;
import terrain.transport.MqttLink;

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
      "Opens the kiosk: attract screen, language choice, the event's first poll, thank you with",
      "the briq ticket, printed as a PDF in DIR/tickets (or --tickets), or on a receipt printer",
      "(--printer). Every participation is",
      "stored in DIR before the thank-you screen, and sent to the hub (--hub) whenever it is",
      "reachable; without a hub the kiosk works all day and sends later.",
      "Full screen with no way out but the staff panel: hold the top corner 3 seconds, type the",
      "PIN. --mode tablet: a facilitator's home screen in a window instead of the attract screen.",
      "--screenshots DIR: writes a PNG of every screen (French and Arabic) and exits.",
      "--print-sheet N --out FILE: the workshop door's N attendance tickets on A4 sheets, issued",
      "and signed by this device, sent to the hub, then exits (close the kiosk app first).",
      "",
      "Enrolment: --enrol TEXT (or a file holding it, from the device's kit) once; the kiosk",
      "makes its own key and MQTT secret, receives its signed bundle (event, hub, claim host,",
      "staff PIN) and keeps them in DIR/trust. Later starts need no network and no --enrol.",
      "--dev: development without enrolment (random id, public development site key).",
      "Exit 2: bad arguments, an enrolment refused, an event file with mistakes, an unusable",
      "data folder."
    })
public final class KioskMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(KioskMain.class);
  private static final String SITE_KEY_ENV = "TERRAIN_SITE_KEY";
  private static final String PIN_ENV = "TERRAIN_KIOSK_PIN";
  private static final String DEFAULT_CLAIM_HOST = "briqs.example.fr";

  /** What a kiosk with neither an enrolment nor --dev says. */
  public static final String NOT_ENROLLED =
      "this kiosk is not enrolled: run terrain kiosk --enrol TEXT (from its kit), or add --dev";

  /** The journal of print jobs in the data folder ({@link PrintJournal}). */
  static final String PRINT_JOURNAL = "print-journal.log";

  /** How often a receipt printer is asked how it is, for staff and the hub's preflight. */
  private static final long PRINTER_CHECK_SECONDS = 60;

  /** What {@code bench kiosk} waits for in the log: the first frame of the first screen. */
  public static final String ON_DISPLAY = "First screen on display";

  /** How the app is used. */
  enum Mode {
    kiosk,
    tablet
  }

  @Option(
      names = "--event",
      paramLabel = "FILE",
      description = "Event file (default: the one of the enrolment bundle).")
  Path eventFile;

  @Option(
      names = "--enrol",
      paramLabel = "TEXT|FILE",
      description =
          "Enrol this device with the enrolment text of its kit (or a file holding it), then"
              + " start.")
  String enrol;

  @Option(
      names = "--dev",
      description =
          "Development: run without enrolment (random device id, development site key, --pin).")
  boolean dev;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "This device's data folder (its database, identity and tickets). Default: the app"
              + " storage of the device (Gluon Attach), e.g. ~/.gluon/terrain-kiosk on a desktop.")
  Path data;

  @Option(
      names = "--hub",
      paramLabel = "URL",
      description =
          "The field hub's MQTT broker, e.g. tcp://192.168.4.1:1883 (default: the enrolment"
              + " bundle's, else none).")
  String hub;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description = "kiosk (residents, default) or tablet (facilitator, windowed).")
  Mode mode = Mode.kiosk;

  @Option(names = "--windowed", description = "A window instead of full screen (development).")
  boolean windowed;

  @Option(
      names = "--tickets",
      paramLabel = "DIR",
      description = "Where the tickets are printed as PDF files (default: DATA/tickets).")
  Path tickets;

  @Option(
      names = "--printer",
      paramLabel = "URI",
      description =
          "Where tickets are printed: pdf:DIR (default pdf:DATA/tickets), a receipt printer"
              + " escpos:usb:/dev/usb/lp0, escpos:serial:/dev/ttyUSB0?baud=19200 or"
              + " escpos:tcp:HOST:9100, each optionally followed by ?profile=NAME (&profile= after"
              + " the baud): generic-80 (default), generic-58, epson-tm-t20.")
  String printer;

  @Option(
      names = "--claim-host",
      paramLabel = "HOST",
      description =
          "Host in the tickets' QR codes: HTTPS://HOST/T/CODE (default: the enrolment bundle's,"
              + " else "
              + DEFAULT_CLAIM_HOST
              + ").")
  String claimHost;

  @Option(
      names = "--pin",
      paramLabel = "PIN",
      description =
          "Staff PIN, 4 to 8 digits (default: the enrolment bundle's; with --dev: env "
              + PIN_ENV
              + ", else 0000).")
  String pin;

  @Option(
      names = "--site-key",
      paramLabel = "KEY",
      description =
          "With --dev: site key from which the MQTT password is derived (default: env "
              + SITE_KEY_ENV
              + ", else the public development key). An enrolled kiosk uses its own secret.")
  String siteKey;

  @Option(
      names = "--screenshots",
      paramLabel = "DIR",
      description = "Write a PNG of every screen into DIR and exit (no window needed).")
  Path screenshots;

  @Option(
      names = "--headless",
      description =
          "Run on JavaFX's headless Monocle platform, without a display (benchmarks, CI). Also"
              + " chosen for --screenshots when no display is set.")
  boolean headless;

  @Option(
      names = "--keep-days",
      paramLabel = "N",
      description =
          "Prune the records the hub acknowledged more than N days ago, at start and daily"
              + " (default: ${DEFAULT-VALUE}; 0: never).")
  int keepDays = terrain.store.Retention.DEFAULT_KEEP_DAYS;

  @Option(
      names = "--print-sheet",
      paramLabel = "N",
      description =
          "Workshop door: issue N attendance tickets (1 to 400, each worth the event's rewards:"
              + " attendance:) signed by this device, print them as A4 sheets of 4 into --out,"
              + " send them to the hub if it answers within --send-wait, and exit; no window.")
  Integer printSheet;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "With --print-sheet: the PDF file of the A4 sheets.")
  Path out;

  @Option(
      names = "--send-wait",
      paramLabel = "SECONDS",
      description =
          "With --print-sheet and a hub: how long to wait for the hub to take the tickets"
              + " (default: ${DEFAULT-VALUE}); unsent ones go the next time the device runs.")
  int sendWait = 30;

  @Option(
      names = "--exit-after-first-frame",
      hidden = true,
      description =
          "Quit once the first screen is drawn: the training run of the class data sharing"
              + " archive (the launcher's, see decision 0029).")
  boolean exitAfterFirstFrame;

  @Spec CommandSpec spec;

  private final PrintStream err;
  private final Map<String, String> env;
  private final DeviceServices devices;

  KioskMain(PrintStream err, Map<String, String> env, DeviceServices devices) {
    this.err = err;
    this.env = env;
    this.devices = devices;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the kiosk until staff leave it; returns the exit code. */
  public static int run(String... args) {
    return run(System.out, System.err, System.getenv(), args);
  }

  static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
    return run(out, err, env, AttachDeviceServices.local(), args);
  }

  static int run(
      PrintStream out,
      PrintStream err,
      Map<String, String> env,
      DeviceServices devices,
      String... args) {
    CommandLine line = new CommandLine(new KioskMain(err, env, devices));
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    return line.execute(args);
  }

  /** Whether a graphical display is set (X11 or Wayland). */
  public static boolean displayAvailable(Map<String, String> env) {
    return notBlank(env.get("DISPLAY")) || notBlank(env.get("WAYLAND_DISPLAY"));
  }

  private static boolean notBlank(String value) {
    return value != null && !value.isBlank();
  }

  @Override
  public Integer call() throws Exception {
    if (screenshots != null) {
      if (eventFile == null) {
        throw new ParameterException(spec.commandLine(), "--screenshots needs --event FILE");
      }
      try {
        return screenshots(EventLoader.load(eventFile));
      } catch (EventFileException e) {
        err.println(e.getMessage());
        return 2;
      }
    }
    if (printSheet != null) {
      checkPrintSheet();
    } else if (out != null) {
      throw new ParameterException(spec.commandLine(), "--out goes with --print-sheet N");
    }
    Optional<PrinterChoice> printerChoice = Optional.empty();
    if (printer != null) {
      if (tickets != null) {
        throw new ParameterException(
            spec.commandLine(),
            "--printer and --tickets both say where tickets go: keep one (--tickets DIR is"
                + " --printer pdf:DIR)");
      }
      try {
        printerChoice = Optional.of(PrinterChoice.parse(printer));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--printer: " + e.getMessage());
      }
    }
    Path folder = data != null ? data : devices.dataFolder().orElse(null);
    if (folder == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--data DIR is needed: this device gives the app no storage folder of its own");
    }
    if (data == null) {
      log.info("No --data: using the device's app storage {}", folder);
    }
    SecureRandom random = new SecureRandom();
    DeviceKind kind = mode == Mode.tablet ? DeviceKind.TABLET : DeviceKind.KIOSK;
    Optional<DeviceTrust> trust;
    try {
      trust = enrolOrLoad(folder, kind, random);
    } catch (EnrolmentException e) {
      err.println(e.getMessage());
      return 2;
    }
    if (trust.isEmpty() && !dev) {
      throw new ParameterException(spec.commandLine(), NOT_ENROLLED);
    }
    if (printSheet != null) {
      return printSheet(folder, trust, random);
    }
    if (trust.isPresent() && trust.get().kind() != kind) {
      err.println(
          trust.get().deviceId()
              + " is enrolled as a "
              + trust.get().kind().label()
              + (kind == DeviceKind.TABLET
                  ? ": leave --mode tablet out."
                  : ": add --mode tablet."));
      return 2;
    }
    try {
      terrain.store.Retention.checkKeepDays(keepDays);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    KioskSettings settings = settings(trust);
    String hubUri = hub != null ? hub : trust.flatMap(DeviceTrust::hub).orElse(null);
    SyncAgent.Settings sync = syncSettings(hubUri, trust);
    String ticketHost =
        claimHost != null
            ? claimHost
            : trust.flatMap(DeviceTrust::claimHost).orElse(DEFAULT_CLAIM_HOST);
    EventDefinition event;
    try {
      Path file = eventFile;
      if (file == null) {
        if (trust.isEmpty()) {
          throw new ParameterException(
              spec.commandLine(), "--event FILE is needed (a kiosk in --dev has no bundle)");
        }
        try {
          file = trust.get().writeEvent(folder);
        } catch (TrustException e) {
          err.println(e.getMessage());
          return 2;
        }
      }
      event = EventLoader.load(file);
    } catch (EventFileException e) {
      err.println(e.getMessage());
      return 2;
    }
    Clock clock = Clock.systemDefaultZone();
    if (headless) {
      useMonocle();
    }
    // JavaFX starts while the database opens: the two take about as long, and the first screen
    // needs both.
    java.util.concurrent.CompletableFuture<Void> toolkit =
        java.util.concurrent.CompletableFuture.runAsync(
            () -> {
              Platform.setImplicitExit(false);
              Platform.startup(() -> {});
            },
            r -> daemon("kiosk-fx-start").newThread(r).start());
    KioskEngine engine;
    try {
      engine =
          trust.isPresent()
              ? KioskEngine.openEnrolled(folder, trust.get(), clock)
              : KioskEngine.open(folder, Optional.empty(), clock, random);
    } catch (StoreException | IllegalArgumentException e) {
      stopToolkit(toolkit);
      err.println(
          "Cannot open the data folder "
              + folder
              + ": "
              + e.getMessage()
              + ". Check that no other kiosk uses it, or pass another --data DIR.");
      return 2;
    }
    PrinterChoice choice =
        printerChoice.orElseGet(
            () -> new PrinterChoice.Pdf(tickets != null ? tickets : folder.resolve("tickets")));
    PrintJournal journal;
    try {
      journal = PrintJournal.open(folder.resolve(PRINT_JOURNAL), clock);
    } catch (IOException e) {
      stopToolkit(toolkit);
      engine.close();
      err.println("Cannot open the print journal: " + e.getMessage());
      return 2;
    }
    ScheduledExecutorService timers =
        Executors.newSingleThreadScheduledExecutor(daemon("kiosk-timers"));
    ExecutorService io = Executors.newSingleThreadExecutor(daemon("kiosk-io"));
    StatusReport report = StatusReport.of(trust, folder, devices);
    // A tablet whose event has a workshop follows its room's relay from the hub (decision 0033).
    Optional<WorkshopRoom> room = Optional.empty();
    if (mode == Mode.tablet && event.workshop().isPresent()) {
      try {
        room = Optional.of(new WorkshopRoom(engine, event, random));
      } catch (StoreException e) {
        log.error("The workshop cannot read this tablet's records; it is not offered: {}", e, e);
      }
    }
    List<MqttLink.Subscription> follows = new ArrayList<>();
    room.ifPresent(r -> follows.add(new MqttLink.Subscription(r.topic(), 1, r::relayed)));
    // A tablet whose event gives a population says who is missing, as the hub counts it (0040).
    Optional<WhoIsMissing> missing =
        Optional.of(new WhoIsMissing(event)).filter(w -> mode == Mode.tablet && w.applies());
    missing.ifPresent(w -> follows.add(new MqttLink.Subscription(w.topic(), 1, w::relayed)));
    SyncRunner runner =
        new SyncRunner(engine, Optional.ofNullable(sync), timers, clock, random, report, follows);
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
      runner.start();
      new terrain.store.Retention(engine.store(), keepDays, clock).schedule(timers);
      if (sync != null) {
        log.info("Sending to the hub {} as {}", hubUri, engine.deviceId());
      } else {
        log.info("No --hub: participations stay in {} until a hub is given", folder);
      }
      devices.onPauseResume(runner::pause, runner::resume);
      Runtime.getRuntime().addShutdownHook(hook);
      TicketDesk desk =
          new TicketDesk(
              new JournaledPrinter(choice.open(), journal, choice.describe()),
              choice.describe(),
              io,
              Platform::runLater,
              ticketHost,
              ZoneId.systemDefault());
      desk.restoreLast(engine, event);
      if (choice instanceof PrinterChoice.EscPos) {
        timers.scheduleWithFixedDelay(
            () -> Platform.runLater(desk::checkPrinter),
            PRINTER_CHECK_SECONDS,
            PRINTER_CHECK_SECONDS,
            TimeUnit.SECONDS);
      }
      if (report.printer(desk.reported())) {
        runner.reportStatus(); // the agent may have said its status before the printer was known
      }
      desk.statusProperty()
          .addListener(
              (property, before, now) -> {
                if (report.printer(desk.reported())) {
                  runner.reportStatus();
                }
              });
      KioskApp.Mode appMode = mode == Mode.tablet ? KioskApp.Mode.TABLET : KioskApp.Mode.KIOSK;
      KioskApp.Services services =
          new KioskApp.Services(
              appMode, desk, runner::view, devices, io, Platform::runLater, room, missing);
      UiScheduler scheduler = new ExecutorUiScheduler(timers, Platform::runLater);
      KioskApp app =
          new KioskApp(engine, event, settings, clock, scheduler, closed::countDown, services);
      boolean fullScreen = !windowed && mode == Mode.kiosk;
      String title = "Terrain — " + event.title().fr();
      try {
        toolkit.join();
        Platform.runLater(
            () -> {
              try {
                Stage stage = new Stage();
                stage.setOnHidden(e -> closed.countDown());
                double[] size = windowSize(mode == Mode.tablet);
                app.show(stage, fullScreen, title, size[0], size[1]);
                announceFirstFrame(exitAfterFirstFrame ? closed::countDown : () -> {});
                desk.checkPrinter();
                log.info(
                    "Kiosk {} showing {} ({} mode, tickets to {}, {})",
                    engine.deviceId(),
                    event.id(),
                    mode,
                    choice.describe(),
                    devices.description());
              } catch (RuntimeException e) {
                log.error("Cannot show the kiosk window: {}", e.toString(), e);
                windowFailed.set(true);
                closed.countDown();
              }
            });
      } catch (RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        err.println(
            "Cannot open the kiosk window: "
                + cause.getMessage()
                + ". Run it on the kiosk's screen (DISPLAY set), add --headless to run without"
                + " one, or use ./terrain simulate for a kiosk without a screen.");
        return 1;
      }
      closed.await();
      log.info("Kiosk {} closing", engine.deviceId());
      return windowFailed.get() ? 1 : 0;
    } finally {
      runner.close();
      io.shutdown();
      try {
        io.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      timers.shutdownNow();
      try {
        journal.close();
      } catch (IOException e) {
        log.warn("Cannot close the print journal: {}", e.toString());
      }
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

  private void checkPrintSheet() {
    if (printSheet < 1 || printSheet > KioskEngine.MAX_ATTENDANCE_TICKETS) {
      throw new ParameterException(
          spec.commandLine(),
          "--print-sheet: "
              + printSheet
              + " tickets; give 1 to "
              + KioskEngine.MAX_ATTENDANCE_TICKETS
              + " (4 per A4 page)");
    }
    if (out == null) {
      throw new ParameterException(
          spec.commandLine(), "--print-sheet needs --out FILE, the PDF of the A4 sheets");
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent == null || !java.nio.file.Files.isDirectory(parent)) {
      throw new ParameterException(
          spec.commandLine(), "--out: the folder " + parent + " does not exist; create it first");
    }
    if (sendWait < 0 || sendWait > 600) {
      throw new ParameterException(spec.commandLine(), "--send-wait: give 0 to 600 seconds");
    }
  }

  /**
   * {@code --print-sheet N}: pre-issues N attendance tickets with this device's identity, exactly
   * as the kiosk issues a participation's (signed, committed with their outbox entries, decision
   * 0039), lays them out on A4 sheets into {@code --out}, then gives the hub a moment to take them.
   */
  private int printSheet(Path folder, Optional<DeviceTrust> trust, SecureRandom random)
      throws Exception {
    PrintWriter said = spec.commandLine().getOut();
    EventDefinition event;
    try {
      Path file = eventFile;
      if (file == null) {
        if (trust.isEmpty()) {
          throw new ParameterException(
              spec.commandLine(), "--event FILE is needed (a device in --dev has no bundle)");
        }
        file = trust.get().writeEvent(folder);
      }
      event = EventLoader.load(file);
    } catch (EventFileException | TrustException | IOException e) {
      err.println(e.getMessage());
      return 2;
    }
    int briqs = event.rewards().briqsFor("attendance");
    if (briqs <= 0) {
      err.println(
          "The event "
              + event.id()
              + " gives no briq for attendance, so there is no participation ticket to print: add"
              + " 'rewards: attendance: N' to its event file (see examples/events/atelier-parc.yaml).");
      return 2;
    }
    String ticketHost =
        claimHost != null
            ? claimHost
            : trust.flatMap(DeviceTrust::claimHost).orElse(DEFAULT_CLAIM_HOST);
    String hubUri = hub != null ? hub : trust.flatMap(DeviceTrust::hub).orElse(null);
    SyncAgent.Settings sync = syncSettings(hubUri, trust);
    Clock clock = Clock.systemDefaultZone();
    KioskEngine engine;
    try {
      engine =
          trust.isPresent()
              ? KioskEngine.openEnrolled(folder, trust.get(), clock)
              : KioskEngine.open(folder, Optional.empty(), clock, random);
    } catch (StoreException | IllegalArgumentException e) {
      err.println(
          "Cannot open the data folder "
              + folder
              + ": "
              + e.getMessage()
              + ". Close the kiosk or tablet app using it (staff panel), then print again.");
      return 2;
    }
    try {
      List<terrain.core.ticket.SignedTicket> issued;
      try {
        issued = engine.issueAttendanceTickets(event, printSheet);
      } catch (IllegalArgumentException e) {
        err.println("No ticket issued: " + e.getMessage() + ".");
        return 2;
      }
      ZoneId zone = ZoneId.systemDefault();
      List<terrain.hardware.printer.TicketPrint> prints =
          issued.stream()
              .map(
                  t ->
                      terrain.hardware.printer.TicketPrint.of(
                          t, event.title().fr(), ticketHost, zone, java.util.Locale.FRENCH))
              .toList();
      byte[] pdf = new terrain.hardware.printer.TicketPdf().sheet(prints);
      Path target = out.toAbsolutePath();
      Path partial = target.resolveSibling(target.getFileName() + ".part");
      try {
        java.nio.file.Files.write(partial, pdf);
        java.nio.file.Files.move(
            partial,
            target,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        err.println(
            "The "
                + issued.size()
                + " tickets are issued and kept in "
                + folder
                + " but the PDF cannot be written to "
                + target
                + ": "
                + e.getMessage());
        return 1;
      }
      int pages = (issued.size() + 3) / 4;
      said.println(
          "Issued "
              + issued.size()
              + " attendance tickets of "
              + briqs
              + " briqs for "
              + event.id()
              + " as "
              + engine.deviceId()
              + ": "
              + target
              + " ("
              + pages
              + (pages == 1 ? " A4 page" : " A4 pages")
              + ", cut along the dashed lines)");
      said.println(send(engine, sync, hubUri, clock, random));
      return 0;
    } finally {
      engine.close();
    }
  }

  /** Gives the hub up to {@code --send-wait} seconds to take what this device holds. */
  private String send(
      KioskEngine engine, SyncAgent.Settings sync, String hubUri, Clock clock, SecureRandom random)
      throws Exception {
    String later =
        "they reach the server through the hub the next time this device runs with its hub";
    if (sync == null) {
      return "No hub given: " + later + ".";
    }
    if (sendWait == 0) {
      return "Not sent now (--send-wait 0): " + later + ".";
    }
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(daemon("sheet-sync"));
    try (SyncAgent agent =
        new SyncAgent(engine.store(), engine.deviceId(), sync, scheduler, clock, random)) {
      agent.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(sendWait);
      while (engine.pendingCount() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      long pending = engine.pendingCount();
      if (pending == 0) {
        return "Sent to the hub " + hubUri + ": the server credits each ticket once, when claimed.";
      }
      return pending
          + " records not taken by the hub "
          + hubUri
          + " within "
          + sendWait
          + " s"
          + (agent.lastProblem() == null || agent.lastProblem().isEmpty()
              ? ""
              : " (" + agent.lastProblem() + ")")
          + ": "
          + later
          + ".";
    } finally {
      scheduler.shutdownNow();
    }
  }

  /**
   * The window: the screen's size from the device when it is small (a tablet), else 1280×800 for
   * the kiosk and 1024×768 for a tablet on a desktop.
   */
  private double[] windowSize(boolean tablet) {
    Optional<DeviceServices.ScreenSize> screen = devices.screen();
    if (screen.isEmpty()) {
      javafx.geometry.Rectangle2D bounds = Screen.getPrimary().getVisualBounds();
      screen = Optional.of(new DeviceServices.ScreenSize(bounds.getWidth(), bounds.getHeight()));
    }
    double width = tablet ? 1024 : 1280;
    double height = tablet ? 768 : 800;
    return new double[] {
      Math.min(width, screen.get().width()), Math.min(height, screen.get().height())
    };
  }

  /**
   * Logs {@link #ON_DISPLAY} on the first pulse after the window shows (the bench waits for it),
   * with the processor time the JVM spent until then (all its threads: less noisy than the wall
   * clock on a busy machine), then runs {@code then}.
   */
  public static void announceFirstFrame(Runnable then) {
    new AnimationTimer() {
      @Override
      public void handle(long now) {
        stop();
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        long cpuMs =
            ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1_000_000
                : -1;
        log.info(
            "{} {} ms after the JVM started, processor time {} ms{}",
            ON_DISPLAY,
            uptime,
            cpuMs,
            sharedArchive().map(a -> ", class data sharing archive " + a).orElse(""));
        then.run();
      }
    }.start();
  }

  /**
   * The class data sharing archive this JVM was started with ({@code -XX:SharedArchiveFile}), if
   * any. The JVM falls back to loading classes from the jars when the archive does not match them
   * (it says so on its output: "Unable to use shared archive").
   */
  private static Optional<String> sharedArchive() {
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.startsWith("-XX:SharedArchiveFile=")) {
        return Optional.of(option.substring("-XX:SharedArchiveFile=".length()));
      }
    }
    return Optional.empty();
  }

  private int screenshots(EventDefinition event) throws Exception {
    if (headless || !displayAvailable(env)) {
      useMonocle();
    }
    Path scratch = java.nio.file.Files.createTempDirectory("terrain-screenshots");
    KioskScreenshots shots = new KioskScreenshots(event, scratch, screenshots);
    CountDownLatch done = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<Object> outcome =
        new java.util.concurrent.atomic.AtomicReference<>();
    Platform.setImplicitExit(false);
    Platform.startup(
        () -> {
          try {
            List<Path> all = new java.util.ArrayList<>(shots.renderAll(new Stage()));
            if (event.workshop().isPresent()) {
              all.addAll(
                  new WorkshopScreenshots(event, scratch.resolve("workshop"), screenshots)
                      .renderAll(new Stage()));
            }
            outcome.set(all);
          } catch (Exception | LinkageError e) {
            outcome.set(e);
          } finally {
            done.countDown();
          }
        });
    done.await();
    Platform.exit();
    deleteTree(scratch);
    if (outcome.get() instanceof Throwable t) {
      log.error("Screenshots failed: {}", t.toString(), t);
      err.println("Cannot render the screenshots: " + t);
      return 1;
    }
    @SuppressWarnings("unchecked")
    List<Path> written = (List<Path>) outcome.get();
    err.println("Wrote " + written.size() + " screenshots into " + screenshots);
    return 0;
  }

  private static void deleteTree(Path root) {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      log.debug("Scratch folder {} left behind: {}", root, e.toString());
    }
  }

  /**
   * JavaFX's headless platform with the software renderer. JavaFX reads these before it starts;
   * they are the toolkit's own switches, not Terrain configuration.
   */
  public static void useMonocle() {
    System.setProperty("glass.platform", "Monocle");
    System.setProperty("monocle.platform", "Headless");
    System.setProperty("prism.order", "sw");
    System.setProperty("java.awt.headless", "true");
  }

  private static void stopToolkit(java.util.concurrent.CompletableFuture<Void> toolkit) {
    try {
      toolkit.join();
      Platform.exit();
    } catch (RuntimeException e) {
      // The toolkit did not start: nothing to stop.
      log.debug("JavaFX toolkit never started", e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Enrols the device when {@code --enrol} is given, else reads its enrolment from {@code
   * DATA/trust/}; empty when it was never enrolled.
   */
  private Optional<DeviceTrust> enrolOrLoad(Path folder, DeviceKind kind, SecureRandom random)
      throws EnrolmentException {
    if (enrol != null) {
      EnrolmentText text = EnrolmentClient.read(enrol);
      Optional<DeviceId> stored;
      try {
        stored = KioskEngine.storedDeviceId(folder);
      } catch (StoreException e) {
        throw new EnrolmentException(
            "Cannot open the data folder "
                + folder
                + ": "
                + e.getMessage()
                + ". Check that no other kiosk uses it, or pass another --data DIR.",
            e);
      }
      DeviceTrust trust =
          new DeviceTrust(
              EnrolmentClient.withDefaultClient(random)
                  .enrol(text, folder, EnumSet.of(kind), stored));
      err.println(
          "Enrolled "
              + trust.deviceId()
              + " ("
              + kind.label()
              + ") for the event "
              + trust.bundle().eventId()
              + "; kept in "
              + folder.resolve("trust"));
      return Optional.of(trust);
    }
    try {
      return DeviceTrust.load(folder);
    } catch (TrustException e) {
      throw new EnrolmentException("Cannot read this device's enrolment: " + e.getMessage(), e);
    }
  }

  private KioskSettings settings(Optional<DeviceTrust> trust) {
    Optional<String> pinHash = trust.flatMap(DeviceTrust::pinHash);
    String chosen = pin != null ? pin : env.get(PIN_ENV);
    if (chosen != null && chosen.isBlank()) {
      chosen = null;
    }
    try {
      if (pinHash.isPresent() && (chosen == null || !dev)) {
        if (chosen != null) {
          log.warn("--pin ignored: this kiosk uses the staff PIN of its enrolment (or add --dev)");
        }
        return KioskSettings.withPin(StaffPin.hashed(pinHash.get()));
      }
      if (chosen == null) {
        if (trust.isPresent()) {
          throw new ParameterException(
              spec.commandLine(),
              "the enrolment of "
                  + trust.get().deviceId()
                  + " has no staff PIN: pass --pin DIGITS, or ask ops to enrol it with a PIN");
        }
        log.warn(
            "development staff PIN 0000 in use: pass --pin (or set {}) before an event", PIN_ENV);
        chosen = KioskSettings.DEVELOPMENT_PIN;
      }
      return KioskSettings.withPin(chosen);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--pin: " + e.getMessage());
    }
  }

  /**
   * How the kiosk reaches its hub ({@code --hub}, else the enrolment bundle's), or null when it has
   * none; a malformed address is a usage error naming where it came from.
   */
  private SyncAgent.Settings syncSettings(String hubUri, Optional<DeviceTrust> trust) {
    if (hubUri == null) {
      return null;
    }
    try {
      return trust.isPresent()
          ? SyncAgent.Settings.enrolled(hubUri, trust.get().mqttSecret())
          : SyncAgent.Settings.of(hubUri, siteKey());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(),
          (hub != null ? "--hub: " : "the enrolment bundle's hub: ") + e.getMessage());
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
