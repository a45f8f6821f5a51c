// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ButtonBase;
import javafx.stage.Stage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.hardware.printer.FilePrinter;
import terrain.hardware.printer.TicketPdf;
import terrain.kiosk.device.DesktopDeviceServices;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.ui.ExecutorUiScheduler;
import terrain.kiosk.ui.KioskApp;
import terrain.kiosk.ui.KioskFlowModel;
import terrain.kiosk.ui.KioskSettings;
import terrain.kiosk.ui.thanks.TicketDesk;

/**
 * The kiosk half of {@code bench kiosk}: the real app in a window (or on Monocle), driven by taps
 * on its real buttons, one resident after the other, each participation committed and its ticket
 * printed as a PDF. Prints the tap latencies and its own resident memory; {@link KioskBench} starts
 * it in a fresh JVM and reads its output.
 */
@Command(name = "kiosk-driver", hidden = true, description = "Drives a kiosk (bench kiosk).")
public final class KioskDriver implements Callable<Integer> {
  @Option(names = "--event", required = true)
  Path eventFile;

  @Option(names = "--data", required = true)
  Path data;

  @Option(names = "--participations")
  int participations = 1000;

  @Option(names = "--report-every")
  int reportEvery = 250;

  @Option(names = "--headless")
  boolean headless;

  /** The repeat-press filter's clock: a second passes between two taps, as for a resident. */
  private static final class TapClock extends Clock {
    private final AtomicLong offset = new AtomicLong();

