// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventFileException;
import terrain.core.event.EventLoader;
import terrain.dist.proc.Child;
import terrain.dist.proc.Commands;
import terrain.dist.proc.Json;
import terrain.dist.proc.Ports;

/**
 * {@code ./terrain demo}: a market day on one machine, enrolled as ops staff would do it. The sync
 * server starts without {@code --dev}; the event is published and the hub and kiosks enrolled
 * through {@code terrain provision}; then the server goes offline, simulated kiosks record through
 * the field hub, and the server comes back and the backlog drains.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "A market day on this machine. The evening before: the sync server starts, the event is",
      "published, a field hub and the kiosks are enrolled (terrain provision). The day: the server",
      "is offline while simulated kiosks record through the hub; it comes back a few seconds",
      "later and receives everything. Ctrl-C stops."
    })
public final class DemoMain implements java.util.concurrent.Callable<Integer> {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
  private static final Pattern RECORDING = Pattern.compile("recorded \\d+ of");

  /** The staff PIN of the demo's kiosks (a real event sets its own with provision --pin). */
  private static final String DEMO_PIN = "0000";

  @Option(
      names = "--data",
      description = "Folder for the demo's databases and logs (default: ${DEFAULT-VALUE}).")
  Path data = Path.of(".terrain", "demo");

  @Option(names = "--event", description = "Event file (default: examples/events/market-day.yaml).")
  Path event;

  @Option(
      names = "--port-base",
      description = "First of the 4 ports the demo uses (default: ${DEFAULT-VALUE}).")
  int portBase = 18470;

  @Option(names = "--kiosks", description = "Simulated kiosks (default: ${DEFAULT-VALUE}).")
  int kiosks = 4;

  @Option(
      names = "--responses",
      description = "Responses the kiosks hold in total (default: ${DEFAULT-VALUE}).")
  int responses = 400;

  @Option(
      names = "--rate",
      description = "Responses per second, all kiosks together (default: ${DEFAULT-VALUE}).")
  int rate = 20;

  @Option(
      names = "--server-delay",
      description = "Seconds before the sync server comes online (default: ${DEFAULT-VALUE}).")
  int serverDelay = 8;

  @Option(
      names = "--keep",
      description = "Keep the data of the previous demo instead of starting afresh.")
  boolean keep;

  @Option(
      names = "--no-window",
      description = "Do not open a real kiosk window next to the simulated kiosks.")
  boolean noWindow;

  private final PrintStream out = System.out;
  private final List<Child> children = new ArrayList<>();

  public static int run(String... args) {
    return new CommandLine(new DemoMain()).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    Path root = Path.of(System.getenv().getOrDefault("TERRAIN_HOME", "."));
    Path eventFile = event != null ? event : root.resolve("examples/events/market-day.yaml");
    EventDefinition definition;
    try {
      definition = EventLoader.load(eventFile);
    } catch (EventFileException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    int serverHttp = portBase;
    int serverMqtt = portBase + 1;
    int hubMqtt = portBase + 2;
    int hubHttp = portBase + 3;
    for (int port : new int[] {serverHttp, serverMqtt, hubMqtt, hubHttp}) {
      if (!Ports.isFree(port)) {
        System.err.printf(
            "Port %d is already in use (is another ./terrain demo running?). Stop it, or run"
                + " ./terrain demo --port-base %d to use ports %d-%d.%n",
            port, portBase + 100, portBase + 100, portBase + 103);
        return 2;
      }
    }
    String classpath = System.getProperty("java.class.path");
    if (!keep) {
      terrain.dist.proc.Folders.delete(data);
    }
    Files.createDirectories(data);
    Path logs = data.resolve("logs");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(stopped), "demo-shutdown"));

    out.println(
        "Terrain demo: event \"" + definition.title().fr() + "\" (" + definition.id() + ")");
    out.println("Data and logs in " + data.toAbsolutePath());

    // The evening before: the server, the event published, the devices enrolled.
    String adminToken = adminToken();
    String serverUrl = "http://127.0.0.1:" + serverHttp;
    String[] serverArgs =
        Commands.enrolledServer(
            data.resolve("server"),
            serverHttp,
            serverMqtt,
            "--admin-token",
            adminToken,
            // the event file's folder holds its map picture, drawn under the results' pins
            "--event",
            eventFile.toString());
    Child evening = start("server-evening", classpath, logs, serverArgs);
    if (evening.awaitLine(LISTENING, Duration.ofSeconds(60)).isEmpty()) {
      return failed(evening, logs);
    }
    Path hubData = data.resolve("hub");
    Path kioskList = data.resolve("enrolments.json");
    Path windowData = data.resolve("kiosk-window");
    String hubEnrolment = null;
    String windowEnrolment = null;
    if (!Files.isDirectory(hubData.resolve("trust"))) {
      if (provision(
              classpath,
              logs,
              "publish",
              "event",
              "publish",
              eventFile.toString(),
              "--server",
              serverUrl,
              "--token",
              adminToken)
          == null) {
        return 1;
      }
      JsonNode hubs =
          provision(
              classpath,
              logs,
              "enrol-hub",
              "device",
              "enrol",
              "--kind",
              "hub",
              "--event",
              definition.id(),
              "--name",
              "Hub de démonstration",
              "--server",
              serverUrl,
              "--token",
              adminToken,
              "--json",
              "--kit",
              data.resolve("kit-hub.pdf").toString());
      JsonNode kioskEnrolments =
          provision(
              classpath,
              logs,
              "enrol-kiosks",
              "device",
              "enrol",
              "--kind",
              "kiosk",
              "--event",
              definition.id(),
              "--count",
              Integer.toString(kiosks + 1),
              "--name",
              "Borne",
              "--hub",
              "tcp://127.0.0.1:" + hubMqtt,
              "--pin",
              DEMO_PIN,
              "--server",
              serverUrl,
              "--token",
              adminToken,
              "--json",
              "--kit",
              data.resolve("kit-kiosks.pdf").toString());
      if (hubs == null || kioskEnrolments == null) {
        return 1;
      }
      hubEnrolment = hubs.get(0).path("enrolment").asText();
      com.fasterxml.jackson.databind.node.ArrayNode simulated =
          com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createArrayNode();
      for (int i = 0; i < kiosks; i++) {
        simulated.add(kioskEnrolments.get(i));
      }
      Files.writeString(kioskList, simulated.toString());
      windowEnrolment = kioskEnrolments.get(kiosks).path("enrolment").asText();
      out.printf(
          "Enrolled 1 hub and %d kiosks (kits: %s, %s).%n",
          kiosks + 1, data.resolve("kit-hub.pdf"), data.resolve("kit-kiosks.pdf"));
    }
    List<String> hubArgs =
        new ArrayList<>(
            List.of(
                "hub",
                "--data",
                hubData.toString(),
                "--mqtt",
                "" + hubMqtt,
                "--http",
                "" + hubHttp));
    if (hubEnrolment != null) {
      hubArgs.addAll(List.of("--enrol", hubEnrolment));
    }
    Child hub = start("hub", classpath, logs, hubArgs.toArray(String[]::new));
    if (hub.awaitLine(LISTENING, Duration.ofSeconds(60)).isEmpty()) {
      return failed(hub, logs);
    }
    // The kiosks enrol now, while the server answers; then it goes offline for the day.
    Child simulate =
        start(
            "kiosks",
            classpath,
            logs,
            with(
                Commands.simulate(
                    hubMqtt,
                    eventFile,
                    kiosks,
                    responses,
                    data.resolve("kiosks"),
                    "--rate",
                    Integer.toString(rate)),
                "--enrolments",
                kioskList.toString()));
    boolean window = !noWindow && terrain.kiosk.ui.KioskMain.displayAvailable(System.getenv());
    if (window) {
      List<String> windowArgs =
          new ArrayList<>(List.of("kiosk", "--data", windowData.toString(), "--windowed"));
      if (windowEnrolment != null) {
        windowArgs.addAll(List.of("--enrol", windowEnrolment));
      }
      start("kiosk-window", classpath, logs, windowArgs.toArray(String[]::new));
    }
    if (simulate.awaitLine(RECORDING, Duration.ofSeconds(90)).isEmpty()) {
      return failed(simulate, logs);
    }
    if (window && windowEnrolment != null) {
      awaitFile(windowData.resolve("trust").resolve("bundle"), Duration.ofSeconds(60));
    }
    evening.stop(Duration.ofSeconds(15));
    out.println("Field hub up: status at http://127.0.0.1:" + hubHttp + "/");
    out.printf(
        "%d simulated kiosks record %d responses; the sync server is offline for now.%n",
        kiosks, responses);
    if (noWindow) {
      out.println("No kiosk window (--no-window).");
    } else if (!window) {
      out.println(
          "No display (DISPLAY is not set): no kiosk window; the simulated kiosks carry on.");
    } else {
      out.println(
          "A real kiosk window opens, sending to the same hub (staff panel: hold the top-left"
              + " corner 3 s, PIN "
              + DEMO_PIN
              + "; tickets in "
              + windowData.resolve("tickets")
              + ").");
    }
    Json json = new Json();
    String hubStatus = "http://127.0.0.1:" + hubHttp + "/api/status";
    String summary =
        "http://127.0.0.1:" + serverHttp + "/api/events/" + definition.id() + "/summary";
    long serverAt = System.nanoTime() + Duration.ofSeconds(serverDelay).toNanos();
    Child server = null;
    boolean announcedDone = false;
    String previous = "";
    while (stopped.getCount() > 0) {
      if (server == null && System.nanoTime() > serverAt) {
        server = start("server", classpath, logs, serverArgs);
        if (server.awaitLine(LISTENING, Duration.ofSeconds(60)).isEmpty()) {
          return failed(server, logs);
        }
        out.println("Sync server online: the hub sends its backlog.");
        out.println("  Admin token (moderation, provision): " + adminToken);
        out.println("  Results: http://127.0.0.1:" + serverHttp + "/events/" + definition.id());
        out.println("  JSON:    " + summary);
      }
      long atServer = json.get(summary).map(n -> n.path("responses").asLong()).orElse(0L);
      JsonNode status = json.get(hubStatus).orElse(null);
      String line =
          String.format(
              "kiosks: %s | hub: %s pending, uplink %s | server: %d responses",
              simulate.isAlive() ? lastProgress(simulate) : "done (" + simulate.lastLine() + ")",
              status == null ? "?" : status.path("pending").asText(),
              status == null ? "?" : status.path("uplink").asText(),
              atServer);
      if (!line.equals(previous)) {
        out.println(line);
        previous = line;
      }
      if (!announcedDone && atServer >= responses) {
        announcedDone = true;
        out.println(
            "All "
                + responses
                + " responses reached the server. Open the results page above; Ctrl-C stops the"
                + " demo.");
        showAfterTheEvent(json, "http://127.0.0.1:" + serverHttp, definition, adminToken);
      }
      if (stopped.await(3, java.util.concurrent.TimeUnit.SECONDS)) {
        break;
      }
    }
    return 0;
  }

  /**
   * What the town does after the event: a first follow-up ("vous avez dit, nous avons fait") on the
   * event's first question, written as staff would with the admin token, and where to read the
   * detailed results, who is missing, the printable report, the open data and the follow-up.
   */
  private void showAfterTheEvent(
      Json json, String server, EventDefinition definition, String adminToken) {
    String event = "/events/" + definition.id();
    Optional<String> question =
        definition.polls().stream()
            .flatMap(p -> p.questions().stream())
            .map(q -> q.id())
            .findFirst();
    if (question.isPresent()) {
      int status =
          json.put(
              server + "/api/admin" + event + "/follow-up/question/" + question.get(),
              "{\"status\":\"under_study\",\"text\":\"Le conseil de quartier étudie vos"
                  + " réponses ; réunion publique en janvier.\",\"milestones\":[{\"date\":"
                  + "\"2027-01-15\",\"text\":\"Réunion publique\"}],\"by\":\"demo\"}",
              adminToken);
      if (status != 200) {
        out.println("  (the demo's follow-up was not written: HTTP " + status + ")");
      }
    }
    out.println("  Detailed results: " + server + event + "/results");
    out.println("  Printable report: " + server + event + "/report.pdf");
    out.println("  Who is missing:   " + server + "/api" + event + "/representativeness");
    out.println("  Open data:        " + server + "/api" + event + "/export.csv");
    out.println("  Follow-up:        " + server + event + "/follow-up");
  }

  private static String lastProgress(Child simulate) {
    List<String> lines = simulate.output();
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).contains("recorded") || lines.get(i).contains("acked")) {
        return lines.get(i).trim();
      }
    }
    return "starting";
  }

  /**
   * Waits until the kiosk window has enrolled (its bundle is written last), at most {@code max}.
   */
  private static void awaitFile(Path file, Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (!Files.exists(file) && System.nanoTime() < end) {
      Thread.sleep(200);
    }
  }

  /** The admin token of the demo's server, kept in the data folder across --keep runs. */
  private String adminToken() throws IOException {
    Path file = data.resolve("admin-token");
    if (Files.isRegularFile(file)) {
      return Files.readString(file).strip();
    }
    byte[] bytes = new byte[24];
    new java.security.SecureRandom().nextBytes(bytes);
    String token = java.util.HexFormat.of().formatHex(bytes);
    Files.writeString(file, token);
    return token;
  }

  /**
   * Runs {@code terrain provision ARGS} and waits: the JSON list it prints with {@code --json}, an
   * empty list without, or null (after saying why) when it failed.
   */
  private JsonNode provision(String classpath, Path logs, String name, String... args)
      throws IOException, InterruptedException {
    Child child =
        start("provision-" + name, classpath, logs, with(new String[] {"provision"}, args));
    int exit = child.waitFor(Duration.ofSeconds(120));
    if (exit != 0) {
      failed(child, logs);
      return null;
    }
    for (String line : child.output()) {
      if (line.startsWith("[")) {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
      }
    }
    return new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
  }

  private static String[] with(String[] first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private Child start(String name, String classpath, Path logs, String... args) throws IOException {
    Child child = Child.start(name, classpath, logs.resolve(name + ".log"), null, List.of(), args);
    synchronized (children) {
      children.add(child);
    }
    return child;
  }

  private int failed(Child child, Path logs) throws InterruptedException {
    System.err.println(
        "The "
            + child.name()
            + " did not start. Its last lines (full log in "
            + logs.resolve(child.name() + ".log")
            + "):");
    List<String> lines = child.output();
    lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(System.err::println);
    return 1;
  }

  private void stopAll(CountDownLatch stopped) {
    stopped.countDown();
    List<Child> reversed;
    synchronized (children) {
      reversed = new ArrayList<>(children);
    }
    java.util.Collections.reverse(reversed);
    for (Child child : reversed) {
      try {
        if (child.isAlive()) {
          out.println("Stopping " + child.name() + "...");
          child.stop(Duration.ofSeconds(15));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
