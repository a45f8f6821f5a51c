// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./terrain bench report}: the latest value of every figure in {@code .terrain/bench/*.json}
 * beside its goal and the run before, with the load the machine had when each run started; then
 * each goal over every run of the latest commit as shipped, since one run on a shared machine says
 * little about a figure near its goal.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "The latest figure of each bench against the goals and the previous run.")
final class Report implements Callable<Integer> {
  @Option(
      names = "--dir",
      description = "Where the runs are (default: TERRAIN_HOME/.terrain/bench).")
  Path dir;

  @Spec CommandSpec spec;

  /** One value of a figure, in one run. */
  record Point(Figures.Run run, double value, String unit) {}

  @Override
  public Integer call() throws IOException {
    Path folder =
        dir != null
            ? dir
            : Path.of(System.getenv().getOrDefault("TERRAIN_HOME", ".")).resolve(Figures.FOLDER);
    java.io.PrintWriter out = spec.commandLine().getOut();
    List<Figures.Run> runs = read(folder, out);
    if (runs.isEmpty()) {
      out.println(
          "No bench runs in "
              + folder.toAbsolutePath()
              + ": run ./terrain bench sync (or tickets, kiosk, commit) first.");
      return 1;
    }
    out.print(table(runs));
    out.println();
    out.print(goalsOverRuns(runs));
    out.flush();
    return 0;
  }

