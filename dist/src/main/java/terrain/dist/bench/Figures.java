// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of one bench run, kept as JSON in {@code .terrain/bench/BENCH-TIMESTAMP.json} so that
 * {@code ./terrain bench report} can compare them with the goals and the previous run: the figure,
 * its value and unit, and what the machine was doing (cores, load average, CPU pressure, commit).
 */
final class Figures {
  /** One measured figure. */
  record Figure(String figure, double value, String unit) {}

  /**
   * What a run file holds (Jackson reads and writes it).
   *
   * @param settings what the run changed from the shipped setup: a child's or the bench's own JVM
   *     options from the environment, a bench option such as {@code --jfr}; empty for a run as
   *     shipped (and in files written before it was kept)
   */
  record Run(
      String bench,
      String startedAt,
      String commit,
      int cores,
      double[] loadAverage,
      Double cpuPressure10s,
      List<Figure> figures,
      List<String> settings) {
    Run {
      settings = settings == null ? List.of() : List.copyOf(settings);
    }

    /** Whether it ran the code as it ships, with the bench's defaults. */
    boolean asShipped() {
      return settings.isEmpty();
    }
  }

  /**
   * The environment variables that change what a bench measures: the children's JVM options ({@code
   * TERRAIN_BENCH_JVM_<NAME>}) and the bench's own ({@code TERRAIN_JAVA_OPTS}, which the in-run
   * reference runs under).
   */
  static List<String> environmentSettings(java.util.Map<String, String> environment) {
    return environment.entrySet().stream()
        .filter(
            e ->
                (e.getKey().startsWith("TERRAIN_BENCH_JVM_")
                        || e.getKey().equals("TERRAIN_JAVA_OPTS"))
                    && !e.getValue().isBlank())
        .map(e -> e.getKey() + "=" + e.getValue().strip())
        .sorted()
        .toList();
  }

  static final Path FOLDER = Path.of(".terrain", "bench");
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final String bench;
  private final Instant startedAt;
  private final double[] loadAtStart;
  private final Double pressureAtStart;
  private final List<Figure> figures = new ArrayList<>();
  private final List<String> settings = new ArrayList<>(environmentSettings(System.getenv()));

  /** Starts a run of {@code bench} now: the machine's load is read at the start. */
  Figures(String bench, Clock clock) {
    this.bench = Objects.requireNonNull(bench, "bench");
    this.startedAt = clock.instant();
    this.loadAtStart = loadAverage();
    this.pressureAtStart = cpuPressure();
  }

  /** Adds a figure; a name is {@code bench.what}, e.g. {@code sync.drain_seconds}. */
  Figures add(String figure, double value, String unit) {
    figures.add(new Figure(figure, value, unit));
    return this;
  }

  /**
   * Notes a bench option that changes what it measures (e.g. {@code --jfr}): the report then keeps
   * the run apart from those as shipped.
   */
  Figures setting(String setting) {
    settings.add(setting);
    return this;
  }

  /** Notes {@code option value} when the value is not the one the goals are measured with. */
  Figures settingUnless(String option, long value, long goal) {
    return value == goal ? this : setting(option + " " + value);
  }

  /** Writes the run into {@code root/.terrain/bench} and returns the file. */
  Path write(Path root) throws IOException {
    Path folder = root.resolve(FOLDER);
    Files.createDirectories(folder);
    Path file = folder.resolve(bench + "-" + STAMP.format(startedAt) + ".json");
    Run run =
        new Run(
            bench,
            startedAt.toString(),
            commit(root),
            Runtime.getRuntime().availableProcessors(),
            loadAtStart,
            pressureAtStart,
            List.copyOf(figures),
            settings);
    MAPPER.writeValue(file.toFile(), run);
    System.out.println("figures written to " + file.toAbsolutePath());
    return file;
  }

  /** The 1, 5 and 15-minute load averages, or an empty array off Linux. */
  static double[] loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return new double[] {
        Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])
      };
    } catch (IOException | RuntimeException e) {
      return new double[0];
    }
  }

  /** The share of the last 10 s runnable tasks waited for a core (/proc/pressure/cpu), or null. */
  static Double cpuPressure() {
    try {
      String line = Files.readString(Path.of("/proc/pressure/cpu")).lines().findFirst().orElse("");
      Matcher m = Pattern.compile("avg10=([0-9.]+)").matcher(line);
      return m.find() ? Double.valueOf(m.group(1)) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The code a run measured: the commit ({@code git describe --always}), then, when files other
   * than documentation differ from it, {@code -dirty-} and the first 8 hex digits of the SHA-256 of
   * those changes (the diff of tracked files, the names and contents of untracked ones). Runs of
   * the same uncommitted code are then counted together by {@code bench report}, and an edit to
   * {@code docs/} or a {@code .md} file does not split them. {@code unknown} outside a git work
   * tree.
   */
  static String commit(Path root) {
    try {
      String described = git(root, "describe", "--always");
      if (described == null || described.isEmpty()) {
        return "unknown";
      }
      String changed = git(root, "diff", "--no-ext-diff", "HEAD", "--", ".", NOT_DOCS, NOT_MD);
      String untracked =
          git(
              root,
              "ls-files",
              "--others",
              "--exclude-standard",
              "-z",
              "--",
              ".",
              NOT_DOCS,
              NOT_MD);
      if (changed == null || untracked == null) {
        return "unknown";
      }
      if (changed.isEmpty() && untracked.isEmpty()) {
        return described;
      }
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update(changed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (String name : untracked.split("\0")) {
        if (name.isEmpty()) {
          continue;
        }
        sha.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update((byte) 0);
        Path file = root.resolve(name);
        if (Files.isRegularFile(file)) {
          sha.update(Files.readAllBytes(file));
        }
        sha.update((byte) 0);
      }
      return described
          + "-dirty-"
          + java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 8);
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /** Git pathspecs that leave documentation out of what a run's code is. */
  private static final String NOT_DOCS = ":(exclude)docs";

  private static final String NOT_MD = ":(exclude,glob)**/*.md";

  /** What {@code git -C root args...} printed, trimmed; null when it failed. */
  private static String git(Path root, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("git", "-C", root.toString()));
    command.addAll(List.of(args));
    Process git =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    // Read before waiting: a large diff would fill the pipe.
    byte[] out = git.getInputStream().readAllBytes();
    if (!git.waitFor(30, TimeUnit.SECONDS) || git.exitValue() != 0) {
      git.destroyForcibly();
      return null;
    }
    return new String(out, java.nio.charset.StandardCharsets.UTF_8).trim();
  }
}
