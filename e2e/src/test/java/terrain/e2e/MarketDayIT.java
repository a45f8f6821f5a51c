// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventLoader;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.dist.proc.Child;
import terrain.dist.proc.Commands;
import terrain.dist.proc.Json;
import terrain.dist.proc.Ports;
import terrain.store.Database;
import terrain.store.RecordStore;
import terrain.testkit.Services;

/**
 * The market day, with real processes: the server is down, a hub and 4 kiosks record 2,000
 * responses, the hub is killed (SIGKILL) in the middle and restarted, a kiosk is killed and
 * restarted; then the server starts and must count exactly what the kiosks recorded.
 */
class MarketDayIT {
  /** The day of the first test; the external broker's day is smaller (see there). */
  private int kiosks = 4;

  private int perKiosk = 500;
  private boolean kills = true;
  private static final Pattern RECORDED = Pattern.compile("recorded (\\d+) of");
  private static final Duration START = Duration.ofSeconds(90);

  @TempDir Path dir;
  private final Json json = new Json();
  private long kioskIdeas;

  @Test
  void marketDay_whenHubAndKioskKilled_serverCountsEveryResponseExactlyOnce() throws Exception {
    marketDay(null);
  }

  @Test
  void marketDay_whenServerUsesExternalBroker_serverCountsEveryResponseExactlyOnce()
      throws Exception {
    // What this test adds is the uplink through another broker (Mosquitto): the kills and the
    // large day are the first test's; a smaller, quiet day keeps the suite inside its budget.
    kiosks = 2;
    perKiosk = 250;
    kills = false;
    marketDay(Services.mqttUrl());
  }

  private void marketDay(String externalBroker) throws Exception {
    final int total = kiosks * perKiosk;
    // On the shared broker, an event and an ingest group of this run's own (see Apps).
    Path eventFile =
        externalBroker == null
            ? Apps.root().resolve("examples/events/market-day.yaml")
            : Apps.ownEvent(dir.resolve("event"), "md");
    String eventId = EventLoader.load(eventFile).id();
    int serverHttp = Ports.free();
    int serverMqtt = Ports.free();
    int hubMqtt = Ports.free();
    int hubHttp = Ports.free();
    String uplink = externalBroker != null ? externalBroker : "tcp://127.0.0.1:" + serverMqtt;
    String hubId = "hub-it-" + UUID.randomUUID().toString().substring(0, 8);
    String hubStatus = "http://127.0.0.1:" + hubHttp + "/api/status";
    String[] hubArgs = Commands.hub(dir.resolve("hub"), hubMqtt, hubHttp, uplink, hubId);

    try (Apps apps = new Apps(dir.resolve("logs"))) {
      Child hub = apps.start("hub", hubArgs);
      Apps.await(hub, Apps.HTTP_LISTENING, START);

      List<Child> running = new ArrayList<>();
      for (int i = 1; i <= kiosks; i++) {
        running.add(apps.start("kiosk-" + i, kioskArgs(i, hubMqtt, eventFile)));
      }

      if (kills) {
        // Kill the hub in the middle of the day, once it holds a part of the responses.
        json.await(
            hubStatus, s -> s.path("pending").asLong() >= total / 5, Duration.ofSeconds(120));
        hub.kill9();
        await("the killed hub's ports released")
            .atMost(Duration.ofSeconds(30))
            .until(() -> Ports.isFree(hubMqtt) && Ports.isFree(hubHttp));
        hub = apps.start("hub-restarted", hubArgs);
        Apps.await(hub, Apps.HTTP_LISTENING, START);

        // Kill a kiosk while it records, and start it again on the same data folder.
        Child victim = running.get(1);
        Apps.await(victim, RECORDED, Duration.ofSeconds(60));
        victim.kill9();
        running.set(1, apps.start("kiosk-2-restarted", kioskArgs(2, hubMqtt, eventFile)));
      }

      for (Child kiosk : running) {
        assertEquals(0, kiosk.waitFor(Duration.ofSeconds(240)), kiosk.name() + " exit code");
        assertEquals("acked " + perKiosk + " of " + perKiosk, kiosk.lastLine().trim());
      }
      JsonNode beforeServer = json.get(hubStatus).orElseThrow();
      if (externalBroker == null) {
        assertEquals("down", beforeServer.path("uplink").asText());
      }
      // Nothing has reached the server yet: every record the hub holds is pending (responses,
      // the tickets they earned and each kiosk's key record).
      long held = 0;
      for (JsonNode device : beforeServer.path("devices")) {
        held += device.path("committed").asLong();
      }
      assertEquals(held, beforeServer.path("pending").asLong());
      assertTrue(held >= total, "hub holds " + held);

      String[] broker =
          externalBroker == null
              ? new String[0]
              : new String[] {"--broker", externalBroker, "--ingest-group", Apps.ingestGroup()};
      Child server =
          apps.start(
              "server", Commands.server(dir.resolve("server"), serverHttp, serverMqtt, broker));
      Apps.await(server, Apps.HTTP_LISTENING, START);

      String summaryUrl = "http://127.0.0.1:" + serverHttp + "/api/events/" + eventId + "/summary";
      JsonNode summary =
          json.await(
              summaryUrl, s -> s.path("responses").asLong() >= total, Duration.ofSeconds(120));
      json.await(hubStatus, s -> s.path("pending").asLong() == 0, Duration.ofSeconds(60));
      // A late duplicate would show up within these 2 s.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertEquals(
                      total,
                      json.get(summaryUrl).orElseThrow().path("responses").asLong(),
                      "responses once the hub's outbox is empty"));
      summary = json.get(summaryUrl).orElseThrow();

