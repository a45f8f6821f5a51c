// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
 * Kiosks → hub → server with real processes: how fast a market day's backlog drains once the uplink
 * appears, how many bytes a record costs on the uplink, and end-to-end records per second.
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = "Backlog drain, uplink bytes per record and end-to-end throughput.")
final class SyncBench implements Callable<Integer> {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

  @Option(names = "--responses", description = "Backlog size (default: ${DEFAULT-VALUE}).")
  int responses = 100_000;

  @Option(names = "--kiosks", description = "Simulated kiosks (default: ${DEFAULT-VALUE}).")
  int kiosks = 4;

  @Option(
      names = "--live",
      description =
          "Responses for the end-to-end phase (default: 20% of --responses, at most 20000).")
  Integer live;

  @Option(
      names = "--data",
      description = "Scratch folder, emptied first (default: ${DEFAULT-VALUE}).")
  Path data = Path.of(".terrain", "bench-sync");

  @Option(
      names = "--jfr",
      description =
          "Record the server, the hub and the kiosks with Java Flight Recorder into"
              + " DATA/jfr/NAME.jfr (read with jfr print --events jdk.ExecutionSample).")
  boolean jfr;

  private final Json json = new Json();

  /** The JVM options of a child: a flight recording of the whole run when --jfr is given. */
  private List<String> jvm(String name) throws java.io.IOException {
    if (!jfr) {
      return List.of();
    }
    Path dir = data.resolve("jfr").toAbsolutePath();
    Files.createDirectories(dir);
    return List.of(
        "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
            + dir.resolve(name + ".jfr"));
  }

