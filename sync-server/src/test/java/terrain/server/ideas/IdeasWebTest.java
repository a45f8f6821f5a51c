// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ideas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.ProfileSettings;
import terrain.core.record.DeviceId;
import terrain.core.record.IdeaBody;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.server.SyncServer;
import terrain.server.testkit.Http;
import terrain.server.testkit.Peers;
import terrain.server.testkit.TestEnv;
import terrain.testkit.MqttPeer;

/**
 * Ideas and "who are you" answers from a kiosk, through MQTT ingest into the server's Derby, shown
 * over real HTTP on the results page and in the JSON API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdeasWebTest {
  static final String EVENT = "idees-quartier";
  static final String EVIL = "<script>alert('x')</script> & co";

  @TempDir static Path dir;
  SyncServer server;
  Http http;

  private static Record response(DeviceId kiosk, long seq, String age, String area) {
    List<ResponseBody.Answer> answers = new ArrayList<>();
    answers.add(new ResponseBody.Answer("q-encore", List.of("yes")));
    if (age != null) {
      answers.add(new ResponseBody.Answer(ProfileSettings.AGE_ANSWER, List.of(age)));
    }
    if (area != null) {
      answers.add(new ResponseBody.Answer(ProfileSettings.AREA_ANSWER, List.of(area)));
    }
    return new Record(
        kiosk,
        seq,
        RecordKind.RESPONSE,
        EVENT,
        1_780_000_000_000L + seq * 60_000,
        0,
        new ResponseBody("avis", answers).encode());
  }

  private static Record idea(DeviceId kiosk, long seq, IdeaBody body) {
    return new Record(
        kiosk, seq, RecordKind.IDEA, EVENT, 1_780_000_000_000L + seq * 60_000, 0, body.encode());
  }

  @BeforeAll
  void start() throws Exception {
    Path event = Path.of(IdeasWebTest.class.getResource("/events/idees.yaml").toURI());
    server =
        SyncServer.start(
            TestEnv.moderatedConfig(dir, null, List.of(event), ADMIN),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    http = new Http(server.baseUrl());
    DeviceId kiosk = DeviceId.of("kiosk-idees");
    List<Record> records =
        List.of(
            response(kiosk, 1, "18-29", "nansouty"),
            idea(kiosk, 2, new IdeaBody("avis", "nature", "fr", "Des arbres", "Plus d'ombre")),
            response(kiosk, 3, "18-29", null),
            response(kiosk, 4, "75-plus", "ailleurs"),
            idea(kiosk, 5, new IdeaBody("avis", "nature", "fr", EVIL, "ligne 1\nligne 2")),
            response(kiosk, 6, null, null),
            idea(kiosk, 7, new IdeaBody("avis", "", "ar", "", "مقاعد في الظل")));
    DeviceId hubId = DeviceId.of("hub-idees-" + TestEnv.unique());
    try (MqttPeer hub = Peers.hub("tcp://127.0.0.1:" + server.brokerPort(), hubId)) {
      hub.publish(Topics.hubUp(hubId), new Batch(hubId, 1, records.subList(0, 3)));
      assertEquals(Map.of(kiosk, 3L), hub.nextAck(Duration.ofSeconds(20)).upTo());
      // The hub resends everything (it lost the ack): nothing counts twice.
      hub.publish(Topics.hubUp(hubId), new Batch(hubId, 2, records));
      assertEquals(Map.of(kiosk, 7L), hub.nextAck(Duration.ofSeconds(20)).upTo());
    }
    // Held until staff publish them (ModerationWebTest shows the hold); here, all three are.
    for (long seq : new long[] {2, 5, 7}) {
      TestEnv.publish(http, ADMIN, "idea", "kiosk-idees~" + seq);
    }
  }

  static final String ADMIN = "admin-token-for-ideas-tests-0123456789";

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void ideasApi_whenIdeasSentTwice_listsEachOnceNewestFirstWithThemeLabels() throws Exception {
    Http.Reply reply = http.get("/api/events/" + EVENT + "/ideas");

    assertEquals(200, reply.status());
    JsonNode root = reply.json();
    assertEquals(3, root.path("count").asLong());
    assertEquals(3, root.path("published").asLong());
    JsonNode list = root.path("ideas");
    assertEquals(3, list.size());
    assertEquals(7, list.get(0).path("seq").asLong());
    assertTrue(list.get(0).path("theme").isNull());
    assertEquals("مقاعد في الظل", list.get(0).path("text").asText());
    assertEquals("ar", list.get(0).path("language").asText());
    assertEquals(EVIL, list.get(1).path("title").asText());
    assertEquals("Nature <en> ville", list.get(1).path("themeLabel").asText());
    assertEquals("kiosk-idees", list.get(2).path("device").asText());
    assertEquals("2026-05-28T20:28:40Z", list.get(2).path("leftAt").asText());
  }

  @Test
  void ideasApi_whenEventUnknown_returns404() throws Exception {
    Http.Reply reply = http.get("/api/events/nope/ideas");
    assertEquals(404, reply.status());
    assertEquals("no ideas for event nope yet", reply.json().path("error").asText());
  }

  @Test
  void summaryApi_whenProfilesAnswered_countsWhoTookPartApartFromTheQuestions() throws Exception {
    JsonNode summary = http.get("/api/events/" + EVENT + "/summary").json();

    assertEquals(4, summary.path("responses").asLong());
    JsonNode ages = summary.path("participants").path("ageBands");
    assertEquals(2, ages.path("18-29").asLong());
    assertEquals(1, ages.path("75-plus").asLong());
    assertEquals(0, ages.path("30-44").asLong());
    assertEquals(
        "{\"nansouty\":1,\"ailleurs\":1}",
        summary.path("participants").path("neighbourhoods").toString());
    assertFalse(summary.path("byQuestion").has(ProfileSettings.AGE_ANSWER));
    assertEquals(
        "75 ans et plus",
        summary.path("participantLabels").path("ageBands").path("75-plus").asText());
    assertEquals(
        "Nansouty",
        summary.path("participantLabels").path("neighbourhoods").path("nansouty").asText());
    assertEquals("{\"yes\":4,\"no\":0}", summary.path("byQuestion").path("q-encore").toString());
  }

  @Test
  void resultsPage_whenIdeasAndProfiles_showsWhoTookPartAndEscapedIdeasByTheme() throws Exception {
    String page = http.get("/events/" + EVENT).body();

    assertTrue(page.contains("<h2>Qui a participé</h2>"), page);
    assertTrue(page.contains("<h3>Tranche d'âge</h3>"), page);
    assertTrue(page.contains("Nansouty"), page);
    // 1 of the 4 participations gave no age band, 2 no neighbourhood.
    int ageUnsaid = page.indexOf("Non renseigné</span>");
    int areaUnsaid = page.lastIndexOf("Non renseigné</span>");
    assertTrue(ageUnsaid > 0 && areaUnsaid > ageUnsaid, page);
    assertTrue(page.substring(ageUnsaid, ageUnsaid + 200).contains(">1 (25"), page);
    assertTrue(page.substring(areaUnsaid, areaUnsaid + 200).contains(">2 (50"), page);
    assertTrue(page.contains("<h2>Idées (3)</h2>"), page);
    assertTrue(page.contains("3 idées reçues, 3 publiées."), page);
    assertFalse(page.contains("<script>alert"), "idea text is escaped");
    assertTrue(page.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; co"), page);
    int nature = page.indexOf("<h3>Nature &lt;en&gt; ville</h3>");
    int noTheme = page.indexOf("<h3>Sans thème</h3>");
    assertTrue(nature > 0 && noTheme > nature, "themes in file order, then no theme");
    int evil = page.indexOf("&lt;script&gt;");
    int trees = page.indexOf("Des arbres");
    assertTrue(nature < evil && evil < trees, "newest first within a theme");
    assertTrue(page.contains("<li lang=\"ar\" dir=\"auto\">"), page);
    assertFalse(page.contains("profile-age"), "reserved ids are not shown as questions");
  }

  @Test
  void resultsPage_whenEnglish_saysWhoTookPartInEnglish() throws Exception {
    String page = http.get("/events/" + EVENT + "?lang=en").body();
    assertTrue(page.contains("<h2>Who took part</h2>"), page);
    assertTrue(page.contains("<h2>Ideas (3)</h2>"), page);
    assertTrue(page.contains("<h3>No theme</h3>"), page);
  }
}
