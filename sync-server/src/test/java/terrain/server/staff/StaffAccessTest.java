// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.testkit.TextAssertions.assertContainsAll;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.server.SyncServer;
import terrain.server.access.Access;
import terrain.server.testkit.Http;
import terrain.server.testkit.TestEnv;

/**
 * Staff accounts over real HTTP on a server with Derby: roles per route, sessions the server ends,
 * disabled accounts and revoked tokens refused at once, sign-in rate limits, the audit log, the
 * pages, and the shared admin token's old contract. Each test uses accounts of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaffAccessTest {
  static final String SHARED = "shared-admin-token-0123456789abcdef";
  static final String PASSWORD = "un mot de passe assez long";
  static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  static final Pattern TOKEN = Pattern.compile("<code>(trn_[A-Za-z0-9_-]+)</code>");

  @TempDir static Path dir;
  SyncServer server;
  Http http;
  Path eventFile;

  @BeforeAll
  void start() throws Exception {
    eventFile = Path.of(StaffAccessTest.class.getResource("/events/idees.yaml").toURI());
    server =
        SyncServer.start(
            TestEnv.moderatedConfig(dir.resolve("server"), null, List.of(eventFile), SHARED),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    http = new Http(server.baseUrl());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  // ---- helpers ----

  private Http.Reply call(String method, String path, String json, String token) throws Exception {
    return token == null
        ? http.send(method, path, json)
        : http.send(method, path, json, "Authorization", "Bearer " + token);
  }

  /** Creates an account with the shared admin token (terrain staff add --server does the same). */
  private void account(String name, String role) throws Exception {
    Http.Reply created =
        call(
            "POST",
            "/api/admin/staff",
            "{\"name\":\""
                + name
                + "\",\"role\":\""
                + role
                + "\",\"password\":\""
                + PASSWORD
                + "\"}",
            SHARED);
    assertEquals(201, created.status(), created.body());
  }

  private String token(String name, String by) throws Exception {
    Http.Reply made =
        call("POST", "/api/admin/staff/" + name + "/tokens", "{\"label\":\"test\"}", by);
    assertEquals(201, made.status(), made.body());
    return made.json().path("token").asText();
  }

  private static String csrf(String page) {
    Matcher m = CSRF.matcher(page);
    assertTrue(m.find(), page);
    return m.group(1);
  }

  private HttpResponse<String> form(String path, String cookies, String... fields)
      throws Exception {
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i + 1 < fields.length; i += 2) {
      pairs.add(fields[i] + "=" + URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
    }
    return http.raw(
        "POST",
        path,
        String.join("&", pairs),
        "Content-Type",
        "application/x-www-form-urlencoded",
        "Cookie",
        cookies);
  }

  private HttpResponse<String> login(String name, String password) throws Exception {
    HttpResponse<String> page = http.raw("GET", "/admin/login", null);
    String csrf = csrf(page.body());
    return form(
        "/admin/login", "terrain_csrf=" + csrf, "csrf", csrf, "name", name, "password", password);
  }

  /** A signed-in browser: its session cookie header and the CSRF token of its forms. */
  record Browser(String cookie, String csrf) {}

  private Browser signIn(String name) throws Exception {
    HttpResponse<String> signedIn = login(name, PASSWORD);
    assertEquals(303, signedIn.statusCode(), signedIn.body());
    String set =
        signedIn.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith(Access.SESSION_COOKIE + "="))
            .findFirst()
            .orElseThrow();
    assertContainsAll(set, "HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200");
    assertFalse(set.contains("Secure"), "plain HTTP here: Secure only over HTTPS");
    String cookie = set.substring(0, set.indexOf(';'));
    HttpResponse<String> accounts = http.raw("GET", "/admin/staff", null, "Cookie", cookie);
    assertEquals(200, accounts.statusCode(), accounts.body());
    return new Browser(cookie, csrf(accounts.body()));
  }

  private int page(String path, Browser browser) throws Exception {
    return http.raw("GET", path, null, "Cookie", browser.cookie()).statusCode();
  }

  private JsonNode audit(String query) throws Exception {
    Http.Reply reply = call("GET", "/api/admin/audit" + query, null, SHARED);
    assertEquals(200, reply.status(), reply.body());
    return reply.json().path("entries");
  }

  // ---- tests ----

  @Test
  void routes_whenRoleMayNot_answer403_andTheRoleThatMay_getsIn() throws Exception {
    account("r.mod", "moderator");
    account("r.ana", "analyst");
    account("r.adm", "admin");
    String mod = token("r.mod", SHARED);
    String ana = token("r.ana", SHARED);
    String adm = token("r.adm", SHARED);

    // A moderator moderates, and reads nothing else.
    assertEquals(200, call("GET", "/api/moderation", null, mod).status());
    assertEquals(
        404,
        call("POST", "/api/moderation/idea/kiosk-none~1", "{\"decision\":\"publish\"}", mod)
            .status(),
        "let in, then no such idea");
    for (String path :
        List.of(
            "/api/admin/audit",
            "/api/admin/staff",
            "/api/admin/set-aside",
            "/api/rejected",
            "/api/ledger/audit",
            "/api/admin/devices",
            "/api/admin/events")) {
      Http.Reply refused = call("GET", path, null, mod);
      assertEquals(403, refused.status(), path + " " + refused.body());
      assertContainsAll(refused.body(), "r.mod", "role");
    }
    // An analyst reads results and operational lists, and cannot moderate or change anything.
    for (String path :
        List.of(
            "/api/admin/set-aside", "/api/rejected", "/api/ledger/audit", "/api/admin/events")) {
      assertEquals(200, call("GET", path, null, ana).status(), path);
    }
    assertEquals(403, call("GET", "/api/moderation", null, ana).status());
    assertEquals(
        403,
        call("POST", "/api/moderation/idea/kiosk-none~1", "{\"decision\":\"publish\"}", ana)
            .status());
    assertEquals(403, call("GET", "/api/admin/audit", null, ana).status());
    assertEquals(
        403,
        call("POST", "/api/admin/devices", "{\"kind\":\"kiosk\",\"event\":\"x\"}", ana).status());
    assertEquals(403, call("POST", "/api/admin/events", "id: x", ana).status());
    assertEquals(403, call("POST", "/api/devices/kiosk-a/revoke", "{\"after\":1}", ana).status());
    // An admin may do everything.
    for (String path :
        List.of("/api/moderation", "/api/admin/audit", "/api/admin/staff", "/api/admin/devices")) {
      assertEquals(200, call("GET", path, null, adm).status(), path);
    }
    assertEquals("analyst", call("GET", "/api/staff/me", null, ana).json().path("role").asText());
    assertEquals("token", call("GET", "/api/staff/me", null, ana).json().path("via").asText());
    // Nobody, or a made-up token: 401 saying what to send.
    Http.Reply nobody = call("GET", "/api/admin/audit", null, null);
    assertEquals(401, nobody.status());
    assertTrue(nobody.body().contains("./terrain staff token"), nobody.body());
    assertEquals(401, call("GET", "/api/moderation", null, "trn_00000000_madeup").status());
  }

  @Test
  void session_endedByAnAdmin_stopsWorkingAtOnce() throws Exception {
    account("s.mod", "moderator");
    Browser browser = signIn("s.mod");
    assertEquals(200, page("/admin/moderation", browser));
    Http.Reply viaCookie = http.send("GET", "/api/moderation", null, "Cookie", browser.cookie());
    assertEquals(200, viaCookie.status(), "a session reads the API in the browser");
    Http.Reply writeViaCookie =
        http.send(
            "POST",
            "/api/moderation/idea/kiosk-none~1",
            "{\"decision\":\"publish\"}",
            "Cookie",
            browser.cookie());
    assertEquals(401, writeViaCookie.status(), "changes through the API need a bearer token");

    Http.Reply ended = call("POST", "/api/admin/staff/s.mod/sessions/end", null, SHARED);

    assertEquals(200, ended.status(), ended.body());
    assertEquals(1, ended.json().path("ended").asInt());
    HttpResponse<String> after =
        http.raw("GET", "/admin/moderation", null, "Cookie", browser.cookie());
    assertEquals(303, after.statusCode());
    assertEquals("/admin/login", after.headers().firstValue("Location").orElseThrow());
    assertEquals(
        401, http.send("GET", "/api/moderation", null, "Cookie", browser.cookie()).status());
    JsonNode last = audit("?action=staff.sessions").get(0);
    assertEquals("s.mod", last.path("target").asText());
    assertEquals("admin-token", last.path("actor").asText());
  }

  @Test
  void disabledAccount_tokenAndSessionRefused_enabledAgainWorks() throws Exception {
    account("d.ana", "analyst");
    String token = token("d.ana", SHARED);
    Browser browser = signIn("d.ana");
    assertEquals(200, call("GET", "/api/admin/set-aside", null, token).status());

    Http.Reply disabled = call("POST", "/api/admin/staff/d.ana/disable", null, SHARED);

    assertEquals(200, disabled.status(), disabled.body());
    assertEquals(401, call("GET", "/api/admin/set-aside", null, token).status());
    assertEquals(303, page("/admin/staff", browser), "its session ended with it");
    assertEquals(401, login("d.ana", PASSWORD).statusCode(), "no new sign-in either");
    assertEquals(200, call("POST", "/api/admin/staff/d.ana/enable", null, SHARED).status());
    assertEquals(200, call("GET", "/api/admin/set-aside", null, token).status());
  }

  @Test
  void revokedToken_isRefused_othersOfTheAccountStillWork() throws Exception {
    account("t.ana", "analyst");
    String first = token("t.ana", SHARED);
    String second = token("t.ana", SHARED);
    String id = first.split("_")[1];

    Http.Reply revoked =
        call("POST", "/api/admin/staff/t.ana/tokens/" + id + "/revoke", null, SHARED);

    assertEquals(200, revoked.status(), revoked.body());
    assertEquals(401, call("GET", "/api/staff/me", null, first).status());
    assertEquals(200, call("GET", "/api/staff/me", null, second).status());
    JsonNode listed = call("GET", "/api/admin/staff", null, SHARED).json();
    for (JsonNode account : listed) {
      if (account.path("name").asText().equals("t.ana")) {
        assertEquals(1, account.path("tokens").size(), account.toString());
        assertFalse(account.toString().contains(second), "a token is never shown again");
      }
    }
  }

  @Test
  void tokens_anAccountMakesItsOwn_notAnotherOnes() throws Exception {
    account("o.mod", "moderator");
    account("o.other", "moderator");
    String own = token("o.mod", SHARED);

    Http.Reply mine = call("POST", "/api/admin/staff/o.mod/tokens", "{\"label\":\"script\"}", own);
    Http.Reply theirs = call("POST", "/api/admin/staff/o.other/tokens", null, own);

    assertEquals(201, mine.status(), mine.body());
    assertEquals(403, theirs.status(), theirs.body());
    assertEquals(
        "o.mod",
        call("GET", "/api/staff/me", null, mine.json().path("token").asText())
            .json()
            .path("name")
            .asText());
  }

  @Test
  void wrongPasswords_areRateLimitedPerAccount() throws Exception {
    account("l.mod", "moderator");
    for (int i = 0; i < Access.LOGINS_PER_ACCOUNT_PER_MINUTE; i++) {
      assertEquals(401, login("l.mod", "not the password " + i).statusCode());
    }

    HttpResponse<String> limited = login("l.mod", "not the password again");
    HttpResponse<String> rightButLimited = login("l.mod", PASSWORD);

    assertEquals(429, limited.statusCode());
    assertTrue(limited.headers().firstValue("Retry-After").isPresent());
    assertTrue(
        limited.body().contains("Trop d’essais") || limited.body().contains("Trop d'essais"),
        limited.body());
    assertEquals(429, rightButLimited.statusCode(), "the right password waits its turn too");
    JsonNode entries = audit("?actor=l.mod");
    assertEquals("staff.login.limited", entries.get(0).path("action").asText());
    assertEquals("staff.login.refused", entries.get(2).path("action").asText());
    assertEquals("127.0.0.1", entries.get(2).path("address").asText());
  }

  @Test
  void audit_listsAdminActions_andItsPageIsForAdminsOnly() throws Exception {
    account("a.adm", "admin");
    account("a.mod", "moderator");
    String yaml = Files.readString(eventFile);
    Http.Reply published = call("POST", "/api/admin/events?file=idees.yaml", yaml, SHARED);
    assertTrue(published.status() == 201 || published.status() == 200, published.body());

    JsonNode publish = audit("?action=event.publish").get(0);
    assertEquals("admin-token", publish.path("actor").asText());
    assertEquals("admin-token", publish.path("via").asText());
    assertEquals("idees-quartier", publish.path("target").asText());
    assertTrue(publish.path("detail").asText().startsWith("version "), publish.toString());
    assertEquals("127.0.0.1", publish.path("address").asText());
    JsonNode create = audit("?action=staff.create&actor=admin-token");
    assertTrue(create.toString().contains("\"target\":\"a.mod\""), create.toString());
    assertEquals(400, call("GET", "/api/admin/audit?limit=0", null, SHARED).status());

    Browser admin = signIn("a.adm");
    HttpResponse<String> page =
        http.raw("GET", "/admin/audit?lang=en", null, "Cookie", admin.cookie());
    assertEquals(200, page.statusCode());
    assertContainsAll(
        page.body(), "Audit log", "event.publish", "idees-quartier", "staff.login", "a.adm");
    Browser moderator = signIn("a.mod");
    assertEquals(403, page("/admin/audit", moderator));
    assertEquals(
        403, http.send("GET", "/api/admin/audit", null, "Cookie", moderator.cookie()).status());
  }

  @Test
  void accountsPage_adminCreatesAnAccount_andItsTokenIsShownOnce() throws Exception {
    account("p.adm", "admin");
    Browser admin = signIn("p.adm");

    HttpResponse<String> created =
        form(
            "/admin/staff",
            admin.cookie(),
            "csrf",
            admin.csrf(),
            "name",
            "p.new",
            "role",
            "analyst",
            "password",
            PASSWORD);
    HttpResponse<String> issued =
        form("/admin/staff/p.new/tokens", admin.cookie(), "csrf", admin.csrf(), "label", "export");
    HttpResponse<String> forged =
        form("/admin/staff/p.new/disable", admin.cookie(), "csrf", "not-this-session-s-token");

    assertEquals(303, created.statusCode(), created.body());
    assertEquals(201, issued.statusCode(), issued.body());
    Matcher token = TOKEN.matcher(issued.body());
    assertTrue(token.find(), issued.body());
    assertEquals(
        "analyst", call("GET", "/api/staff/me", null, token.group(1)).json().path("role").asText());
    String list = http.raw("GET", "/admin/staff", null, "Cookie", admin.cookie()).body();
    assertContainsAll(list, "p.new", "analyse", "export");
    assertFalse(list.contains(token.group(1)), "shown once, never again");
    assertEquals(403, forged.statusCode());
    assertEquals(200, call("GET", "/api/staff/me", null, token.group(1)).status());
    assertEquals(
        400,
        form(
                "/admin/staff",
                admin.cookie(),
                "csrf",
                admin.csrf(),
                "name",
                "p.short",
                "role",
                "analyst",
                "password",
                "short")
            .statusCode());
  }

  @Test
  void accountsPage_ofAModerator_showsOnlyItsOwnAccount_andChangesNothingElse() throws Exception {
    account("m.mod", "moderator");
    account("m.other", "moderator");
    Browser browser = signIn("m.mod");

    String page = http.raw("GET", "/admin/staff", null, "Cookie", browser.cookie()).body();
    HttpResponse<String> disable =
        form("/admin/staff/m.other/disable", browser.cookie(), "csrf", browser.csrf());
    HttpResponse<String> ownToken =
        form("/admin/staff/m.mod/tokens", browser.cookie(), "csrf", browser.csrf(), "label", "x");

    assertContainsAll(page, "Mon compte", "m.mod");
    assertFalse(page.contains("m.other"), page);
    assertEquals(403, disable.statusCode());
    assertEquals(201, ownToken.statusCode());
  }

  @Test
  void logout_endsTheSessionOnTheServer() throws Exception {
    account("g.mod", "moderator");
    Browser browser = signIn("g.mod");

    HttpResponse<String> out = form("/admin/logout", browser.cookie(), "csrf", browser.csrf());

    assertEquals(303, out.statusCode());
    assertEquals(303, page("/admin/moderation", browser), "the old cookie is no session any more");
  }

  @Test
  void sharedAdminToken_keepsTheOldContract() throws Exception {
    assertEquals(200, call("GET", "/api/admin/devices", null, SHARED).status());
    assertEquals(200, call("GET", "/api/admin/set-aside", null, SHARED).status());
    assertEquals(200, call("GET", "/api/ledger/audit", null, SHARED).status());
    assertEquals(200, call("GET", "/api/moderation", null, SHARED).status());
    JsonNode me = call("GET", "/api/staff/me", null, SHARED).json();
    assertEquals("admin-token", me.path("name").asText());
    assertEquals("admin", me.path("role").asText());
    assertEquals(401, call("GET", "/api/admin/devices", null, SHARED + "x").status());
  }
}
