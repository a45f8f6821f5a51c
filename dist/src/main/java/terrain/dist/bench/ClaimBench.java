// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;
import terrain.core.record.RecordKind;
import terrain.core.ticket.DeviceKeys;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.Ticket;
import terrain.core.ticket.TicketCodec;
import terrain.core.ticket.TicketRecord;
import terrain.core.wire.Topics;
import terrain.dist.proc.Child;
import terrain.dist.proc.Folders;
import terrain.dist.proc.Ports;
import terrain.store.Database;
import terrain.store.RecordStore;
import terrain.transport.Forwarder;
import terrain.transport.MqttCredentials;
import terrain.transport.MqttLink;

/**
 * Claims per second on a real sync server process over real HTTP: {@code clients} connections
 * (keep-alive, one wallet each) claim distinct tickets signed by an enrolled device key, as fast as
 * the server answers. Then a few tickets are claimed again (each must get 409) and the books are
 * checked: the ledger's audit, each ticket credited once, the wallets holding exactly what the 201s
 * said, the pool down by as much.
 */
final class ClaimBench {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
  private static final String BENCH_EVENT =
      "id: bench-claims\ntitle: {fr: \"Banc d'essai\"}\nplace: \"Bordeaux\"\ndate: 2026-11-28\n"
          + "rewards: {response: 3}\npolls:\n  - id: avis\n    title: {fr: \"Avis\"}\n"
          + "    questions:\n      - id: q\n        kind: yesno\n        text: {fr: \"Oui ?\"}\n";

  private static final String ADMIN = "bench-admin-token-0123456789abcdef";
  private static final EventId EVENT = EventId.of("bench-claims");
  private static final int DUPLICATES = 50;

  private final ObjectMapper mapper = new ObjectMapper();
  private int mqtt;
  private long serverPid;
  private final int clients;
  private final int claims;
  private final int warmup;
  private final String databaseUrl;
  private final Path data;
  private final int rate;

  /**
   * @param rate the offered load of the second measured phase, claims per second from all the
   *     clients together (0: no such phase)
   */
  private final Figures figures;

  /** Whether the tickets' records reach the server (over MQTT, as a hub sends them) first. */
  private final boolean synced;

  /** The server's HTTP threads (0: its default). */
  private final int httpThreads;

  ClaimBench(
      int clients,
      int claims,
      int warmup,
      String databaseUrl,
      Path data,
      int rate,
      Figures figures,
      boolean synced,
      int httpThreads) {
    this.figures = figures;
    this.synced = synced;
    this.httpThreads = httpThreads;
    this.rate = rate;
    this.clients = clients;
    this.claims = claims;
    this.warmup = warmup;
    this.databaseUrl = databaseUrl;
    this.data = data;
  }

