// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.server.SyncServer;
import terrain.server.representativeness.QuartierEvents;
import terrain.server.testkit.Http;
import terrain.server.testkit.TestEnv;

/**
 * The open-data exports over HTTP, on the 105 participations of the quartier test event sent twice
 * through a hub: as many rows as the summary counts, a dictionary row per column, the CSV and the
 * GeoJSON read back by their parsers, texts only once published, small profile pairs masked, the
 * licence on every answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportApiTest {
  @TempDir static Path dir;
  SyncServer server;
  Http http;
  String base;

  @BeforeAll
  void start() throws Exception {
    server = QuartierEvents.start(dir);
    http = new Http(server.baseUrl());
    base = "/api/events/" + QuartierEvents.EVENT;
    TestEnv.publish(http, QuartierEvents.ADMIN, "text", "borne-quartier~2~q-mot");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void exportCsv_hasOneRowPerParticipationTheSummaryCounts() throws Exception {
    Http.Reply summary = http.get(base + "/summary");
    HttpResponse<String> csv = http.raw("GET", base + "/export.csv", null);

    assertEquals(200, csv.statusCode());
    assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
    assertTrue(
        csv.headers().firstValue("Link").orElse("").contains("rel=\"license\""),
        csv.headers().map().toString());
    List<CSVRecord> rows =
        CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .get()
            .parse(new StringReader(csv.body()))
            .getRecords();
    assertEquals(summary.json().path("responses").asLong(), rows.size());
    assertEquals(QuartierEvents.PARTICIPATIONS, rows.size());
    Map<String, Long> parc =
        rows.stream().collect(Collectors.groupingBy(r -> r.get("q-parc"), Collectors.counting()));
    assertEquals(Map.of("yes", 30L, "no", 75L), parc);
    List<String> texts = rows.stream().map(r -> r.get("q-mot")).filter(t -> !t.isEmpty()).toList();
    assertEquals(List.of("mot, \"n°2\"\nfin"), texts, "only the published text, read back whole");
    long masked = rows.stream().filter(r -> r.get("profile_masked").equals("1")).count();
    assertEquals(3, masked, "the 3 elders from elsewhere are a pair under 5");
    assertTrue(
        rows.stream()
            .filter(r -> r.get("profile_masked").equals("1"))
            .allMatch(r -> r.get("age_band").isEmpty() && r.get("neighbourhood").isEmpty()));
    assertFalse(rows.get(0).isMapped("device"), "no device in the public export");
    assertEquals("1", rows.get(0).get("participation"));
    assertTrue(rows.get(0).get("q-lieu_x").matches("\\d+"), rows.get(0).toString());
  }

  @Test
  void dictionary_hasARowPerColumnWithCodesAndLabelsAndTheLicence() throws Exception {
    HttpResponse<String> csv = http.raw("GET", base + "/export.csv", null);
    HttpResponse<String> dictionary = http.raw("GET", base + "/dictionary.csv", null);

    assertEquals(200, dictionary.statusCode());
    List<String> header =
        CSVFormat.RFC4180.parse(new StringReader(csv.body())).getRecords().get(0).toList();
    List<CSVRecord> rows =
        CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .get()
            .parse(new StringReader(dictionary.body()))
            .getRecords();
    assertEquals(header, rows.stream().map(r -> r.get("column")).toList());
    CSVRecord parc = rows.stream().filter(r -> r.get("column").equals("q-parc")).findFirst().get();
    assertEquals("Un parc ?", parc.get("question"));
    assertEquals("yes no", parc.get("codes"));
    assertEquals("yes = Oui ; no = Non", parc.get("labels"));
    assertTrue(rows.get(0).get("description").contains("Licence Ouverte"), rows.get(0).toString());
  }

  @Test
  void exportJsonAndGeoJson_parseWithJacksonAndAgree() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    Http.Reply json = http.get(base + "/export.json");
    HttpResponse<String> geo = http.raw("GET", base + "/pins.geojson", null);

    assertEquals(200, json.status());
    assertEquals(QuartierEvents.PARTICIPATIONS, json.json().path("participations").size());
    assertTrue(json.json().path("licence").asText().contains("Etalab"));
    assertEquals(200, geo.statusCode());
    assertTrue(
        geo.headers().firstValue("Content-Type").orElse("").startsWith("application/geo+json"));
    JsonNode features = mapper.readTree(geo.body());
    assertEquals("FeatureCollection", features.path("type").asText());
    assertEquals(QuartierEvents.PARTICIPATIONS, features.path("features").size());
    JsonNode first = features.path("features").get(0);
    assertEquals("Feature", first.path("type").asText());
    assertTrue(first.path("geometry").isNull(), "a picture without geo-reference");
    assertEquals("q-lieu", first.path("properties").path("question").asText());
  }

  @Test
  void fullExport_needsTheAdminTokenAndGivesDevicesAndTimes() throws Exception {
    assertEquals(401, http.get(base + "/export.csv?full=1").status());
    HttpResponse<String> full =
        http.raw(
            "GET",
            base + "/export.csv?full=1",
            null,
            "Authorization",
            "Bearer " + QuartierEvents.ADMIN);
    assertEquals(200, full.statusCode());
    List<CSVRecord> rows =
        CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .get()
            .parse(new StringReader(full.body()))
            .getRecords();
    assertEquals("borne-quartier", rows.get(0).get("device"));
    assertEquals("1", rows.get(0).get("seq"));
    assertEquals("ailleurs", rows.get(100).get("neighbourhood"), "not masked for staff");
  }

  @Test
  void exports_whenEventUnknown_are404() throws Exception {
    assertEquals(404, http.get("/api/events/inconnu/export.csv").status());
    assertEquals(404, http.get("/api/events/inconnu/pins.geojson").status());
  }
}
