// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.provisioning.Cli.EN;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.trust.EnrolmentText;

/** The CLI against a fake sync server that answers as the brief's admin API says. */
class AdminApiTest {

  static final String TOKEN = "admin-token-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  FakeHttp server;

  @BeforeEach
  void start() throws IOException {
    server = new FakeHttp();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  Cli.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", server.url(), "--token", TOKEN));
    return Cli.run(all.toArray(String[]::new));
  }

  Path goodEvent() throws IOException {
    Path file = dir.resolve("event.yaml");
    Files.writeString(file, EventCheckTest.GOOD, StandardCharsets.UTF_8);
    return file;
  }

  static String enrolment(String id) {
    return "http://127.0.0.1:8080/enrol#v1/"
        + id
        + "/"
        + EnrolmentText.newToken(new SecureRandom());
  }

  @Test
  void publish_sendsTheFileWithTheBearer_printsTheVersion() throws IOException {
    server.on(
        "POST /api/admin/events",
        201,
        "{\"event\":\"marche-2026\",\"version\":3,\"sha256\":\"9f86d081884c7d659a2feaa0c55ad015\"}");
    Path file = goodEvent();
    Cli.Result r = run("event", "publish", file.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(
        r.out().contains("marche-2026: published as version 3 (sha256 9f86d081884c)"),
        r.toString());
    FakeHttp.Request request = server.only();
    assertEquals("Bearer " + TOKEN, request.authorization());
    assertTrue(request.contentType().startsWith("application/yaml"), request.contentType());
    assertEquals(Files.readString(file), request.body());
  }

  @Test
  void publish_sameFileAgain_200_saysUnchanged() throws IOException {
    server.on(
        "POST /api/admin/events",
        200,
        "{\"event\":\"marche-2026\",\"version\":3,\"sha256\":\"ab\"}");
    Cli.Result r = run("event", "publish", goodEvent().toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains(EN.get("event.unchanged", "marche-2026", 3L, "ab")), r.toString());
  }

  @Test
  void publish_tokenFromEnvironment() throws IOException {
    server.on(
        "POST /api/admin/events",
        201,
        "{\"event\":\"marche-2026\",\"version\":1,\"sha256\":\"ab\"}");
    Cli.Result r =
        Cli.runWith(
            Map.of("TERRAIN_ADMIN_TOKEN", "from-env-0123456789"),
            "event",
            "publish",
            goodEvent().toString(),
            "--server",
            server.url());
    assertEquals(0, r.code(), r.toString());
    assertEquals("Bearer from-env-0123456789", server.only().authorization());
  }

  @Test
  void publish_noToken_usage2_nothingSent() throws IOException {
    Cli.Result r = Cli.run("event", "publish", goodEvent().toString(), "--server", server.url());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains(EN.get("server.noToken", "TERRAIN_ADMIN_TOKEN")), r.toString());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void publish_brokenFile_checkedLocally_nothingSent_exit1() throws IOException {
    Path file = dir.resolve("broken.yaml");
    Files.writeString(file, EventCheckTest.GOOD.replace("kind: yesno", "kind: yesnon"));
    Cli.Result r = run("event", "publish", file.toString());
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains(file + ":12:15: "), r.toString());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void publish_400_printsTheErrorAndEveryProblem() throws IOException {
    server.on(
        "POST /api/admin/events",
        400,
        "{\"error\":\"the event file has 2 mistakes\",\"problems\":[\"event.yaml:3:1: a\","
            + "\"event.yaml:9:5: b\"]}");
    Cli.Result r = run("event", "publish", goodEvent().toString());
    assertEquals(1, r.code(), r.toString());
    assertEquals(
        List.of(
            "the server refused (HTTP 400): the event file has 2 mistakes",
            "event.yaml:3:1: a",
            "event.yaml:9:5: b"),
        r.err().lines().toList());
  }

  @Test
  void publish_409_renamedQuestion_printsTheServersReason() throws IOException {
    server.on(
        "POST /api/admin/events",
        409,
        "{\"error\":\"question often has records and was removed: put it back\"}");
    Cli.Result r = run("event", "publish", goodEvent().toString());
    assertEquals(1, r.code(), r.toString());
    assertEquals(
        "the server refused (HTTP 409): question often has records and was removed: put it back",
        r.err().strip());
  }

  @Test
  void badToken_401_saysCheckTheToken() throws IOException {
    server.on("GET /api/admin/devices", 401, "{\"error\":\"admin token required\"}");
    Cli.Result r = run("device", "list");
    assertEquals(1, r.code(), r.toString());
    assertTrue(
        r.err()
            .startsWith(
                EN.get("http.unauthorized", EN.get("peer.server"), "TERRAIN_ADMIN_TOKEN")
                    + " (admin token required)"),
        r.toString());
    assertEquals(1, r.err().lines().count(), r.toString());
  }

  @Test
  void serverUnreachable_oneClearLine_exit1() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Cli.Result r =
        Cli.run("device", "list", "--server", "http://127.0.0.1:" + port, "--token", TOKEN);
    assertEquals(1, r.code(), r.toString());
    assertEquals(
        EN.get(
            "http.connectRefused",
            EN.get("peer.server"),
            "http://127.0.0.1:" + port,
            EN.get("server.startHint")),
        r.err().strip(),
        r.toString());
    assertTrue(r.err().contains("check --server"), r.toString());
    assertEquals(1, r.err().lines().count(), r.toString());
  }