  @Override
  public Integer call() throws Exception {
    Path root = Path.of(System.getenv().getOrDefault("TERRAIN_HOME", "."));
    Figures figures = new Figures("sync", Clock.systemUTC());
    System.out.println("at the start: " + BenchMain.machineLoad());
    Path eventFile = root.resolve("examples/events/market-day.yaml");
    String eventId = EventLoader.load(eventFile).id();
    int liveCount = live != null ? live : Math.max(1, Math.min(20_000, responses / 5));
    Folders.delete(data);
    Files.createDirectories(data);
    String classpath = System.getProperty("java.class.path");
    int serverHttp = Ports.free();
    int serverMqtt = Ports.free();
    int hubMqtt = Ports.free();
    int hubHttp = Ports.free();
    String hubStatus = "http://127.0.0.1:" + hubHttp + "/api/status";
    String serverStatus = "http://127.0.0.1:" + serverHttp + "/api/status";
    String summary = "http://127.0.0.1:" + serverHttp + "/api/events/" + eventId + "/summary";
    Path logs = data.resolve("logs");
    System.out.printf(
        "bench sync: %d responses from %d kiosks, event %s, logs in %s%n",
        responses, kiosks, eventId, logs.toAbsolutePath());

    try (Child hub =
        Child.start(
            "hub",
            classpath,
            logs.resolve("hub.log"),
            null,
            jvm("hub"),
            Commands.hub(
                data.resolve("hub"),
                hubMqtt,
                hubHttp,
                "tcp://127.0.0.1:" + serverMqtt,
                "hub-bench"))) {
      hub.awaitLine(LISTENING, Duration.ofSeconds(180)).orElseThrow(() -> failed(hub));

      // Phase 1: the market day with the server offline; the hub accumulates the backlog.
      long t0 = System.nanoTime();
      try (Child kiosksRun =
          Child.start(
              "kiosks",
              classpath,
              logs.resolve("kiosks.log"),
              null,
              jvm("kiosks"),
              Commands.simulate(hubMqtt, eventFile, kiosks, responses, data.resolve("kiosks")))) {
        if (kiosksRun.waitFor(Duration.ofHours(1)) != 0) {
          throw failed(kiosksRun);
        }
      }
      double phase1 = seconds(System.nanoTime() - t0);
      JsonNode before =
          json.await(
              hubStatus, s -> s.path("pending").asLong() >= responses, Duration.ofSeconds(60));
      System.out.printf(
          "kiosks -> hub: %d responses committed on %d kiosks and acked by the hub in %.1f s"
              + " (%.0f responses/s, each a durable Derby commit on the kiosk and on the hub;"
              + " includes JVM start)%n",
          responses, kiosks, phase1, responses / phase1);

      // The machine's own speed, before the server starts, on the very rows of the backlog.
      List<Path> kioskStores = new java.util.ArrayList<>();
      for (int i = 1; i <= kiosks; i++) {
        kioskStores.add(data.resolve("kiosks").resolve("kiosk-" + i).resolve("db"));
      }
      List<terrain.core.record.Record> rows = Reference.records(kioskStores);
      double fsyncs = Reference.fsyncsPerSecond(data.resolve("reference"), 200);
      double bareInsert =
          Reference.batchedInsertSeconds(data.resolve("reference").resolve("db"), rows);
      System.out.printf(
          "reference: %.0f fsyncs/s; bare batched JDBC inserts of the same %d rows into Derby"
              + " (batches of %d, one commit each): %.2f s (%.0f rows/s)%n",
          fsyncs, rows.size(), Reference.BATCH, bareInsert, rows.size() / bareInsert);
      figures.add("sync.reference_fsyncs", fsyncs, "1/s");
      figures.add("sync.reference_insert_seconds", bareInsert, "s");

      // Phase 2: the uplink appears.
      try (Child server =
          Child.start(
              "server",
              classpath,
              logs.resolve("server.log"),
              null,
              jvm("server"),
              Commands.server(data.resolve("server"), serverHttp, serverMqtt))) {
        server.awaitLine(LISTENING, Duration.ofSeconds(180)).orElseThrow(() -> failed(server));
        long listening = System.nanoTime();
        json.await(hubStatus, s -> "up".equals(s.path("uplink").asText()), Duration.ofSeconds(60));
        long up = System.nanoTime();
        // The drain ends when the server committed the whole backlog. Its status is a counter in
        // memory: polling the results summary instead (it reads every pin) took most of the
        // server's CPU and slowed the drain it measured (profile, docs/architecture.md).
        long backlog = before.path("pending").asLong();
        json.await(
            serverStatus, s -> s.path("received").asLong() >= backlog, Duration.ofSeconds(600));
        long drained = System.nanoTime();
        JsonNode after =
            json.await(hubStatus, s -> s.path("pending").asLong() == 0, Duration.ofSeconds(60));
        long uplinkBytes = after.path("uplinkBytes").asLong(-1);
        long uplinkRecords = after.path("uplinkRecords").asLong(-1);
        System.out.printf(
            "backlog drain: %d records in %.2f s once the uplink is up (%.0f records/s);"
                + " %.2f s from server start (includes the hub's reconnect backoff)%n",
            backlog,
            seconds(drained - up),
            backlog / seconds(drained - up),
            seconds(drained - listening));
        double drain = seconds(drained - up);
        System.out.printf(
            "drain / bare inserts of the same rows = %.2f (goal <= %.1f; and <= %.0f s)%n",
            drain / bareInsert, Goals.SYNC_RATIO, Goals.SYNC_DRAIN_SECONDS);
        figures.add("sync.drain_seconds", drain, "s");
        figures.add("sync.drain_ratio", drain / bareInsert, "x");
        figures.add("sync.drain_records_per_second", backlog / drain, "1/s");
        if (uplinkRecords > 0) {
          figures.add("sync.uplink_bytes_per_record", (double) uplinkBytes / uplinkRecords, "B");
          System.out.printf(
              "uplink: %d bytes for %d records sent = %.1f bytes per record (MQTT payload,"
                  + " batches of up to 5000, deflate)%n",
              uplinkBytes, uplinkRecords, (double) uplinkBytes / uplinkRecords);
        }
        System.out.println("hub before drain: " + before);
        // Every response counted: one summary, polled again only if a busy server answers late.
        json.await(
            summary, s -> s.path("responses").asLong() == responses, Duration.ofSeconds(120));

        // Phase 3: live, everything up: kiosk commit -> server commit.
        long t3 = System.nanoTime();
        try (Child liveRun =
            Child.start(
                "kiosks-live",
                classpath,
                logs.resolve("kiosks-live.log"),
                null,
                jvm("kiosks-live"),
                Commands.simulate(
                    hubMqtt,
                    eventFile,
                    kiosks,
                    liveCount,
                    data.resolve("kiosks-live"),
                    "--seed",
                    "7"))) {
          // The kiosks exit once the hub acknowledged everything; the hub's outbox is then empty
          // once the server committed it (both cheap to poll, unlike the summary).
          if (liveRun.waitFor(Duration.ofSeconds(600)) != 0) {
            throw failed(liveRun);
          }
          json.await(hubStatus, s -> s.path("pending").asLong() == 0, Duration.ofSeconds(600));
          double liveSeconds = seconds(System.nanoTime() - t3);
          System.out.printf(
              "end to end (kiosk commit -> hub commit -> server commit), all online: %d records"
                  + " in %.1f s = %.0f records/s (includes the simulate JVM start)%n",
              liveCount, liveSeconds, liveCount / liveSeconds);
          figures.add("sync.end_to_end_records_per_second", liveCount / liveSeconds, "1/s");
        }
      }
    }
    System.out.println("at the end: " + BenchMain.machineLoad());
    figures.write(root);
    return 0;
  }

  private static IllegalStateException failed(Child child) {
    List<String> lines = child.output();
    return new IllegalStateException(
        child.name()
            + " failed; last lines:\n"
            + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
