// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import terrain.dist.proc.Child;
import terrain.dist.proc.Folders;
import terrain.kiosk.ui.KioskMain;

/**
 * {@code ./terrain bench kiosk}: how fast the kiosk app starts, how fast a tap brings the next
 * screen, and how much memory it holds after a market day of residents, each measured on the real
 * app in its own JVM. On a machine without a display it starts Xvfb when installed (as X11 would
 * run on a kiosk), else JavaFX's headless Monocle platform, and says which.
 */
@Command(
    name = "kiosk",
    mixinStandardHelpOptions = true,
    description = {
      "Kiosk app: cold start to the attract screen (process start to first frame), tap to next",
      "screen latency (p50/p99), resident memory (RSS) after N participations through the UI."
    })
final class KioskBench implements Callable<Integer> {
  /** The JVM options {@code ./terrain kiosk} starts the kiosk with (see the launcher script). */
  static final List<String> KIOSK_JVM =
      List.of(
          "-Xmx96m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:SoftRefLRUPolicyMSPerMB=10",
          "-XX:ReservedCodeCacheSize=32m");

  /**
   * What {@code TERRAIN_KIOSK_RENDERER=software} adds for a kiosk without a graphics chip JavaFX
   * accepts, as under Xvfb: the software pipeline straight away, and no OpenGL in GTK. Without them
   * JavaFX and GTK load Mesa and LLVM (about 50 MB resident) only to fall back to software.
   */
  static final List<String> SOFTWARE_JVM = List.of("-Dprism.order=sw");

  static final Map<String, String> SOFTWARE_ENV = Map.of("GDK_GL", "disable");

  private static final Pattern RSS = Pattern.compile("participations (\\d+) rss (\\d+) MB");

  @Option(names = "--starts", description = "Cold starts measured (default: ${DEFAULT-VALUE}).")
  int starts = 5;

  @Option(
      names = "--participations",
      description = "Residents driven through the UI (default: ${DEFAULT-VALUE}).")
  int participations = 1000;

  @Option(names = "--event", description = "Event file (default: examples/events/market-day.yaml).")
  Path event;

  @Option(names = "--monocle", description = "Use Monocle headless even when X11 is available.")
  boolean monocle;

