// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.workshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;
import terrain.server.SyncServer;
import terrain.server.testkit.Http;
import terrain.server.testkit.Peers;
import terrain.server.testkit.TestEnv;
import terrain.testkit.MqttPeer;

/**
 * A workshop's records through a hub's MQTT batch into the server's Derby, folded at {@code GET
 * /api/events/{id}/workshop}: ideas by group, votes, head count; sent twice, counted once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkshopApiTest {
  static final String EVENT = "atelier-parc-2026-12-12";
  static final String ADMIN = "admin-token-for-workshop-tests-0123456789";
  static final DeviceId ANIM = DeviceId.of("tablette-anim");
  static final DeviceId TABLE = DeviceId.of("tablette-1");

  @TempDir static Path dir;
  SyncServer server;
  Http http;

  @BeforeAll
  void start() throws Exception {
    Path event = Path.of("../examples/events/atelier-parc.yaml");
    server =
        SyncServer.start(
            TestEnv.moderatedConfig(dir, null, List.of(event), ADMIN),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    http = new Http(server.baseUrl());
    List<Record> records = new ArrayList<>();
    records.add(record(TABLE, 1, new WorkshopAction.Idea("idees", 1, "fr", "Des bancs")));
    records.add(record(TABLE, 2, new WorkshopAction.Idea("idees", 1, "fr", "Une fontaine")));
    records.add(
        record(TABLE, 5, new WorkshopAction.Idea("idees", 1, "fr", "<script>alert(1)</script>")));
    records.add(record(ANIM, 1, new WorkshopAction.NewGroup("regroupement", "Se reposer")));
    ItemRef group = new ItemRef(ANIM, 1);
    records.add(
        record(
            ANIM,
            2,
            new WorkshopAction.Place("regroupement", new ItemRef(TABLE, 1), Optional.of(group))));
    for (int p = 0; p < 6; p++) {
      records.add(record(ANIM, 3 + p, new WorkshopAction.Attend("accueil", "30-44", "")));
    }
    records.add(record(TABLE, 3, new WorkshopAction.Vote("vote", "voter-01", group, 2)));
    records.add(
        record(TABLE, 4, new WorkshopAction.Vote("vote", "voter-01", new ItemRef(TABLE, 2), 1)));
    DeviceId hubId = DeviceId.of("hub-atelier-" + TestEnv.unique());
    // A phone's vote on the hub's Wi-Fi: a record of the hub's own identity (decision 0034).
    records.add(
        new Record(
            hubId,
            1,
            RecordKind.WORKSHOP,
            EVENT,
            1_780_000_009_000L,
            0,
            new WorkshopAction.Vote("vote", "phZpQ3xVb2", group, 1).encode()));
    try (MqttPeer hub = Peers.hub("tcp://127.0.0.1:" + server.brokerPort(), hubId)) {
      hub.publish(Topics.hubUp(hubId), new Batch(hubId, 1, records));
      hub.nextAck(Duration.ofSeconds(20));
      hub.publish(Topics.hubUp(hubId), new Batch(hubId, 2, records));
      assertEquals(
          Map.of(ANIM, 8L, TABLE, 5L, hubId, 1L), hub.nextAck(Duration.ofSeconds(20)).upTo());
    }
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void workshopApi_foldsTheRoom_ideasByGroupVotesAndAttendance() throws Exception {
    Http.Reply reply = http.get("/api/events/" + EVENT + "/workshop");

    assertEquals(200, reply.status());
    JsonNode room = reply.json();
    assertEquals(3, room.path("ideas").asInt());
    assertEquals("Se reposer", room.path("groups").get(0).path("title").asText());
    assertEquals(
        "tablette-1:1", room.path("groups").get(0).path("ideas").get(0).path("id").asText());
    assertEquals(3, room.path("groups").get(0).path("votes").asInt(), "2 from a tablet, 1 phone");
    assertEquals("tablette-1:2", room.path("ungrouped").get(0).path("id").asText());
    assertTrue(room.path("ungrouped").get(0).path("text").isMissingNode(), "texts unpublished");
    assertEquals(4, room.path("votes").asInt());
    assertEquals(2, room.path("voters").asInt());
    assertEquals(6, room.path("attendance").path("total").asInt());
    assertEquals(6, room.path("attendance").path("ageBands").path("30-44").asInt());
  }

  @Test
  void workshopIdeas_waitInTheModerationQueue_andOnlyPublishedTextsArePublic() throws Exception {
    Http.Reply pending =
        http.send("GET", "/api/moderation", null, "Authorization", "Bearer " + ADMIN);
    JsonNode items = pending.json().path("pending");
    List<String> workshop = new ArrayList<>();
    items.forEach(
        i -> {
          if (i.path("kind").asText().equals("workshop")) {
            workshop.add(i.path("id").asText() + " " + i.path("table") + " " + i.path("text"));
          }
        });
    assertTrue(
        workshop.contains("tablette-1~1 1 \"Des bancs\""), "pending, once each: " + pending.body());
    assertEquals(3, workshop.size(), pending.body());

    Http.Reply published =
        http.send(
            "POST",
            "/api/moderation/workshop/tablette-1~1",
            "{\"decision\":\"publish\",\"by\":\"Karim\"}",
            "Authorization",
            "Bearer " + ADMIN);
    assertEquals(200, published.status(), published.body());
    http.send(
        "POST",
        "/api/moderation/workshop/tablette-1~5",
        "{\"decision\":\"reject\"}",
        "Authorization",
        "Bearer " + ADMIN);
    assertEquals(
        404,
        http.send(
                "POST",
                "/api/moderation/workshop/tablette-1~3",
                "{\"decision\":\"publish\"}",
                "Authorization",
                "Bearer " + ADMIN)
            .status(),
        "a vote is not an idea");

    JsonNode room = http.get("/api/events/" + EVENT + "/workshop").json();
    assertEquals(1, room.path("published").asInt());
    JsonNode grouped = room.path("groups").get(0).path("ideas").get(0);
    assertEquals("Des bancs", grouped.path("text").asText());
    assertEquals("fr", grouped.path("language").asText());
    room.path("ungrouped")
        .forEach(i -> assertTrue(i.path("text").isMissingNode(), "unpublished: " + i));

    String page = http.get("/events/" + EVENT).body();
    assertTrue(page.contains("<section id=\"workshop\""), page);
    assertTrue(page.contains("Atelier : Le parc de demain"), page);
    assertTrue(page.contains("Des bancs"), "the published idea");
    assertTrue(page.contains("3 gommettes"), "the group's votes");
    assertTrue(page.contains("2 idées attendent la modération"), page);
    assertTrue(!page.contains("Une fontaine"), "an idea awaiting moderation is not shown");
    assertTrue(!page.contains("alert(1)"), "a rejected idea is not shown");
    assertTrue(
        page.contains("6 personnes comptées à l’entrée")
            || page.contains("6 personnes comptées à l'entrée")
            || page.contains("6 personnes comptées à l&#39;entrée"),
        page);
    assertTrue(page.contains("<span class=\"n\">6</span>"), "6 in the age band 30-44: " + page);
    String english = http.get("/events/" + EVENT + "?lang=en").body();
    assertTrue(english.contains("Workshop: The park of tomorrow"), english);
    assertTrue(english.contains("fewer than 5") || english.contains("6 people counted"), english);
  }

  @Test
  void workshopApi_whenEventHasNoWorkshopOrIsUnknown_is404() throws Exception {
    assertEquals(404, http.get("/api/events/autre-evenement/workshop").status());
    assertEquals(404, http.get("/api/events/%3Cscript%3E/workshop").status());
  }

  private static Record record(DeviceId device, long seq, WorkshopAction action) {
    return new Record(
        device,
        seq,
        RecordKind.WORKSHOP,
        EVENT,
        1_780_000_000_000L + seq * 1000,
        0,
        action.encode());
  }
}
