// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import terrain.core.codec.WireException;
import terrain.core.event.EventLoader;
import terrain.core.event.ProfileSettings;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.dist.proc.Child;
import terrain.dist.proc.Commands;
import terrain.dist.proc.Json;
import terrain.dist.proc.Ports;
import terrain.dist.proc.TcpProxy;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * A long market day under faults, with real processes: a sync server, a field hub whose uplink goes
 * through a {@link TcpProxy}, and simulated kiosks (one {@code simulate} process each). At seeded
 * random moments one of them is killed with SIGKILL and started again on the same data folder, or
 * the uplink is cut for a while and restored. A kiosk that has recorded its share goes on with a
 * larger one until the faults are over, so the day lasts as long as the faults.
 *
 * <p>Then every kiosk finishes, and the records the kiosks committed (read from their own Derby
 * databases) are compared with what the server holds (its Derby database, read once it stopped) and
 * counts (its results): a record missing or different on the server is <em>lost</em>; a response
 * counted more than once in the results, or a record the server holds for a kiosk that the kiosk
 * never committed, is <em>doubled</em>. Shared by {@code ./terrain bench chaos} and the end-to-end
 * test.
 */
public final class Chaos {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
  private static final Pattern KIOSK_RUNNING = Pattern.compile("recorded \\d+ of|acked \\d+ of");
  private static final Duration START = Duration.ofSeconds(120);

  /**
   * What the day looks like.
   *
   * @param eventFile the event the kiosks record answers to
   * @param data scratch folder of every process (must be empty or missing)
   * @param classpath the whole application's classpath, to start {@code terrain.dist.Terrain}
   * @param kills SIGKILLs to deal, 1 or more
   * @param kiosks simulated kiosks, 1 to 16, one process each
   * @param share responses a kiosk records before it is given a larger share, 1 or more
   * @param ratePerKiosk responses per second of each kiosk
   * @param minGap shortest time between two faults
   * @param maxGap longest time between two faults, and longest time a killed process stays down or
   *     the uplink stays cut
   * @param jvmOptions options of every child JVM
   * @param echo where to copy the children's output with their name, or null
   */
  public record Settings(
      Path eventFile,
      Path data,
      String classpath,
      int kills,
      int kiosks,
      int share,
      double ratePerKiosk,
      Duration minGap,
      Duration maxGap,
      List<String> jvmOptions,
      PrintStream echo) {
    public Settings {
      if (kills < 1) {
        throw new IllegalArgumentException("kills [" + kills + "] must be 1 or more");
      }
      if (kiosks < 1 || kiosks > 16) {
        throw new IllegalArgumentException("kiosks [" + kiosks + "] must be from 1 to 16");
      }
      if (share < 1) {
        throw new IllegalArgumentException("share [" + share + "] must be 1 or more");
      }
      if (!(ratePerKiosk > 0)) {
        throw new IllegalArgumentException(
            "ratePerKiosk [" + ratePerKiosk + "] must be more than 0");
      }
      if (minGap.isNegative() || maxGap.compareTo(minGap) < 0) {
        throw new IllegalArgumentException(
            "minGap [" + minGap + "] and maxGap [" + maxGap + "] must be 0 <= minGap <= maxGap");
      }
      jvmOptions = List.copyOf(jvmOptions);
    }
  }

  /**
   * What came out of the day.
   *
   * @param kills SIGKILLs dealt (server, hub and kiosks together)
   * @param cuts times the uplink was cut through the proxy (killing the server cuts it too)
   * @param committed records the kiosks committed (responses, tickets, ideas, key records)
   * @param responses responses among them
   * @param lost records committed on a kiosk that the server does not hold, or holds different
   * @param doubled responses counted more than once, plus records the server holds that no kiosk
   *     committed
   * @param convergedSeconds from the end of the faults until the server held every record
   * @param problems what differed, in words (empty when nothing did)
   */
  public record Result(
      int kills,
      int cuts,
      long committed,
      long responses,
      long lost,
      long doubled,
      double convergedSeconds,
      List<String> problems) {
    public Result {
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return lost == 0 && doubled == 0 && problems.isEmpty();
    }

    /** {@code chaos: K kills, lost L, doubled D, converged in T s}. */
    public String lastLine() {
      return String.format(
          java.util.Locale.ROOT,
          "chaos: %d kills, lost %d, doubled %d, converged in %.1f s",
          kills,
          lost,
          doubled,
          convergedSeconds);
    }
  }

