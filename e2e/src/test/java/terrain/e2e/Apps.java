// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import terrain.core.wire.Topics;
import terrain.dist.proc.Child;

/** Starts Terrain commands as real processes for the multi-process tests. */
final class Apps implements AutoCloseable {
  static final Pattern HTTP_LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

  private final Path logs;
  private final List<Child> started = new ArrayList<>();
  private final String namespace = namespace();

  Apps(Path logs) {
    this.logs = logs;
  }

  /**
   * A topic namespace of this test's own ({@link Topics#NAMESPACE_VARIABLE}): every process started
   * through one {@code Apps} gets it, so the tests that share Mosquitto can run side by side
   * without one test's servers acknowledging another's hub (decision 0021).
   */
  static String namespace() {
    return "it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  /** The environment of a process of this test: its topic namespace. */
  Map<String, String> environment() {
    return Map.of(Topics.NAMESPACE_VARIABLE, namespace);
  }

  static Path root() {
    return Path.of(System.getProperty("terrain.root", "..")).toAbsolutePath().normalize();
  }

  static String classpath() {
    try {
      String classes = System.getProperty("terrain.classes", "target/classes");
      String file = System.getProperty("terrain.classpath.file", "target/launcher.classpath");
      return classes + java.io.File.pathSeparator + Files.readString(Path.of(file)).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("Run the e2e tests through Maven (mvn verify)", e);
    }
  }

  Child start(String name, String... args) throws IOException {
    Child child =
        Child.start(
            name,
            classpath(),
            logs.resolve(name + ".log"),
            null,
            List.of("-Xmx512m"),
            environment(),
            args);
    started.add(child);
    return child;
  }

  static Matcher await(Child child, Pattern pattern, Duration timeout) throws InterruptedException {
    return child
        .awaitLine(pattern, timeout)
        .orElseThrow(
            () ->
                new AssertionError(
                    child.name()
                        + " did not print /"
                        + pattern
                        + "/ within "
                        + timeout
                        + "; last lines:\n"
                        + String.join("\n", tail(child.output(), 30))));
  }

  static List<String> tail(List<String> lines, int n) {
    return lines.subList(Math.max(0, lines.size() - n), lines.size());
  }

  @Override
  public void close() throws InterruptedException {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
  }

  /**
   * {@code server} in {@code dir/server} with {@code more}, without the ingest's warm-up at start
   * (decision 0064): for tests that are not about a server's start. MarketDayIT (a server started
   * into a waiting backlog) and ChaosIT (restarts) keep it.
   */
  static String[] serverStartedCold(Path dir, int http, int mqtt, String... more) {
    List<String> args = new ArrayList<>(List.of(more));
    args.addAll(List.of("--warm-up", "0"));
    return terrain.dist.proc.Commands.server(
        dir.resolve("server"), http, mqtt, args.toArray(String[]::new));
  }

  /**
   * An MQTT shared-subscription group of this run's own, for servers on a broker other runs share
   * (Mosquitto in CI): in the default group they would take each other's batches.
   */
  static String ingestGroup() {
    return "it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  /**
   * The example market day under an event id of this run's own, written to {@code dir/event.yaml}
   * with the pictures it names. On a shared broker every server receives every hub's batches (a
   * group only splits them among its members), so another run's day under the example's id would be
   * counted too.
   */
  static Path ownEvent(Path dir, String prefix) throws IOException {
    String eventId =
        prefix + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    Path examples = root().resolve("examples/events");
    Files.createDirectories(dir);
    try (var pictures = Files.list(examples)) {
      for (Path picture : pictures.filter(p -> p.toString().endsWith(".png")).toList()) {
        Files.copy(picture, dir.resolve(picture.getFileName()));
      }
    }
    Path eventFile = dir.resolve("event.yaml");
    Files.writeString(
        eventFile,
        Files.readString(examples.resolve("market-day.yaml"))
            .replaceFirst("(?m)^id: .*$", "id: " + eventId));
    return eventFile;
  }

  /** The Derby databases (folders holding a {@code service.properties}) under {@code folder}. */
  static List<Path> derbyDatabases(Path folder) throws IOException {
    try (var walk = Files.walk(folder)) {
      return walk.filter(p -> Files.exists(p.resolve("service.properties"))).sorted().toList();
    }
  }

  /**
   * {@code terrain bench ARGS...} as a process of its own, logged to {@code dir/bench.log} and
   * echoed, with {@code environment} added to the inherited one (its {@code TERRAIN_HOME} says
   * where the figures go).
   */
  static Child bench(Path dir, Map<String, String> environment, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("bench");
    command.addAll(List.of(args));
    return Child.start(
        "bench",
        classpath(),
        dir.resolve("bench.log"),
        System.out,
        List.of("-Xmx256m"),
        environment,
        command.toArray(String[]::new));
  }

  /** The figures' names of the one run of {@code bench} written under {@code home}. */
  static List<String> figureNames(Path home, String bench) throws IOException {
    List<String> figures = new ArrayList<>();
    onlyRun(home, bench).path("figures").forEach(f -> figures.add(f.path("figure").asText()));
    return figures;
  }

  /** The settings the only run of {@code bench} under {@code home} recorded (decision 0065). */
  static List<String> runSettings(Path home, String bench) throws IOException {
    List<String> settings = new ArrayList<>();
    onlyRun(home, bench).path("settings").forEach(s -> settings.add(s.asText()));
    return settings;
  }

  private static com.fasterxml.jackson.databind.JsonNode onlyRun(Path home, String bench)
      throws IOException {
    List<Path> runs;
    try (var files = Files.list(home.resolve(".terrain/bench"))) {
      runs = files.filter(f -> f.getFileName().toString().startsWith(bench + "-")).toList();
    }
    if (runs.size() != 1) {
      throw new AssertionError("one run of " + bench + " expected, found " + runs);
    }
    com.fasterxml.jackson.databind.JsonNode run =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(runs.get(0).toFile());
    if (!bench.equals(run.path("bench").asText())) {
      throw new AssertionError("the run names its bench " + run.path("bench"));
    }
    return run;
  }
}