  @Override
  public Integer call() throws Exception {
    Path root = Path.of(System.getenv().getOrDefault("TERRAIN_HOME", "."));
    Path eventFile = event != null ? event : root.resolve("examples/events/market-day.yaml");
    Path scratch = Files.createTempDirectory("terrain-bench-kiosk");
    String classpath = System.getProperty("java.class.path");
    Map<String, String> env = new HashMap<>();
    env.put("MALLOC_ARENA_MAX", "2");
    Process xvfb = null;
    String platform;
    try {
      if (!monocle && KioskMain.displayAvailable(System.getenv())) {
        platform = "the display " + System.getenv("DISPLAY") + " (X11)";
      } else if (!monocle && onPath("Xvfb")) {
        int display = 90 + (int) (ProcessHandle.current().pid() % 100);
        xvfb =
            new ProcessBuilder(
                    "Xvfb", ":" + display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
                .redirectErrorStream(true)
                .redirectOutput(scratch.resolve("xvfb.log").toFile())
                .start();
        Thread.sleep(700);
        if (!xvfb.isAlive()) {
          System.out.println("Xvfb did not start (see " + scratch.resolve("xvfb.log") + ")");
          return 1;
        }
        env.put("DISPLAY", ":" + display);
        platform = "Xvfb :" + display + " (X11, GTK glass, software rendering)";
      } else {
        platform = "Monocle headless (software rendering)";
      }
      boolean headless = platform.startsWith("Monocle");
      List<String> jvm = new ArrayList<>(KIOSK_JVM);
      if (xvfb != null || headless) {
        // No graphics chip here: the kiosk as ./terrain kiosk starts it with the software renderer.
        jvm.addAll(SOFTWARE_JVM);
        env.putAll(SOFTWARE_ENV);
      }
      System.out.println(
          "kiosk bench on "
              + platform
              + ", Java "
              + Runtime.version()
              + ", kiosk JVM "
              + String.join(" ", jvm)
              + " "
              + env.entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .sorted()
                  .collect(java.util.stream.Collectors.joining(" ")));
      System.out.println(
          Runtime.getRuntime().availableProcessors() + " cores, " + BenchMain.machineLoad());

      // Cold start: a fresh JVM each time, up to the first frame. The first start makes the data
      // folder (database, signing key); the next ones start on it, as a kiosk does each morning.
      long[] startMs = new long[starts];
      Pattern onDisplay = Pattern.compile(Pattern.quote(KioskMain.ON_DISPLAY));
      for (int i = 0; i < starts; i++) {
        Path data = scratch.resolve("start");
        List<String> args =
            new ArrayList<>(List.of("kiosk", "--dev", "--event", eventFile.toString()));
        args.addAll(List.of("--data", data.toString(), "--windowed"));
        if (headless) {
          args.add("--headless");
        }
        long t0 = System.nanoTime();
        try (Child kiosk =
            Child.start(
                "kiosk",
                classpath,
                scratch.resolve("start-" + i + ".log"),
                null,
                jvm,
                env,
                args.toArray(String[]::new))) {
          Optional<Matcher> seen = kiosk.awaitLine(onDisplay, Duration.ofSeconds(60));
          if (seen.isEmpty()) {
            System.out.println("The kiosk did not show its first screen; last lines:");
            kiosk.output().stream()
                .skip(Math.max(0, kiosk.output().size() - 10))
                .forEach(System.out::println);
            return 1;
          }
          startMs[i] = (System.nanoTime() - t0) / 1_000_000;
          System.out.printf("cold start %d: %d ms to the attract screen%n", i + 1, startMs[i]);
          kiosk.stop(Duration.ofSeconds(10));
        }
      }
      Figures figures = new Figures("kiosk", java.time.Clock.systemUTC());
      System.out.printf(
          "cold start, new data folder (creates the database and key): %d ms%n", startMs[0]);
      if (starts > 1) {
        long[] sorted = Arrays.copyOfRange(startMs, 1, starts);
        Arrays.sort(sorted);
        System.out.printf(
            "cold start, existing data folder: median %d ms, best %d ms, worst %d ms (target <="
                + " 2000 ms)%n",
            sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]);
        figures.add("kiosk.cold_start_median_ms", sorted[sorted.length / 2], "ms");
      }

      // Taps and memory: one kiosk JVM, N residents through the real buttons.
      List<String> args =
          new ArrayList<>(
              List.of(
                  "bench",
                  "kiosk-driver",
                  "--event",
                  eventFile.toString(),
                  "--data",
                  scratch.resolve("driver").toString(),
                  "--participations",
                  Integer.toString(participations),
                  "--report-every",
                  Integer.toString(Math.max(1, participations / 4))));
      if (headless) {
        args.add("--headless");
      }
      try (Child driver =
          Child.start(
              "driver",
              classpath,
              scratch.resolve("driver.log"),
              null,
              jvm,
              env,
              args.toArray(String[]::new))) {
        int code = driver.waitFor(Duration.ofMinutes(30));
        for (String line : driver.output()) {
          if (line.startsWith("participations ")
              || line.startsWith("taps ")
              || line.startsWith("stored ")) {
            System.out.println(line);
          }
        }
        if (code != 0) {
          // The scratch folder goes at the end: show the end of the log now.
          List<String> lines = driver.output();
          System.out.println(
              "The kiosk driver failed (exit "
                  + code
                  + "); its last lines:\n"
                  + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
          return 1;
        }
        List<Long> rss = new ArrayList<>();
        for (String line : driver.output()) {
          Matcher m = RSS.matcher(line);
          if (m.find()) {
            rss.add(Long.parseLong(m.group(2)));
          }
        }
        if (!rss.isEmpty()) {
          long first = rss.get(0);
          long last = rss.get(rss.size() - 1);
          System.out.printf(
              "resident memory: %d MB after %d participations (target <= 300 MB), %+d MB from the"
                  + " first report to the last%n",
              last, participations, last - first);
          figures.add("kiosk.resident_mb", last, "MB");
          figures.add("kiosk.resident_growth_mb", last - first, "MB");
        }
      }
      System.out.println("at the end: " + BenchMain.machineLoad());
      figures.write(Path.of(System.getenv().getOrDefault("TERRAIN_HOME", ".")));
      return 0;
    } finally {
      if (xvfb != null) {
        xvfb.destroy();
      }
      Folders.delete(scratch);
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
