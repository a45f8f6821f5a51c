// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import terrain.kiosk.bench.BareWindow;
import terrain.kiosk.bench.KioskDriver;

/**
 * {@code ./terrain bench ...}: benchmarks that print figures (never pass/fail timings in tests).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      SyncBench.class,
      HubBench.class,
      CommitBench.class,
      IngestReplay.class,
      TicketBench.class,
      KioskBench.class,
      ChaosBench.class,
      KioskDriver.class,
      BareWindow.class,
      Report.class
    },
    description = "Benchmarks. Each prints its figures and where the time goes.")
public final class BenchMain implements Runnable {
  public static int run(String... args) {
    return new CommandLine(new BenchMain())
        .setExecutionExceptionHandler(
            (e, commandLine, parsed) -> {
              if (e instanceof terrain.dist.proc.Folders.InUseException) {
                // Another bench in the same folder: what to do, without a stack trace.
                commandLine.getErr().println(e.getMessage());
                return 2;
              }
              throw e;
            })
        .execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /**
   * The sync server's JVM options as it ships (conf/server.env, and the launchers when {@code
   * TERRAIN_JAVA_OPTS} is unset): a bounded heap committed whole from the start (decision 0060),
   * and the JIT's compiler threads at nice 10, so that a backlog arriving at a cold server is
   * committed before the compilers' work (decision 0059). {@code ThreadPriorityPolicy=1} is what
   * lets the JVM set a thread's nice value; without the root user it can only lower priorities,
   * which is all this asks.
   */
  static final java.util.List<String> SERVER_JVM =
      java.util.List.of(
          "-Xms512m", "-Xmx512m", "-XX:ThreadPriorityPolicy=1", "-XX:CompilerThreadPriority=10");

  /**
   * The hub's JVM options as it ships (conf/hub.env, and the launchers): see {@link HubBench}. C1
   * alone, as the kiosk (decision 0061).
   */
  static final java.util.List<String> HUB_JVM =
      java.util.List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  /**
   * JVM options for a bench's child process named {@code name}: those it ships with when it is a
   * server ({@code server}, {@code server-N}: {@link #SERVER_JVM}) or the hub ({@link #HUB_JVM}),
   * so that the bench measures what a town runs; then those of {@code TERRAIN_BENCH_JVM_<NAME>}
   * (e.g. {@code TERRAIN_BENCH_JVM_SERVER="-XX:+UseParallelGC"}, to compare a setting: the JVM
   * takes the last of two values of one option).
   */
  static java.util.List<String> childJvmOptions(String name) {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (name.equals("server") || name.startsWith("server-")) {
      out.addAll(SERVER_JVM);
    } else if (name.equals("hub")) {
      out.addAll(HUB_JVM);
    }
    out.addAll(
        jvmOptions(
            "TERRAIN_BENCH_JVM_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_')));
    return java.util.List.copyOf(out);
  }

  /**
   * The maximum heap the bench's server runs with, in bytes: the last {@code -Xmx} of {@link
   * #childJvmOptions childJvmOptions("server")}, so {@code TERRAIN_BENCH_JVM_SERVER} counts. The
   * reference inserts size Derby's page cache for it, as the server does for its own heap.
   */
  static long serverHeapBytes() {
    long heap = -1;
    for (String option : childJvmOptions("server")) {
      if (option.startsWith("-Xmx")) {
        heap = heapBytes(option.substring(4));
      }
    }
    if (heap <= 0) {
      throw new IllegalStateException("The bench's server options give no -Xmx: " + SERVER_JVM);
    }
    return heap;
  }

  /**
   * A heap size as {@code -Xmx} takes it ({@code 512m}, {@code 2g}, {@code 1048576}); -1 if not.
   */
  static long heapBytes(String size) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d+)([kKmMgGtT]?)").matcher(size);
    if (!m.matches()) {
      return -1;
    }
    int shift =
        switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
    return Long.parseLong(m.group(1)) << shift;
  }

  /** The JVM options in the environment variable {@code variable}, split on blanks; none unset. */
  static java.util.List<String> jvmOptions(String variable) {
    String options = System.getenv(variable);
    return options == null || options.isBlank()
        ? java.util.List.of()
        : java.util.List.of(options.strip().split("\\s+"));
  }

  /**
   * The load averages (1, 5, 15 min) and the share of time runnable tasks waited for a core in the
   * last 10 s (/proc/pressure/cpu): on a shared 2-core machine, the figures swing with other work.
   */
  static String machineLoad() {
    String load;
    try {
      String[] parts =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split(" ");
      load = "load average " + parts[0] + " " + parts[1] + " " + parts[2];
    } catch (java.io.IOException | RuntimeException e) {
      load = "load average unknown";
    }
    try {
      String pressure =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/pressure/cpu"))
              .lines()
              .findFirst()
              .orElse("");
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("avg10=([0-9.]+)").matcher(pressure);
      if (m.find()) {
        load += ", CPU pressure " + m.group(1) + " % (last 10 s)";
      }
    } catch (java.io.IOException | RuntimeException e) {
      // No pressure stall information on this kernel.
    }
    return load;
  }

  static double percentile(long[] sortedNanos, double p) {
    int index = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
    return sortedNanos[Math.max(0, Math.min(index, sortedNanos.length - 1))] / 1e6;
  }
}