  /** Runs the bench; returns false when a check of the books failed. */
  boolean run() throws Exception {
    Folders.delete(data);
    Files.createDirectories(data);
    int http = Ports.free();
    mqtt = Ports.free();
    List<String> args =
        new ArrayList<>(
            List.of(
                "server",
                "--dev",
                "--data",
                data.resolve("server").toString(),
                "--http",
                "" + http,
                "--mqtt",
                "" + mqtt,
                "--admin-token",
                ADMIN,
                "--claims-per-minute",
                "1000000"));
    if (databaseUrl != null) {
      args.add("--db");
      args.add(databaseUrl);
    }
    System.out.printf(
        "claims: server on %s, %d clients, %d claims (+%d warm-up), tickets %s, HTTP threads %s,"
            + " logs in %s%n",
        databaseUrl == null ? "embedded Derby" : redact(databaseUrl),
        clients,
        claims,
        warmup,
        synced ? "synced before they are claimed" : "claimed before their records arrive",
        httpThreads > 0 ? "" + httpThreads : "the server's default",
        data.resolve("server.log").toAbsolutePath());
    try (Child server =
        Child.start(
            "server",
            System.getProperty("java.class.path"),
            data.resolve("server.log"),
            null,
            serverJvmOptions(),
            args.toArray(String[]::new))) {
      if (server.awaitLine(LISTENING, Duration.ofSeconds(90)).isEmpty()) {
        List<String> lines = server.output();
        throw new IllegalStateException(
            "the server did not start; last lines:\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
      }
      serverPid = server.pid();
      try (Client setup = new Client("127.0.0.1", http)) {
        return measure(setup);
      }
    }
  }

  private boolean measure(Client setup) throws Exception {
    DeviceKeys keys = DeviceKeys.generate(new SecureRandom());
    DeviceId device = DeviceId.of("kiosk-bench-" + Long.toHexString(System.nanoTime()));
    Reply enrolled =
        setup.send(
            "PUT",
            "/api/devices/" + device.value() + "/key",
            "{\"publicKey\":\"" + Base64.getEncoder().encodeToString(keys.publicKeyRaw()) + "\"}",
            ADMIN);
    require(enrolled.status() == 201, "enrolling the bench device: " + enrolled);
    // The server checks a ticket against its event: 3 briqs per response, no cap per device.
    Reply published = setup.send("POST", "/api/admin/events", BENCH_EVENT, ADMIN);
    require(published.status() == 201, "publishing the bench event: " + published);

    long now = Instant.now().getEpochSecond();
    int paced = rate > 0 ? Math.max(clients, rate * 10) : 0;
    int total = warmup + claims + paced;
    SignedTicket[] tickets = new SignedTicket[total];
    // Signed before the clock starts, on all cores (the kiosks sign them, not the server).
    Arrays.parallelSetAll(
        tickets,
        i ->
            TicketCodec.sign(
                Ticket.of(device, i + 1L, EVENT, "response", 3, now, 180, false),
                keys.privateKey()));
    if (synced) {
      sync(device, tickets);
    }
    String[] tokens = new String[clients];
    for (int i = 0; i < clients; i++) {
      Reply wallet = setup.send("POST", "/api/wallets", null, null);
      require(wallet.status() == 201, "creating a wallet: " + wallet);
      tokens[i] = mapper.readTree(wallet.body()).path("token").asText();
    }
    JsonNode before = audit(setup);

    long[] warmNanos = new long[warmup];
    Phase warm = phase(setup, tickets, 0, warmup, tokens, warmNanos);
    long[] nanos = new long[claims];
    long cpuBefore = serverCpuMillis();
    Phase measured = phase(setup, tickets, warmup, claims, tokens, nanos);
    double cpuPerClaim = (serverCpuMillis() - cpuBefore) / (double) claims;
    Arrays.sort(nanos);
    System.out.printf(
        "claims over HTTP, as fast as %d clients go: %,d in %.2f s = %,.0f claims/s; latency p50"
            + " %.1f ms, p99 %.1f ms, max %.1f ms (target >= 1,000/s)%n",
        clients,
        claims,
        measured.seconds(),
        claims / measured.seconds(),
        BenchMain.percentile(nanos, 50),
        BenchMain.percentile(nanos, 99),
        nanos[nanos.length - 1] / 1e6);
    figures.add(figure("claims_per_second"), claims / measured.seconds(), "1/s");
    figures.add(figure("claims_p99_ms"), BenchMain.percentile(nanos, 99), "ms");
    // The server's own CPU per claim reads the same on a busy machine as on a quiet one (the
    // bench's clients and the other work do not count in it): the figure to compare across runs.
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        "server CPU per claim (closed loop): %.3f ms, so %,.0f claims/s if the server had the %d"
            + " cores to itself%n",
        cpuPerClaim, cores * 1000 / cpuPerClaim, cores);
    figures.add(figure("server_cpu_ms_per_claim"), cpuPerClaim, "ms");
    Phase atRate = new Phase(0, 0, 0, 0, null);
    if (paced > 0) {
      // 100 closed-loop clients wait on each other: by Little's law their mean latency is
      // clients / throughput. What a citizen feels is the latency at a given load, so the
      // second phase offers a fixed rate and times each claim from when it was due.
      long[] due = new long[paced];
      atRate = phase(setup, tickets, warmup + claims, paced, tokens, due, rate);
      Arrays.sort(due);
      System.out.printf(
          "claims over HTTP at %,d claims/s offered by %d clients: %,d in %.2f s = %,.0f"
              + " claims/s; latency from the due time p50 %.1f ms, p99 %.1f ms, max %.1f ms"
              + " (target p99 <= 50 ms)%n",
          rate,
          clients,
          paced,
          atRate.seconds(),
          paced / atRate.seconds(),
          BenchMain.percentile(due, 50),
          BenchMain.percentile(due, 99),
          due[due.length - 1] / 1e6);
      figures.add(figure("paced_p99_ms"), BenchMain.percentile(due, 99), "ms");
    }

    // A few tickets claimed again, from other wallets: each must be refused with 409.
    int conflicts = 0;
    for (int i = 0; i < DUPLICATES; i++) {
      int ticket = warmup + (int) ((long) i * claims / DUPLICATES);
      Reply again = setup.claim(tokens[(i * 7 + 3) % clients], tickets[ticket].code());
      if (again.status() == 409) {
        conflicts++;
      }
    }

    JsonNode after = audit(setup);
    long walletTotal = 0;
    for (String token : tokens) {
      walletTotal +=
          mapper
              .readTree(setup.send("GET", "/api/wallets/me", null, token).body())
              .path("balance")
              .asLong();
    }
    long credited = warm.briqs() + measured.briqs() + atRate.briqs();
    long newClaims = after.path("claims").asLong() - before.path("claims").asLong();
    long poolMoved = before.path("pool").asLong() - after.path("pool").asLong();
    boolean ok =
        warm.created() == warmup
            && measured.created() == claims
            && atRate.created() == paced
            && conflicts == DUPLICATES
            && after.path("ok").asBoolean()
            && after.path("ticketsCreditedTwice").asLong() == 0
            && newClaims == total
            && walletTotal == credited
            && poolMoved == credited;
    System.out.printf(
        "double credits: %d tickets credited twice; %d/%d repeated claims got 409; %,d claims"
            + " recorded for %,d tickets sent; wallets hold %,d briqs = %,d credited by the 201s"
            + " = %,d taken from the pool; ledger total %d, entries total %d, unbalanced"
            + " transfers %d, drifted accounts %d -> %s%n",
        after.path("ticketsCreditedTwice").asLong(),
        conflicts,
        DUPLICATES,
        newClaims,
        total,
        walletTotal,
        credited,
        poolMoved,
        after.path("total").asLong(),
        after.path("entriesTotal").asLong(),
        after.path("unbalancedTransfers").asLong(),
        after.path("driftedAccounts").asLong(),
        ok ? "OK" : "FAILED");
    int errors = measured.errors() + warm.errors() + atRate.errors();
    if (errors > 0) {
      String first =
          measured.firstError() != null
              ? measured.firstError()
              : warm.firstError() != null ? warm.firstError() : atRate.firstError();
      System.out.printf("unexpected answers: %d (first: %s)%n", errors, first);
    }
    return ok;
  }

