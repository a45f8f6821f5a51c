// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventLoader;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.ticket.DeviceKeys;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.Ticket;
import terrain.core.ticket.TicketCodec;
import terrain.core.ticket.TicketRecord;
import terrain.core.trust.EnrolmentText;
import terrain.dist.proc.Child;
import terrain.dist.proc.Commands;
import terrain.dist.proc.Json;
import terrain.dist.proc.Ports;
import terrain.store.Database;
import terrain.store.RecordStore;

/**
 * Device trust across real processes: a server without {@code --dev}, the event published and the
 * devices enrolled with {@code terrain provision}, a hub and kiosks enrolled from the CLI's JSON. A
 * kiosk that never enrolled is refused by the hub, a revoked kiosk is disconnected and its later
 * tickets refused, a ticket re-signed with a stolen key for 10,000 briqs is refused, and an
 * enrolment text works once.
 */
class DeviceTrustIT {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String ADMIN = "admin-token-for-the-trust-test-0123456789";
  private static final int PER_KIOSK = 150;
  private static final Duration START = Duration.ofSeconds(90);

  @TempDir Path dir;

  private final Json json = new Json();
  private final HttpClient http = HttpClient.newHttpClient();
  private String server;

  @Test
  void enrolledMarketDay_refusesStrangersRevokedKiosksAndForgedTickets() throws Exception {
    Path eventFile = Apps.root().resolve("examples/events/market-day.yaml");
    EventId eventId = EventId.of(EventLoader.load(eventFile).id());
    int serverHttp = Ports.free();
    int serverMqtt = Ports.free();
    int hubMqtt = Ports.free();
    int hubHttp = Ports.free();
    server = "http://127.0.0.1:" + serverHttp;
    String hubStatus = "http://127.0.0.1:" + hubHttp + "/api/status";

    try (Apps apps = new Apps(dir.resolve("logs"))) {
      Child serverProcess =
          apps.start(
              "server",
              // Its start is not under test: no ingest warm-up (as Apps.serverStartedCold).
              Commands.enrolledServer(
                  dir.resolve("server"),
                  serverHttp,
                  serverMqtt,
                  "--admin-token",
                  ADMIN,
                  "--warm-up",
                  "0"));
      Apps.await(serverProcess, Apps.HTTP_LISTENING, START);

      // The week before: publish the event, enrol a hub and three kiosks, print the kit.
      run(
          apps,
          "publish",
          "provision",
          "event",
          "publish",
          eventFile.toString(),
          "--server",
          server,
          "--token",
          ADMIN);
      JsonNode hub = enrol(apps, "enrol-hub", "--kind", "hub", "--name", "Hub du marché");
      Path kit = dir.resolve("kit.pdf");
      JsonNode kiosks =
          enrol(
              apps,
              "enrol-kiosks",
              "--kind",
              "kiosk",
              "--count",
              "3",
              "--name",
              "Borne",
              "--hub",
              "tcp://127.0.0.1:" + hubMqtt,
              "--kit",
              kit.toString());
      assertEquals(3, kiosks.size());
      List<String> texts = new ArrayList<>();
      kiosks.forEach(k -> texts.add(k.path("enrolment").asText()));
      assertEquals(texts, KitQrCodes.read(kit), "the kit's QR codes hold the enrolment texts");

      // The hub enrols with its text; the same text a second time is refused and changes nothing.
      String hubText = hub.get(0).path("enrolment").asText();
      String[] hubArgs = {
        "hub",
        "--enrol",
        hubText,
        "--data",
        dir.resolve("hub").toString(),
        "--mqtt",
        "" + hubMqtt,
        "--http",
        "" + hubHttp
      };
      Child hubProcess = apps.start("hub", hubArgs);
      Apps.await(hubProcess, Apps.HTTP_LISTENING, START);
      Child again =
          apps.start(
              "hub-enrol-again",
              "hub",
              "--enrol",
              hubText,
              "--data",
              dir.resolve("hub-copy").toString(),
              "--mqtt",
              "" + Ports.free(),
              "--http",
              "" + Ports.free());
      assertNotEquals(0, again.waitFor(Duration.ofSeconds(60)), "a used token is refused");
      assertTrue(
          String.join("\n", again.output()).contains("roll"),
          "the refusal says how to get a new token:\n" + String.join("\n", again.output()));
      assertFalse(Files.exists(dir.resolve("hub-copy").resolve("trust")));

      // A stranger with development credentials is refused by the hub.
      Child stranger =
          apps.start(
              "stranger",
              Commands.simulate(hubMqtt, eventFile, 1, 20, dir.resolve("stranger"), "--dev"));

      // Kiosks 1 and 2 record a market day and are acknowledged.
      Path firstTwo = dir.resolve("enrolments-1-2.json");
      Files.writeString(firstTwo, slice(kiosks, 0, 2).toString());
      Child market =
          apps.start(
              "kiosks-1-2",
              Commands.simulate(
                  hubMqtt,
                  eventFile,
                  2,
                  2 * PER_KIOSK,
                  dir.resolve("kiosks-1-2"),
                  "--enrolments",
                  firstTwo.toString(),
                  "--rate",
                  "100"));
      assertEquals(0, market.waitFor(Duration.ofSeconds(240)), "kiosks 1-2 exit code");
      assertEquals("acked " + 2 * PER_KIOSK + " of " + 2 * PER_KIOSK, market.lastLine().trim());

      // Kiosk 3 records slowly; once the server holds some of it, ops revoke it.
      Path third = dir.resolve("enrolments-3.json");
      Files.writeString(third, slice(kiosks, 2, 3).toString());
      String kiosk3 = kiosks.get(2).path("id").asText();
      Child slow =
          apps.start(
              "kiosk-3",
              Commands.simulate(
                  hubMqtt,
                  eventFile,
                  1,
                  100_000,
                  dir.resolve("kiosk-3"),
                  "--enrolments",
                  third.toString(),
                  "--rate",
                  "5"));
      json.await(
          hubStatus,
          s -> committed(s, kiosk3) >= 10 && s.path("pending").asLong() == 0,
          Duration.ofSeconds(120));
      run(
          apps,
          "revoke",
          "provision",
          "device",
          "revoke",
          kiosk3,
          "--server",
          server,
          "--token",
          ADMIN);
      json.await(hubStatus, s -> !online(s, kiosk3), Duration.ofSeconds(60));
      long heldAtRevocation = committed(json.get(hubStatus).orElseThrow(), kiosk3);
      // It goes on printing tickets that no hop will take.
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
      assertEquals(heldAtRevocation, committed(json.get(hubStatus).orElseThrow(), kiosk3));
      slow.kill9();

      // Everything the hub took reaches the server once: counted, or kept aside when the hub
      // received it after the revocation (before the hub heard of it). The stranger's records
      // never reach anyone.
      json.await(hubStatus, s -> s.path("pending").asLong() == 0, Duration.ofSeconds(60));
      String summaryUrl = server + "/api/events/" + eventId + "/summary";
      long heldByHub = responsesHeldByHub(dir.resolve("kiosk-3"), eventId, heldAtRevocation);
      long expected = 2L * PER_KIOSK + heldByHub;
      await("every response the hub took, counted or kept aside")
          .atMost(START)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  json.get(summaryUrl).map(j -> j.path("responses").asLong()).orElse(0L)
                          + setAsideResponses(kiosk3)
                      == expected);
      long counted = json.get(summaryUrl).orElseThrow().path("responses").asLong();
      long keptAside = setAsideResponses(kiosk3);
      assertEquals(expected, counted + keptAside, "responses counted once or kept aside");
      assertTrue(counted > 2L * PER_KIOSK, "kiosk 3's responses before the revocation count");
      assertTrue(keptAside < heldByHub, "kept aside: " + keptAside + " of " + heldByHub);
      assertFalse(
          stranger.output().stream().anyMatch(l -> l.trim().equals("acked 20 of 20")),
          "the stranger was never acknowledged:\n" + String.join("\n", stranger.output()));
      assertEquals(0, committedOfStranger(json.get(hubStatus).orElseThrow(), kiosks, hub));
      stranger.close();

      // Kiosk 3's first ticket reached the server before the revocation: it is claimed. Its last
      // one was printed after: refused, whatever time it says.
      List<SignedTicket> tickets = tickets(dir.resolve("kiosk-3"), eventId);
      String wallet = newWallet(server);
      HttpResponse<String> first = claim(server, wallet, tickets.get(0).code());
      assertEquals(201, first.statusCode(), first.body());
      HttpResponse<String> last = claim(server, wallet, tickets.get(tickets.size() - 1).code());
      assertEquals(403, last.statusCode(), last.body());

      // A thief with kiosk 1's key signs a ticket for 10,000 briqs: refused.
      Path keyFile = findOne(dir.resolve("kiosks-1-2"), "device-ed25519.pk8");
      DeviceKeys stolen = DeviceKeys.fromPkcs8(Files.readAllBytes(keyFile));
      String kiosk1 = kiosks.get(0).path("id").asText();
      Ticket forged =
          Ticket.of(
              DeviceId.of(kiosk1),
              99_999,
              eventId,
              "response",
              10_000,
              System.currentTimeMillis() / 1000,
              30,
              false);
      HttpResponse<String> refused =
          claim(server, wallet, TicketCodec.sign(forged, stolen.privateKey()).code());
      assertEquals(422, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("BRIQS"), refused.body());
    }
  }

  private static void run(Apps apps, String name, String... args) throws Exception {
    Child child = apps.start(name, args);
    int exit = child.waitFor(Duration.ofSeconds(60));
    assertEquals(0, exit, name + ":\n" + String.join("\n", child.output()));
  }

  /** {@code provision device enrol ... --json}: the JSON list it prints. */
  private JsonNode enrol(Apps apps, String name, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("provision", "device", "enrol"));
    args.addAll(List.of(more));
    args.addAll(
        List.of(
            "--event",
            EventLoader.load(Apps.root().resolve("examples/events/market-day.yaml")).id(),
            "--server",
            server,
            "--token",
            ADMIN,
            "--json"));
    Child child = apps.start(name, args.toArray(String[]::new));
    assertEquals(0, child.waitFor(Duration.ofSeconds(60)), String.join("\n", child.output()));
    for (String line : child.output()) {
      if (line.startsWith("[")) {
        JsonNode list = MAPPER.readTree(line);
        for (JsonNode entry : list) {
          EnrolmentText.parse(entry.path("enrolment").asText());
        }
        return list;
      }
    }
    throw new AssertionError("no JSON list in:\n" + String.join("\n", child.output()));
  }

  private static ArrayNode slice(JsonNode list, int from, int to) {
    ArrayNode out = MAPPER.createArrayNode();
    for (int i = from; i < to; i++) {
      out.add(list.get(i));
    }
    return out;
  }

  private static JsonNode device(JsonNode status, String id) {
    for (JsonNode d : status.path("devices")) {
      if (d.path("id").asText().equals(id)) {
        return d;
      }
    }
    return MAPPER.createObjectNode();
  }

  private static long committed(JsonNode status, String id) {
    return device(status, id).path("committed").asLong();
  }

  private static boolean online(JsonNode status, String id) {
    return device(status, id).path("online").asBoolean(false);
  }

  /** The server's kept-aside responses of one device (received by a hop after its revocation). */
  private long setAsideResponses(String device) throws Exception {
    HttpResponse<String> list =
        http.send(
            HttpRequest.newBuilder(URI.create(server + "/api/admin/set-aside"))
                .header("Authorization", "Bearer " + ADMIN)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, list.statusCode(), list.body());
    long n = 0;
    for (JsonNode entry : MAPPER.readTree(list.body()).path("setAside")) {
      assertEquals(device, entry.path("device").asText(), "only the revoked kiosk is kept aside");
      if (entry.path("kind").asText().equalsIgnoreCase("response")) {
        n++;
      }
    }
    return n;
  }

  /** Records the hub holds of devices that were never enrolled. */
  private static long committedOfStranger(JsonNode status, JsonNode kiosks, JsonNode hub) {
    List<String> known = new ArrayList<>();
    kiosks.forEach(k -> known.add(k.path("id").asText()));
    hub.forEach(h -> known.add(h.path("id").asText()));
    long n = 0;
    for (JsonNode d : status.path("devices")) {
      if (!known.contains(d.path("id").asText())) {
        n += d.path("committed").asLong();
      }
    }
    return n;
  }

  /**
   * Kiosk 3's responses the hub holds: those of seq 1 to {@code upTo}, the hub's own mark for the
   * kiosk. Not the kiosk's mark of what the hub acknowledged: a kiosk killed, or revoked, between
   * the hub's commit and its ack never hears of the last records the hub took.
   */
  private static long responsesHeldByHub(Path folder, EventId eventId, long upTo) throws Exception {
    Path db = Apps.derbyDatabases(folder).get(0);
    Database database = Database.open(Database.derbyUrl(db));
    try (RecordStore store = new RecordStore(database)) {
      return store.records(eventId.value(), RecordKind.RESPONSE).stream()
          .filter(r -> r.seq() <= upTo)
          .count();
    } finally {
      database.close();
    }
  }

  /** Kiosk 3's tickets, by serial. */
  private static List<SignedTicket> tickets(Path folder, EventId eventId) throws Exception {
    Path db = Apps.derbyDatabases(folder).get(0);
    Database database = Database.open(Database.derbyUrl(db));
    try (RecordStore store = new RecordStore(database)) {
      List<SignedTicket> out = new ArrayList<>();
      for (Record r : store.records(eventId.value(), RecordKind.TICKET)) {
        out.add(TicketCodec.parse(TicketRecord.decode(r.body()).code()));
      }
      out.sort(Comparator.comparingLong(t -> t.ticket().serial()));
      assertTrue(out.size() >= 2, "kiosk 3 printed tickets: " + out.size());
      return out;
    } finally {
      database.close();
    }
  }

  private static Path findOne(Path folder, String name) throws Exception {
    try (var walk = Files.walk(folder)) {
      return walk.filter(p -> p.getFileName().toString().equals(name))
          .sorted()
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + name + " under " + folder));
    }
  }

  private String newWallet(String server) throws Exception {
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(URI.create(server + "/api/wallets"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
    return MAPPER.readTree(created.body()).path("token").asText();
  }

  private HttpResponse<String> claim(String server, String token, String code) throws Exception {
    String body = MAPPER.createObjectNode().put("code", code).toString();
    return http.send(
        HttpRequest.newBuilder(URI.create(server + "/api/claims"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
