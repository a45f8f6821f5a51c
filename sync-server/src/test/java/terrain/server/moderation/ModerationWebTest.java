// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.testkit.TextAssertions.assertContainsAll;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.record.IdeaBody;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.server.SyncServer;
import terrain.server.access.Access;
import terrain.server.testkit.Http;
import terrain.server.testkit.Peers;
import terrain.server.testkit.TestEnv;
import terrain.testkit.MqttPeer;

/**
 * Ideas and free texts synced from a kiosk through MQTT into Derby are held off the public pages
 * until staff publish them, on the moderation page (sign-in, CSRF) or the JSON API, over real HTTP.
 * Each test uses its own records, so the order of the tests does not matter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModerationWebTest {
  static final String EVENT = "idees-quartier";
  static final String ADMIN = "admin-token-for-moderation-0123456789";
  static final String PASSWORD = "mot de passe de test";
  static final String EVIL = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";
  static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  static final DeviceId KIOSK = DeviceId.of("kiosk-mod");

  @TempDir static Path dir;
  SyncServer server;
  SyncServer closed;
  Http http;
  Http closedHttp;

  private static Record idea(long seq, String title, String text) {
    return new Record(
        KIOSK,
        seq,
        RecordKind.IDEA,
        EVENT,
        1_780_000_000_000L + seq * 60_000,
        0,
        new IdeaBody("avis", "nature", "fr", title, text).encode());
  }

  private static Record freeText(long seq, String text) {
    return new Record(
        KIOSK,
        seq,
        RecordKind.RESPONSE,
        EVENT,
        1_780_000_000_000L + seq * 60_000,
        0,
        new ResponseBody(
                "avis",
                List.of(
                    new ResponseBody.Answer("q-encore", List.of("yes")),
                    ResponseBody.Answer.text("q-mot", text)))
            .encode());
  }

  @BeforeAll
  void start() throws Exception {
    Path event = Path.of(ModerationWebTest.class.getResource("/events/idees.yaml").toURI());
    server =
        SyncServer.start(
            TestEnv.moderatedConfig(dir.resolve("on"), null, List.of(event), ADMIN),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    http = new Http(server.baseUrl());
    closed =
        SyncServer.start(
            TestEnv.moderatedConfig(dir.resolve("off"), null, List.of(event), null),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    closedHttp = new Http(closed.baseUrl());
    List<Record> records =
        List.of(
            idea(1, "Des bancs", "Sur la place du marché"),
            idea(2, "Insulte", "Texte à ne jamais publier"),
            idea(3, EVIL, "ligne <b>1</b>\nligne 2"),
            idea(4, "Un kiosque à musique", "Pour l'été"),
            freeText(5, "Plus de marchés le soir"),
            freeText(6, "Texte libre injurieux"));
    DeviceId hubId = DeviceId.of("hub-mod-" + TestEnv.unique());
    try (MqttPeer hub = Peers.hub("tcp://127.0.0.1:" + server.brokerPort(), hubId)) {
      hub.publish(Topics.hubUp(hubId), new Batch(hubId, 1, records));
      assertEquals(Map.of(KIOSK, 6L), hub.nextAck(Duration.ofSeconds(20)).upTo());
    }
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (closed != null) {
      closed.close();
    }
  }

  /** A signed-in browser: its cookies and CSRF token. */
  record Browser(String cookies, String csrf) {}

  /**
   * A browser signed in as the moderator account {@code name}, created first through the staff API
   * with the shared admin token (as {@code terrain staff add --server} does).
   */
  private Browser signIn(String name) throws Exception {
    Http.Reply created =
        api(
            "POST",
            "/api/admin/staff",
            "{\"name\":\"" + name + "\",\"role\":\"moderator\",\"password\":\"" + PASSWORD + "\"}",
            ADMIN);
    assertTrue(created.status() == 201 || created.status() == 409, created.toString());
    HttpResponse<String> form = http.raw("GET", "/admin/login", null);
    assertEquals(200, form.statusCode(), form.body());
    String csrf = csrf(form.body());
    String csrfCookie = "terrain_csrf=" + csrf;
    HttpResponse<String> signedIn =
        post("/admin/login", csrfCookie, "csrf", csrf, "name", name, "password", PASSWORD);
    assertEquals(303, signedIn.statusCode(), signedIn.body());
    String session =
        signedIn.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith(Access.SESSION_COOKIE + "="))
            .findFirst()
            .orElseThrow();
    assertContainsAll(session, "HttpOnly", "SameSite=Strict", "Path=/");
    String cookies = csrfCookie + "; " + session.substring(0, session.indexOf(';'));
    String page = http.raw("GET", "/admin/moderation", null, "Cookie", cookies).body();
    return new Browser(cookies, csrf(page));
  }

  private static String csrf(String page) {
    Matcher m = CSRF.matcher(page);
    assertTrue(m.find(), page);
    return m.group(1);
  }

  private HttpResponse<String> post(String path, String cookies, String... fields)
      throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i + 1 < fields.length; i += 2) {
      if (body.length() > 0) {
        body.append('&');
      }
      body.append(fields[i])
          .append('=')
          .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
    }
    return http.raw(
        "POST",
        path,
        body.toString(),
        "Content-Type",
        "application/x-www-form-urlencoded",
        "Cookie",
        cookies);
  }

  private Http.Reply api(String method, String path, String json, String token) throws Exception {
    return token == null
        ? http.send(method, path, json)
        : http.send(method, path, json, "Authorization", "Bearer " + token);
  }

  private String publicPage() throws Exception {
    return http.get("/events/" + EVENT).body();
  }

  @Test
  void publicPages_whenNothingPublished_showOnlyCountsNeverTheText() throws Exception {
    String page = publicPage();
    assertFalse(page.contains("Texte à ne jamais publier"), page);
    assertFalse(page.contains("Texte libre injurieux"), page);
    assertFalse(page.contains("onerror"), page);
    assertContainsAll(page, "4 idées reçues", "2 réponses libres reçues");
    JsonNode ideas = http.get("/api/events/" + EVENT + "/ideas").json();
    assertEquals(4, ideas.path("count").asLong());
    for (JsonNode idea : ideas.path("ideas")) {
      assertFalse(idea.path("seq").asLong() == 2, ideas.toString());
    }
    JsonNode summary = http.get("/api/events/" + EVENT + "/summary").json();
    assertEquals(2, summary.path("texts").path("q-mot").path("count").asLong());
    assertFalse(summary.toString().contains("injurieux"), summary.toString());
  }

  @Test
  void publish_onModerationPage_putsTheIdeaOnThePublicPageWithWhoAndWhen() throws Exception {
    assertFalse(publicPage().contains("Des bancs"));
    Browser browser = signIn("claire");

    HttpResponse<String> done =
        post(
            "/admin/moderation/idea/kiosk-mod~1",
            browser.cookies(),
            "csrf",
            browser.csrf(),
            "decision",
            "publish");

    assertEquals(303, done.statusCode(), done.body());
    assertEquals("/admin/moderation", done.headers().firstValue("Location").orElseThrow());
    String page = publicPage();
    assertContainsAll(page, "Des bancs", "Sur la place du marché");
    assertFalse(page.contains("Texte à ne jamais publier"), page);
    String moderation =
        http.raw("GET", "/admin/moderation", null, "Cookie", browser.cookies()).body();
    int decided = moderation.indexOf("Décisions récentes");
    int bancs = moderation.indexOf("Des bancs");
    assertTrue(decided > 0 && bancs > decided, "a decided idea moves to the decisions");
    assertTrue(moderation.contains("Publiée par claire le "), moderation);
    JsonNode audit = api("GET", "/api/admin/audit?actor=claire", null, ADMIN).json();
    JsonNode last = audit.path("entries").get(0);
    assertEquals("moderation.publish", last.path("action").asText(), audit.toString());
    assertEquals("idea/kiosk-mod~1", last.path("target").asText());
    assertEquals("session", last.path("via").asText());
    assertEquals("127.0.0.1", last.path("address").asText());
  }

  @Test
  void reject_thenPublishAgainAndUnpublish_changesWhatIsPublic() throws Exception {
    Browser browser = signIn("karim");
    String idea = "/admin/moderation/idea/kiosk-mod~2";

    assertEquals(
        303,
        post(idea, browser.cookies(), "csrf", browser.csrf(), "decision", "reject").statusCode());
    assertFalse(publicPage().contains("Texte à ne jamais publier"));
    Http.Reply pending = api("GET", "/api/moderation", null, ADMIN);
    assertFalse(pending.body().contains("kiosk-mod~2\""), "a rejected idea is no longer pending");

    // Changed later: published, then unpublished.
    post(idea, browser.cookies(), "csrf", browser.csrf(), "decision", "publish");
    assertTrue(publicPage().contains("Texte à ne jamais publier"));
    post(idea, browser.cookies(), "csrf", browser.csrf(), "decision", "reject");
    assertFalse(publicPage().contains("Texte à ne jamais publier"));
  }

  @Test
  void moderationPage_whenHostileText_escapesItAndListsNewestFirst() throws Exception {
    Browser browser = signIn("zoe");
    String page = http.raw("GET", "/admin/moderation", null, "Cookie", browser.cookies()).body();

    assertFalse(page.contains("<script>alert"), page);
    assertFalse(page.contains("<img src=x"), page);
    assertFalse(page.contains("<b>1</b>"), page);
    assertTrue(page.contains("&lt;script&gt;"), page);
    int kiosque = page.indexOf("Un kiosque à musique");
    int evil = page.indexOf("&lt;script&gt;");
    assertTrue(kiosque > 0 && evil > kiosque, "newest first");
    assertTrue(page.contains("name=\"viewport\""), page);
    assertFalse(page.contains("<script"), "no JavaScript");
  }

  @Test
  void moderationPage_whenNotSignedIn_redirectsToSignIn() throws Exception {
    HttpResponse<String> page = http.raw("GET", "/admin/moderation", null);
    assertEquals(303, page.statusCode());
    assertEquals("/admin/login", page.headers().firstValue("Location").orElseThrow());

    HttpResponse<String> form = http.raw("GET", "/admin/login", null);
    String csrf = csrf(form.body());
    HttpResponse<String> decided =
        post(
            "/admin/moderation/idea/kiosk-mod~3",
            "terrain_csrf=" + csrf,
            "csrf",
            csrf,
            "decision",
            "publish");
    assertEquals(303, decided.statusCode());
    assertEquals("/admin/login", decided.headers().firstValue("Location").orElseThrow());
    assertFalse(publicPage().contains("ligne 2"));
  }

  @Test
  void signIn_whenWrongPassword_refusesWith401() throws Exception {
    signIn("mallory");
    HttpResponse<String> form = http.raw("GET", "/admin/login?lang=en", null);
    String csrf = csrf(form.body());
    HttpResponse<String> refused =
        post(
            "/admin/login?lang=en",
            "terrain_csrf=" + csrf,
            "csrf",
            csrf,
            "name",
            "mallory",
            "password",
            "guess-guess-guess");
    assertEquals(401, refused.statusCode());
    assertTrue(
        refused.body().contains("This account name or password is not right."), refused.body());
    assertTrue(
        refused.headers().allValues("Set-Cookie").stream()
            .noneMatch(c -> c.startsWith(Access.SESSION_COOKIE + "=")));
    HttpResponse<String> forged =
        http.raw(
            "GET",
            "/admin/moderation",
            null,
            "Cookie",
            Access.SESSION_COOKIE + "=TWFsbG9yeQ.99999999999.forged");
    assertEquals(303, forged.statusCode(), "a forged session is no session");
  }

  @Test
  void publish_whenCsrfWrong_isRefusedAndNothingChanges() throws Exception {
    Browser browser = signIn("claire");
    HttpResponse<String> refused =
        post(
            "/admin/moderation/idea/kiosk-mod~3",
            browser.cookies(),
            "csrf",
            "not-the-token-of-this-browser",
            "decision",
            "publish");

    assertEquals(403, refused.statusCode());
    assertTrue(refused.body().contains("Formulaire expiré"), refused.body());
    assertFalse(publicPage().contains("ligne 2"));
    assertTrue(api("GET", "/api/moderation", null, ADMIN).body().contains("kiosk-mod~3\""));
  }

  @Test
  void api_whenNoOrWrongToken_answers401() throws Exception {
    assertEquals(401, api("GET", "/api/moderation", null, null).status());
    assertEquals(401, api("GET", "/api/moderation", null, "wrong").status());
    Http.Reply refused =
        api("POST", "/api/moderation/idea/kiosk-mod~3", "{\"decision\":\"publish\"}", "wrong");
    assertEquals(401, refused.status());
    assertFalse(publicPage().contains("ligne 2"));
  }

  @Test
  void api_publishText_isIdempotentAndShowsOnlyThatText() throws Exception {
    Http.Reply pending = api("GET", "/api/moderation", null, ADMIN);
    assertEquals(200, pending.status());
    assertTrue(pending.body().contains("\"id\":\"kiosk-mod~5~q-mot\""), pending.body());

    Http.Reply first =
        api(
            "POST",
            "/api/moderation/text/kiosk-mod~5~q-mot",
            "{\"decision\":\"publish\",\"by\":\"Claire\"}",
            ADMIN);
    Http.Reply again =
        api("POST", "/api/moderation/text/kiosk-mod~5~q-mot", "{\"decision\":\"publish\"}", ADMIN);

    assertEquals(200, first.status(), first.body());
    assertTrue(first.json().path("changed").asBoolean());
    assertEquals(200, again.status(), again.body());
    assertFalse(again.json().path("changed").asBoolean());
    assertEquals("Claire", again.json().path("by").asText(), "the first decision is kept");
    JsonNode texts = http.get("/api/events/" + EVENT + "/summary").json().path("texts");
    assertEquals(2, texts.path("q-mot").path("count").asLong());
    assertEquals(1, texts.path("q-mot").path("published").asLong());
    assertEquals(
        "Plus de marchés le soir", texts.path("q-mot").path("latest").get(0).path("text").asText());
    String page = publicPage();
    assertTrue(page.contains("Plus de marchés le soir"), page);
    assertFalse(page.contains("injurieux"), page);
    assertTrue(page.contains("2 réponses libres reçues, 1 publiée."), page);
  }

  @Test
  void api_whenBadDecisionOrUnknownItem_saysWhatToSend() throws Exception {
    Http.Reply bad =
        api("POST", "/api/moderation/idea/kiosk-mod~4", "{\"decision\":\"maybe\"}", ADMIN);
    assertEquals(400, bad.status());
    assertTrue(bad.body().contains("publish"), bad.body());
    Http.Reply unknown =
        api("POST", "/api/moderation/idea/kiosk-mod~99", "{\"decision\":\"publish\"}", ADMIN);
    assertEquals(404, unknown.status());
    Http.Reply malformed =
        api("POST", "/api/moderation/song/x", "{\"decision\":\"publish\"}", ADMIN);
    assertEquals(404, malformed.status());
    assertTrue(malformed.body().contains("DEVICE~SEQ"), malformed.body());
  }

  @Test
  void adminDisabled_pageSaysHowToEnableAndApiRefuses() throws Exception {
    Http.Reply page = closedHttp.get("/admin/moderation");
    assertEquals(503, page.status());
    assertContainsAll(page.body(), "--admin-token", "TERRAIN_ADMIN_TOKEN");
    Http.Reply english = closedHttp.get("/admin/moderation?lang=en");
    assertTrue(english.body().contains("Moderation is off"), english.body());
    Http.Reply api = closedHttp.get("/api/moderation");
    assertEquals(403, api.status());
    assertTrue(api.body().contains("--admin-token"), api.body());
    // And nothing is public there either.
    assertFalse(closedHttp.get("/events/" + EVENT).body().contains("Des bancs"));
  }
}