  @Test
  void malformedJson_oneClearLine_exit1() {
    server.on("GET /api/admin/devices", 200, "<html>proxy login</html>");
    Cli.Result r = run("device", "list");
    assertEquals(1, r.code(), r.toString());
    assertEquals(
        EN.get(
            "http.malformed",
            EN.get("peer.server"),
            server.url(),
            "GET",
            "/api/admin/devices",
            EN.get("malformed.notJson"),
            EN.get("peer.server.product")),
        r.err().strip(),
        r.toString());
  }

  @Test
  void error500WithoutJson_saysSeeTheLog() {
    server.on("GET /api/admin/devices", 500, "boom");
    Cli.Result r = run("device", "list");
    assertEquals(1, r.code(), r.toString());
    assertEquals(
        EN.get(
            "http.noErrorText",
            EN.get("peer.server"),
            server.url(),
            500,
            EN.get("server.startHint"),
            EN.get("peer.server.log")),
        r.err().strip(),
        r.toString());
  }

  @Test
  void badServerAddress_usage2() {
    Cli.Result r = Cli.run("device", "list", "--server", "ftp://x", "--token", TOKEN);
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains(EN.get("http.notHttp", "--server", "ftp://x")), r.toString());
  }

  @Test
  void enrol_json_sendsTheRequest_printsTheServersList_writesTheKit() throws Exception {
    String e1 = enrolment("kiosk-3f9a1c");
    String e2 = enrolment("kiosk-77aa00");
    server.on(
        "POST /api/admin/devices",
        201,
        "[{\"id\":\"kiosk-3f9a1c\",\"kind\":\"kiosk\",\"name\":\"Borne"
            + " 1\",\"event\":\"marche-2026\",\"enrolment\":\""
            + e1
            + "\",\"expiresAt\":\"2026-11-29T17:00:00Z\"},{\"id\":\"kiosk-77aa00\",\"kind\":\"kiosk\",\"name\":\"Borne"
            + " 2\",\"event\":\"marche-2026\",\"enrolment\":\""
            + e2
            + "\",\"expiresAt\":\"2026-11-29T17:00:00Z\"}]");
    Path kit = dir.resolve("kit.pdf");
    Cli.Result r =
        run(
            "device",
            "enrol",
            "--kind",
            "kiosk",
            "--event",
            "marche-2026",
            "--name",
            "Borne",
            "--count",
            "2",
            "--valid-hours",
            "72",
            "--hub",
            "tcp://192.168.1.10:1883",
            "--pin",
            "482913",
            "--kit",
            kit.toString(),
            "--json");
    assertEquals(0, r.code(), r.toString());
    FakeHttp.Request request = server.only();
    assertEquals("Bearer " + TOKEN, request.authorization());
    assertTrue(request.contentType().startsWith("application/json"));
    assertEquals(
        JSON.readTree(
            "{\"kind\":\"kiosk\",\"event\":\"marche-2026\",\"name\":\"Borne\",\"count\":2,"
                + "\"validHours\":72,\"hub\":\"tcp://192.168.1.10:1883\",\"pin\":\"482913\"}"),
        JSON.readTree(request.body()));
    // stdout is the JSON list alone, for scripts: [{"id":...,"enrolment":...},...]
    JsonNode printed = JSON.readTree(r.out());
    assertEquals(2, printed.size());
    assertEquals("kiosk-3f9a1c", printed.get(0).get("id").asText());
    assertEquals(e1, printed.get(0).get("enrolment").asText());
    assertEquals(e2, printed.get(1).get("enrolment").asText());
    assertEquals(EN.get("kit.written", kit, 2, 1), r.err().strip(), r.toString());
    assertTrue(r.err().contains("(2 devices, 1 page)"), r.toString());
    try (PDDocument document = Loader.loadPDF(kit.toFile())) {
      assertEquals(1, document.getNumberOfPages());
      var image = new PDFRenderer(document).renderImageWithDPI(0, 100, ImageType.RGB);
      List<String> decoded = new ArrayList<>();
      for (var result : KitPdfTest.decode(image)) {
        decoded.add(result.getText());
      }
      assertEquals(List.of(e1, e2).stream().sorted().toList(), decoded.stream().sorted().toList());
    }
  }

  @Test
  void enrol_table_withoutJson() {
    String e1 = enrolment("hub-a1b2c3");
    server.on(
        "POST /api/admin/devices",
        201,
        "[{\"id\":\"hub-a1b2c3\",\"kind\":\"hub\",\"name\":\"hub-a1b2c3\",\"event\":\"marche-2026\","
            + "\"enrolment\":\""
            + e1
            + "\",\"expiresAt\":\"2026-11-29T17:00:00Z\"}]");
    Cli.Result r = run("device", "enrol", "--kind", "hub", "--event", "marche-2026");
    assertEquals(0, r.code(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertTrue(
        lines.get(0).matches(String.join(" +", EN.get("device.enrolHeader").split(" \\| "))),
        r.toString());
    assertTrue(
        lines.get(1).matches("hub-a1b2c3 +hub-a1b2c3 +2026-11-29 18:00 +" + e1.replace("#", "\\#")),
        r.toString());
    assertEquals(
        "1 device enrolled for marche-2026: each enrolment text works once, until it expires.",
        lines.get(2));
    assertEquals("{\"kind\":\"hub\",\"event\":\"marche-2026\",\"count\":1}", server.only().body());
  }

  @Test
  void enrol_invalidOptions_usage2_nothingSent() {
    assertEquals(2, run("device", "enrol", "--kind", "printer", "--event", "e").code());
    assertEquals(2, run("device", "enrol", "--kind", "kiosk", "--event", "Marché").code());
    assertEquals(
        2, run("device", "enrol", "--kind", "kiosk", "--event", "e", "--count", "0").code());
    assertEquals(
        2, run("device", "enrol", "--kind", "kiosk", "--event", "e", "--count", "201").code());
    assertEquals(
        2,
        run("device", "enrol", "--kind", "kiosk", "--event", "e", "--valid-hours", "721").code());
    assertEquals(
        2,
        run("device", "enrol", "--kind", "kiosk", "--event", "e", "--hub", "192.168.1.1").code());
    assertEquals(
        2, run("device", "enrol", "--kind", "kiosk", "--event", "e", "--pin", "12a4").code());
    assertEquals(
        2,
        run(
                "device",
                "enrol",
                "--kind",
                "kiosk",
                "--event",
                "e",
                "--kit",
                dir.resolve("missing/kit.pdf").toString())
            .code());
    assertEquals(2, run("device", "enrol", "--kind", "kiosk").code());
    assertTrue(server.requests.isEmpty(), server.requests::toString);
  }

  @Test
  void enrol_answerWithoutEnrolment_isMalformed_exit1() {
    server.on("POST /api/admin/devices", 201, "[{\"id\":\"kiosk-3f9a1c\"}]");
    Cli.Result r = run("device", "enrol", "--kind", "kiosk", "--event", "e");
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains(EN.get("malformed.deviceWithout")), r.toString());
  }

  @Test
  void list_withEvent_queryAndTable() {
    server.on(
        "GET /api/admin/devices",
        200,
        "[{\"id\":\"kiosk-3f9a1c\",\"kind\":\"kiosk\",\"name\":\"Borne"
            + " 1\",\"event\":\"marche-2026\","
            + "\"state\":\"enrolled\",\"enrolledAt\":\"2026-11-27T10:00:00Z\"},{\"id\":\"kiosk-000001\",\"kind\":\"kiosk\",\"name\":\"Borne"
            + " 0\",\"event\":\"marche-2026\","
            + "\"state\":\"revoked\",\"revokedAfter\":\"2026-11-27T12:00:00Z\",\"replacedBy\":\"kiosk-3f9a1c\"}]");
    Cli.Result r = run("device", "list", "--event", "marche-2026");
    assertEquals(0, r.code(), r.toString());
    assertEquals("event=marche-2026", server.only().query());
    List<String> lines = r.out().lines().toList();
    assertEquals(3, lines.size(), r.toString());
    assertTrue(
        lines
            .get(1)
            .matches("kiosk-3f9a1c +Borne 1 +kiosk +marche-2026 +enrolled +2026-11-27 11:00 +- +-"),
        r.toString());
    assertTrue(
        lines.get(2).matches(".* +revoked +- +2026-11-27 13:00 +replaced by kiosk-3f9a1c"),
        r.toString());
  }

  @Test
  void revoke_after_sendsTheInstant() throws IOException {
    server.on(
        "POST /api/admin/devices/kiosk-3f9a1c/revoke",
        200,
        "{\"id\":\"kiosk-3f9a1c\",\"revokedAfter\":\"2026-11-28T13:30:00Z\"}");
    Cli.Result r = run("device", "revoke", "kiosk-3f9a1c", "--after", "2026-11-28T14:30:00+01:00");
    assertEquals(0, r.code(), r.toString());
    assertEquals(
        JSON.readTree("{\"after\":\"2026-11-28T13:30:00Z\"}"), JSON.readTree(server.only().body()));
    assertTrue(
        r.out().startsWith("kiosk-3f9a1c: revoked after 2026-11-28T13:30:00Z"), r.toString());
  }

  @Test
  void revoke_now_leavesTheTimeToTheServer() {
    server.on(
        "POST /api/admin/devices/kiosk-3f9a1c/revoke",
        200,
        "{\"id\":\"kiosk-3f9a1c\",\"revokedAfter\":\"2026-11-28T13:30:00Z\"}");
    assertEquals(0, run("device", "revoke", "kiosk-3f9a1c").code());
    assertEquals("{}", server.only().body());
  }

  @Test
  void revoke_badTimeOrId_usage2_nothingSent() {
    assertEquals(2, run("device", "revoke", "kiosk-3f9a1c", "--after", "2026-11-28 14:30").code());
    assertEquals(2, run("device", "revoke", "kiosk-3f9a1c", "--after", "2026-11-28T14:30").code());
    assertEquals(2, run("device", "revoke", "../admin").code());
    assertEquals(2, run("device", "revoke", "..").code());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void revoke_unknownDevice_404_printsTheServersError() {
    server.on(
        "POST /api/admin/devices/kiosk-999999/revoke",
        404,
        "{\"error\":\"no device kiosk-999999: see terrain provision device list\"}");
    Cli.Result r = run("device", "revoke", "kiosk-999999");
    assertEquals(1, r.code());
    assertEquals(
        "the server refused (HTTP 404): no device kiosk-999999: see terrain provision device list",
        r.err().strip());
  }

  @Test
  void roll_json_andKit_usesTheDevicesNameFromTheList() throws Exception {
    String e1 = enrolment("kiosk-3f9a1c");
    server.on(
        "POST /api/admin/devices/kiosk-3f9a1c/roll",
        200,
        "{\"id\":\"kiosk-3f9a1c\",\"enrolment\":\""
            + e1
            + "\",\"expiresAt\":\"2026-11-29T17:00:00Z\"}");
    server.on(
        "GET /api/admin/devices",
        200,
        "[{\"id\":\"kiosk-3f9a1c\",\"kind\":\"kiosk\",\"name\":\"Borne"
            + " fontaine\",\"event\":\"marche-2026\","
            + "\"state\":\"enrolled\",\"hub\":\"tcp://10.0.0.2:1883\"}]");
    Path kit = dir.resolve("roll.pdf");
    Cli.Result r = run("device", "roll", "kiosk-3f9a1c", "--json", "--kit", kit.toString());
    assertEquals(0, r.code(), r.toString());
    assertEquals(e1, JSON.readTree(r.out()).get("enrolment").asText());
    assertEquals("{}", server.requests.get(0).body());
    try (PDDocument document = Loader.loadPDF(kit.toFile())) {
      String text = new org.apache.pdfbox.text.PDFTextStripper().getText(document);
      assertTrue(text.contains("Borne fontaine"), text);
      assertTrue(text.contains("Hub : tcp://10.0.0.2:1883"), text);
      assertTrue(text.contains("marche-2026"), text);
    }
  }

  @Test
  void roll_410_printsTheServersError() {
    server.on(
        "POST /api/admin/devices/kiosk-3f9a1c/roll",
        410,
        "{\"error\":\"kiosk-3f9a1c is revoked: enrol a new device\"}");
    Cli.Result r = run("device", "roll", "kiosk-3f9a1c");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("kiosk-3f9a1c is revoked: enrol a new device"), r.toString());
  }

  @Test
  void replace_sendsBy() throws IOException {
    server.on("POST /api/admin/devices/kiosk-000001/replace", 200, "{\"id\":\"kiosk-000001\"}");
    Cli.Result r = run("device", "replace", "kiosk-000001", "kiosk-3f9a1c");
    assertEquals(0, r.code(), r.toString());
    assertEquals(JSON.readTree("{\"by\":\"kiosk-3f9a1c\"}"), JSON.readTree(server.only().body()));
    assertEquals(
        EN.get("device.replaced", "kiosk-000001", "kiosk-3f9a1c"), r.out().strip(), r.toString());
  }

  @Test
  void replace_sameDevice_usage2() {
    Cli.Result r = run("device", "replace", "kiosk-000001", "kiosk-000001");
    assertEquals(2, r.code());
    assertFalse(r.err().isBlank());
    assertTrue(server.requests.isEmpty());
  }
}
