// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
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
import terrain.server.testkit.TestEnv;
import terrain.testkit.MqttPeer;

/**
 * A known set of responses to the example market day (every question kind) sent through two hubs'
 * MQTT batches into the server's Derby, then read over HTTP: {@code GET /api/events/{id}/results}
 * per question kind, the page and the PDF report, whose text must carry the same figures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultsApiTest {
  static final String EVENT = "marche-2026-11-28";
  static final String ADMIN = "admin-token-for-results-tests-0123456789";

  /** 2026-11-28 09:10 in Paris (08:10 UTC). */
  static final long NINE =
      java.time.ZonedDateTime.of(LocalDateTime.of(2026, 11, 28, 9, 10), EventResults.ZONE)
          .toInstant()
          .toEpochMilli();

  @TempDir static Path dir;
  SyncServer server;
  Http http;
  String kiosk;
  String tablet;
  String smallKiosk;
  final String hubA = "hub-place-" + TestEnv.unique();
  final String hubB = "hub-salle-" + TestEnv.unique();

  @BeforeAll
  void start() throws Exception {
    Path event = Path.of("../examples/events/market-day.yaml");
    server =
        SyncServer.start(
            TestEnv.moderatedConfig(dir, null, List.of(event), ADMIN),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    http = new Http(server.baseUrl());
    kiosk = enrol("kiosk", "Borne du marché");
    tablet = enrol("tablet", "Tablette salle");
    smallKiosk = enrol("kiosk", "Borne de la gare");
    List<Record> viaA = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      String venue = i <= 6 ? "pied" : i <= 10 ? "velo" : "voiture";
      viaA.add(
          response(kiosk, i, NINE + i * 60_000L, venue, List.of("proprete", "prix", "toilettes")));
    }
    for (int i = 1; i <= 3; i++) {
      viaA.add(response(smallKiosk, i, NINE + i * 60_000L, "autre", List.of("prix")));
    }
    List<Record> viaB = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      String venue = i <= 5 ? "pied" : "tram-bus";
      // an hour later
      viaB.add(
          response(tablet, i, NINE + 3_600_000L + i * 60_000L, venue, List.of("prix", "proprete")));
    }
    send(hubA, viaA, 2);
    send(hubB, viaB, 1);
    http.awaitJson(
        "/api/events/" + EVENT + "/summary",
        j -> j.path("responses").asLong() == 23,
        Duration.ofSeconds(20));
    TestEnv.publish(http, ADMIN, "text", kiosk + "~4~un-mot");
  }

  private String enrol(String kind, String name) throws Exception {
    Http.Reply reply =
        http.send(
            "POST",
            "/api/admin/devices",
            "{\"kind\":\"" + kind + "\",\"event\":\"" + EVENT + "\",\"name\":\"" + name + "\"}",
            "Authorization",
            "Bearer " + ADMIN);
    assertEquals(201, reply.status(), reply.body());
    return reply.json().get(0).get("id").asText();
  }

  /** Sends the records in one batch, {@code times} times (duplicates must count once). */
  private void send(String hub, List<Record> records, int times) throws Exception {
    DeviceId hubId = DeviceId.of(hub);
    try (MqttPeer peer = Peers.hub("tcp://127.0.0.1:" + server.brokerPort(), hubId)) {
      for (int t = 1; t <= times; t++) {
        peer.publish(Topics.hubUp(hubId), new Batch(hubId, t, records));
        peer.nextAck(Duration.ofSeconds(20));
      }
    }
  }

  /**
   * A participation answering every question: scale {@code seq % 5 + 1}, yes unless seq is a
   * multiple of 3, "bio" and on even seqs "bancs-ombre", a pin in the park, a text every 4th.
   */
  private static Record response(
      String device, long seq, long time, String venue, List<String> ranking) {
    List<ResponseBody.Answer> answers = new ArrayList<>();
    answers.add(new ResponseBody.Answer("venue", List.of(venue)));
    answers.add(
        new ResponseBody.Answer(
            "envies", seq % 2 == 0 ? List.of("bio", "bancs-ombre") : List.of("bio")));
    answers.add(new ResponseBody.Answer("horaires", List.of(Long.toString(seq % 5 + 1))));
    answers.add(new ResponseBody.Answer("dimanche", List.of(seq % 3 == 0 ? "no" : "yes")));
    answers.add(new ResponseBody.Answer("priorites", ranking));
    answers.add(
        ResponseBody.Answer.pin(
            "ou-habitez", new ResponseBody.Pin((int) (100 + seq * 10), 200), Optional.of("parc")));
    if (seq % 4 == 0) {
      answers.add(ResponseBody.Answer.text("un-mot", "Merci pour le marché " + device + " " + seq));
    }
    ResponseBody body = new ResponseBody("avenir-du-marche", answers);
    return new Record(DeviceId.of(device), seq, RecordKind.RESPONSE, EVENT, time, 0, body.encode());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private JsonNode results() throws Exception {
    Http.Reply reply = http.get("/api/events/" + EVENT + "/results");
    assertEquals(200, reply.status(), reply.body());
    return reply.json();
  }

  private static JsonNode question(JsonNode results, String id) {
    for (JsonNode q : results.path("questions")) {
      if (q.path("id").asText().equals(id)) {
        return q;
      }
    }
    throw new AssertionError("no question " + id + " in " + results);
  }

  private static JsonNode option(JsonNode list, String id) {
    for (JsonNode o : list) {
      if (o.path("id").asText().equals(id)) {
        return o;
      }
    }
    throw new AssertionError("no option " + id + " in " + list);
  }

  @Test
  void results_singleChoice_countsWithNAndWilsonInterval() throws Exception {
    JsonNode venue = question(results(), "venue");

    assertEquals("single", venue.path("kind").asText());
    assertEquals(23, venue.path("answered").asLong());
    JsonNode pied = option(venue.path("options"), "pied");
    assertEquals(11, pied.path("count").asLong());
    assertEquals(0.4783, pied.path("share").asDouble(), 1e-4);
    // Wilson at 95 % for 11 of 23, computed by hand: centre 0.4814, half-width 0.1890.
    assertEquals(0.2924, pied.path("low").asDouble(), 2e-4);
    assertEquals(0.6704, pied.path("high").asDouble(), 2e-4);
    assertEquals(0, option(venue.path("options"), "autre").path("count").asLong() - 3);
    assertTrue(venue.path("marginOfError").asDouble() > 0.18);
    // by channel: the kiosks' 15 and the tablet's 8; under 5 hidden
    assertEquals(6, venue.path("byChannel").path("kiosk").path("pied").asLong());
    assertEquals(5, venue.path("byChannel").path("tablet").path("pied").asLong());
    assertTrue(venue.path("byChannel").path("tablet").path("tram-bus").isNull());
    assertEquals(6, venue.path("bySite").path(hubA).path("pied").asLong());
  }

  @Test
  void results_multipleChoice_sharesOfThoseWhoAnswered() throws Exception {
    JsonNode envies = question(results(), "envies");

    assertEquals(23, envies.path("answered").asLong());
    assertEquals(23, option(envies.path("options"), "bio").path("count").asLong());
    assertEquals(1.0, option(envies.path("options"), "bio").path("share").asDouble(), 1e-9);
    // even seqs: kiosk 6, small kiosk 1, tablet 4
    assertEquals(11, option(envies.path("options"), "bancs-ombre").path("count").asLong());
  }

  @Test
  void results_scale_distributionAndMean() throws Exception {
    JsonNode horaires = question(results(), "horaires");

    // seq % 5 + 1 over kiosk 1..12, small 1..3, tablet 1..8
    long[] expected = new long[6];
    double sum = 0;
    for (int[] range : new int[][] {{1, 12}, {1, 3}, {1, 8}}) {
      for (int s = range[0]; s <= range[1]; s++) {
        expected[s % 5 + 1]++;
        sum += s % 5 + 1;
      }
    }
    for (int point = 1; point <= 5; point++) {
      assertEquals(
          expected[point],
          option(horaires.path("options"), Integer.toString(point)).path("count").asLong());
    }
    assertEquals(sum / 23, horaires.path("mean").path("mean").asDouble(), 1e-4);
    assertTrue(horaires.path("mean").path("low").asDouble() < sum / 23);
  }

  @Test
  void results_ranking_bordaPointsAndFirstChoices() throws Exception {
    JsonNode priorites = question(results(), "priorites");

    JsonNode ranking = priorites.path("ranking");
    // max 3: first 3 points, second 2, third 1. proprete 12x3 + 8x2; prix 12x2 + 3x3 + 8x3
    // (the small kiosk's 3 put prix alone, first)
    assertEquals("prix", ranking.get(0).path("id").asText());
    assertEquals(52, option(ranking, "proprete").path("borda").asLong());
    assertEquals(57, option(ranking, "prix").path("borda").asLong());
    assertEquals(12, option(ranking, "proprete").path("firsts").asLong());
    assertEquals(11, option(ranking, "prix").path("firsts").asLong());
    assertEquals(12, option(ranking, "toilettes").path("borda").asLong());
    assertEquals(23, priorites.path("answered").asLong());
  }

  @Test
  void results_map_pinsGridZonesAndPicture() throws Exception {
    JsonNode map = question(results(), "ou-habitez").path("map");

    assertEquals(23, map.path("pins").size());
    long inGrid = 0;
    for (JsonNode row : map.path("grid")) {
      for (JsonNode cell : row) {
        inGrid += cell.asLong();
      }
    }
    assertEquals(23, inGrid);
    assertEquals(23, option(map.path("zones"), "parc").path("count").asLong());
    String picture = map.path("picture").asText();
    assertEquals("/events/" + EVENT + "/maps/ou-habitez", picture);
    HttpResponse<byte[]> png = bytes(picture);
    assertEquals(200, png.statusCode());
    assertEquals("image/png", png.headers().firstValue("content-type").orElseThrow());
    assertEquals(
        Files.size(Path.of("../examples/events/quartier-saint-michel.png")), png.body().length);
    assertEquals(404, bytes("/events/" + EVENT + "/maps/venue").statusCode());
    assertEquals(404, bytes("/events/" + EVENT + "/maps/..%2F..%2Fpom.xml").statusCode());
  }

  @Test
  void results_text_onlyPublishedOnes() throws Exception {
    JsonNode texts = question(results(), "un-mot").path("texts");

    // every 4th seq: kiosk 4, 8, 12; tablet 4, 8
    assertEquals(5, texts.path("received").asLong());
    assertEquals(1, texts.path("published").asLong());
    assertEquals(1, texts.path("texts").size());
    assertEquals(
        "Merci pour le marché " + kiosk + " 4", texts.path("texts").get(0).path("text").asText());
  }

  @Test
  void results_participation_bySiteDeviceChannelDayAndHour() throws Exception {
    JsonNode results = results();
    JsonNode p = results.path("participation");

    assertEquals(23, p.path("responses").asLong());
    assertEquals(15, option(p.path("bySite"), hubA).path("responses").asLong());
    assertEquals(8, option(p.path("bySite"), hubB).path("responses").asLong());
    assertEquals(15, option(p.path("byChannel"), "kiosk").path("responses").asLong());
    assertEquals(8, option(p.path("byChannel"), "tablet").path("responses").asLong());
    assertEquals(12, option(p.path("byDevice"), kiosk).path("responses").asLong());
    assertEquals("Borne du marché", option(p.path("byDevice"), kiosk).path("label").asText());
    assertTrue(option(p.path("byDevice"), smallKiosk).path("responses").isNull(), "3 is hidden");
    assertEquals(23, option(p.path("byDay"), "2026-11-28").path("responses").asLong());
    assertEquals(15, option(p.path("byHour"), "2026-11-28T09:00").path("responses").asLong());
    assertEquals(8, option(p.path("byHour"), "2026-11-28T10:00").path("responses").asLong());
    assertTrue(results.path("method").path("complete").asBoolean());
    assertEquals("wilson-95", results.path("method").path("interval").asText());
  }

  @Test
  void results_whenEventUnknownOrInvalid_is404() throws Exception {
    assertEquals(404, http.get("/api/events/autre-evenement/results").status());
    assertEquals(404, http.get("/api/events/%3Cscript%3E/results").status());
    assertEquals(404, http.get("/events/autre-evenement/results").status());
    assertEquals(404, bytes("/events/autre-evenement/report.pdf").statusCode());
  }

  @Test
  void page_showsChartsWithTablesAndHidesSmallCells() throws Exception {
    Http.Reply page = http.get("/events/" + EVENT + "/results");

    assertEquals(200, page.status());
    String html = page.body();
    assertTrue(html.contains("<svg class=\"bars\" viewBox=\"0 0 320"), "bar charts");
    assertTrue(html.contains("role=\"img\""));
    assertTrue(html.contains("<th scope=\"col\">Part</th>"));
    assertTrue(html.contains("<th scope=\"row\">À pied</th>"));
    assertTrue(html.contains("intervalle de Wilson"));
    assertTrue(html.contains("href=\"/events/" + EVENT + "/report.pdf?lang=ar\""), "Arabic report");
    assertTrue(html.contains("moins de 5"));
    assertTrue(html.contains("href=\"/events/" + EVENT + "/maps/ou-habitez\""), "map picture");
    assertTrue(html.contains("Merci pour le marché " + kiosk + " 4"));
    assertFalse(html.contains("Merci pour le marché " + kiosk + " 8"), "unpublished text");
    Http.Reply english = http.get("/events/" + EVENT + "/results?lang=en");
    assertTrue(english.body().contains("Wilson interval"));
  }

  /** The cells of an HTML table by id, row by row (header cell first); tags stripped. */
  private static List<List<String>> tableRows(String html, String id) {
    int start = html.indexOf("<table id=\"" + id + "\"");
    assertTrue(start >= 0, "no table " + id);
    String table = html.substring(start, html.indexOf("</table>", start));
    List<List<String>> rows = new ArrayList<>();
    java.util.regex.Matcher row =
        java.util.regex.Pattern.compile("<tr>(.*?)</tr>", java.util.regex.Pattern.DOTALL)
            .matcher(table.substring(table.indexOf("<tbody>")));
    while (row.find()) {
      List<String> cells = new ArrayList<>();
      java.util.regex.Matcher cell =
          java.util.regex.Pattern.compile("<t[hd][^>]*>(.*?)</t[hd]>").matcher(row.group(1));
      while (cell.find()) {
        cells.add(cell.group(1));
      }
      rows.add(cells);
    }
    return rows;
  }

  /** A split's expected cell from the JSON: "6 (40 %)", "0", or "moins de 5". */
  private static String splitCell(JsonNode counts, JsonNode n, String option) {
    if (!counts.has(option)) {
      return n.isNull() ? "moins de 5" : "0";
    }
    if (counts.path(option).isNull()) {
      return "moins de 5";
    }
    long count = counts.path(option).asLong();
    return count
        + " ("
        + java.text.NumberFormat.getPercentInstance(java.util.Locale.FRENCH)
            .format((double) count / n.asLong())
        + ")";
  }

  @Test
  void page_splitsEachQuestionBySiteChannelAndDevice_asTheJsonCountsThem() throws Exception {
    JsonNode results = results();
    String html = http.get("/events/" + EVENT + "/results").body();

    for (String question : List.of("venue", "envies", "horaires", "dimanche", "priorites")) {
      JsonNode q = question(results, question);
      JsonNode list = q.has("options") ? q.path("options") : q.path("ranking");
      for (String[] split :
          new String[][] {
            {"channel", "byChannel", "answeredByChannel"},
            {"site", "bySite", "answeredBySite"},
            {"device", "byDevice", "answeredByDevice"}
          }) {
        JsonNode counts = q.path(split[1]);
        JsonNode answered = q.path(split[2]);
        List<String> groups = new ArrayList<>();
        answered.fieldNames().forEachRemaining(groups::add);
        assertEquals(split[0].equals("device") ? 3 : 2, groups.size(), question + " " + split[0]);
        List<List<String>> rows = tableRows(html, "q-" + question + "-by-" + split[0]);
        assertEquals(list.size() + 1, rows.size(), question + " " + split[0]);
        List<String> n = new ArrayList<>(List.of("Ont répondu (n)"));
        for (String g : groups) {
          n.add(answered.path(g).isNull() ? "moins de 5" : answered.path(g).asText());
        }
        assertEquals(n, rows.get(0));
        for (int i = 0; i < list.size(); i++) {
          JsonNode o = list.get(i);
          List<String> expected = new ArrayList<>(List.of(o.path("label").asText()));
          for (String g : groups) {
            expected.add(splitCell(counts.path(g), answered.path(g), o.path("id").asText()));
          }
          assertEquals(expected, rows.get(i + 1), question + " " + split[0]);
        }
      }
    }
    JsonNode venue = question(results, "venue");
    assertEquals(15, venue.path("answeredByChannel").path("kiosk").asLong());
    assertEquals(8, venue.path("answeredBySite").path(hubB).asLong());
    assertTrue(venue.path("answeredByDevice").path(smallKiosk).isNull(), "3 answered: hidden");
    // the tablet's 3 by tram or bus, the station kiosk's 3 "autrement": hidden on the page
    List<List<String>> channel = tableRows(html, "q-venue-by-channel");
    assertEquals(List.of("Autrement", "moins de 5", "0"), channel.get(5));
    assertEquals(List.of("En tram ou en bus", "0", "moins de 5"), channel.get(3));
    assertFalse(html.contains(">3 ("), "no count under 5 in a split");
    assertTrue(html.contains("<caption>Par canal\u00a0: Comment êtes-vous venu"), html);
    assertTrue(html.contains("<th scope=\"col\">Borne</th><th scope=\"col\">Tablette</th>"));
    assertTrue(html.contains("<svg class=\"split\""), "a chart beside each table");
    assertFalse(html.contains("q-un-mot-by-"), "no split of free texts");
    assertFalse(html.contains("q-ou-habitez-by-"), "nor of maps");
    String english = http.get("/events/" + EVENT + "/results?lang=en").body();
    assertTrue(english.contains("Answered (n)"));
    assertTrue(english.contains("fewer than 5"));
  }

  @Test
  void report_pdfTextCarriesTheSameFiguresAsTheJson() throws Exception {
    HttpResponse<byte[]> reply = bytes("/events/" + EVENT + "/report.pdf");

    assertEquals(200, reply.statusCode());
    assertEquals("application/pdf", reply.headers().firstValue("content-type").orElseThrow());
    JsonNode results = results();
    try (PDDocument pdf = Loader.loadPDF(reply.body())) {
      String text = new PDFTextStripper().getText(pdf);
      assertTrue(text.contains("Rapport de participation"), text);
      assertTrue(text.contains("23 participations"), text);
      assertTrue(text.contains("intervalle de Wilson"), text);
      assertTrue(text.contains("Représentativité"), text);
      assertFontsEmbedded(pdf);
      JsonNode pied = option(question(results, "venue").path("options"), "pied");
      // "11   48 %   [29 % – 67 %]" as the page formats them
      assertTrue(
          text.contains(
              pied.path("count").asLong()
                  + "   "
                  + percent(pied.path("share").asDouble())
                  + "   ["
                  + percent(pied.path("low").asDouble())
                  + " – "
                  + percent(pied.path("high").asDouble())
                  + "]"),
          text);
      JsonNode proprete = option(question(results, "priorites").path("ranking"), "proprete");
      assertTrue(
          text.contains(proprete.path("borda").asLong() + "   " + proprete.path("firsts").asLong()),
          text);
      assertTrue(text.contains("Borne du marché") || text.contains(hubA), text);
      assertTrue(text.contains("Merci pour le marché " + kiosk + " 4"), text);
      assertFalse(text.contains("Merci pour le marché " + kiosk + " 8"), text);
      // the splits: by channel, the kiosks' 15 and the tablet's 8, their 3s hidden
      JsonNode venue = question(results, "venue");
      assertTrue(text.contains("Par canal"), text);
      assertTrue(text.contains("Ont répondu (n) 15 8"), text);
      assertTrue(
          text.contains(
              "À pied "
                  + splitCell(
                          venue.path("byChannel").path("kiosk"),
                          venue.path("answeredByChannel").path("kiosk"),
                          "pied")
                      .replace('\u00a0', ' ')
                      .replace('\u202f', ' ')
                  + " "
                  + splitCell(
                          venue.path("byChannel").path("tablet"),
                          venue.path("answeredByChannel").path("tablet"),
                          "pied")
                      .replace('\u00a0', ' ')
                      .replace('\u202f', ' ')),
          text);
      assertTrue(text.contains("Autrement moins de 5 0"), text);
      assertTrue(text.contains("En tram ou en bus 0 moins de 5"), text);
      assertFalse(text.contains(" 3 ("), "no count under 5 in a split: " + text);
      Path pages = Path.of("target", "report-pages");
      Files.createDirectories(pages);
      Files.write(pages.resolve("report-fr.pdf"), reply.body());
      PDFRenderer renderer = new PDFRenderer(pdf);
      for (int i = 0; i < pdf.getNumberOfPages(); i++) {
        javax.imageio.ImageIO.write(
            renderer.renderImageWithDPI(i, 80),
            "png",
            pages.resolve("report-page-" + (i + 1) + ".png").toFile());
      }
      assertTrue(pdf.getNumberOfPages() >= 2);
    }
  }

  /**
   * The report in Arabic (decision 0042): the event file's Arabic words, shaped (presentation forms
   * in the file, read back to the letters), laid out from the right margin, in embedded fonts.
   * target/report-pages/report-ar.pdf is rendered with pdftoppm and looked at.
   */
  @Test
  void report_inArabic_isShapedRightAlignedAndEmbedded() throws Exception {
    HttpResponse<byte[]> reply = bytes("/events/" + EVENT + "/report.pdf?lang=ar");

    assertEquals(200, reply.statusCode());
    Path pages = Path.of("target", "report-pages");
    Files.createDirectories(pages);
    Files.write(pages.resolve("report-ar.pdf"), reply.body());
    try (PDDocument pdf = Loader.loadPDF(reply.body())) {
      StringBuilder glyphs = new StringBuilder();
      String drawn =
          new PDFTextStripper() {
            @Override
            protected void processTextPosition(org.apache.pdfbox.text.TextPosition p) {
              glyphs.append(p.getUnicode()); // as drawn, before the stripper normalises it
              super.processTextPosition(p);
            }
          }.getText(pdf);
      assertTrue(
          glyphs.codePoints().anyMatch(cp -> cp >= 0xFE70 && cp <= 0xFEFC),
          "joined letters (presentation forms) are drawn");
      assertFalse(glyphs.toString().contains("?"), "every character has a glyph");
      String text = java.text.Normalizer.normalize(drawn, java.text.Normalizer.Form.NFKC);
      assertTrue(text.contains("تقرير المشاركة"), text);
      assertTrue(text.contains("كيف جئت إلى السوق اليوم؟"), "the question in Arabic: " + text);
      assertTrue(text.contains("مشيًا على الأقدام"), "an option in Arabic: " + text);
      assertTrue(text.contains("23 مشاركة"), "digits 0-9 beside Arabic words: " + text);
      assertFalse(text.contains("Rapport de participation"), text);
      assertFontsEmbedded(pdf);
      // The first line (the report's title) ends at the right margin, not at the left one.
      float[] extent = extent(pdf, "تقرير المشاركة");
      float right = pdf.getPage(0).getMediaBox().getWidth() - 50;
      assertTrue(Math.abs(extent[1] - right) < 2, "right-aligned: " + extent[0] + "-" + extent[1]);
    }
  }

  /** Every font of every page is embedded (the report carries its own fonts). */
  private static void assertFontsEmbedded(PDDocument pdf) throws Exception {
    int fonts = 0;
    for (org.apache.pdfbox.pdmodel.PDPage page : pdf.getPages()) {
      org.apache.pdfbox.pdmodel.PDResources resources = page.getResources();
      for (org.apache.pdfbox.cos.COSName name : resources.getFontNames()) {
        org.apache.pdfbox.pdmodel.font.PDFont font = resources.getFont(name);
        assertTrue(font.isEmbedded(), font.getName() + " is embedded");
        fonts++;
      }
    }
    assertTrue(fonts > 0, "fonts found");
  }

  /** The left and right x of the first line of page 1 that holds {@code words} once normalised. */
  private static float[] extent(PDDocument pdf, String words) throws Exception {
    float[] found = {-1, -1};
    PDFTextStripper stripper =
        new PDFTextStripper() {
          @Override
          protected void writeString(
              String line, List<org.apache.pdfbox.text.TextPosition> positions) {
            String logical = java.text.Normalizer.normalize(line, java.text.Normalizer.Form.NFKC);
            if (found[0] < 0 && logical.contains(words)) {
              float left = Float.MAX_VALUE;
              float right = 0;
              for (org.apache.pdfbox.text.TextPosition p : positions) {
                left = Math.min(left, p.getXDirAdj());
                right = Math.max(right, p.getXDirAdj() + p.getWidthDirAdj());
              }
              found[0] = left;
              found[1] = right;
            }
          }
        };
    stripper.setStartPage(1);
    stripper.setEndPage(1);
    stripper.getText(pdf);
    assertTrue(found[0] >= 0, words + " on page 1");
    return found;
  }

  /**
   * The page in headless Chromium on a phone (390 x 844, then the whole page at that width) and a
   * desktop: target/screenshots/results-*.png, looked at before they went to docs/screenshots.
   */
  @Test
  void page_inChromium_rendersOnAPhoneAndADesktop() throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    if (!Files.isExecutable(chromium)) {
      terrain.testkit.Services.missing("Chromium", "sudo apt-get install chromium");
    }
    Path shots = Path.of("target", "screenshots").toAbsolutePath();
    Files.createDirectories(shots);
    String url = server.baseUrl() + "/events/" + EVENT + "/results?lang=fr";
    int[][] sizes = {{390, 844}, {390, 7600}, {1280, 4200}};
    String[] names = {
      "results-phone-fr.png", "results-phone-full-fr.png", "results-desktop-fr.png"
    };
    for (int i = 0; i < sizes.length; i++) {
      Path png = shots.resolve(names[i]);
      Files.deleteIfExists(png);
      Process chrome =
          new ProcessBuilder(
                  chromium.toString(),
                  "--headless",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--hide-scrollbars",
                  "--user-data-dir=" + dir.resolve("chromium-" + i),
                  "--window-size=" + sizes[i][0] + "," + sizes[i][1],
                  "--screenshot=" + png,
                  url)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("chromium-" + i + ".log").toFile())
              .start();
      assertTrue(chrome.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "Chromium finished");
      java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
      assertEquals(sizes[i][0], image.getWidth(), names[i]);
      assertEquals(sizes[i][1], image.getHeight(), names[i]);
    }
    // A phone's and a desktop's screen at the first question's split by site (headless Chromium
    // does not paint a page scrolled to a #fragment): cut from the whole page at that width, from
    // a little above the first legend's second colour, drawn by the splits only.
    breakdown(shots.resolve(names[1]), 844, shots.resolve("results-breakdown-phone.png"));
    breakdown(shots.resolve(names[2]), 900, shots.resolve("results-breakdown-desktop.png"));
  }

  private static void breakdown(Path page, int height, Path to) throws Exception {
    java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(page.toFile());
    int orange = 0xe07b00;
    int found = -1;
    for (int y = 0; y < image.getHeight() && found < 0; y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == orange) {
          found = y;
          break;
        }
      }
    }
    assertTrue(found > 0, "a split's legend on " + page);
    int top = Math.max(0, Math.min(found - 170, image.getHeight() - height));
    javax.imageio.ImageIO.write(
        image.getSubimage(0, top, image.getWidth(), height), "png", to.toFile());
  }

  private static String percent(double share) {
    // the report prints the no-break spaces of French numbers as plain spaces
    return java.text.NumberFormat.getPercentInstance(java.util.Locale.FRENCH)
        .format(share)
        .replace('\u00a0', ' ')
        .replace('\u202f', ' ');
  }

  private HttpResponse<byte[]> bytes(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }
}
