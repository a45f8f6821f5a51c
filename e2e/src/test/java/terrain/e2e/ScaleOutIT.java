// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventLoader;
import terrain.core.record.RecordKind;
import terrain.dist.proc.Child;
import terrain.dist.proc.Commands;
import terrain.dist.proc.Json;
import terrain.dist.proc.Ports;
import terrain.testkit.Postgres;
import terrain.testkit.Services;

/**
 * Scale-out: two {@code server} processes on one PostgreSQL schema and one Mosquitto share the
 * ingest through their {@code --ingest-group}; a hub and two kiosks record through them, one server
 * is killed with SIGKILL in the middle; every response is counted once.
 */
class ScaleOutIT {
  private static final Pattern RECORDED = Pattern.compile("recorded [1-9]\\d* of");
  private static final Duration START = Duration.ofSeconds(90);
  private static final int PER_KIOSK = 200;

  @TempDir Path dir;
  private final Json json = new Json();
  private Postgres.Schema schema;

  @AfterEach
  void dropSchema() throws Exception {
    if (schema != null) {
      schema.drop();
    }
  }

  @Test
  void twoServers_whenOneKilledMidRun_everyResponseCountedOnce() throws Exception {
    schema = Postgres.freshSchema();
    String broker = Services.mqttUrl();
    // A group of this test's own: other runs on the same Mosquitto must not take its batches.
    String group = "it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    // An event id of this test's own: every server on a broker receives every hub's batches (the
    // group only splits them among its members), so other runs' market days would be counted too.
    String eventId = "so-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    Path examples = Apps.root().resolve("examples/events");
    try (var pictures = Files.list(examples)) { // the pictures the event file names
      for (Path picture : pictures.filter(p -> p.toString().endsWith(".png")).toList()) {
        Files.copy(picture, dir.resolve(picture.getFileName()));
      }
    }
    Path eventFile = dir.resolve("event.yaml");
    Files.writeString(
        eventFile,
        Files.readString(examples.resolve("market-day.yaml"))
            .replaceFirst("(?m)^id: .*$", "id: " + eventId));
    assertEquals(eventId, EventLoader.load(eventFile).id());
    int hubMqtt = Ports.free();
    int hubHttp = Ports.free();
    String hubId = "hub-so-" + UUID.randomUUID().toString().substring(0, 8);
    String hubStatus = "http://127.0.0.1:" + hubHttp + "/api/status";

    try (Apps apps = new Apps(dir.resolve("logs"))) {
      List<Child> servers = new ArrayList<>();
      List<Integer> httpPorts = new ArrayList<>();
      for (int i = 1; i <= 2; i++) {
        int http = Ports.free();
        httpPorts.add(http);
        servers.add(
            apps.start(
                "server-" + i,
                Commands.server(
                    dir.resolve("server-" + i),
                    http,
                    Ports.free(),
                    "--broker",
                    broker,
                    "--db",
                    schema.url(),
                    "--ingest-group",
                    group)));
        // One after the other: the first migrates the schema.
        Apps.await(servers.get(i - 1), Apps.HTTP_LISTENING, START);
      }
      Child hub =
          apps.start("hub", Commands.hub(dir.resolve("hub"), hubMqtt, hubHttp, broker, hubId));
      Apps.await(hub, Apps.HTTP_LISTENING, START);
      List<Child> kiosks = new ArrayList<>();
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
      // Both servers take batches before one of them dies.
      Apps.await(kiosks.get(0), RECORDED, Duration.ofSeconds(60));
      String firstSummary =
          "http://127.0.0.1:" + httpPorts.get(0) + "/api/events/" + eventId + "/summary";
      json.await(firstSummary, s -> s.path("responses").asLong() > 0, Duration.ofSeconds(60));
      servers.get(0).kill9();

      for (Child kiosk : kiosks) {
        assertEquals(0, kiosk.waitFor(Duration.ofSeconds(180)), kiosk.name() + " exit code");
        assertEquals("acked " + PER_KIOSK + " of " + PER_KIOSK, kiosk.lastLine().trim());
      }
      long total = 2L * PER_KIOSK;
      String summary =
          "http://127.0.0.1:" + httpPorts.get(1) + "/api/events/" + eventId + "/summary";
      json.await(summary, s -> s.path("responses").asLong() >= total, Duration.ofSeconds(120));
      json.await(hubStatus, s -> s.path("pending").asLong() == 0, Duration.ofSeconds(60));
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertEquals(
                      total,
                      json.get(summary).orElseThrow().path("responses").asLong(),
                      "responses counted by the surviving server"));
      assertEquals(
          total, count(schema.url(), eventId, RecordKind.RESPONSE), "response rows in PostgreSQL");
      assertTrue(servers.get(1).isAlive(), "the second server survived");
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
