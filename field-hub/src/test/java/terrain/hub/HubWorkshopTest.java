// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.hub.TestSupport.awaitJson;
import static terrain.hub.TestSupport.config;
import static terrain.hub.TestSupport.freePort;
import static terrain.hub.TestSupport.get;
import static terrain.hub.TestSupport.kiosk;
import static terrain.hub.TestSupport.send;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.core.wire.WireCodec;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;
import terrain.core.workshop.WorkshopAction.Command;
import terrain.testkit.MqttPeer;

/**
 * A workshop room through a real hub: three tablets send their actions as WORKSHOP records over
 * MQTT; {@code /api/workshop} folds them into the phase, the ideas by group, the vote (hidden until
 * revealed) and the head count, and {@code /workshop} is the projector page, in Arabic too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HubWorkshopTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final DeviceId ANIM = DeviceId.of("tablette-anim");
  private static final DeviceId T1 = DeviceId.of("tablette-1");
  private static final DeviceId T2 = DeviceId.of("tablette-2");

  @TempDir static Path dir;
  private static EventDefinition atelier;
  private static Hub hub;
  private static MqttPeer anim;
  private static MqttPeer table1;
  private static MqttPeer table2;
  private static long animSeq;
  private static long now;

  @BeforeAll
  static void startHub() throws Exception {
    atelier = EventLoader.load(Path.of("../examples/events/atelier-parc.yaml"));
    hub =
        Hub.start(
            config(dir, 0, "tcp://127.0.0.1:" + freePort(), "hub-atelier")
                .withEvents(List.of(atelier)),
            Clock.systemUTC(),
            new SecureRandom());
    anim = kiosk(ANIM, hub.mqttPort());
    table1 = kiosk(T1, hub.mqttPort());
    table2 = kiosk(T2, hub.mqttPort());
    now = System.currentTimeMillis();
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {anim, table1, table2, hub}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  @Order(1)
  void ideasPhase_showsTheQuestionTimerAndIdeasByTable() throws Exception {
    facilitator(new WorkshopAction.Control("accueil", Command.START, 0));
    facilitator(new WorkshopAction.Attend("accueil", "30-44", "saint-michel"));
    facilitator(new WorkshopAction.Control("idees", Command.START, 0));
    send(
        table1,
        T1,
        1,
        List.of(
            record(T1, 1, new WorkshopAction.Idea("idees", 1, "fr", "Des bancs à l'ombre")),
            record(T1, 2, new WorkshopAction.Idea("idees", 1, "fr", "Un kiosque à musique"))));
    send(
        table2,
        T2,
        1,
        List.of(record(T2, 1, new WorkshopAction.Idea("idees", 2, "ar", "ملعب للأطفال"))));

    JsonNode room =
        awaitJson(hub.httpUrl() + "/api/workshop?lang=en", v -> v.path("ideas").asInt() == 3, WAIT);

    assertEquals(atelier.id(), room.path("eventId").asText());
    assertEquals("The park of tomorrow", room.path("title").asText());
    assertEquals("ideas", room.path("phase").path("kind").asText());
    assertEquals("Step 2 of 5", room.path("phase").path("step").asText());
    assertEquals(
        "What would you like to do in the park?", room.path("phase").path("prompt").asText());
    assertTrue(room.path("phase").path("running").asBoolean());
    long remaining = room.path("phase").path("remainingSeconds").asLong();
    assertTrue(remaining > 19 * 60 && remaining <= 20 * 60, "20 min phase: " + remaining);
    assertEquals("3 ideas", room.path("ideasText").asText());
    assertEquals(2, room.path("tables").get(0).path("ideas").asInt());
    assertEquals("Table 2", room.path("tables").get(1).path("label").asText());
    assertEquals(1, room.path("attendance").path("total").asInt());
    assertTrue(
        room.path("attendance").path("ageBands").path("30-44").isNull(),
        "a band of fewer than 5 people is not given: " + room.path("attendance"));
  }

  @Test
  @Order(2)
  void vote_isHiddenUntilRevealed_thenRanksGroups() throws Exception {
    ItemRef shade = facilitator(new WorkshopAction.NewGroup("regroupement", "Se reposer"));
    facilitator(new WorkshopAction.Place("regroupement", new ItemRef(T1, 1), Optional.of(shade)));
    facilitator(new WorkshopAction.Control("vote", Command.START, 0));
    send(
        table1,
        T1,
        2,
        List.of(
            record(T1, 3, new WorkshopAction.Vote("vote", "voter-a1", shade, 2)),
            record(T1, 4, new WorkshopAction.Vote("vote", "voter-a1", new ItemRef(T2, 1), 1))));
    send(
        table2,
        T2,
        2,
        List.of(record(T2, 2, new WorkshopAction.Vote("vote", "voter-b2", shade, 2))));

    JsonNode hidden =
        awaitJson(
            hub.httpUrl() + "/api/workshop", v -> v.path("vote").path("voters").asInt() == 2, WAIT);
    assertEquals("vote", hidden.path("phase").path("kind").asText());
    assertTrue(hidden.path("vote").path("votes").isNull(), "anonymous until revealed");
    assertTrue(hidden.path("groups").get(0).path("votes").isNull());
    assertEquals(
        "Les résultats seront dévoilés par l'animateur.",
        hidden.path("vote").path("hiddenText").asText());

    facilitator(new WorkshopAction.Reveal("vote"));
    JsonNode shown =
        awaitJson(
            hub.httpUrl() + "/api/workshop",
            v -> v.path("vote").path("revealed").asBoolean(),
            WAIT);
    JsonNode ranking = shown.path("vote").path("ranking");
    assertEquals("Se reposer", ranking.get(0).path("label").asText());
    assertEquals(4, ranking.get(0).path("votes").asInt());
    assertEquals("ملعب للأطفال", ranking.get(1).path("label").asText());
    assertEquals(1, ranking.get(1).path("votes").asInt());
    assertEquals(5, shown.path("vote").path("votes").asInt());
    assertEquals(4, shown.path("groups").get(0).path("votes").asInt());
  }

  @Test
  @Order(3)
  void relay_givesATabletThatComesBackTheWholeRoom_asOneRetainedBatch() throws Exception {
    DeviceId late = DeviceId.of("tablette-3");
    try (MqttPeer tablet = kiosk(late, hub.mqttPort())) {
      tablet.subscribe(Topics.eventWorkshop(atelier.id()));
      int sent = (int) animSeq + 4 + 2;
      Batch room =
          org.awaitility.Awaitility.await()
              .atMost(WAIT)
              .until(
                  () ->
                      tablet
                          .last(Topics.eventWorkshop(atelier.id()))
                          .map(m -> decode(m.payload()))
                          .orElse(null),
                  b -> b != null && b.records().size() == sent);
      assertEquals(
          3, room.records().stream().map(Record::device).distinct().count(), "all three tablets");
      assertTrue(room.records().stream().allMatch(r -> r.kind() == RecordKind.WORKSHOP));
    }
  }

  @Test
  @Order(4)
  void projectorPage_speaksArabicRightToLeft_andRefusesABadEventId() throws Exception {
    HttpResponse<String> arabic = get(hub.httpUrl() + "/workshop?lang=ar");
    assertEquals(200, arabic.statusCode());
    assertTrue(arabic.body().contains("<html lang=\"ar\" dir=\"rtl\">"), arabic.body());
    assertTrue(arabic.body().contains("/api/workshop?lang=ar"), arabic.body());
    HttpResponse<String> french = get(hub.httpUrl() + "/workshop");
    assertTrue(french.body().contains("<title>Atelier</title>"), french.body());
    assertScriptAllowed(french);
    assertScriptAllowed(get(hub.httpUrl() + "/results"));
    assertEquals(400, get(hub.httpUrl() + "/workshop?event=%3Cscript%3E").statusCode());
    assertEquals(404, get(hub.httpUrl() + "/api/workshop?event=autre-evenement").statusCode());
  }

  /** The page's inline script runs: the policy names its hash and lets it fetch the JSON. */
  private static void assertScriptAllowed(HttpResponse<String> page) throws Exception {
    String body = page.body();
    int start = body.indexOf("<script>") + "<script>".length();
    String script = body.substring(start, body.indexOf("</script>", start));
    String hash =
        java.util.Base64.getEncoder()
            .encodeToString(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(script.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertTrue(policy.contains("script-src 'sha256-" + hash + "'"), policy);
    assertTrue(policy.contains("connect-src 'self'"), policy);
  }

  private static Batch decode(byte[] payload) {
    try {
      return WireCodec.decodeBatch(payload);
    } catch (terrain.core.codec.WireException e) {
      throw new AssertionError(e);
    }
  }

  private static ItemRef facilitator(WorkshopAction action) throws Exception {
    long seq = ++animSeq;
    send(anim, ANIM, seq, List.of(record(ANIM, seq, action)));
    return new ItemRef(ANIM, seq);
  }

  private static Record record(DeviceId device, long seq, WorkshopAction action) {
    // every tablet's clock: a second per action after the test started, in send order
    long time = now + 1000 * (device.equals(ANIM) ? seq * 2 : seq * 2 + 1);
    return new Record(device, seq, RecordKind.WORKSHOP, atelier.id(), time, 0, action.encode());
  }
}