  /** The day could not be run to its end (a process would not start, a kiosk failed). */
  public static final class ChaosException extends Exception {
    private static final long serialVersionUID = 1L;

    public ChaosException(String message) {
      super(message);
    }

    public ChaosException(String message, Throwable cause) {
      super(message + ": " + rootMessage(cause), cause);
    }

    private static String rootMessage(Throwable e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }
  }

  /** One of the day's processes, started again with the same arguments after a kill. */
  private final class Slot {
    final String name;
    final Supplier<String[]> args;
    final Pattern ready;
    final List<Integer> ports;
    Child child;
    int starts;

    Slot(String name, Supplier<String[]> args, Pattern ready, List<Integer> ports) {
      this.name = name;
      this.args = args;
      this.ready = ready;
      this.ports = ports;
    }

    void start() throws IOException {
      starts++;
      child =
          Child.start(
              starts == 1 ? name : name + "#" + starts,
              settings.classpath(),
              settings.data().resolve("logs").resolve(name + ".log"),
              settings.echo(),
              settings.jvmOptions(),
              args.get());
    }

    /** Whether the current process printed its ready line. */
    boolean isUp() throws InterruptedException {
      return child.awaitLine(ready, Duration.ZERO).isPresent();
    }

    void awaitReady() throws ChaosException, InterruptedException {
      if (child.awaitLine(ready, START).isEmpty()) {
        throw new ChaosException(
            name
                + (child.isAlive() ? " did not start within " + START : " ended while starting")
                + "; "
                + tail(child));
      }
    }
  }

  private final Settings settings;
  private final RandomGenerator random;
  private final PrintStream out;
  private final Json json = new Json();

  /**
   * @param random decides the moments, the victims and the down times (seed it to replay a day)
   * @param out where the progress lines go
   */
  public Chaos(Settings settings, RandomGenerator random, PrintStream out) {
    this.settings = settings;
    this.random = random;
    this.out = out;
  }

