// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventLoader;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;
import terrain.core.record.RecordKind;
import terrain.core.ticket.DeviceKeys;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.Ticket;
import terrain.core.ticket.TicketCodec;
import terrain.dist.proc.Child;
import terrain.dist.proc.Commands;
import terrain.dist.proc.Json;
import terrain.dist.proc.Ports;
import terrain.testkit.Postgres;
import terrain.testkit.Services;

/**
 * Scale-out: three {@code server} processes on one PostgreSQL schema and one Mosquitto share the
 * ingest through their {@code --ingest-group}; a hub and two kiosks record through them, one server
 * is killed with SIGKILL in the middle; every response is counted once. During the run the same
 * tickets are claimed on two servers at the same moment, from two wallets, before and after the
 * kill: each ticket is credited exactly once.
 */
class ScaleOutIT {
  private static final Pattern RECORDED = Pattern.compile("recorded [1-9]\\d* of");
  private static final Duration START = Duration.ofSeconds(90);
  private static final int PER_KIOSK = 200;
  private static final int SERVERS = 3;

  /** Tickets claimed twice at once; the first server dies after a third of them. */
  private static final int RACED = 150;

  private static final int WALLETS = 20;
  private static final String ADMIN = "scale-out-admin-token-0123456789abcdef";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;
  private final Json json = new Json();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private Postgres.Schema schema;

  @AfterEach
  void dropSchema() throws Exception {
    if (schema != null) {
      schema.drop();
    }
  }