  /**
   * The server process's CPU time so far (user + system, all threads), from /proc; 0 where there is
   * none.
   */
  private long serverCpuMillis() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(serverPid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // Fields 14 and 15 of stat (utime, stime), counted from the state (field 3) here.
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * 10; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** A figure's name: {@code tickets.synced.*} for the variant whose records came first. */
  private String figure(String name) {
    return (synced ? "tickets.synced." : "tickets.") + name;
  }

  private record Phase(double seconds, int created, long briqs, int errors, String firstError) {}

  /** Claims tickets[from, from+count) from all clients at once; fills nanos with latencies. */
  private Phase phase(
      Client setup, SignedTicket[] tickets, int from, int count, String[] tokens, long[] nanos)
      throws Exception {
    return phase(setup, tickets, from, count, tokens, nanos, 0);
  }

  /**
   * Claims tickets[from, from+count) from all clients; with a {@code perSecond} above 0, claim i is
   * due at {@code i / perSecond} seconds after the start and its latency counts from then (no
   * coordinated omission: a slow answer delays the claims due behind it, and they count it).
   */
  private Phase phase(
      Client setup,
      SignedTicket[] tickets,
      int from,
      int count,
      String[] tokens,
      long[] nanos,
      int perSecond)
      throws Exception {
    long[] startAt = new long[1];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger created = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    java.util.concurrent.atomic.AtomicLong briqs = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicReference<String> firstError =
        new java.util.concurrent.atomic.AtomicReference<>();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch ready = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      String token = tokens[c];
      done.add(
          pool.submit(
              () -> {
                try (Client client = new Client(setup.host, setup.port)) {
                  client.connect();
                  ready.countDown();
                  go.await();
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    SignedTicket ticket = tickets[from + i];
                    long start = System.nanoTime();
                    if (perSecond > 0) {
                      long due = startAt[0] + (long) (i * 1e9 / perSecond);
                      java.util.concurrent.locks.LockSupport.parkNanos(due - start);
                      start = due;
                    }
                    Reply reply = client.claim(token, ticket.code());
                    nanos[i] = System.nanoTime() - start;
                    if (reply.status() == 201) {
                      created.incrementAndGet();
                      briqs.addAndGet(ticket.ticket().briqs());
                    } else {
                      errors.incrementAndGet();
                      firstError.compareAndSet(null, reply.toString());
                    }
                  }
                }
                return null;
              }));
    }
    ready.await();
    long start = System.nanoTime();
    startAt[0] = start;
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return new Phase(seconds, created.get(), briqs.get(), errors.get(), firstError.get());
  }

  /**
   * Sends the tickets' TICKET records to the server as a field hub does (its uplink: a {@link
   * Forwarder} over MQTT, logged in with the development site key the server's --dev accepts), from
   * a scratch store of the kiosk's records, and waits until the server has acknowledged them all:
   * committed, with their rows in {@code tickets}.
   */
  private void sync(DeviceId device, SignedTicket[] tickets) throws Exception {
    long start = System.nanoTime();
    try (Database database = Database.open(Database.derbyUrl(data.resolve("hub-db")));
        RecordStore store = new RecordStore(database)) {
      int chunk = 1_000;
      for (int from = 0; from < tickets.length; from += chunk) {
        List<RecordStore.Draft> drafts = new ArrayList<>();
        for (int i = from; i < Math.min(tickets.length, from + chunk); i++) {
          drafts.add(
              new RecordStore.Draft(
                  RecordKind.TICKET,
                  EVENT.value(),
                  new TicketRecord(tickets[i].code(), new byte[64]).encode()));
        }
        store.appendAll(device, drafts, System.currentTimeMillis());
      }
      DeviceId hub = DeviceId.of("hub-bench-" + Long.toHexString(System.nanoTime()));
      ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
      ScheduledExecutorService linkScheduler = Executors.newSingleThreadScheduledExecutor();
      Forwarder forwarder =
          new Forwarder(
              store,
              hub,
              Topics.hubUp(hub),
              Forwarder.Settings.uplink(),
              scheduler,
              java.time.Clock.systemUTC());
      String username = MqttCredentials.hubUsername(hub.value());
      try (MqttLink link =
          new MqttLink(
              MqttLink.Settings.of(
                  "tcp://127.0.0.1:" + mqtt,
                  hub.value(),
                  username,
                  MqttCredentials.passwordFor(MqttCredentials.DEVELOPMENT_KEY, username)),
              List.of(new MqttLink.Subscription(Topics.hubAck(hub), 1, forwarder::onAck)),
              forwarder,
              linkScheduler,
              new SecureRandom())) {
        forwarder.attach(link);
        link.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (store.pendingCount() > 0) {
          require(
              System.nanoTime() < deadline,
              "syncing the tickets: "
                  + store.pendingCount()
                  + " records not acknowledged after 10 minutes ("
                  + link.lastProblem()
                  + ")");
          Thread.sleep(100);
        }
      } finally {
        scheduler.shutdownNow();
        linkScheduler.shutdownNow();
      }
    }
    System.out.printf(
        "synced %,d TICKET records to the server (as a hub, over MQTT) in %.1f s before claiming"
            + " them%n",
        tickets.length, (System.nanoTime() - start) / 1e9);
  }

  private JsonNode audit(Client client) throws IOException {
    Reply reply = client.send("GET", "/api/ledger/audit", null, ADMIN);
    require(reply.status() == 200, "reading the ledger audit: " + reply);
    return mapper.readTree(reply.body());
  }

  /**
   * JVM options of the server process from TERRAIN_BENCH_SERVER_JVM (e.g. to profile it), and the
   * HTTP threads of --http-threads.
   */
  private List<String> serverJvmOptions() {
    List<String> out = new ArrayList<>();
    String options = System.getenv("TERRAIN_BENCH_SERVER_JVM");
    if (options != null && !options.isBlank()) {
      out.addAll(List.of(options.strip().split("\\s+")));
    }
    if (httpThreads > 0) {
      out.add("-D" + HTTP_THREADS_PROPERTY + "=" + httpThreads);
    }
    return out;
  }

  /** The server's system property that overrides its HTTP threads (SyncServer reads it). */
  static final String HTTP_THREADS_PROPERTY = "terrain.server.httpThreads";

  private static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("bench tickets failed " + what);
    }
  }

  private static String redact(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  record Reply(int status, String body) {}

  /**
   * A minimal HTTP/1.1 keep-alive client over one socket: a load generator that costs the 2 cores
   * as little as possible, so that the figures are the server's.
   */
  private static final class Client implements AutoCloseable {
    final String host;
    final int port;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private long lastUse;

    Client(String host, int port) {
      this.host = host;
      this.port = port;
    }

    void connect() throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5000);
      socket.setSoTimeout(30_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    Reply claim(String token, String code) throws IOException {
      return send("POST", "/api/claims", "{\"code\":\"" + code + "\"}", token);
    }

    Reply send(String method, String path, String json, String bearer) throws IOException {
      if (socket != null && System.nanoTime() - lastUse > 10_000_000_000L) {
        // Idle for long (the server closes idle connections after 30 s): a fresh one.
        socket.close();
        socket = null;
      }
      if (socket == null) {
        connect();
      }
      lastUse = System.nanoTime();
      byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      head.append("Host: ").append(host).append(':').append(port).append("\r\n");
      if (bearer != null) {
        head.append("Authorization: Bearer ").append(bearer).append("\r\n");
      }
      if (json != null) {
        head.append("Content-Type: application/json\r\n");
      }
      head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      String status = line();
      if (status == null || status.length() < 12) {
        throw new IOException("the server closed the connection (status line [" + status + "])");
      }
      int code = Integer.parseInt(status.substring(9, 12));
      int length = -1;
      for (String header = line(); header != null && !header.isEmpty(); header = line()) {
        if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
          length = Integer.parseInt(header.substring(15).strip());
        }
      }
      if (length < 0) {
        throw new IOException("no Content-Length in the answer to " + method + " " + path);
      }
      byte[] bytes = in.readNBytes(length);
      return new Reply(code, new String(bytes, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream(128);
      int b;
      while ((b = in.read()) >= 0) {
        if (b == '\n') {
          String text = buffer.toString(StandardCharsets.US_ASCII);
          return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
        buffer.write(b);
      }
      return buffer.size() == 0 ? null : buffer.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
      if (socket != null) {
        socket.close();
      }
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s:%d", host, port);
    }
  }
}