  /** Runs the day; the result says what was lost or doubled. */
  public Result run() throws ChaosException, IOException, InterruptedException {
    String eventId;
    try {
      eventId = EventLoader.load(settings.eventFile()).id();
    } catch (terrain.core.event.EventFileException e) {
      throw new ChaosException(e.getMessage(), e);
    }
    Path data = settings.data();
    Files.createDirectories(data);
    try (Stream<Path> existing = Files.list(data)) {
      if (existing.findAny().isPresent()) {
        throw new ChaosException(
            "The chaos folder " + data + " is not empty: give an empty or new folder");
      }
    }
    int serverHttp = Ports.free();
    int serverMqtt = Ports.free();
    int hubMqtt = Ports.free();
    int hubHttp = Ports.free();
    String hubStatus = "http://127.0.0.1:" + hubHttp + "/api/status";
    String base = "http://127.0.0.1:" + serverHttp + "/api/events/" + eventId;
    List<Slot> all = new ArrayList<>();
    try (TcpProxy uplink = new TcpProxy(serverMqtt)) {
      Slot server =
          new Slot(
              "server",
              () -> Commands.server(data.resolve("server"), serverHttp, serverMqtt),
              LISTENING,
              List.of(serverHttp, serverMqtt));
      Slot hub =
          new Slot(
              "hub",
              () ->
                  Commands.hub(
                      data.resolve("hub"),
                      hubMqtt,
                      hubHttp,
                      "tcp://127.0.0.1:" + uplink.port(),
                      "hub-chaos"),
              LISTENING,
              List.of(hubMqtt, hubHttp));
      all.add(server);
      all.add(hub);
      int[] targets = new int[settings.kiosks()];
      List<Slot> kiosks = new ArrayList<>();
      for (int i = 0; i < settings.kiosks(); i++) {
        int index = i;
        targets[i] = settings.share();
        Slot kiosk =
            new Slot(
                "kiosk-" + (i + 1),
                () ->
                    Commands.simulate(
                        hubMqtt,
                        settings.eventFile(),
                        1,
                        targets[index],
                        data.resolve("kiosk-" + (index + 1)),
                        "--seed",
                        "" + (index + 1),
                        "--rate",
                        "" + settings.ratePerKiosk()),
                KIOSK_RUNNING,
                List.of());
        kiosks.add(kiosk);
        all.add(kiosk);
      }
      try {
        server.start();
        hub.start();
        server.awaitReady();
        hub.awaitReady();
        for (Slot kiosk : kiosks) {
          kiosk.start();
        }
        for (Slot kiosk : kiosks) {
          kiosk.awaitReady();
        }
        out.printf(
            "chaos: server, hub and %d kiosks up; %d kills to deal, logs in %s%n",
            kiosks.size(), settings.kills(), data.resolve("logs").toAbsolutePath());

        // The faults.
        int kills = 0;
        int cuts = 0;
        Map<String, Integer> killed = new TreeMap<>();
        long faultsStart = System.nanoTime();
        while (kills < settings.kills()) {
          pause(between(settings.minGap(), settings.maxGap()), kiosks, targets);
          double dice = random.nextDouble();
          if (dice < 0.1) {
            uplink.cut();
            cuts++;
            pause(between(Duration.ZERO, settings.maxGap()), kiosks, targets);
            uplink.restore();
            continue;
          }
          Slot victim =
              dice < 0.3 ? server : dice < 0.5 ? hub : kiosks.get(random.nextInt(kiosks.size()));
          if (!victim.child.isAlive()) {
            continue; // a kiosk between two shares: the next moment picks again
          }
          if (!victim.isUp() && random.nextBoolean()) {
            // Half the time a process still starting is let up first, then killed at a random
            // moment of its work; otherwise it is killed while it starts.
            victim.awaitReady();
            pause(between(Duration.ZERO, settings.maxGap()), kiosks, targets);
            if (!victim.child.isAlive()) {
              continue;
            }
          }
          victim.child.kill9();
          kills++;
          killed.merge(victim.name, 1, Integer::sum);
          awaitPortsFree(victim);
          if (victim == server || victim == hub) {
            pause(between(Duration.ZERO, settings.maxGap()), kiosks, targets);
          }
          // A kiosk starts again at once (a reboot). The next fault does not wait until the
          // restarted process is up: a process may be killed again while it starts.
          victim.start();
          if (kills % 10 == 0) {
            out.printf(
                "chaos: %d kills, %d uplink cuts in %.0f s (%s)%n",
                kills, cuts, seconds(System.nanoTime() - faultsStart), killed);
          }
        }
        uplink.restore();
        server.awaitReady();
        hub.awaitReady();
        long faultsEnd = System.nanoTime();
        out.printf(
            "chaos: faults over after %.0f s: %d kills (%s), %d uplink cuts; the kiosks finish"
                + " their shares%n",
            seconds(faultsEnd - faultsStart), kills, killed, cuts);

        // Every kiosk finishes its share and is acknowledged by the hub.
        for (Slot kiosk : kiosks) {
          int code = kiosk.child.waitFor(Duration.ofMinutes(10));
          if (code != 0) {
            throw new ChaosException(
                kiosk.name + " ended with exit code " + code + "; " + tail(kiosk.child));
          }
        }
        out.printf(
            "chaos: every kiosk acked by the hub %.1f s after the faults%n",
            seconds(System.nanoTime() - faultsEnd));
        Committed committed = readKiosks(eventId);

        // The server catches up.
        JsonNode summary =
            awaitJson(
                base + "/summary",
                s -> s.path("responses").asLong() >= committed.responses,
                Duration.ofMinutes(5));
        awaitJson(hubStatus, s -> s.path("pending").asLong() == 0, Duration.ofMinutes(2));
        double converged = seconds(System.nanoTime() - faultsEnd);
        // A late duplicate would show in the results within these 2 s.
        Thread.sleep(2_000);
        summary = json.get(base + "/summary").orElse(summary);
        long serverIdeas =
            json.get(base + "/ideas").map(i -> i.path("count").asLong(-1)).orElse(-1L);
        hub.child.stop(Duration.ofSeconds(30));
        server.child.stop(Duration.ofSeconds(30));
        Map<Identity, Long> held = readRecords(onlyDatabase(data.resolve("server")), true);
        return compare(kills, cuts, committed, held, summary, serverIdeas, converged);
      } finally {
        for (int i = all.size() - 1; i >= 0; i--) {
          if (all.get(i).child != null) {
            all.get(i).child.close();
          }
        }
      }
    }
  }