    void tap() {
      offset.addAndGet(1000);
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(System.currentTimeMillis() + offset.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.systemDefault();
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Override
  public Integer call() throws Exception {
    if (headless) {
      System.setProperty("glass.platform", "Monocle");
      System.setProperty("monocle.platform", "Headless");
      System.setProperty("prism.order", "sw");
    }
    EventDefinition event = EventLoader.load(eventFile);
    Files.createDirectories(data);
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    ExecutorService io = Executors.newSingleThreadExecutor();
    TapClock taps = new TapClock();
    try (KioskEngine engine =
        KioskEngine.open(
            data.resolve("kiosk"),
            Optional.empty(),
            Clock.systemDefaultZone(),
            new java.security.SecureRandom())) {
      TicketDesk desk =
          new TicketDesk(
              new FilePrinter(data.resolve("tickets"), new TicketPdf()),
              "bench",
              io,
              Platform::runLater,
              "briqs.example.fr",
              ZoneId.systemDefault());
      KioskApp.Services services =
          new KioskApp.Services(
              KioskApp.Mode.KIOSK,
              desk,
              KioskApp.Services.noHub(engine),
              DesktopDeviceServices.local(),
              io,
              Platform::runLater);
      AtomicReference<Scene> scene = new AtomicReference<>();
      AtomicReference<KioskApp> app = new AtomicReference<>();
      CountDownLatch shown = new CountDownLatch(1);
      Platform.setImplicitExit(false);
      Platform.startup(
          () -> {
            KioskApp kiosk =
                new KioskApp(
                    engine,
                    event,
                    KioskSettings.withPin("0000"),
                    taps,
                    new ExecutorUiScheduler(timers, Platform::runLater),
                    () -> {},
                    services);
            Stage stage = new Stage();
            kiosk.show(stage, false, "bench", 1280, 800);
            app.set(kiosk);
            scene.set(stage.getScene());
            shown.countDown();
          });
      shown.await();
      int questions = event.defaultPoll().questions().size();
      // After the questions, the optional idea and "who are you" screens, skipped here.
      List<String> skips = new ArrayList<>();
      if (event.ideas().enabled()) {
        skips.add("idea-skip");
      }
      if (event.profile().isPresent()) {
        skips.add("profile-skip");
      }
      int tapsPer = 3 + questions + skips.size() + 1;
      long[] latencies = new long[participations * tapsPer];
      int n = 0;
      for (int p = 1; p <= participations; p++) {
        latencies[n++] = tap(scene.get(), taps, "start", null);
        latencies[n++] = tap(scene.get(), taps, "lang-fr", null);
        latencies[n++] = tap(scene.get(), taps, null, app.get().flow());
        for (int q = 0; q < questions; q++) {
          latencies[n++] = tap(scene.get(), taps, "next", null);
        }
        for (String skip : skips) {
          latencies[n++] = tap(scene.get(), taps, skip, null);
        }
        latencies[n++] = tap(scene.get(), taps, "done", null);
        if (p % reportEvery == 0) {
          long rss = rssKb() / 1024;
          long shared = statusKb("RssShmem:") / 1024;
          long openGl = openGlKb() / 1024;
          long heap = heapMb();
          System.gc();
          // The shared part of the resident set is the X server's shared memory (MIT-SHM) the
          // window's pixels go through: 8 to 32 MB under Xvfb (decision 0032). OpenGL's libraries
          // are Mesa's software rasteriser on a display without a graphics chip (decision 0047).
          System.out.printf(
              "participations %d rss %d MB heap %d MB live after GC %d MB OpenGL libraries %d MB"
                  + " shared memory %d MB%n",
              p, rss, heap, heapMb(), openGl, shared);
        }
      }
      Arrays.sort(latencies, 0, n);
      System.out.printf(
          "taps %d p50 %.2f ms p99 %.2f ms max %.2f ms%n",
          n,
          percentile(Arrays.copyOf(latencies, n), 50),
          percentile(Arrays.copyOf(latencies, n), 99),
          latencies[n - 1] / 1e6);
      System.out.printf(
          "stored %d responses, %d tickets printed%n",
          engine.responseCount(event.eventId()), countPdfs(data.resolve("tickets")));
      Platform.exit();
    } finally {
      io.shutdown();
      io.awaitTermination(10, TimeUnit.SECONDS);
      timers.shutdownNow();
    }
    return 0;
  }

  /**
   * Fires the button {@code id} (or the first choice of the question on screen) on the JavaFX
   * thread and returns the nanoseconds until the next screen is laid out (the pulse after the tap).
   */
  private static long tap(Scene scene, TapClock clock, String id, KioskFlowModel flow)
      throws InterruptedException {
    clock.tap();
    CountDownLatch laidOut = new CountDownLatch(1);
    long[] took = new long[1];
    Platform.runLater(
        () -> {
          String target = id != null ? id : "choice-" + flow.question().choices().get(0).id();
          Node node = scene.lookup("#" + target);
          if (!(node instanceof ButtonBase button)) {
            throw new IllegalStateException("No button #" + target + " on " + flow);
          }
          long start = System.nanoTime();
          Runnable[] once = new Runnable[1];
          once[0] =
              () -> {
                took[0] = System.nanoTime() - start;
                scene.removePostLayoutPulseListener(once[0]);
                laidOut.countDown();
              };
          button.fire();
          scene.addPostLayoutPulseListener(once[0]);
          Platform.requestNextPulse();
        });
    if (!laidOut.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("No pulse within 10 s after tapping " + id);
    }
    return took[0];
  }

  private static final java.util.regex.Pattern MAPPING =
      java.util.regex.Pattern.compile("[0-9a-f]+-[0-9a-f]+ ");
  private static final java.util.regex.Pattern OPENGL =
      java.util.regex.Pattern.compile("libLLVM|libgallium|/dri/|/lib(GL|EGL)[^/]*$");

  /**
   * The resident kB of the OpenGL libraries mapped in this process (libGL, Mesa's drivers, LLVM):
   * about 50 MB when JavaFX tried OpenGL on a display without a graphics chip (decision 0047).
   */
  static long openGlKb() {
    try (var lines = Files.lines(Path.of("/proc/self/smaps"))) {
      return openGlKb(lines);
    } catch (java.io.IOException | java.io.UncheckedIOException | NumberFormatException e) {
      return -1;
    }
  }

  /** The resident kB of the OpenGL libraries' mappings in the lines of a {@code smaps} file. */
  static long openGlKb(java.util.stream.Stream<String> smaps) {
    long kb = 0;
    boolean gl = false;
    for (String line : (Iterable<String>) smaps::iterator) {
      if (MAPPING.matcher(line).lookingAt()) {
        gl = OPENGL.matcher(line).find();
      } else if (gl && line.startsWith("Rss:")) {
        kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return kb;
  }

  static long rssKb() {
    return statusKb("VmRSS:");
  }

  /** A kB field of /proc/self/status, e.g. {@code VmRSS:}; -1 where there is none. */
  static long statusKb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static long heapMb() {
    Runtime runtime = Runtime.getRuntime();
    return (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
  }

  private static long countPdfs(Path folder) throws java.io.IOException {
    try (var files = Files.list(folder)) {
      return files.filter(f -> f.toString().endsWith(".pdf")).count();
    }
  }

  /** The p-th percentile of sorted nanoseconds, in milliseconds (as the other benches print). */
  private static double percentile(long[] sortedNanos, double p) {
    int index = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
    return sortedNanos[Math.max(0, Math.min(index, sortedNanos.length - 1))] / 1e6;
  }
}
