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
          "-Xmx80m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:SoftRefLRUPolicyMSPerMB=10",
          "-XX:ReservedCodeCacheSize=20m",
          "-Dderby.storage.pageCacheSize=200");

  /**
   * What {@code TERRAIN_KIOSK_RENDERER=software} adds for a kiosk without a graphics chip JavaFX
   * accepts, as under Xvfb: the software pipeline straight away, and no OpenGL in GTK. Without them
   * JavaFX and GTK load Mesa and LLVM (about 50 MB resident) only to fall back to software. The
   * environment: no OpenGL in GTK, and GTK's X requests made synchronously, so that cairo's X
   * shared memory (MIT-SHM), through which the software pipeline's frames go, reuses one frame's
   * block instead of growing to its pool of eight (decision 0047).
   */
  static final List<String> SOFTWARE_JVM = List.of("-Dprism.order=sw", "-Dprism.maxvram=12m");

  static final Map<String, String> SOFTWARE_ENV =
      Map.of("GDK_GL", "disable", "GDK_SYNCHRONIZE", "1");

  private static final Pattern RSS = Pattern.compile("participations (\\d+) rss (\\d+) MB");
  private static final Pattern SHARED = Pattern.compile("shared memory (\\d+) MB$");
  private static final Pattern OPENGL = Pattern.compile("OpenGL libraries (\\d+) MB");

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

  @Option(
      names = "--renderer",
      description =
          "software or gpu: the kiosk's renderer, as TERRAIN_KIOSK_RENDERER for ./terrain kiosk"
              + " (default: software under the bench's own Xvfb or Monocle; on an existing display"
              + " TERRAIN_KIOSK_RENDERER, else gpu, as the launcher). On an Xvfb given by DISPLAY"
              + " say software: the GPU default loads Mesa's software OpenGL, about 50 MB.")
  String renderer;

  @Option(
      names = "--no-cds",
      description =
          "Drive the memory run without the class data sharing archive (the starts are measured"
              + " both ways anyway).")
  boolean noCds;

  private static final Pattern CPU = Pattern.compile("processor time (\\d+) ms");

  @Override
  public Integer call() throws Exception {
    Path root = Path.of(System.getenv().getOrDefault("TERRAIN_HOME", "."));
    Path eventFile = event != null ? event : root.resolve("examples/events/market-day.yaml");
    Path scratch = Files.createTempDirectory("terrain-bench-kiosk");
    String classpath = archivableClasspath(System.getProperty("java.class.path"));
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
      String chosen = renderer != null ? renderer : System.getenv("TERRAIN_KIOSK_RENDERER");
      if (chosen != null
          && !chosen.isEmpty()
          && !chosen.equals("software")
          && !chosen.equals("gpu")) {
        System.out.println(
            "The renderer must be 'software' or 'gpu' (--renderer or TERRAIN_KIOSK_RENDERER), not '"
                + chosen
                + "'");
        return 2;
      }
      List<String> jvm = new ArrayList<>(KIOSK_JVM);
      if (xvfb != null || headless || "software".equals(chosen)) {
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

      // Class data sharing (decision 0029): a training run makes the archive, as the launcher
      // does on a kiosk's first start.
      Path archive = scratch.resolve("kiosk.jsa");
      long trainT0 = System.nanoTime();
      List<String> trainJvm = new ArrayList<>(jvm);
      trainJvm.add("-XX:ArchiveClassesAtExit=" + archive);
      List<String> trainArgs = startArgs(eventFile, scratch.resolve("train"), headless);
      trainArgs.add("--exit-after-first-frame");
      try (Child train =
          Child.start(
              "train",
              classpath,
              scratch.resolve("train.log"),
              null,
              trainJvm,
              env,
              trainArgs.toArray(String[]::new))) {
        int code = train.waitFor(Duration.ofMinutes(5));
        if (code != 0 || !Files.isRegularFile(archive)) {
          System.out.println(
              "The training run made no class data sharing archive (exit " + code + ")");
          return 1;
        }
      }
      System.out.printf(
          "class data sharing archive: %d MB, made in %d ms (training run to the first frame)%n",
          Files.size(archive) >> 20, (System.nanoTime() - trainT0) / 1_000_000);
      List<String> cdsJvm = new ArrayList<>(jvm);
      cdsJvm.add("-XX:SharedArchiveFile=" + archive);
      cdsJvm.add("-Xshare:auto");

      // Cold start: a fresh JVM each time, up to the first frame, with and without the archive in
      // turn (the machine's load changes alike for both). The first start makes the data folder
      // (database, signing key); the next ones start on it, as a kiosk does each morning.
      Path data = scratch.resolve("start");
      Start fresh =
          coldStart(classpath, jvm, env, startArgs(eventFile, data, headless), scratch, "first");
      if (fresh == null) {
        return 1;
      }
      System.out.printf(
          "cold start, new data folder (creates the database and key): %d ms%n", fresh.wallMs);
      // With each pair, the reference: a bare JavaFX window of the kiosk's size, same JVM options
      // and display, no archive of its own, to its first frame. The same work on any machine, as
      // bench sync's bare inserts: the kiosk's start divided by it reads through a slow day.
      long[][] wall = new long[3][starts];
      long[][] cpu = new long[3][starts];
      for (int i = 0; i < starts; i++) {
        for (int c = 0; c < 3; c++) {
          boolean bare = c == 2;
          boolean cds = !bare && (i + c) % 2 == 0;
          List<String> args = bare ? bareArgs(headless) : startArgs(eventFile, data, headless);
          Start run = coldStart(classpath, cds ? cdsJvm : jvm, env, args, scratch, i + "-" + c);
          if (run == null) {
            return 1;
          }
          int k = bare ? 2 : cds ? 0 : 1;
          wall[k][i] = run.wallMs;
          cpu[k][i] = run.cpuMs;
          System.out.printf(
              "cold start %d %s: %d ms to the %s, processor time %d ms%n",
              i + 1,
              bare ? "bare window" : cds ? "with CDS   " : "without CDS",
              run.wallMs,
              bare ? "first frame" : "attract screen",
              run.cpuMs);
        }
      }
      Figures figures = new Figures("kiosk", java.time.Clock.systemUTC());
      long[] medians = new long[3];
      long[] cpuMedians = new long[3];
      for (int k = 0; k < 3; k++) {
        long[] w = wall[k].clone();
        long[] c = cpu[k].clone();
        Arrays.sort(w);
        Arrays.sort(c);
        medians[k] = w[w.length / 2];
        cpuMedians[k] = c[c.length / 2];
        if (k == 2) {
          System.out.printf(
              "reference, a bare JavaFX window (same JVM options and display, no Terrain code):"
                  + " median %d ms, best %d ms, worst %d ms; processor time median %d ms%n",
              medians[k], w[0], w[w.length - 1], cpuMedians[k]);
          figures.add("kiosk.reference_window_ms", medians[k], "ms");
          figures.add("kiosk.reference_window_cpu_ms", cpuMedians[k], "ms");
          continue;
        }
        System.out.printf(
            "cold start %s, existing data folder: median %d ms, best %d ms, worst %d ms (target"
                + " <= 1500 ms); processor time median %d ms%n",
            k == 0 ? "with CDS" : "without CDS", medians[k], w[0], w[w.length - 1], cpuMedians[k]);
        String suffix = k == 0 ? "" : "_no_cds";
        figures.add("kiosk.cold_start_median_ms" + suffix, medians[k], "ms");
        figures.add("kiosk.cold_start_cpu_median_ms" + suffix, cpuMedians[k], "ms");
      }
      double ratio = (double) medians[0] / Math.max(1, medians[2]);
      System.out.printf(
          java.util.Locale.ROOT,
          "kiosk cold start with CDS / bare window = %.2f, processor time %.2f (the window starts"
              + " without the kiosk's archive, the same work on any machine: the ratio reads"
              + " through the machine's speed that day)%n",
          ratio,
          (double) cpuMedians[0] / Math.max(1, cpuMedians[2]));
      figures.add("kiosk.cold_start_to_reference_window", ratio, "x");

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
              noCds ? jvm : cdsJvm,
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
        long shared = -1;
        long openGl = -1;
        for (String line : driver.output()) {
          Matcher m = RSS.matcher(line);
          if (m.find()) {
            rss.add(Long.parseLong(m.group(2)));
          }
          Matcher s = SHARED.matcher(line);
          if (s.find()) {
            shared = Long.parseLong(s.group(1));
          }
          Matcher g = OPENGL.matcher(line);
          if (g.find()) {
            openGl = Long.parseLong(g.group(1));
          }
        }
        if (!rss.isEmpty()) {
          long first = rss.get(0);
          long last = rss.get(rss.size() - 1);
          System.out.printf(
              "resident memory: %d MB after %d participations (target <= 250 MB), %+d MB from the"
                  + " first report to the last (%s)%n",
              last, participations, last - first, noCds ? "without CDS" : "with CDS");
          figures.add("kiosk.resident_mb", last, "MB");
          figures.add("kiosk.resident_growth_mb", last - first, "MB");
          if (shared >= 0) {
            // Of which the X server's shared memory (MIT-SHM), outside the JVM (decision 0032).
            System.out.printf("of which shared memory (X11 MIT-SHM): %d MB%n", shared);
            figures.add("kiosk.resident_shared_mb", shared, "MB");
          }
          if (openGl >= 0) {
            // Mesa and LLVM when JavaFX tried OpenGL without a graphics chip (decision 0047).
            System.out.printf("of which OpenGL libraries: %d MB%n", openGl);
            figures.add("kiosk.resident_opengl_mb", openGl, "MB");
            if (openGl >= 10 && !jvm.containsAll(SOFTWARE_JVM)) {
              System.out.println(
                  "  (the kiosk loaded OpenGL: on a display without a graphics chip, such as an"
                      + " Xvfb, measure with --renderer software, as a kiosk there runs with"
                      + " TERRAIN_KIOSK_RENDERER=software)");
            }
          }
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

  /** One cold start: wall time to the first frame and the kiosk's processor time until then. */
  private record Start(long wallMs, long cpuMs) {}

  private static List<String> startArgs(Path eventFile, Path data, boolean headless) {
    List<String> args = new ArrayList<>(List.of("kiosk", "--dev", "--event", eventFile.toString()));
    args.addAll(List.of("--data", data.toString(), "--windowed"));
    if (headless) {
      args.add("--headless");
    }
    return args;
  }

  private static List<String> bareArgs(boolean headless) {
    List<String> args = new ArrayList<>(List.of("bench", "bare-window"));
    if (headless) {
      args.add("--headless");
    }
    return args;
  }

  /**
   * Starts the kiosk (or the bare window), waits for its first frame, stops it; null (and says why)
   * if it failed.
   */
  private static Start coldStart(
      String classpath,
      List<String> jvm,
      Map<String, String> env,
      List<String> args,
      Path scratch,
      String name)
      throws Exception {
    Pattern onDisplay = Pattern.compile(Pattern.quote(KioskMain.ON_DISPLAY) + ".*");
    long t0 = System.nanoTime();
    try (Child kiosk =
        Child.start(
            "kiosk",
            classpath,
            scratch.resolve("start-" + name + ".log"),
            null,
            jvm,
            env,
            args.toArray(String[]::new))) {
      Optional<Matcher> seen = kiosk.awaitLine(onDisplay, Duration.ofSeconds(120));
      if (seen.isEmpty()) {
        System.out.println("The kiosk did not show its first screen; last lines:");
        kiosk.output().stream()
            .skip(Math.max(0, kiosk.output().size() - 10))
            .forEach(System.out::println);
        return null;
      }
      long wallMs = (System.nanoTime() - t0) / 1_000_000;
      Matcher cpu = CPU.matcher(seen.get().group());
      long cpuMs = cpu.find() ? Long.parseLong(cpu.group(1)) : -1;
      for (String line : kiosk.output()) {
        if (line.contains("Unable to use shared archive")) {
          System.out.println("  (the JVM did not use the archive: " + line.trim() + ")");
        }
      }
      kiosk.stop(Duration.ofSeconds(10));
      return new Start(wallMs, cpuMs);
    }
  }

  /**
   * The classpath with the dist module's classes folder replaced by its jar, when built: a class
   * data sharing archive cannot hold classes from a non-empty folder (the JVM refuses to dump).
   */
  static String archivableClasspath(String classpath) {
    List<String> entries = new ArrayList<>();
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path) && path.endsWith(Path.of("dist", "target", "classes"))) {
        try (var jars = Files.list(path.getParent())) {
          Optional<Path> jar =
              jars.filter(
                      j ->
                          j.getFileName()
                              .toString()
                              .matches("terrain-dist-[0-9][^-]*(-SNAPSHOT)?\\.jar"))
                  .findFirst();
          if (jar.isPresent()) {
            entries.add(jar.get().toString());
            continue;
          }
        } catch (java.io.IOException e) {
          // keep the folder: the starts run without the archive
        }
      }
      entries.add(entry);
    }
    return String.join(java.io.File.pathSeparator, entries);
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