      assertEquals(eventId, summary.path("event").asText());
      assertEquals(total, summary.path("responses").asLong());
      for (Child kiosk : running) {
        kiosk.close();
      }
      assertEquals(countsInKioskDatabases(eventId), counts(summary.path("byQuestion")));
      // Every idea the kiosks left reached the server once.
      JsonNode ideas =
          json.get("http://127.0.0.1:" + serverHttp + "/api/events/" + eventId + "/ideas")
              .orElseThrow();
      assertEquals(kioskIdeas, ideas.path("count").asLong(), "ideas on the server");
      assertTrue(kioskIdeas > 0, "the simulated residents left ideas");
    }
  }

  private String[] kioskArgs(int i, int hubMqtt, Path eventFile) {
    return Commands.simulate(
        hubMqtt,
        eventFile,
        1,
        perKiosk,
        dir.resolve("kiosk-" + i),
        "--seed",
        "" + i,
        "--rate",
        "150");
  }

  /** What the kiosks themselves recorded, read from their own Derby databases. */
  private Map<String, Map<String, Long>> countsInKioskDatabases(String eventId) throws Exception {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    int seen = 0;
    for (int i = 1; i <= kiosks; i++) {
      List<Path> databases = Apps.derbyDatabases(dir.resolve("kiosk-" + i));
      assertEquals(1, databases.size(), "one kiosk database under kiosk-" + i + ": " + databases);
      Database database = Database.open(Database.derbyUrl(databases.get(0)));
      try (RecordStore store = new RecordStore(database)) {
        List<Record> records = store.records(eventId, RecordKind.RESPONSE);
        assertEquals(perKiosk, records.size(), "responses in kiosk-" + i);
        List<Record> tickets = store.records(eventId, RecordKind.TICKET);
        assertEquals(perKiosk, tickets.size(), "one ticket per response in kiosk-" + i);
        int ideas = store.records(eventId, RecordKind.IDEA).size();
        kioskIdeas += ideas;
        RecordStore.DeviceProgress progress = store.devices().get(0);
        // Key record + responses + tickets + ideas, seq without gap, all acknowledged by the hub.
        assertEquals(1 + 2L * perKiosk + ideas, progress.upto(), "kiosk-" + i + " seq without gap");
        assertEquals(0, store.pendingCount(), "kiosk-" + i + " outbox is empty");
        for (Record record : records) {
          for (ResponseBody.Answer answer : ResponseBody.decode(record.body()).answers()) {
            if (terrain.core.event.ProfileSettings.isReserved(answer.questionId())) {
              // "Who are you" answers are counted apart, under "participants".
              continue;
            }
            for (String option : answer.optionIds()) {
              counts
                  .computeIfAbsent(answer.questionId(), q -> new TreeMap<>())
                  .merge(option, 1L, Long::sum);
            }
          }
        }
        seen += records.size();
      } finally {
        database.close();
      }
    }
    assertEquals(kiosks * perKiosk, seen);
    return counts;
  }

  private static Map<String, Map<String, Long>> counts(JsonNode byQuestion) {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    byQuestion
        .fields()
        .forEachRemaining(
            q ->
                q.getValue()
                    .fields()
                    .forEachRemaining(
                        o -> {
                          if (o.getValue().asLong() > 0) {
                            counts
                                .computeIfAbsent(q.getKey(), k -> new TreeMap<>())
                                .put(o.getKey(), o.getValue().asLong());
                          }
                        }));
    return counts;
  }
}