  @Test
  void threeServers_whenOneKilledMidRun_everyResponseCountedOnceAndEveryTicketCreditedOnce()
      throws Exception {
    schema = Postgres.freshSchema();
    String broker = Services.mqttUrl();
    // A group of this test's own: other runs on the same Mosquitto must not take its batches;
    // an event of its own: the servers receive other runs' hubs' batches too.
    String group = Apps.ingestGroup();
    Path eventFile = Apps.ownEvent(dir, "so");
    String eventId = EventLoader.load(eventFile).id();
    int hubMqtt = Ports.free();
    int hubHttp = Ports.free();
    String hubId = "hub-so-" + UUID.randomUUID().toString().substring(0, 8);
    String hubStatus = "http://127.0.0.1:" + hubHttp + "/api/status";

    try (Apps apps = new Apps(dir.resolve("logs"))) {
      List<Child> servers = new ArrayList<>();
      List<String> bases = new ArrayList<>();
      for (int i = 1; i <= SERVERS; i++) {
        int port = Ports.free();
        bases.add("http://127.0.0.1:" + port);
        servers.add(
            apps.start(
                "server-" + i,
                Commands.server(
                    dir.resolve("server-" + i),
                    port,
                    Ports.free(),
                    "--broker",
                    broker,
                    "--db",
                    schema.url(),
                    "--ingest-group",
                    group,
                    "--event",
                    eventFile.toString(),
                    "--admin-token",
                    ADMIN,
                    "--claims-per-minute",
                    "1000000")));
        if (i == 1) { // the first migrates the schema; the others start together
          Apps.await(servers.get(0), Apps.HTTP_LISTENING, START);
        }
      }
      for (Child server : servers.subList(1, SERVERS)) {
        Apps.await(server, Apps.HTTP_LISTENING, START);
      }
      Child hub =
          apps.start("hub", Commands.hub(dir.resolve("hub"), hubMqtt, hubHttp, broker, hubId));
      List<Child> kiosks = new ArrayList<>();
      // While the hub starts: a device of the test's own, its tickets, and the wallets.
      Racer racer = new Racer(bases, eventId);
      Apps.await(hub, Apps.HTTP_LISTENING, START);
      for (int i = 1; i <= 2; i++) {
        kiosks.add(
            apps.start(
                "kiosk-" + i,
                Commands.simulate(
                    hubMqtt,
                    eventFile,
                    1,
                    PER_KIOSK,
                    dir.resolve("kiosk-" + i),
                    "--seed",
                    "" + i,
                    "--rate",
                    "20")));
      }
      // Every server takes batches and claims before one of them dies.
      Apps.await(kiosks.get(0), RECORDED, Duration.ofSeconds(120));
      String firstSummary = bases.get(0) + "/api/events/" + eventId + "/summary";
      json.await(firstSummary, s -> s.path("responses").asLong() > 0, Duration.ofSeconds(60));
      ExecutorService claimers = Executors.newFixedThreadPool(4);
      try {
        List<Future<Race>> races = racer.start(claimers);
        racer.awaitDone(RACED / 3, Duration.ofSeconds(60));
        servers.get(0).kill9();
        racer.firstKilled = true;

        for (Child kiosk : kiosks) {
          assertEquals(0, kiosk.waitFor(Duration.ofSeconds(180)), kiosk.name() + " exit code");
          assertEquals("acked " + PER_KIOSK + " of " + PER_KIOSK, kiosk.lastLine().trim());
        }
        List<Race> done = new ArrayList<>();
        for (Future<Race> race : races) {
          done.add(race.get(60, TimeUnit.SECONDS));
        }
        racer.check(done, schema.url());
      } finally {
        claimers.shutdownNow();
      }
      long total = 2L * PER_KIOSK;
      for (String base : bases.subList(1, SERVERS)) {
        String summary = base + "/api/events/" + eventId + "/summary";
        json.await(summary, s -> s.path("responses").asLong() >= total, Duration.ofSeconds(120));
      }
      json.await(hubStatus, s -> s.path("pending").asLong() == 0, Duration.ofSeconds(60));
      String summary = bases.get(SERVERS - 1) + "/api/events/" + eventId + "/summary";
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertEquals(
                      total,
                      json.get(summary).orElseThrow().path("responses").asLong(),
                      "responses counted by a surviving server"));
      assertEquals(
          total, count(schema.url(), eventId, RecordKind.RESPONSE), "response rows in PostgreSQL");
      for (Child server : servers.subList(1, SERVERS)) {
        assertTrue(server.isAlive(), server.name() + " survived");
      }
    }
  }

  /** What two servers answered to the same ticket claimed on both at once (-1: no answer). */
  private record Race(int serial, int first, int second, int statusFirst, int statusSecond) {}

  /**
   * Claims tickets of a device enrolled by the test, each on two servers at the same moment from
   * two wallets: servers 1 and 2, 2 and 3, 3 and 1 in turn, then 2 and 3 once the first is dead.
   * The tickets' records never arrive: each claim also makes the ticket's row.
   */
  private final class Racer {
    private final List<String> bases;
    private final List<String> tokens = new ArrayList<>();
    private final List<SignedTicket> tickets = new ArrayList<>();
    private final DeviceId device;
    private final java.util.concurrent.atomic.AtomicInteger done =
        new java.util.concurrent.atomic.AtomicInteger();
    volatile boolean firstKilled;

    Racer(List<String> bases, String eventId) throws Exception {
      this.bases = bases;
      DeviceKeys keys = DeviceKeys.generate(new SecureRandom());
      device = DeviceId.of("kiosk-race-" + UUID.randomUUID().toString().substring(0, 8));
      HttpResponse<String> enrolled =
          send(
              HttpRequest.newBuilder(
                      URI.create(bases.get(1) + "/api/devices/" + device.value() + "/key"))
                  .header("Authorization", "Bearer " + ADMIN)
                  .header("Content-Type", "application/json")
                  .PUT(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"publicKey\":\""
                              + Base64.getEncoder().encodeToString(keys.publicKeyRaw())
                              + "\"}")));
      assertEquals(201, enrolled.statusCode(), "enrolling the test's device: " + enrolled.body());
      long now = Instant.now().getEpochSecond();
      for (int serial = 1; serial <= RACED; serial++) {
        tickets.add(
            TicketCodec.sign(
                Ticket.of(device, serial, EventId.of(eventId), "response", 2, now, 180, false),
                keys.privateKey()));
      }
      for (int i = 0; i < WALLETS; i++) {
        HttpResponse<String> wallet =
            send(
                HttpRequest.newBuilder(URI.create(bases.get(i % bases.size()) + "/api/wallets"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(201, wallet.statusCode(), wallet.body());
        tokens.add(MAPPER.readTree(wallet.body()).path("token").asText());
      }
    }

    List<Future<Race>> start(ExecutorService pool) {
      List<Future<Race>> races = new ArrayList<>();
      for (int i = 0; i < RACED; i++) {
        int index = i;
        races.add(pool.submit(() -> race(index)));
      }
      return races;
    }

    void awaitDone(int count, Duration timeout) {
      await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> done.get() >= count);
    }

    private Race race(int index) throws Exception {
      SignedTicket ticket = tickets.get(index);
      int first;
      int second;
      if (firstKilled) {
        first = 1 + index % 2;
        second = 2 - index % 2;
      } else {
        first = index % 3;
        second = (index + 1) % 3;
      }
      // Two wallets, both sent before either answer is awaited.
      CompletableFuture<Integer> a = claim(first, tokens.get(index % WALLETS), ticket);
      CompletableFuture<Integer> b = claim(second, tokens.get((index + 7) % WALLETS), ticket);
      Race race = new Race((int) ticket.ticket().serial(), first, second, a.get(), b.get());
      done.incrementAndGet();
      return race;
    }

    private CompletableFuture<Integer> claim(int server, String token, SignedTicket ticket) {
      String body = MAPPER.createObjectNode().put("code", ticket.code()).toString();
      return http.sendAsync(
              HttpRequest.newBuilder(URI.create(bases.get(server) + "/api/claims"))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .thenApply(HttpResponse::statusCode)
          // The first server killed under the claim: no answer, the other one must settle it.
          .exceptionally(e -> server == 0 ? -1 : -2);
    }

    void check(List<Race> races, String url) throws Exception {
      int answeredTwice = 0;
      int credits = 0;
      for (Race race : races) {
        List<Integer> statuses = List.of(race.statusFirst(), race.statusSecond());
        for (int status : statuses) {
          assertTrue(
              status == 201 || status == 409 || status == -1,
              "ticket " + race.serial() + ": " + race + " (201, 409, or no answer from server 1)");
        }
        long created = statuses.stream().filter(s -> s == 201).count();
        assertTrue(created <= 1, "ticket " + race.serial() + " credited twice: " + race);
        if (!statuses.contains(-1)) {
          answeredTwice++;
          assertEquals(1, created, "one 201 and one 409 for ticket " + race.serial() + ": " + race);
        }
        credits += (int) created;
      }
      assertTrue(answeredTwice >= RACED / 2, "most races answered by both: " + answeredTwice);
      System.out.printf(
          "ScaleOutIT: %d tickets claimed on two servers at once; %d answered by both (one 201,"
              + " one 409 each), %d with the first server killed under them; 201s seen: %d%n",
          RACED, answeredTwice, RACED - answeredTwice, credits);
      try (Connection c = DriverManager.getConnection(url);
          PreparedStatement claims =
              c.prepareStatement(
                  "SELECT COUNT(*), COUNT(DISTINCT serial), COALESCE(SUM(briqs), 0)"
                      + " FROM ticket_claims WHERE device_id = ?");
          PreparedStatement credited =
              c.prepareStatement(
                  "SELECT COUNT(*), COUNT(DISTINCT ticket_serial), COALESCE(SUM(amount), 0)"
                      + " FROM ledger_entries WHERE reason = 'claim' AND ticket_device = ?"
                      + " AND amount > 0");
          PreparedStatement rows =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM tickets t JOIN ticket_claims tc"
                      + " ON tc.device_id = t.device_id AND tc.serial = t.serial"
                      + " WHERE t.device_id = ?")) {
        // Every ticket had an answer from a live server: 201, or 409 as another claim took it.
        assertEquals(List.of((long) RACED, (long) RACED, 2L * RACED), row(claims, device));
        assertEquals(
            List.of((long) RACED, (long) RACED, 2L * RACED),
            row(credited, device),
            "ledger credits of the raced tickets: one each");
        assertEquals(List.of((long) RACED), row(rows, device), "claimed ticket rows");
      }
      long held = 0;
      for (String token : tokens) {
        HttpResponse<String> me =
            send(
                HttpRequest.newBuilder(URI.create(bases.get(2) + "/api/wallets/me"))
                    .header("Authorization", "Bearer " + token)
                    .GET());
        assertEquals(200, me.statusCode(), me.body());
        held += MAPPER.readTree(me.body()).path("balance").asLong();
      }
      assertEquals(2L * RACED, held, "the wallets hold each raced ticket's briqs once");
      assertTrue(credits >= answeredTwice, credits + " answered credits");
      HttpResponse<String> audit =
          send(
              HttpRequest.newBuilder(URI.create(bases.get(1) + "/api/ledger/audit"))
                  .header("Authorization", "Bearer " + ADMIN)
                  .GET());
      JsonNode books = MAPPER.readTree(audit.body());
      assertEquals(200, audit.statusCode(), audit.body());
      assertTrue(books.path("ok").asBoolean(), "the ledger's audit: " + books);
      assertEquals(0, books.path("ticketsCreditedTwice").asLong(), books.toString());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
      return http.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static List<Long> row(PreparedStatement select, DeviceId device) throws Exception {
    select.setString(1, device.value());
    try (ResultSet rs = select.executeQuery()) {
      rs.next();
      List<Long> values = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        values.add(rs.getLong(i));
      }
      return values;
    }
  }

  private static long count(String url, String eventId, RecordKind kind) throws Exception {
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM records WHERE event_id = ? AND kind = ?")) {
      select.setString(1, eventId);
      select.setShort(2, (short) kind.code());
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
