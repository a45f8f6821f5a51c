// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import terrain.core.event.EventLoader;
import terrain.dist.proc.Child;
import terrain.dist.proc.Commands;
import terrain.dist.proc.Folders;
import terrain.dist.proc.Json;
import terrain.dist.proc.Ports;
import terrain.dist.proc.TcpProxy;

/**
 * Kiosks → hub → server with real processes: how fast a market day's backlog drains once the uplink
 * appears, how many bytes a record costs on the uplink, and end-to-end records per second.
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = "Backlog drain, uplink bytes per record and end-to-end throughput.")
final class SyncBench implements Callable<Integer> {
  private static final Pattern LISTENING = ServerFleet.LISTENING;

  /** The backlog and the kiosks the goals are set on; a run with others is marked as such. */
  static final int GOAL_RESPONSES = 100_000;

  static final int GOAL_KIOSKS = 4;

  @Option(names = "--responses", description = "Backlog size (default: ${DEFAULT-VALUE}).")
  int responses = GOAL_RESPONSES;

  @Option(names = "--kiosks", description = "Simulated kiosks (default: ${DEFAULT-VALUE}).")
  int kiosks = GOAL_KIOSKS;

  @Option(
      names = "--live",
      description =
          "Responses for the end-to-end phase (default: 20%% of --responses, at most 20000).")
  Integer live;

  @Option(
      names = "--data",
      description = "Scratch folder, emptied first (default: ${DEFAULT-VALUE}).")
  Path data = Path.of(".terrain", "bench-sync");

  @Option(
      names = "--servers",
      paramLabel = "N",
      description =
          "Server instances sharing the ingest (default: ${DEFAULT-VALUE}). Above 1 they share"
              + " one PostgreSQL (--db) and one MQTT broker (--broker) in an ingest group of"
              + " their own, and the drain ends when the hub's outbox is empty.")
  int servers = 1;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      description =
          "PostgreSQL of the servers, jdbc:postgresql://HOST:5432/DB?user=USER; the bench works"
              + " in a schema of its own, dropped at the end. Default: with --servers above 1, "
              + ServerFleet.LOCAL_DB
              + "; else Derby in the data folder.")
  String db;

  @Option(
      names = "--broker",
      paramLabel = "tcp://HOST:PORT",
      description =
          "External MQTT broker the servers share (e.g. Mosquitto). Default: with --servers"
              + " above 1, "
              + ServerFleet.LOCAL_BROKER
              + "; else the server's embedded broker.")
  String broker;

  @Option(
      names = "--server-warm-up",
      paramLabel = "RECORDS",
      description =
          "The server's --warm-up: made-up records it ingests at start before it lets the hub in"
              + " (decision 0064); 0 starts it cold. Default: the server's own.")
  Integer serverWarmUp;

  @Option(
      names = "--no-afternoon",
      description =
          "Skip the afternoon: a second backlog of the same size drained into the server that has"
              + " been running since the morning (its JIT warm, the morning's records stored).")
  boolean noAfternoon;

  @Option(
      names = "--afternoons",
      description =
          "How many afternoon backlogs to drain one after the other into the same server"
              + " (default: ${DEFAULT-VALUE}). The later ones tell a server that has compiled its"
              + " code, as one running for weeks has, from one that has seen a single morning.")
  int afternoons = 1;

  @Option(
      names = "--jfr",
      description =
          "Record the server, the hub and the kiosks with Java Flight Recorder into"
              + " DATA/jfr/NAME.jfr (read with jfr print --events jdk.ExecutionSample).")
  boolean jfr;

  private final Json json = new Json();

  /**
   * The JVM options of a child: those the server and the hub ship with, then {@code
   * TERRAIN_BENCH_JVM_<NAME>}'s ({@link BenchMain#childJvmOptions}), then a flight recording of the
   * whole run when --jfr is given.
   */
  private List<String> jvm(String name) throws java.io.IOException {
    List<String> out = new java.util.ArrayList<>(BenchMain.childJvmOptions(name));
    if (!jfr) {
      return out;
    }
    Path dir = data.resolve("jfr").toAbsolutePath();
    Files.createDirectories(dir);
    out.add(
        "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
            + dir.resolve(name + ".jfr"));
    return out;
  }

  @Override
  public Integer call() throws Exception {
    ServerFleet.Setup setup;
    try {
      setup = ServerFleet.Setup.of(servers, db, broker);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    boolean shared = setup.shared();
    String brokerUrl = setup.broker();
    URI brokerUri = setup.brokerUri();
    Path root = Path.of(System.getenv().getOrDefault("TERRAIN_HOME", "."));
    // The default run keeps its figure names; a shared run's are apart (another setup).
    String prefix = shared ? "sync_servers" + servers : "sync";
    Figures figures = new Figures(shared ? "sync-servers" + servers : "sync", Clock.systemUTC());
    // What makes this run other than the goals' (bench report keeps it apart from those).
    figures.settingUnless("--responses", responses, GOAL_RESPONSES);
    figures.settingUnless("--kiosks", kiosks, GOAL_KIOSKS);
    if (serverWarmUp != null) {
      figures.setting("--server-warm-up " + serverWarmUp);
    }
    if (jfr) {
      figures.setting("--jfr");
    }
    System.out.println("at the start: " + BenchMain.machineLoad());
    Folders.emptyForThisRun(data);
    Files.createDirectories(data);
    Path eventFile = root.resolve("examples/events/market-day.yaml");
    String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    if (brokerUrl != null) {
      // On a shared broker every group receives every hub's batches: an event of this run's own
      // keeps other runs' responses out of its count.
      eventFile = ownEvent(root, data.resolve("event"), "bench-" + run);
    }
    String eventId = EventLoader.load(eventFile).id();
    int liveCount = live != null ? live : Math.max(1, Math.min(20_000, responses / 5));
    String classpath = System.getProperty("java.class.path");
    Path logs = data.resolve("logs");
    int hubMqtt = Ports.free();
    int hubHttp = Ports.free();
    String hubStatus = "http://127.0.0.1:" + hubHttp + "/api/status";
    ServerFleet fleet = new ServerFleet(setup, run, "bench_sync", classpath, data, logs);
    String serverStatus = "http://127.0.0.1:" + fleet.httpPort(0) + "/api/status";
    String summary =
        "http://127.0.0.1:" + fleet.httpPort(0) + "/api/events/" + eventId + "/summary";
    System.out.printf(
        "bench sync: %d responses from %d kiosks, event %s, %s, logs in %s%n",
        responses, kiosks, eventId, fleet.describe(), logs.toAbsolutePath());

    // The hub reaches the broker (the server's embedded one, or an external one) through a relay
    // kept cut until the servers are up: the market day happens with the uplink down. The relay
    // is cut again for the afternoon.
    // The fleet closes last: the hub stops, then the servers, then the schema is dropped.
    try (fleet;
        TcpProxy relay =
            brokerUri == null
                ? new TcpProxy(null, fleet.mqttPort())
                : new TcpProxy(brokerUri.getHost(), brokerUri.getPort());
        Child hub =
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
                    "tcp://127.0.0.1:" + cut(relay).port(),
                    brokerUrl == null ? "hub-bench" : "hub-bench-" + run))) {
      hub.awaitLine(LISTENING, Duration.ofSeconds(180)).orElseThrow(() -> failed(hub));

      // Phase 1: the market day with the server offline; the hub accumulates the backlog.
      long t0 = System.nanoTime();
      simulate("kiosks", classpath, logs, hubMqtt, eventFile, responses);
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
      figures.add(prefix + ".reference_fsyncs", fsyncs, "1/s");
      figures.add(prefix + ".reference_insert_seconds", bareInsert, "s");

      // Phase 2: the uplink appears.
      long starting = System.nanoTime();
      List<Child> serverProcesses =
          fleet.start(
              this::jvm,
              first -> {},
              serverWarmUp == null ? new String[0] : new String[] {"--warm-up", "" + serverWarmUp});
      ProcessCpu cpu = new ProcessCpu(hub, serverProcesses);
      long listening = System.nanoTime();
      // A server's start holds its ingest's warm-up (decision 0064): shown, so that a drain made
      // shorter by a longer start is seen as such.
      System.out.printf(
          "server start: %.2f s from its launch to listening (JVM, migrations, %s)%n",
          seconds(listening - starting),
          serverWarmUp != null && serverWarmUp == 0 ? "no warm-up" : "the ingest's warm-up");
      figures.add(prefix + ".server_start_seconds", seconds(listening - starting), "s");
      relay.restore();
      json.await(hubStatus, s -> "up".equals(s.path("uplink").asText()), Duration.ofSeconds(60));
      long up = System.nanoTime();
      ProcessCpu.Reading cpuAtUp = cpu.read();
      long backlog = before.path("pending").asLong();
      JsonNode after;
      awaitDrained(serverStatus, hubStatus, backlog);
      long drained = System.nanoTime();
      ProcessCpu.Reading cpuDrained = cpu.read();
      after = json.await(hubStatus, s -> s.path("pending").asLong() == 0, Duration.ofSeconds(60));
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
      if (servers > 1) {
        StringBuilder share = new StringBuilder("records each server committed:");
        for (int i = 0; i < servers; i++) {
          JsonNode status =
              json.get("http://127.0.0.1:" + fleet.httpPort(i) + "/api/status").orElseThrow();
          share.append(String.format(" server-%d %,d;", i + 1, status.path("received").asLong()));
        }
        System.out.println(share + " (a server also counts other runs' batches on the broker)");
      }
      if (servers == 1) {
        commits(serverStatus, new long[3], drain, figures, prefix + ".drain");
      }
      cpu.print(cpuAtUp, cpuDrained, drain, figures, prefix + ".drain");
      figures.add(prefix + ".drain_seconds", drain, "s");
      figures.add(prefix + ".drain_ratio", drain / bareInsert, "x");
      figures.add(prefix + ".drain_records_per_second", backlog / drain, "1/s");
      if (uplinkRecords > 0) {
        figures.add(prefix + ".uplink_bytes_per_record", (double) uplinkBytes / uplinkRecords, "B");
        System.out.printf(
            "uplink: %d bytes for %d records sent = %.1f bytes per record (MQTT payload,"
                + " batches of up to 5000, deflate)%n",
            uplinkBytes, uplinkRecords, (double) uplinkBytes / uplinkRecords);
      }
      System.out.println("hub before drain: " + before);
      // Every response counted once: one summary, polled again only if a busy server answers
      // late (with several servers it reads the shared database).
      json.await(summary, s -> s.path("responses").asLong() == responses, Duration.ofSeconds(120));

      // Phase 3: live, everything up: kiosk commit -> server commit.
      long t3 = System.nanoTime();
      // The kiosks exit once the hub acknowledged everything; the hub's outbox is then empty
      // once the server committed it (both cheap to poll, unlike the summary).
      simulate("kiosks-live", classpath, logs, hubMqtt, eventFile, liveCount, "--seed", "7");
      json.await(hubStatus, s -> s.path("pending").asLong() == 0, Duration.ofSeconds(600));
      double liveSeconds = seconds(System.nanoTime() - t3);
      System.out.printf(
          "end to end (kiosk commit -> hub commit -> server commit), all online: %d records"
              + " in %.1f s = %.0f records/s (includes the simulate JVM start)%n",
          liveCount, liveSeconds, liveCount / liveSeconds);
      figures.add(prefix + ".end_to_end_records_per_second", liveCount / liveSeconds, "1/s");
      if (servers > 1) {
        json.await(
            summary,
            s -> s.path("responses").asLong() == responses + liveCount,
            Duration.ofSeconds(120));
        System.out.printf(
            "counted once: %,d responses in the shared database%n", responses + liveCount);
      }
      Afternoon afternoonRun =
          new Afternoon(
              relay, hubStatus, serverStatus, eventFile, hubMqtt, classpath, logs, bareInsert, cpu);
      for (int afternoon = 1; !noAfternoon && afternoon <= afternoons; afternoon++) {
        afternoon(afternoon, afternoonRun, figures, prefix);
        long counted = (1L + afternoon) * responses + liveCount;
        json.await(summary, s -> s.path("responses").asLong() == counted, Duration.ofSeconds(120));
        System.out.printf(
            "counted once: %,d responses (morning backlog, live, %s)%n",
            counted, afternoon == 1 ? "afternoon backlog" : afternoon + " afternoon backlogs");
      }
    }
    System.out.println("at the end: " + BenchMain.machineLoad());
    figures.write(root);
    return 0;
  }

  /** What the afternoon's phase needs of the run. */
  private record Afternoon(
      TcpProxy relay,
      String hubStatus,
      String serverStatus,
      Path eventFile,
      int hubMqtt,
      String classpath,
      Path logs,
      double bareInsert,
      ProcessCpu cpu) {}

  /**
   * Phase 4, the afternoon: the uplink down again, a second backlog of the same size, then the
   * uplink back. The server has been running since the morning: its JIT is warm and it already
   * holds the morning's records, as a town's server does when a hub comes back. The cold figure
   * above is a server started as the uplink returns (after an upgrade, say). With {@code
   * --afternoons N} the phase runs N times, a new backlog each time, into the same server.
   */
  private void afternoon(int number, Afternoon run, Figures figures, String prefix)
      throws Exception {
    // The first afternoon keeps the figures' names of the runs before --afternoons.
    String name = prefix + ".drain_warm" + (number == 1 ? "" : "_" + number);
    String which = number == 1 ? "afternoon" : "afternoon " + number;
    run.relay().cut();
    json.await(
        run.hubStatus(), s -> !"up".equals(s.path("uplink").asText()), Duration.ofSeconds(60));
    long receivedBefore = received(run.serverStatus());
    long[] commitsBefore = commitTimes(run.serverStatus());
    simulate(
        number == 1 ? "kiosks-afternoon" : "kiosks-afternoon-" + number,
        run.classpath(),
        run.logs(),
        run.hubMqtt(),
        run.eventFile(),
        responses,
        "--seed",
        "" + (10 + number));
    JsonNode before =
        json.await(
            run.hubStatus(), s -> s.path("pending").asLong() >= responses, Duration.ofSeconds(60));
    long backlog = before.path("pending").asLong();
    run.relay().restore();
    json.await(
        run.hubStatus(), s -> "up".equals(s.path("uplink").asText()), Duration.ofSeconds(60));
    long up = System.nanoTime();
    ProcessCpu.Reading cpuAtUp = run.cpu().read();
    awaitDrained(run.serverStatus(), run.hubStatus(), receivedBefore + backlog);
    double drain = seconds(System.nanoTime() - up);
    ProcessCpu.Reading cpuDrained = run.cpu().read();
    System.out.printf(
        "%s backlog drain into the running server (warm, %,d records already stored):"
            + " %d records in %.2f s (%.0f records/s); / bare inserts = %.2f (goal <= %.1f;"
            + " and <= %.0f s)%n",
        which,
        receivedBefore,
        backlog,
        drain,
        backlog / drain,
        drain / run.bareInsert(),
        Goals.SYNC_RATIO,
        Goals.SYNC_DRAIN_SECONDS);
    if (servers == 1) {
      commits(run.serverStatus(), commitsBefore, drain, figures, name);
    }
    run.cpu().print(cpuAtUp, cpuDrained, drain, figures, name);
    figures.add(name + "_seconds", drain, "s");
    figures.add(name + "_ratio", drain / run.bareInsert(), "x");
  }

  /**
   * Runs {@code count} responses on the bench's kiosks (a simulate process named {@code name}, its
   * stores in DATA/NAME) and waits until they exit: every response acknowledged by the hub.
   */
  private void simulate(
      String name,
      String classpath,
      Path logs,
      int hubMqtt,
      Path eventFile,
      int count,
      String... extra)
      throws Exception {
    try (Child kiosksRun =
        Child.start(
            name,
            classpath,
            logs.resolve(name + ".log"),
            null,
            jvm(name),
            Commands.simulate(hubMqtt, eventFile, kiosks, count, data.resolve(name), extra))) {
      if (kiosksRun.waitFor(Duration.ofHours(1)) != 0) {
        throw failed(kiosksRun);
      }
    }
  }

  /**
   * Waits until the backlog is committed: with one server on its own broker, until its counter of
   * records committed reaches {@code received}. Its status is a counter in memory: polling the
   * results summary instead (it reads every pin) took most of the server's CPU and slowed the drain
   * it measured (profile, docs/architecture.md). On a shared broker a server's counters include
   * other runs' batches: the drain ends when the servers acknowledged the whole backlog (each ack
   * follows its commit).
   */
  private void awaitDrained(String serverStatus, String hubStatus, long received) throws Exception {
    if (servers == 1 && broker == null) {
      awaitReceived(serverStatus, received, Duration.ofSeconds(600));
    } else {
      json.await(hubStatus, s -> s.path("pending").asLong() == 0, Duration.ofSeconds(600));
    }
  }

  /**
   * Polls the server's status until it has committed {@code received} records, paced by the rate
   * seen so far: half the time the rest should take, at most 1 s and at least 50 ms. A status read
   * costs the server a few milliseconds of a core (two queries); polled every 50 ms it took 0.3-0.4
   * s of the server's processor time during each drain, out of the cores the drain needs. Near the
   * end the polls come every 50 ms again, so the end is seen as precisely.
   */
  private void awaitReceived(String serverStatus, long received, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    // The last answer before the count moved: the rate is taken from there, so a drain that has
    // not started (the hub's reconnect) never slows the estimate down.
    long idleCount = -1;
    long idleAt = 0;
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = json.get(serverStatus).orElse(null);
      long now = System.nanoTime();
      long pauseMillis = 50;
      if (last != null) {
        long count = last.path("received").asLong();
        if (count >= received) {
          return;
        }
        if (idleCount < 0 || count == idleCount) {
          idleCount = count;
          idleAt = now;
        } else {
          pauseMillis = pollPauseMillis(idleCount, idleAt, count, now, received);
        }
      }
      Thread.sleep(pauseMillis);
    }
    throw new IllegalStateException(
        "Timed out after " + timeout + " waiting on " + serverStatus + "; last answer: " + last);
  }

  /**
   * How long to wait before the next status read: half the time the {@code received - count}
   * records left should take at the rate seen since {@code sinceCount} was read at {@code
   * sinceNanos}, between 50 ms and 1 s.
   */
  static long pollPauseMillis(
      long sinceCount, long sinceNanos, long count, long nowNanos, long received) {
    if (count <= sinceCount || nowNanos <= sinceNanos) {
      return 50;
    }
    double perNano = (double) (count - sinceCount) / (nowNanos - sinceNanos);
    long restMillis = Math.round((received - count) / perNano / 1e6);
    return Math.max(50, Math.min(1_000, restMillis / 2));
  }

  /**
   * The server's commits so far, in milliseconds ({@code ingestCommits} of its status): wall, on a
   * core, and waiting for a core (-1 where the server cannot measure it).
   */
  private long[] commitTimes(String serverStatus) throws Exception {
    JsonNode commits = json.get(serverStatus).orElseThrow().path("ingestCommits");
    return new long[] {
      commits.path("millis").asLong(),
      commits.path("cpuMillis").asLong(),
      commits.path("waitingForCoreMillis").asLong(-1)
    };
  }

  /**
   * What the server's committing thread did during a drain (its commits since {@code before}): the
   * wall time of its commits, their time on a core, waiting for a core, and blocked. It tells a
   * slow build from a busy machine (decision 0057).
   */
  private void commits(
      String serverStatus, long[] before, double drain, Figures figures, String name)
      throws Exception {
    long[] now = commitTimes(serverStatus);
    double wall = (now[0] - before[0]) / 1e3;
    double cpu = (now[1] - before[1]) / 1e3;
    figures.add(name + "_commit_seconds", wall, "s");
    figures.add(name + "_commit_cpu_seconds", cpu, "s");
    if (now[2] < 0) {
      System.out.printf(
          "  the server's commits: %.2f s of the %.2f s drain, %.2f s of it on a core; the other"
              + " %.2f s they waited for a core or the disk%n",
          wall, drain, cpu, Math.max(0, wall - cpu));
      return;
    }
    double queued = (now[2] - before[2]) / 1e3;
    System.out.printf(
        "  the server's commits: %.2f s of the %.2f s drain: %.2f s on a core, %.2f s waiting for"
            + " a core (other processes, compilers), %.2f s blocked (the disk, locks)%n",
        wall, drain, cpu, queued, Math.max(0, wall - cpu - queued));
    figures.add(name + "_commit_waiting_for_core_seconds", queued, "s");
  }

  /**
   * The processor time of the hub's and the servers' processes (user and system, every thread: the
   * ingest, the compilers, the collector, Derby's daemons), read from the operating system. During
   * a drain it says what the server's committing thread was waiting for a core behind; on Linux it
   * also says which threads took the cores (decision 0061).
   */
  private record ProcessCpu(Child hub, List<Child> servers) {
    /** What each process had used at one moment. */
    record Reading(
        double hub,
        double servers,
        Map<String, Double> hubThreads,
        Map<String, Double> serverThreads) {}

    Reading read() {
      double serverSeconds = 0;
      Map<String, Double> serverThreads = new java.util.HashMap<>();
      for (Child server : servers) {
        serverSeconds += of(server);
        ThreadKinds.add(serverThreads, ThreadKinds.seconds(server.pid()));
      }
      return new Reading(of(hub), serverSeconds, ThreadKinds.seconds(hub.pid()), serverThreads);
    }

    private static double of(Child child) {
      return ProcessHandle.of(child.pid())
          .flatMap(p -> p.info().totalCpuDuration())
          .map(d -> d.toNanos() / 1e9)
          .orElse(Double.NaN);
    }

    void print(Reading before, Reading after, double drain, Figures figures, String name) {
      double hubSeconds = after.hub() - before.hub();
      double serverSeconds = after.servers() - before.servers();
      if (Double.isNaN(hubSeconds) || Double.isNaN(serverSeconds)) {
        return;
      }
      int cores = Runtime.getRuntime().availableProcessors();
      System.out.printf(
          "  processor time during the drain: the server's process %.2f s, the hub's %.2f s, of"
              + " the %.2f s that %d cores give in %.2f s%n",
          serverSeconds, hubSeconds, cores * drain, cores, drain);
      figures.add(name + "_server_cpu_seconds", serverSeconds, "s");
      figures.add(name + "_hub_cpu_seconds", hubSeconds, "s");
      Map<String, Double> server = ThreadKinds.since(after.serverThreads(), before.serverThreads());
      Map<String, Double> hubThreads = ThreadKinds.since(after.hubThreads(), before.hubThreads());
      if (!server.isEmpty() && !hubThreads.isEmpty()) {
        System.out.println("    the server's threads: " + ThreadKinds.top(server, 5));
        System.out.println("    the hub's threads: " + ThreadKinds.top(hubThreads, 3));
        figures.add(name + "_server_compiler_cpu_seconds", ThreadKinds.compilers(server), "s");
        figures.add(name + "_hub_compiler_cpu_seconds", ThreadKinds.compilers(hubThreads), "s");
      }
    }
  }

  /** The records the first server committed (its counter in memory). */
  private long received(String serverStatus) throws Exception {
    return json.get(serverStatus).orElseThrow().path("received").asLong();
  }

  private static TcpProxy cut(TcpProxy relay) {
    relay.cut();
    return relay;
  }

  /** The example market day under the id {@code eventId}, with the pictures it names. */
  private static Path ownEvent(Path root, Path dir, String eventId) throws java.io.IOException {
    Path examples = root.resolve("examples/events");
    Files.createDirectories(dir);
    try (var pictures = Files.list(examples)) {
      for (Path picture : pictures.filter(p -> p.toString().endsWith(".png")).toList()) {
        Files.copy(picture, dir.resolve(picture.getFileName()));
      }
    }
    Path file = dir.resolve("event.yaml");
    Files.writeString(
        file,
        Files.readString(examples.resolve("market-day.yaml"))
            .replaceFirst("(?m)^id: .*$", "id: " + eventId));
    return file;
  }

  private static IllegalStateException failed(Child child) {
    return ServerFleet.failed(child);
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
