// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.event.ProfileSettings;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.testkit.MqttPeer;

/**
 * The hub's live results over real MQTT and HTTP: kiosk batches in, {@code /api/results} and {@code
 * /results} count them, with no server. One hub for the class; the test that sends more runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveResultsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final DeviceId K1 = DeviceId.of("kiosk-live-1");
  private static final DeviceId K2 = DeviceId.of("kiosk-live-2");

  @TempDir static Path dir;
  private static EventDefinition market;
  private static Hub hub;
  private static MqttPeer kiosk1;
  private static MqttPeer kiosk2;

  @BeforeAll
  static void startHubAndSendAMorning() throws Exception {
    market = EventLoader.load(Path.of("../examples/events/market-day.yaml"));
    String noServer = "tcp://127.0.0.1:" + freePort();
    hub =
        Hub.start(
            config(dir, 0, noServer, "hub-live").withEvents(List.of(market)),
            Clock.systemUTC(),
            new SecureRandom());
    kiosk1 = kiosk(K1, hub.mqttPort());
    kiosk2 = kiosk(K2, hub.mqttPort());
    // 12 residents: venue "pied" x7, "velo" x5; age 30-44 x9, 75-plus x3; area bastide x12.
    List<Record> first = new ArrayList<>();
    List<Record> second = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      String venue = i <= 7 ? "pied" : "velo";
      String age = i <= 9 ? "30-44" : "75-plus";
      ResponseBody body =
          new ResponseBody(
              "avenir-du-marche",
              List.of(
                  new ResponseBody.Answer("venue", List.of(venue)),
                  new ResponseBody.Answer("envies", List.of("bio", "bio", "animations")),
                  new ResponseBody.Answer(ProfileSettings.AGE_ANSWER, List.of(age)),
                  new ResponseBody.Answer(ProfileSettings.AREA_ANSWER, List.of("bastide"))));
      DeviceId device = i <= 6 ? K1 : K2;
      long seq = i <= 6 ? i : i - 6;
      Record record =
          new Record(
              device,
              seq,
              RecordKind.RESPONSE,
              market.id(),
              1_700_000_000_000L + i,
              0,
              body.encode());
      (i <= 6 ? first : second).add(record);
    }
    send(kiosk1, K1, 1, first);
    send(kiosk2, K2, 1, second);
  }

  @AfterAll
  static void stop() throws Exception {
    if (kiosk1 != null) {
      kiosk1.close();
    }
    if (kiosk2 != null) {
      kiosk2.close();
    }
    if (hub != null) {
      hub.close();
    }
  }

  private static JsonNode rows(JsonNode blocks, String id) {
    for (JsonNode block : blocks) {
      if (block.path("id").asText().equals(id)) {
        return block.path("rows");
      }
    }
    throw new AssertionError("no block " + id + " in " + blocks);
  }

  private static JsonNode row(JsonNode rows, String key) {
    for (JsonNode row : rows) {
      if (row.path("key").asText().equals(key)) {
        return row;
      }
    }
    throw new AssertionError("no row " + key + " in " + rows);
  }

  @Test
  void apiResults_whenKiosksSendResponses_countsEachOnceInFileOrder() {
    JsonNode view =
        awaitJson(
            hub.httpUrl() + "/api/results?lang=en", v -> v.path("responses").asLong() == 12, WAIT);
    assertEquals(market.id(), view.path("eventId").asText());
    assertEquals("Saint-Michel market: have your say", view.path("title").asText());
    assertEquals("12 participations", view.path("responsesText").asText());
    JsonNode venue = rows(view.path("questions"), "venue");
    assertEquals(5, venue.size(), "every option of the file, 0 where nobody chose: " + venue);
    assertEquals("venue/pied", venue.get(0).path("key").asText());
    assertEquals("On foot", venue.get(0).path("label").asText());
    assertEquals(7, venue.get(0).path("count").asLong());
    assertEquals(58, venue.get(0).path("width").asInt());
    assertEquals(5, row(venue, "venue/velo").path("count").asLong());
    assertEquals(0, row(venue, "venue/voiture").path("count").asLong());
    // "bio" twice in one answer is one choice.
    JsonNode envies = rows(view.path("questions"), "envies");
    assertEquals(12, row(envies, "envies/bio").path("count").asLong());
    assertEquals(12, row(envies, "envies/animations").path("count").asLong());
  }

  @Test
  void apiResults_whenFewerThanFiveInAGroup_hidesTheCount() {
    JsonNode view =
        awaitJson(hub.httpUrl() + "/api/results", v -> v.path("responses").asLong() == 12, WAIT);
    JsonNode ages = rows(view.path("participants"), ProfileSettings.AGE_ANSWER);
    JsonNode shown = row(ages, ProfileSettings.AGE_ANSWER + "/30-44");
    assertEquals(9, shown.path("count").asLong());
    JsonNode hidden = row(ages, ProfileSettings.AGE_ANSWER + "/75-plus");
    assertTrue(hidden.path("count").isNull(), "3 people must not be counted exactly: " + hidden);
    assertEquals(0, hidden.path("width").asInt());
    assertEquals("moins de 5", hidden.path("text").asText());
    assertFalse(view.toString().contains("\"count\":3"), view.toString());
    JsonNode areas = rows(view.path("participants"), ProfileSettings.AREA_ANSWER);
    assertEquals(12, row(areas, ProfileSettings.AREA_ANSWER + "/bastide").path("count").asLong());
  }

  @Test
  void resultsPage_withoutJavaScript_showsTheFiguresAtLoadAndOffersFullScreen() throws Exception {
    awaitJson(hub.httpUrl() + "/api/results", v -> v.path("responses").asLong() == 12, WAIT);
    HttpResponse<String> page = get(hub.httpUrl() + "/results");
    assertEquals(200, page.statusCode());
    String html = page.body();
    assertTrue(html.contains("<html lang=\"fr\""), html);
    assertTrue(html.contains("12 participations"), html);
    assertTrue(html.contains("À pied"), html);
    assertTrue(html.contains(">7 (58"), "the count is in the HTML, not left to the script");
    assertTrue(html.contains(">moins de 5<"), html);
    assertTrue(html.contains("?event=" + market.id() + "&amp;fullscreen=1"), html);
    assertFalse(html.contains("http://") || html.contains("https://"), "nothing from elsewhere");

    assertTrue(get(hub.httpUrl() + "/").body().contains("<a href=\"/results\">"), "linked");
    String tv = get(hub.httpUrl() + "/results?fullscreen=1&lang=en").body();
    assertTrue(tv.contains("<body class=\"tv\">"), tv);
    assertTrue(tv.contains("On foot"), tv);
  }

  @Test
  void resultsApi_whenEventIdIsNotAnId_refusesAtTheDoor() throws Exception {
    HttpResponse<String> bad = get(hub.httpUrl() + "/api/results?event=%3Cscript%3E");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("is not an event id"), bad.body());
    HttpResponse<String> unknown = get(hub.httpUrl() + "/results?event=other-event");
    assertEquals(404, unknown.statusCode());
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void apiResults_whenMoreArrive_countsOnlyTheNewOnes() throws Exception {
    JsonNode before =
        awaitJson(hub.httpUrl() + "/api/results", v -> v.path("responses").asLong() >= 12, WAIT);
    assertNotNull(before);
    ResponseBody body =
        new ResponseBody(
            "avenir-du-marche", List.of(new ResponseBody.Answer("venue", List.of("voiture"))));
    DeviceId k3 = DeviceId.of("kiosk-live-3");
    try (MqttPeer kiosk3 = kiosk(k3, hub.mqttPort())) {
      send(
          kiosk3,
          k3,
          1,
          List.of(
              new Record(k3, 1, RecordKind.RESPONSE, market.id(), 1L, 0, body.encode()),
              new Record(k3, 2, RecordKind.RESPONSE, market.id(), 2L, 0, body.encode())));
      JsonNode after =
          awaitJson(hub.httpUrl() + "/api/results", v -> v.path("responses").asLong() == 14, WAIT);
      JsonNode venue = rows(after.path("questions"), "venue");
      assertEquals(2, row(venue, "venue/voiture").path("count").asLong());
      assertEquals(7, row(venue, "venue/pied").path("count").asLong(), "old ones not recounted");
      assertTrue(after.path("version").asLong() > before.path("version").asLong());
    }
  }
}