  /** Every run file in {@code folder}, oldest first; a file that does not read is named. */
  static List<Figures.Run> read(Path folder, java.io.PrintWriter out) throws IOException {
    List<Figures.Run> runs = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return runs;
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        try {
          runs.add(Figures.MAPPER.readValue(file.toFile(), Figures.Run.class));
        } catch (IOException e) {
          out.println("skipped " + file + ": not a bench run (" + e.getMessage() + ")");
        }
      }
    }
    runs.sort(Comparator.comparing(Figures.Run::startedAt));
    return runs;
  }

  /** The report: one line per figure, latest run against goal and previous run. */
  static String table(List<Figures.Run> runs) {
    Map<String, List<Point>> byFigure = new TreeMap<>();
    for (Figures.Run run : runs) {
      for (Figures.Figure f : run.figures()) {
        byFigure
            .computeIfAbsent(f.figure(), k -> new ArrayList<>())
            .add(new Point(run, f.value(), f.unit()));
      }
    }
    StringBuilder out = new StringBuilder();
    // The first column as wide as the longest figure's name, so that the others stay aligned.
    int names = byFigure.keySet().stream().mapToInt(String::length).max().orElse(0);
    String format = "%-" + Math.max(36, names) + "s %12s %-4s %-9s %-4s %12s %8s  %-20s %s%n";
    out.append(
        String.format(
            Locale.ROOT,
            format,
            "figure",
            "latest",
            "unit",
            "goal",
            "met",
            "previous",
            "change",
            "run (UTC)",
            "load 1/5/15, CPU pressure, commit"));
    for (Map.Entry<String, List<Point>> entry : byFigure.entrySet()) {
      List<Point> points = entry.getValue();
      Point latest = points.get(points.size() - 1);
      Optional<Point> previous =
          points.size() > 1 ? Optional.of(points.get(points.size() - 2)) : Optional.empty();
      Optional<Goals.Goal> goal = Goals.of(entry.getKey());
      out.append(
          String.format(
              Locale.ROOT,
              format,
              entry.getKey(),
              number(latest.value()),
              latest.unit(),
              goal.map(Goals.Goal::text).orElse("-"),
              goal.map(g -> g.met(latest.value()) ? "yes" : "NO").orElse("-"),
              previous.map(p -> number(p.value())).orElse("-"),
              previous
                  .filter(p -> p.value() != 0)
                  .map(
                      p ->
                          String.format(
                              Locale.ROOT, "%+.0f%%", 100 * (latest.value() / p.value() - 1)))
                  .orElse("-"),
              latest.run().startedAt().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z"),
              machine(latest.run())));
    }
    return out.toString();
  }

  /**
   * The in-run reference of the machine's own speed (decision 0017), shown beside the goals over
   * runs: a goal missed on a machine that was slower that day reads differently.
   */
  static final List<String> MACHINE_SPEED =
      List.of(
          // bench sync: bare batched inserts of the drain's rows (decision 0017)
          ".reference_insert_seconds",
          // bench kiosk: a bare JavaFX window's start, and the kiosk's start divided by it
          ".reference_window_ms",
          "_to_reference_window");

  static boolean machineSpeed(String figure) {
    return MACHINE_SPEED.stream().anyMatch(figure::endsWith);
  }

  /**
   * Each goal over the runs as shipped (no JVM options from the environment, no bench option that
   * changes the figures) of the latest commit that measured it: how many runs, how many met it, the
   * median and the range, with the machine's own speed in those runs. Runs with other settings are
   * counted and left out.
   */
  static String goalsOverRuns(List<Figures.Run> runs) {
    // Per figure: the commit of the latest run as shipped that measured it, then that commit's
    // values as shipped (runs are oldest first).
    Map<String, String> commitOf = new TreeMap<>();
    for (Figures.Run run : runs) {
      if (run.asShipped()) {
        for (Figures.Figure f : run.figures()) {
          if (Goals.of(f.figure()).isPresent() || machineSpeed(f.figure())) {
            commitOf.put(f.figure(), run.commit());
          }
        }
      }
    }
    Map<String, List<Double>> values = new TreeMap<>();
    for (Figures.Run run : runs) {
      for (Figures.Figure f : run.figures()) {
        if (run.asShipped() && run.commit().equals(commitOf.get(f.figure()))) {
          values.computeIfAbsent(f.figure(), k -> new ArrayList<>()).add(f.value());
        }
      }
    }
    long otherSettings = runs.stream().filter(r -> !r.asShipped()).count();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Each goal over the runs of the latest commit that measured it, as shipped (%d of %d"
                + " runs left out: they ran with other settings)%n",
            otherSettings,
            runs.size()));
    if (values.isEmpty()) {
      return out.append("  no run as shipped measured a figure with a goal\n").toString();
    }
    int names = Math.max(36, values.keySet().stream().mapToInt(String::length).max().orElse(0));
    String format = "%-" + names + "s %-9s %5s %7s %10s %21s  %s%n";
    out.append(
        String.format(
            Locale.ROOT, format, "figure", "goal", "runs", "met", "median", "range", "commit"));
    for (Map.Entry<String, List<Double>> entry : values.entrySet()) {
      Optional<Goals.Goal> goal = Goals.of(entry.getKey());
      List<Double> sorted = entry.getValue().stream().sorted().toList();
      int n = sorted.size();
      long met = sorted.stream().filter(v -> goal.map(g -> g.met(v)).orElse(false)).count();
      double median =
          n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
      String commit = commitOf.get(entry.getKey());
      out.append(
          String.format(
              Locale.ROOT,
              format,
              entry.getKey(),
              goal.map(Goals.Goal::text).orElse("-"),
              n,
              goal.isPresent() ? met + "/" + n : "-",
              number(median),
              number(sorted.get(0)) + " - " + number(sorted.get(n - 1)),
              note(commit)));
    }
    return out.toString();
  }

  /**
   * A run's commit as the table shows it: {@code -dirty-HASH} (Figures.commit) names the same
   * uncommitted code in each run; a bare {@code -dirty}, as runs recorded before it, may not.
   */
  static String note(String commit) {
    if (commit.endsWith("-dirty")) {
      return commit + " (changes may differ between runs)";
    }
    if (commit.contains("-dirty-")) {
      return commit + " (uncommitted code, the same in these runs)";
    }
    return commit;
  }

  private static String machine(Figures.Run run) {
    StringBuilder s = new StringBuilder();
    double[] load = run.loadAverage();
    if (load != null && load.length == 3) {
      s.append(String.format(Locale.ROOT, "%.2f/%.2f/%.2f", load[0], load[1], load[2]));
    } else {
      s.append("?");
    }
    s.append(", ")
        .append(
            run.cpuPressure10s() == null
                ? "?"
                : String.format(Locale.ROOT, "%.0f%%", run.cpuPressure10s()));
    s.append(", ").append(run.cores()).append(" cores, ").append(run.commit());
    return s.toString();
  }

  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e12) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : "%.2f", value);
  }
}
