// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.representativeness;

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
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.server.SyncServer;
import terrain.server.testkit.Http;

/**
 * {@code GET /api/events/{id}/representativeness} and the results page's section, over HTTP, on
 * participations sent twice through a hub (counted once): respondents against the population, small
 * counts hidden, raw and weighted shares, the "who is missing" line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RepresentativenessApiTest {
  @TempDir static Path dir;
  SyncServer server;
  Http http;

  @BeforeAll
  void start() throws Exception {
    server = QuartierEvents.start(dir);
    http = new Http(server.baseUrl());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void api_comparesWithThePopulationAndWeighsByRaking() throws Exception {
    Http.Reply reply = http.get("/api/events/" + QuartierEvents.EVENT + "/representativeness");

    assertEquals(200, reply.status(), reply.body());
    JsonNode root = reply.json();
    assertEquals("INSEE RP 2021 (test)", root.path("source").asText());
    JsonNode young = root.path("dimensions").path("ageBand").get(0);
    assertEquals("jeunes", young.path("band").asText());
    assertEquals(30, young.path("respondents").asInt());
    assertEquals(0.5, young.path("populationShare").asDouble(), 1e-12);
    assertEquals(30.0 / 103 / 0.5, young.path("ratio").asDouble(), 1e-12);
    JsonNode north = root.path("dimensions").path("neighbourhood").get(0);
    assertEquals("nord", north.path("band").asText());
    assertEquals(40, north.path("respondents").asInt());
    assertEquals(1000, north.path("population").asInt());
    assertEquals(2, root.path("dimensions").path("neighbourhood").size(), "ailleurs is outside");

    JsonNode raking = root.path("raking");
    assertEquals(100, raking.path("base").asInt(), "3 from elsewhere and 2 silent left out");
    assertTrue(raking.path("converged").asBoolean());
    assertTrue(raking.path("largestGap").asDouble() <= 1e-9);
    assertEquals(0.30, root.path("raw").path("q-parc").path("yes").asDouble(), 1e-12);
    assertEquals(0.50, root.path("weighted").path("q-parc").path("yes").asDouble(), 1e-9);
    assertEquals(0.50, root.path("weighted").path("q-parc").path("no").asDouble(), 1e-9);
    assertTrue(root.path("raw").path("q-mode").path("velo").isNull(), "3 riders: hidden");
    assertTrue(root.path("weighted").path("q-mode").path("velo").isNull(), "3 riders: hidden");
    assertFalse(root.path("weighted").has("q-mot"), "free texts are not weighted");

    String line = root.path("warnings").path("fr").get(0).asText();
    assertEquals(
        "Tranche «\u00a0Jeunes\u00a0»\u00a0: 1,7 fois moins représentée que dans la population"
            + " (29\u00a0% des participants, 50\u00a0% de la population).",
        line.replace('\u202f', '\u00a0'));
    assertEquals(1, root.path("warnings").path("en").size());
  }

  @Test
  void api_whenEventGivesNoPopulationOrIsUnknown_is404() throws Exception {
    assertEquals(404, http.get("/api/events/autre/representativeness").status());
    assertEquals(404, http.get("/api/events/%3Cb%3E/representativeness").status());
  }

  @Test
  void resultsPage_showsTheSectionWithTheTableAndTheWeightedShares() throws Exception {
    Http.Reply fr = http.get("/events/" + QuartierEvents.EVENT);
    Http.Reply en = http.get("/events/" + QuartierEvents.EVENT + "?lang=en");

    assertEquals(200, fr.status());
    String page = fr.body().replace('\u202f', '\u00a0');
    assertTrue(page.contains("<section id=\"representativeness\""), page);
    assertTrue(page.contains("Qui a participé, comparé à la population"), page);
    assertTrue(page.contains("1,7 fois moins représentée"), page);
    assertTrue(page.contains("<td>30</td><td>29\u00a0%</td><td>50\u00a0%</td><td>0,58</td>"), page);
    assertTrue(
        page.contains("<th scope=\"row\">Oui</th><td>30\u00a0%</td><td>50\u00a0%</td>"), page);
    assertTrue(en.body().contains("Age band \"Young\": 1.7 times fewer"), en.body());
    assertTrue(en.body().contains("Results raw and weighted"), en.body());
  }

  /**
   * The printed report's representativeness section carries the API's figures: per band the
   * respondents, shares and ratio, who is missing, and raw against weighted with small counts
   * hidden. Its pages are rendered to target/report-pages-representativeness/ to be looked at.
   */
  @Test
  void report_pdfRepresentativenessSection_carriesTheApisFigures() throws Exception {
    JsonNode api = http.get("/api/events/" + QuartierEvents.EVENT + "/representativeness").json();
    HttpResponse<byte[]> reply =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            server.baseUrl() + "/events/" + QuartierEvents.EVENT + "/report.pdf"))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, reply.statusCode());

    try (PDDocument pdf = Loader.loadPDF(reply.body())) {
      String text = flat(new PDFTextStripper().getText(pdf));
      assertFalse(text.contains("Cette section comparera"), "no placeholder: " + text);
      assertTrue(text.contains("Qui a participé, comparé à la population"), text);
      assertTrue(text.contains(flat(api.path("warnings").path("fr").get(0).asText())), text);
      NumberFormat ratio = NumberFormat.getNumberInstance(Locale.FRENCH);
      ratio.setMinimumFractionDigits(2);
      ratio.setMaximumFractionDigits(2);
      int bands = 0;
      for (String dimension : List.of("ageBand", "neighbourhood")) {
        for (JsonNode band : api.path("dimensions").path(dimension)) {
          String row =
              band.path("label").asText()
                  + " "
                  + (band.path("respondents").isNull()
                      ? "moins de 5"
                      : band.path("respondents").asLong())
                  + " "
                  + percent(band.path("respondentShare"))
                  + " "
                  + percent(band.path("populationShare"))
                  + " "
                  + (band.path("ratio").isNull()
                      ? "–"
                      : ratio.format(band.path("ratio").asDouble()));
          assertTrue(text.contains(row), row + " in " + text);
          bands++;
        }
      }
      assertEquals(4, bands);
      // Raw and weighted, as the API gives them: "Oui 30 % 50 %"; the 3 riders hidden: "– –".
      assertTrue(
          text.contains(
              "Oui "
                  + percent(api.path("raw").path("q-parc").path("yes"))
                  + " "
                  + percent(api.path("weighted").path("q-parc").path("yes"))),
          text);
      assertTrue(api.path("raw").path("q-mode").path("velo").isNull());
      assertTrue(text.contains("À vélo – –"), text);

      Path pages = Path.of("target", "report-pages-representativeness");
      Files.createDirectories(pages);
      PDFRenderer renderer = new PDFRenderer(pdf);
      for (int i = 0; i < pdf.getNumberOfPages(); i++) {
        ImageIO.write(
            renderer.renderImageWithDPI(i, 80),
            "png",
            pages.resolve("report-page-" + (i + 1) + ".png").toFile());
      }
    }
  }

  /** "29 %" as the report prints a share (spaces made plain); "–" when not given. */
  private static String percent(JsonNode share) {
    if (share.isNull() || share.isMissingNode()) {
      return "–";
    }
    return flat(
        NumberFormat.getPercentInstance(Locale.FRENCH)
            .format(Math.round(share.asDouble() * 100) / 100.0));
  }

  /** Every run of spaces, line breaks and no-break spaces as one space. */
  private static String flat(String text) {
    return text.replace('\u00a0', ' ').replace('\u202f', ' ').replaceAll("\\s+", " ");
  }
}
