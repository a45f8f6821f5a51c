// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.testkit.TextAssertions.assertContainsAll;

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
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.server.SyncServer;
import terrain.server.testkit.Http;
import terrain.server.testkit.Peers;
import terrain.server.testkit.Responses;
import terrain.server.testkit.TestEnv;
import terrain.testkit.MqttPeer;

/**
 * The HTTP side over real HTTP, on a server started with an event file and fed two events over
 * MQTT: one defined by the file, one only known from its responses (with ids that hold HTML).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebHandlerTest {
  static final String FETE = "fete-quartier";
  static final String XSS = "ev-<x>";
  static final String EVIL = "<script>alert(1)</script>";
  static final String SLASH = "quartier/nord";

  @TempDir static Path dir;
  SyncServer server;
  Http http;
  DeviceId kiosk;

  @BeforeAll
  void start() throws Exception {
    Path event = Path.of(WebHandlerTest.class.getResource("/events/fete.yaml").toURI());
    server =
        SyncServer.start(
            TestEnv.moderatedConfig(dir, null, List.of(event, MARKET_DAY), ADMIN),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    http = new Http(server.baseUrl());
    kiosk = DeviceId.of("kiosk-web");
    List<Record> records = new ArrayList<>();
    records.add(Responses.response(kiosk, 1, FETE, "pied", List.of("bio", "halle")));
    records.add(Responses.response(kiosk, 2, FETE, "pied", List.of("bio")));
    records.add(Responses.response(kiosk, 3, FETE, "velo", List.of()));
    ResponseBody evil =
        new ResponseBody("p", List.of(new ResponseBody.Answer(EVIL, List.of("\"o'&<b>"))));
    records.add(new Record(kiosk, 4, RecordKind.RESPONSE, XSS, 4, 0, evil.encode()));
    records.add(Responses.response(kiosk, 5, SLASH, "tram", List.of()));
    records.add(
        marketDay(6, 1000, List.of("prix", "proprete"), 480, 470, "Des bancs <svp> & merci"));
    records.add(marketDay(7, 2000, List.of("proprete", "prix", "toilettes"), 990, 10, "Top"));
    DeviceId hubId = DeviceId.of("hub-web-" + TestEnv.unique());
    try (MqttPeer hub = Peers.hub("tcp://127.0.0.1:" + server.brokerPort(), hubId)) {
      hub.publish(Topics.hubUp(hubId), new Batch(hubId, 1, records));
      assertEquals(Map.of(kiosk, 7L), hub.nextAck(Duration.ofSeconds(20)).upTo());
    }
    // Free texts are public once staff published them (ModerationWebTest shows the hold).
    TestEnv.publish(http, ADMIN, "text", "kiosk-web~6~un-mot");
    TestEnv.publish(http, ADMIN, "text", "kiosk-web~7~un-mot");
  }

  static final String ADMIN = "admin-token-for-web-tests-0123456789";

  /** The example event file of the repository, with a ranking, a map and a text question. */
  static final Path MARKET_DAY = Path.of("../examples/events/market-day.yaml");

  static final String MARKET = "marche-2026-11-28";

  private static Record marketDay(
      long seq, long deviceTime, List<String> ranked, int x, int y, String text) {
    ResponseBody body =
        new ResponseBody(
            "avenir-du-marche",
            List.of(
                new ResponseBody.Answer("priorites", ranked),
                ResponseBody.Answer.pin(
                    "ou-habitez",
                    new ResponseBody.Pin(x, y),
                    x < 600 && y < 600
                        ? java.util.Optional.of("place-du-marche")
                        : java.util.Optional.of("quais")),
                ResponseBody.Answer.text("un-mot", text)));
    return new Record(
        DeviceId.of("kiosk-web"), seq, RecordKind.RESPONSE, MARKET, deviceTime, 0, body.encode());
  }

  /**
   * Every route of the server's one router, walked with a sample path: Jetty routes the path to
   * that very spec (no other spec hides it), each of its methods is taken (no 405, no failure), a
   * method it does not take is a 405 whose {@code Allow} lists its methods (or the family's own
   * answer, with {@code Allow} when a 405), and a path no spec takes is a 404.
   */
  @Test
  void router_whenEachRouteIsWalked_answersItsMethodsAndRefusesOthers() throws Exception {
    PageRoutes.Table routes = server.routes();
    assertTrue(routes.methods().size() > 50, routes.methods().keySet().toString());
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, java.util.Set<String>> route : routes.methods().entrySet()) {
      String spec = route.getKey();
      String path = sample(spec);
      assertEquals(spec, routes.specOf(path), path + " is routed elsewhere");
      for (String method : route.getValue()) {
        if (method.equals("*")) {
          // The family answers every other method itself: a 405 of its own says what to use.
          var other = http.raw("DELETE", path, null, "Authorization", "Bearer " + ADMIN);
          if (other.statusCode() == 405) {
            assertFalse(other.headers().firstValue("Allow").orElse("").isEmpty(), path);
          }
          continue;
        }
        int status = http.raw(method, path, null, "Authorization", "Bearer " + ADMIN).statusCode();
        if (status == 405 || status >= 500) {
          wrong.add(method + " " + path + " (" + spec + "): " + status);
        }
      }
      if (!route.getValue().contains("*")) {
        var refused = http.raw("DELETE", path, null, "Authorization", "Bearer " + ADMIN);
        assertEquals(405, refused.statusCode(), "DELETE " + path);
        assertEquals(
            PageRoutes.allow(route.getValue()),
            refused.headers().firstValue("Allow").orElse(""),
            "DELETE " + path);
      }
    }
    assertEquals(List.of(), wrong);
    assertEquals(null, routes.specOf("/no/such/path"));
    assertEquals(404, http.raw("DELETE", "/no/such/path", null).statusCode());
    assertEquals(404, http.get("/no/such/path").status());
  }

  /** A path that {@code spec} matches: its variables and wildcards filled with known values. */
  private static String sample(String spec) {
    if (spec.startsWith("^")) {
      return spec.substring(1, spec.length() - 1)
          .replace("(question|idea)", "idea")
          .replace("[^/]+", "kiosk-web~6")
          .replace("[Tt]", "T")
          .replace(".+", FETE)
          .replace("/*", "")
          .replace("\\.", ".");
    }
    if (spec.endsWith("/*")) {
      return spec.substring(0, spec.length() - 2) + "/other";
    }
    return spec.replace("{event}", FETE)
        .replace("{kind}", "idea")
        .replace("{id}", "kiosk-web~6")
        .replace("{name}", "admin-token")
        .replace("{", "")
        .replace("}", "");
  }

  @Test
  void summary_whenRankingMapAndText_addsPointsPinsAndTextsAndKeepsTheCounts() throws Exception {
    JsonNode summary = http.get("/api/events/" + MARKET + "/summary").json();

    assertEquals(2, summary.path("responses").asLong());
    assertEquals(2, summary.path("byQuestion").path("priorites").path("prix").asLong());
    assertEquals(0, summary.path("byQuestion").path("priorites").path("accessibilite").asLong(-1));
    assertEquals("ranking", summary.path("kinds").path("priorites").asText());
    JsonNode prix = summary.path("ranking").path("priorites").path("prix");
    assertEquals(1.5, prix.path("averageRank").asDouble());
    assertEquals(5, prix.path("bordaPoints").asLong()); // 3 + 2
    assertTrue(
        summary
            .path("ranking")
            .path("priorites")
            .path("accessibilite")
            .path("averageRank")
            .isNull());
    assertEquals(1, summary.path("byQuestion").path("ou-habitez").path("quais").asLong());
    // A map's pins counted in a 10 x 10 grid (decision 0052), not listed one by one.
    assertTrue(summary.path("pins").isMissingNode());
    JsonNode heat = summary.path("heat").path("ou-habitez");
    assertEquals(2, heat.path("pins").asLong());
    assertEquals(10, heat.path("grid").size());
    long inGrid = 0;
    for (JsonNode row : heat.path("grid")) {
      assertEquals(10, row.size());
      for (JsonNode cell : row) {
        inGrid += cell.asLong();
      }
    }
    assertEquals(2, inGrid);
    assertEquals(2, summary.path("texts").path("un-mot").path("count").asLong());
    assertEquals(2, summary.path("texts").path("un-mot").path("published").asLong());
    assertEquals(
        "Top", summary.path("texts").path("un-mot").path("latest").get(0).path("text").asText());
  }

  @Test
  void resultsPage_whenRankingMapAndText_showsPointsHeatGridAndEscapedTextsNewestFirst()
      throws Exception {
    String page = http.get("/events/" + MARKET).body();

    assertContainsAll(
        page,
        ">5 points</span>",
        "rang moyen 1,5 · classé 2 fois",
        ">1 point</span>",
        "rang moyen 3,0 · classé 1 fois",
        "jamais classé");
    assertTrue(
        page.indexOf("La propreté") < page.indexOf("Des prix accessibles"),
        "5 + 5 points, then file order");
    assertContainsAll(page, "2 repères posés sur le plan", "<table class=\"heat\"");
    assertTrue(
        page.contains("2 réponses libres reçues, 2 publiées, les plus récentes en premier."), page);
    assertTrue(page.contains("Des bancs &lt;svp&gt; &amp; merci"), page);
    assertFalse(page.contains("<svp>"), page);
    assertTrue(page.indexOf("Top") < page.indexOf("Des bancs &lt;svp"), "newest first");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void summary_whenEventFileGiven_listsEveryOptionWithZerosTitleAndLabels() throws Exception {
    Http.Reply reply = http.get("/api/events/" + FETE + "/summary");

    assertEquals(200, reply.status());
    JsonNode summary = reply.json();
    assertEquals(FETE, summary.path("event").asText());
    assertEquals(3, summary.path("responses").asLong());
    JsonNode byQuestion = summary.path("byQuestion");
    assertEquals(
        "{\"pied\":2,\"velo\":1,\"tram\":0,\"voiture\":0}", byQuestion.path("q-mode").toString());
    assertEquals("{\"bio\":2,\"halle\":1,\"bancs\":0}", byQuestion.path("q-wish").toString());
    assertEquals("{\"yes\":0,\"no\":0}", byQuestion.path("q-encore").toString());
    assertEquals("Fête <du> quartier & \"voisins\"", summary.path("title").asText());
    assertEquals("À vélo <b>", summary.path("labels").path("q-mode").path("velo").asText());
    assertEquals("Oui", summary.path("labels").path("q-encore").path("yes").asText());
    assertEquals("Reviendrez-vous ?", summary.path("questions").path("q-encore").asText());
  }

  @Test
  void summary_whenEventNotDefined_hasOnlyTheContractKeys() throws Exception {
    JsonNode summary = http.get("/api/events/ev-%3Cx%3E/summary").json();

    List<String> keys = new ArrayList<>();
    summary.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("event", "responses", "byQuestion"), keys);
    assertEquals(XSS, summary.path("event").asText());
    assertEquals(1, summary.path("byQuestion").path(EVIL).path("\"o'&<b>").asLong());
  }

  @Test
  void resultsPage_whenEventIdHoldsSlash_isLinkedEncodedAndServed() throws Exception {
    assertTrue(http.get("/").body().contains("href=\"/events/quartier%2Fnord\""));

    Http.Reply page = http.get("/events/quartier%2Fnord");
    Http.Reply summary = http.get("/api/events/quartier%2Fnord/summary");

    assertEquals(200, page.status(), page.body());
    assertEquals(SLASH, summary.json().path("event").asText());
  }

  @Test
  void summary_whenEventUnknown_returns404WithMessage() throws Exception {
    Http.Reply reply = http.get("/api/events/nope/summary");

    assertEquals(404, reply.status());
    assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
    assertEquals("no responses for event nope yet", reply.json().path("error").asText());
  }

  @Test
  void resultsPage_whenNoLanguageAsked_showsTitleLabelsAndBarsInFrench() throws Exception {
    Http.Reply reply = http.get("/events/" + FETE);

    assertEquals(200, reply.status());
    assertTrue(reply.contentType().startsWith("text/html"), reply.contentType());
    String page = reply.body();
    assertContainsAll(
        page,
        "<html lang=\"fr\">",
        "Fête &lt;du&gt; quartier &amp; \"voisins\"",
        "3 participations",
        "À vélo &lt;b&gt;",
        "style=\"width:67%\"",
        "2 (67\u00a0%)",
        "<a href=\"/\">← Tous les événements</a>",
        "peut dépasser 100\u00a0%.",
        "<a href=\"?lang=en\" hreflang=\"en\" lang=\"en\">English</a>",
        "<strong lang=\"fr\">Français</strong>");
    assertFalse(page.contains("<script"), page);
  }

  @Test
  void resultsPage_whenBrowserPrefersEnglish_speaksEnglishAndStillEscapes() throws Exception {
    Http.Reply reply = http.get("/events/" + FETE, "en-GB,en;q=0.9,fr;q=0.8");

    assertEquals(200, reply.status());
    String page = reply.body();
    assertContainsAll(
        page,
        "<html lang=\"en\">",
        "<title>Results — Fête &lt;du&gt; quartier &amp; \"",
        "3 responses",
        "À vélo &lt;b&gt;",
        "2 (67%)",
        "<a href=\"/\">← All events</a>",
        "more than 100%.",
        "<a href=\"?lang=fr\" hreflang=\"fr\" lang=\"fr\">Français</a>");
    assertFalse(page.contains("participation"), "no French on the English page: " + page);
    assertFalse(page.contains("<script"), page);
  }

  @Test
  void resultsPage_whenBrowserPrefersFrench_speaksFrench() throws Exception {
    String page = http.get("/events/" + FETE, "fr-CA,fr;q=0.9,en;q=0.8").body();

    assertContainsAll(page, "<html lang=\"fr\">", "3 participations");
  }

  @Test
  void resultsPage_whenLangEnChosen_speaksEnglishAndLinksKeepTheChoice() throws Exception {
    String event = http.get("/events/" + FETE + "?lang=en", "fr").body();
    String home = http.get("/?lang=en", "fr").body();
    String back = http.get("/?lang=fr", "en").body();

    assertContainsAll(event, "<html lang=\"en\">", "<a href=\"/?lang=en\">← All events</a>");
    assertContainsAll(
        home,
        "<h1>Event results</h1>",
        "href=\"/events/fete-quartier?lang=en\"",
        "href=\"/events/quartier%2Fnord?lang=en\"",
        "1 response<");
    assertContainsAll(
        back, "<h1>Résultats des événements</h1>", "href=\"/events/fete-quartier?lang=fr\"");
  }

  @Test
  void resultsPage_whenDataHoldsHtml_escapesIt() throws Exception {
    String page = http.get("/events/ev-%3Cx%3E").body();

    assertContainsAll(page, "&lt;script&gt;alert(1)&lt;/script&gt;", "\"o'&amp;&lt;b&gt;");
    assertFalse(page.contains("<script"), page);
    assertFalse(page.contains("<b>"), page);
  }

  @Test
  void resultsPage_whenEnglishAndDataHoldsHtml_escapesIt() throws Exception {
    String page = http.get("/events/ev-%3Cx%3E?lang=en").body();

    assertContainsAll(
        page,
        "<html lang=\"en\">",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "\"o'&amp;&lt;b&gt;",
        "<title>Results — ev-&lt;x&gt;</title>");
    assertFalse(page.contains("<script"), page);
    assertFalse(page.contains("<b>"), page);
  }

  @Test
  void resultsPage_whenEventUnknown_returns404InFrench() throws Exception {
    Http.Reply reply = http.get("/events/%3Cimg%3E");

    assertEquals(404, reply.status());
    assertContainsAll(reply.body(), "Aucune participation reçue", "&lt;img&gt;");
  }

  @Test
  void resultsPage_whenEventUnknownAndEnglish_returns404InEnglish() throws Exception {
    Http.Reply reply = http.get("/events/%3Cimg%3E", "en");

    assertEquals(404, reply.status());
    assertContainsAll(
        reply.body(), "<h1>Not found</h1>", "No responses received for “&lt;img&gt;” yet.");
  }

  @Test
  void page_whenPathUnknown_returns404PageInTheAskedLanguage() throws Exception {
    Http.Reply french = http.get("/nothing");
    Http.Reply english = http.get("/nothing?lang=en");

    assertEquals(404, french.status());
    assertTrue(french.body().contains("Cette page n'existe pas."), french.body());
    assertEquals(404, english.status());
    assertTrue(english.body().contains("This page does not exist."), english.body());
  }

  @Test
  void page_whenMethodIsPost_returns405PageInFrench() throws Exception {
    Http.Reply reply = http.post("/");

    assertEquals(405, reply.status());
    assertTrue(reply.contentType().startsWith("text/html"), reply.contentType());
    assertTrue(reply.body().contains("<h1>Méthode non autorisée</h1>"), reply.body());
  }

  @Test
  void home_whenEventsKnown_linksToEachEvent() throws Exception {
    Http.Reply reply = http.get("/");

    assertEquals(200, reply.status());
    assertContainsAll(
        reply.body(),
        "href=\"/events/fete-quartier\"",
        "href=\"/events/ev-%3Cx%3E\"",
        "1 participation<",
        "<h1>Résultats des événements</h1>");
  }

  @Test
  void home_whenBrowserAsksEnglish_speaksEnglishWithPlainLinks() throws Exception {
    Http.Reply reply = http.get("/", "en");

    assertContainsAll(
        reply.body(),
        "<html lang=\"en\">",
        "<h1>Event results</h1>",
        "1 response<",
        "href=\"/events/fete-quartier\"");
  }

  @Test
  void status_whenRunning_reportsBrokerIngestCountsAndDevices() throws Exception {
    JsonNode status = http.get("/api/status").json();

    assertEquals("tcp://127.0.0.1:" + server.brokerPort(), status.path("broker").asText());
    assertEquals("up", status.path("ingest").asText());
    assertEquals(7, status.path("received").asLong());
    assertEquals(0, status.path("rejected").asLong());
    assertEquals(0, status.path("conflicts").asLong());
    assertEquals(1, status.path("devices").size());
    assertEquals(kiosk.value(), status.path("devices").get(0).path("id").asText());
    assertEquals(7, status.path("devices").get(0).path("upTo").asLong());
  }

  @Test
  void conflicts_whenNone_isAnEmptyList() throws Exception {
    JsonNode conflicts = http.get("/api/conflicts").json();

    assertEquals(0, conflicts.path("count").asInt());
    assertEquals(0, conflicts.path("conflicts").size());
  }

  @Test
  void api_whenMethodIsPost_returns405() throws Exception {
    Http.Reply reply = http.post("/api/status");

    assertEquals(405, reply.status());
  }

  @Test
  void api_whenPathUnknown_returns404Json() throws Exception {
    Http.Reply reply = http.get("/api/nothing");

    assertEquals(404, reply.status());
    assertEquals("no such API: /api/nothing", reply.json().path("error").asText());
  }
}