  /** Sleeps {@code pause}, meanwhile giving a larger share to each kiosk that finished its own. */
  private void pause(Duration pause, List<Slot> kiosks, int[] targets)
      throws ChaosException, IOException, InterruptedException {
    long end = System.nanoTime() + pause.toNanos();
    do {
      for (int i = 0; i < kiosks.size(); i++) {
        Slot kiosk = kiosks.get(i);
        if (kiosk.child.isAlive()) {
          continue;
        }
        int code = kiosk.child.waitFor(Duration.ofSeconds(10));
        if (code != 0) {
          throw new ChaosException(
              kiosk.name
                  + " ended with exit code "
                  + code
                  + " without being killed; "
                  + tail(kiosk.child));
        }
        targets[i] += settings.share();
        kiosk.start();
      }
      long left = end - System.nanoTime();
      if (left > 0) {
        Thread.sleep(Math.min(100, Math.max(1, left / 1_000_000)));
      }
    } while (System.nanoTime() < end);
  }

  private Duration between(Duration min, Duration max) {
    long span = max.toMillis() - min.toMillis();
    return min.plusMillis(span <= 0 ? 0 : random.nextLong(span + 1));
  }

  private static void awaitPortsFree(Slot slot) throws ChaosException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!slot.ports.stream().allMatch(Ports::isFree)) {
      if (System.nanoTime() > deadline) {
        throw new ChaosException(
            slot.name + "'s ports " + slot.ports + " still taken 30 s after it was killed");
      }
      Thread.sleep(50);
    }
  }

  private JsonNode awaitJson(
      String url, java.util.function.Predicate<JsonNode> until, Duration timeout)
      throws ChaosException, InterruptedException {
    try {
      return json.await(url, until, timeout);
    } catch (IllegalStateException e) {
      throw new ChaosException("The day did not converge: " + e.getMessage(), e);
    }
  }

  /** A record's identity on every hop. */
  private record Identity(String device, long seq) {}

  /** What the kiosks committed. */
  private record Committed(
      Map<Identity, Long> records,
      long responses,
      long ideas,
      Map<String, Map<String, Long>> byQuestion) {}

  private Committed readKiosks(String eventId) throws ChaosException, IOException {
    Map<Identity, Long> records = new HashMap<>();
    long responses = 0;
    long ideas = 0;
    Map<String, Map<String, Long>> byQuestion = new TreeMap<>();
    for (int i = 1; i <= settings.kiosks(); i++) {
      Path database = onlyDatabase(settings.data().resolve("kiosk-" + i));
      records.putAll(readRecords(database, false));
      try (Database db = Database.open(Database.derbyUrl(database));
          Connection connection = db.connect();
          PreparedStatement select =
              connection.prepareStatement(
                  "SELECT kind, body FROM records WHERE event_id = ? AND kind IN (?, ?)")) {
        select.setString(1, eventId);
        select.setShort(2, (short) RecordKind.RESPONSE.code());
        select.setShort(3, (short) RecordKind.IDEA.code());
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            if (rs.getShort(1) == RecordKind.IDEA.code()) {
              ideas++;
              continue;
            }
            responses++;
            for (ResponseBody.Answer answer : ResponseBody.decode(rs.getBytes(2)).answers()) {
              if (ProfileSettings.isReserved(answer.questionId())) {
                continue; // counted apart, under "participants"
              }
              for (String option : answer.optionIds()) {
                byQuestion
                    .computeIfAbsent(answer.questionId(), q -> new TreeMap<>())
                    .merge(option, 1L, Long::sum);
              }
            }
          }
        }
        connection.commit();
      } catch (StoreException | SQLException | WireException e) {
        throw new ChaosException("Cannot read kiosk-" + i + "'s database " + database, e);
      }
    }
    return new Committed(records, responses, ideas, byQuestion);
  }

  /** Every record of a Derby database: identity and content hash. */
  private static Map<Identity, Long> readRecords(Path database, boolean server)
      throws ChaosException {
    Map<Identity, Long> out = new HashMap<>();
    String[] migrations = server ? new String[] {"classpath:db/migration/server"} : new String[0];
    try (Database db = Database.open(Database.derbyUrl(database), migrations);
        Connection connection = db.connect();
        PreparedStatement select =
            connection.prepareStatement("SELECT device_id, seq, content_hash FROM records");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        Long before = out.put(new Identity(rs.getString(1), rs.getLong(2)), rs.getLong(3));
        if (before != null) {
          throw new ChaosException(
              "Two rows for " + rs.getString(1) + " seq " + rs.getLong(2) + " in " + database);
        }
      }
      connection.commit();
    } catch (StoreException | SQLException e) {
      throw new ChaosException("Cannot read the records of " + database, e);
    }
    return out;
  }

  private static Path onlyDatabase(Path folder) throws ChaosException, IOException {
    List<Path> found;
    try (Stream<Path> walk = Files.walk(folder)) {
      found = walk.filter(p -> Files.exists(p.resolve("service.properties"))).sorted().toList();
    }
    if (found.size() != 1) {
      throw new ChaosException("Expected one Derby database under " + folder + ", found " + found);
    }
    return found.get(0);
  }

  private Result compare(
      int kills,
      int cuts,
      Committed committed,
      Map<Identity, Long> held,
      JsonNode summary,
      long serverIdeas,
      double converged) {
    List<String> problems = new ArrayList<>();
    long lost = 0;
    for (Map.Entry<Identity, Long> record : committed.records.entrySet()) {
      Long there = held.get(record.getKey());
      if (there == null || !there.equals(record.getValue())) {
        lost++;
        if (lost <= 5) {
          problems.add(
              (there == null ? "missing on the server: " : "different on the server: ")
                  + record.getKey());
        }
      }
    }
    java.util.Set<String> kioskDevices = new java.util.HashSet<>();
    committed.records.keySet().forEach(id -> kioskDevices.add(id.device()));
    long extra =
        held.keySet().stream()
            .filter(id -> kioskDevices.contains(id.device()))
            .filter(id -> !committed.records.containsKey(id))
            .count();
    if (extra > 0) {
      problems.add(extra + " record(s) on the server that no kiosk committed");
    }
    long counted = summary.path("responses").asLong();
    long doubled = extra + Math.max(0, counted - committed.responses);
    lost = Math.max(lost, committed.responses - counted);
    Map<String, Map<String, Long>> byQuestion = new TreeMap<>();
    summary
        .path("byQuestion")
        .fields()
        .forEachRemaining(
            q ->
                q.getValue()
                    .fields()
                    .forEachRemaining(
                        o -> {
                          if (o.getValue().asLong() > 0) {
                            byQuestion
                                .computeIfAbsent(q.getKey(), k -> new TreeMap<>())
                                .put(o.getKey(), o.getValue().asLong());
                          }
                        }));
    if (!byQuestion.equals(committed.byQuestion)) {
      problems.add("the results per option differ from the kiosks' answers");
    }
    if (serverIdeas != committed.ideas) {
      problems.add("ideas: " + committed.ideas + " on the kiosks, " + serverIdeas + " counted");
    }
    Optional<String> details =
        problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    out.printf(
        "chaos: the kiosks committed %d records (%d responses, %d ideas); the server holds %d"
            + " records and counts %d responses%s%n",
        committed.records.size(),
        committed.responses,
        committed.ideas,
        held.size(),
        counted,
        details.map(d -> "; " + d).orElse(""));
    return new Result(
        kills,
        cuts,
        committed.records.size(),
        committed.responses,
        lost,
        doubled,
        converged,
        problems);
  }

  private static String tail(Child child) {
    List<String> lines = child.output();
    return "last lines:\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
