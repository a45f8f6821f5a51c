// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import terrain.core.event.EventLoader;
import terrain.dist.proc.Child;
import terrain.dist.proc.Commands;
import terrain.dist.proc.Folders;
import terrain.dist.proc.Json;
import terrain.dist.proc.Ports;

/**
 * A hub receiving a market day, as on a Raspberry Pi at a stall: {@code simulate} kiosks send their
 * responses, the server is away (everything stays pending on the hub), and a TV polls the live
 * results every 2 s as the page does. Prints the hub process's peak resident memory (VmHWM from
 * /proc/PID/status, the figure the kernel's OOM killer cares about) and the records per second it
 * committed.
 */
@Command(
    name = "hub",
    mixinStandardHelpOptions = true,
    description =
        "Peak RSS and records/s of a hub receiving a market day, live results polled meanwhile.")
final class HubBench implements Callable<Integer> {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

  /** The target of issue 9 for a hub on a Raspberry Pi. */
  private static final long TARGET_MB = 350;

  @Option(names = "--responses", description = "Responses in all (default: ${DEFAULT-VALUE}).")
  int responses = 20_000;

  @Option(names = "--kiosks", description = "Simulated kiosks (default: ${DEFAULT-VALUE}).")
  int kiosks = 20;

  @Option(
      names = "--hub-jvm",
      split = " ",
      description =
          "JVM options of the hub, separated by spaces (default: ${DEFAULT-VALUE}, those of"
              + " conf/hub.env, with which terrain-hub.service runs it).")
  List<String> hubJvm = new ArrayList<>(BenchMain.HUB_JVM);

  @Option(
      names = "--data",
      description = "Scratch folder, emptied first (default: ${DEFAULT-VALUE}).")
  Path data = Path.of(".terrain", "bench-hub");

  private final Json json = new Json();

  @Override
  public Integer call() throws Exception {
    Path root = Path.of(System.getenv().getOrDefault("TERRAIN_HOME", "."));
    Path eventFile = root.resolve("examples/events/market-day.yaml");
    String eventId = EventLoader.load(eventFile).id();
    Folders.emptyForThisRun(data);
    Files.createDirectories(data);
    String classpath = System.getProperty("java.class.path");
    int hubMqtt = Ports.free();
    int hubHttp = Ports.free();
    String base = "http://127.0.0.1:" + hubHttp;
    Path logs = data.resolve("logs");
    System.out.printf(
        "bench hub: %d responses from %d kiosks, event %s, hub JVM %s, logs in %s%n%s%n",
        responses, kiosks, eventId, hubJvm, logs.toAbsolutePath(), BenchMain.machineLoad());
    try (Child hub =
        Child.start(
            "hub",
            classpath,
            logs.resolve("hub.log"),
            null,
            hubJvm,
            Commands.hub(
                data.resolve("hub"),
                hubMqtt,
                hubHttp,
                // No server: the day stays on the hub, as when the uplink is down.
                "tcp://127.0.0.1:" + Ports.free(),
                "hub-bench",
                "--event",
                eventFile.toString()))) {
      hub.awaitLine(LISTENING, Duration.ofSeconds(120)).orElseThrow(() -> failed(hub));
      long idleKb = memoryKb(hub.pid(), "VmRSS");
      long t0 = System.nanoTime();
      long first = 0;
      long last = 0;
      long polls = 0;
      long slowestPollNanos = 0;
      try (Child kiosksRun =
          Child.start(
              "kiosks",
              classpath,
              logs.resolve("kiosks.log"),
              null,
              List.of(),
              Commands.simulate(hubMqtt, eventFile, kiosks, responses, data.resolve("kiosks")))) {
        long received = 0;
        while (received < responses) {
          if (!hub.isAlive()) {
            throw failed(hub);
          }
          if (!kiosksRun.isAlive() && kiosksRun.waitFor(Duration.ZERO) != 0) {
            throw failed(kiosksRun);
          }
          if (System.nanoTime() - t0 > Duration.ofMinutes(30).toNanos()) {
            throw new IllegalStateException(
                "the hub received " + received + " of " + responses + " in 30 min");
          }
          received =
              json.get(base + "/api/status").map(s -> s.path("received").asLong()).orElse(0L);
          long now = System.nanoTime();
          if (received > 0 && first == 0) {
            first = now;
          }
          last = now;
          // The TV at the stall: the live results, every 2 s.
          long p0 = System.nanoTime();
          json.get(base + "/api/results?event=" + eventId);
          slowestPollNanos = Math.max(slowestPollNanos, System.nanoTime() - p0);
          polls++;
          Thread.sleep(2000);
        }
        kiosksRun.waitFor(Duration.ofMinutes(5));
      }
      long p0 = System.nanoTime();
      JsonNode results =
          json.await(
              base + "/api/results?event=" + eventId,
              r -> r.path("responses").asLong() >= responses,
              Duration.ofSeconds(60));
      double finalPoll = (System.nanoTime() - p0) / 1e6;
      long peakKb = memoryKb(hub.pid(), "VmHWM");
      long rssKb = memoryKb(hub.pid(), "VmRSS");
      double seconds = Math.max(1e-3, (last - first) / 1e9);
      System.out.printf(
          "hub received %d records in %.1f s from its first one = %.0f records/s (each batch a"
              + " durable Derby commit before the ack; kiosks' own commits and 2 s polling"
              + " granularity included)%n",
          responses, seconds, responses / seconds);
      System.out.printf(
          "live results: %d responses counted; %d polls during the day, slowest %.0f ms; last"
              + " poll %.0f ms%n",
          results.path("responses").asLong(), polls, slowestPollNanos / 1e6, finalPoll);
      System.out.printf(
          "hub RSS: idle after start %d MB, peak (VmHWM) %d MB, now %d MB; target <= %d MB: %s%n",
          idleKb / 1024,
          peakKb / 1024,
          rssKb / 1024,
          TARGET_MB,
          peakKb / 1024 <= TARGET_MB ? "met" : "NOT met");
    }
    return 0;
  }

  /** A field of /proc/PID/status in kB (VmRSS, VmHWM); -1 where there is no /proc. */
  static long memoryKb(long pid, String field) {
    try {
      Optional<String> line =
          Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
              .filter(l -> l.startsWith(field + ":"))
              .findFirst();
      return line.map(l -> Long.parseLong(Arrays.stream(l.split("\\s+")).toList().get(1)))
          .orElse(-1L);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static IllegalStateException failed(Child child) {
    List<String> lines = child.output();
    return new IllegalStateException(
        child.name()
            + " failed; last lines:\n"
            + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
  }
}
