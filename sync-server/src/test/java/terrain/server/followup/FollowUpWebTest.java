// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.testkit.TextAssertions.assertContainsAll;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import terrain.core.ticket.SignedTicket;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.server.SyncServer;
import terrain.server.access.Access;
import terrain.server.claim.ClaimWeb;
import terrain.server.testkit.Http;
import terrain.server.testkit.Peers;
import terrain.server.testkit.TestEnv;
import terrain.server.testkit.Tickets;
import terrain.testkit.MqttPeer;

/**
 * "Vous avez dit, nous avons fait" over real HTTP on Derby: staff write follow-ups (API and form),
 * the public page and JSON show them with their history kept, inputs are refused with what to
 * write, a wallet that gave an e-mail asks to be told and receives the mail from GreenMail's SMTP
 * server, an unsubscribe link stops it, and a mail queued while SMTP is down arrives once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FollowUpWebTest {
  static final String EVENT = "suites-quartier";
  static final String ADMIN = "admin-token-for-follow-up-0123456789";
  static final String PASSWORD = "une phrase de passe assez longue";
  static final String FROM = "participation@ville.test";
  static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  static final DeviceId KIOSK = DeviceId.of("kiosk-suites");

  @TempDir static Path dir;
  GreenMail smtp;
  SyncServer server;
  Http http;
  Tickets tickets;

  @BeforeAll
  void start() throws Exception {
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    Path event = dir.resolve("events/" + EVENT + ".yaml");
    Files.createDirectories(event.getParent());
    Files.writeString(
        event,
        TestEnv.ticketEvent(EVENT, TestEnv.TICKET_REWARDS)
            + "      - id: q-parc\n        kind: yesno\n        text: {fr: \"Un parc ici ?\"}\n"
            + "      - id: q-a\n        kind: yesno\n        text: {fr: \"Des arbres ?\"}\n"
            + "      - id: q-b\n        kind: yesno\n        text: {fr: \"Un marché le soir ?\"}\n");
    server =
        SyncServer.start(
            TestEnv.moderatedConfig(dir.resolve("server"), null, List.of(event), ADMIN)
                .withMail(
                    MailSettings.plain(
                        "127.0.0.1", smtp.getSmtp().getPort(), FROM, Duration.ofMillis(200))),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    http = new Http(server.baseUrl());
    tickets = new Tickets(DeviceId.of("kiosk-suites-tickets"), 11);
    server.devices().register(tickets.device(), tickets.keys().publicKeyRaw(), 0);
    DeviceId hubId = DeviceId.of("hub-suites-" + TestEnv.unique());
    try (MqttPeer hub = Peers.hub("tcp://127.0.0.1:" + server.brokerPort(), hubId)) {
      hub.publish(
          Topics.hubUp(hubId),
          new Batch(
              hubId,
              1,
              List.of(
                  idea(1, "Des bancs à l'ombre", "Sous les platanes"),
                  idea(2, "Idée jamais publiée", "Texte"))));
      assertEquals(Map.of(KIOSK, 2L), hub.nextAck(Duration.ofSeconds(20)).upTo());
    }
    TestEnv.publish(http, ADMIN, "idea", KIOSK.value() + "~1");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (smtp != null) {
      smtp.stop();
    }
  }

  private static Record idea(long seq, String title, String text) {
    return new Record(
        KIOSK,
        seq,
        RecordKind.IDEA,
        EVENT,
        1_780_000_000_000L + seq * 60_000,
        0,
        new IdeaBody("avis", "", "fr", title, text).encode());
  }

  private Http.Reply put(String ref, String json) throws Exception {
    return http.send(
        "PUT",
        "/api/admin/events/" + EVENT + "/follow-up/" + ref,
        json,
        "Authorization",
        "Bearer " + ADMIN);
  }

  private Http.Reply adminGet(String path) throws Exception {
    return http.send("GET", path, null, "Authorization", "Bearer " + ADMIN);
  }

  @Test
  void put_thenPublicPageAndJsonShowIt_andEveryVersionIsKept() throws Exception {
    Http.Reply first =
        put(
            "question/q-parc",
            "{\"status\":\"adopted\",\"text\":\"Le parc est retenu au budget 2027.\","
                + "\"milestones\":[{\"date\":\"2027-03-15\",\"text\":\"vote du budget au conseil"
                + " municipal\"},{\"date\":\"2026-01-10\",\"text\":\"étude <b>faite</b>\"}],"
                + "\"by\":\"Service participation\"}");
    Http.Reply second =
        put(
            "question/q-parc",
            "{\"status\":\"done\",\"text\":\"Le parc est ouvert.\",\"milestones\":"
                + "[{\"date\":\"2027-09-01\",\"text\":\"travaux\"}]}");

    assertEquals(200, first.status(), first.body());
    assertEquals(1, first.json().path("version").asInt());
    assertEquals(200, second.status(), second.body());
    assertEquals(2, second.json().path("version").asInt());

    Http.Reply page = http.get("/events/" + EVENT + "/follow-up");
    assertEquals(200, page.status(), page.body());
    assertContainsAll(
        page.body(), "Un parc ici ?", "Réalisée", "Le parc est ouvert.", "travaux", "badge done");
    assertFalse(page.body().contains("Le parc est retenu"), "only the newest version is public");

    Http.Reply english = http.get("/events/" + EVENT + "/follow-up?lang=en");
    assertContainsAll(english.body(), "What the town did", "Done", "September 1, 2027");

    JsonNode json = http.get("/api/events/" + EVENT + "/follow-up").json();
    JsonNode item = find(json.path("items"), "q-parc");
    assertEquals("done", item.path("status").asText());
    assertEquals("2027-09-01", item.path("milestones").get(0).path("date").asText());
    assertTrue(item.path("by").isMissingNode(), "who wrote it is for staff only");

    JsonNode history = adminGet("/api/admin/events/" + EVENT + "/follow-up/question/q-parc").json();
    assertEquals(2, history.path("history").size());
    JsonNode v1 = history.path("history").get(1);
    assertEquals(1, v1.path("version").asInt());
    assertEquals("adopted", v1.path("status").asText());
    assertEquals("Le parc est retenu au budget 2027.", v1.path("text").asText());
    assertEquals("Service participation", v1.path("by").asText());
    assertEquals(
        "2026-01-10", v1.path("milestones").get(0).path("date").asText(), "sorted by date");
    assertEquals("done", history.path("current").path("status").asText());
  }

  private static JsonNode find(JsonNode items, String ref) {
    for (JsonNode item : items) {
      if (item.path("ref").asText().equals(ref)) {
        return item;
      }
    }
    throw new AssertionError("no item " + ref + " in " + items);
  }

  @Test
  void put_whenInputIsWrong_refusesWithWhatToWrite() throws Exception {
    Http.Reply noReason = put("question/q-a", "{\"status\":\"not_adopted\",\"text\":\"Non.\"}");
    Http.Reply badStatus = put("question/q-a", "{\"status\":\"maybe\",\"text\":\"x\"}");
    Http.Reply badDate =
        put(
            "question/q-a",
            "{\"status\":\"adopted\",\"text\":\"x\",\"milestones\":[{\"date\":\"15/03/2027\","
                + "\"text\":\"vote\"}]}");
    Http.Reply tooLong =
        put("question/q-a", "{\"status\":\"adopted\",\"text\":\"" + "a".repeat(2001) + "\"}");
    Http.Reply unknownQuestion = put("question/q-nope", "{\"status\":\"adopted\",\"text\":\"x\"}");
    Http.Reply unpublishedIdea =
        put("idea/" + KIOSK.value() + "~2", "{\"status\":\"adopted\",\"text\":\"x\"}");
    Http.Reply unknownEvent =
        http.send(
            "PUT",
            "/api/admin/events/nope/follow-up/question/q-a",
            "{\"status\":\"adopted\",\"text\":\"x\"}",
            "Authorization",
            "Bearer " + ADMIN);
    Http.Reply noToken =
        http.send(
            "PUT",
            "/api/admin/events/" + EVENT + "/follow-up/question/q-a",
            "{\"status\":\"adopted\",\"text\":\"x\"}");
    Http.Reply notJson = put("question/q-a", "status=adopted");

    assertEquals(422, noReason.status());
    assertContainsAll(noReason.body(), "reason is empty");
    assertEquals(422, badStatus.status());
    assertContainsAll(badStatus.body(), "under_study, adopted, done, not_adopted");
    assertEquals(422, badDate.status());
    assertContainsAll(badDate.body(), "YYYY-MM-DD");
    assertEquals(422, tooLong.status());
    assertContainsAll(tooLong.body(), "at most 2000");
    assertEquals(404, unknownQuestion.status());
    assertContainsAll(unknownQuestion.body(), "no question [q-nope]");
    assertEquals(404, unpublishedIdea.status());
    assertContainsAll(unpublishedIdea.body(), "no published idea");
    assertEquals(404, unknownEvent.status());
    assertEquals(401, noToken.status());
    assertEquals(400, notJson.status());
    JsonNode history = adminGet("/api/admin/events/" + EVENT + "/follow-up/question/q-a").json();
    assertEquals(0, history.path("history").size(), "nothing refused was saved");

    Http.Reply idea =
        put(
            "idea/" + KIOSK.value() + "~1",
            "{\"status\":\"not_adopted\",\"text\":\"Pas de bancs ici.\",\"reason\":\"Trottoir"
                + " trop étroit\"}");
    assertEquals(200, idea.status(), idea.body());
    Http.Reply page = http.get("/events/" + EVENT + "/follow-up");
    assertContainsAll(
        page.body(), "Des bancs à l'ombre", "Non retenue", "Pourquoi : Trottoir trop étroit");
    assertFalse(page.body().contains("Idée jamais publiée"));
  }

  @Test
  void staffForm_signedIn_savesAVersion_andRefusesAWrongOneWithItsProblems() throws Exception {
    HttpResponse<String> anonymous = http.raw("GET", "/admin/events/" + EVENT + "/follow-up", null);
    assertEquals(303, anonymous.statusCode());
    assertEquals("/admin/login", anonymous.headers().firstValue("Location").orElse(""));

    String cookies = signIn(http, "agnes");
    HttpResponse<String> page =
        http.raw("GET", "/admin/events/" + EVENT + "/follow-up", null, "Cookie", cookies);
    assertEquals(200, page.statusCode(), page.body());
    assertContainsAll(page.body(), "Un marché le soir ?", "Des bancs à l", "name=\"m1date\"");
    assertFalse(page.body().contains("Idée jamais publiée"), "only published ideas");
    String csrf = csrf(page.body());
    String action = "/admin/events/" + EVENT + "/follow-up/question/q-b";

    HttpResponse<String> refused =
        form(action, cookies, "csrf", csrf, "status", "not_adopted", "text", "Non", "reason", "");
    HttpResponse<String> saved =
        form(
            action,
            cookies,
            "csrf",
            csrf,
            "status",
            "under_study",
            "text",
            "Nous comptons les piétons.",
            "reason",
            "",
            "m1date",
            "2027-02-01",
            "m1text",
            "comptage",
            "m2date",
            "",
            "m2text",
            "");
    HttpResponse<String> forged =
        form(action, cookies, "csrf", "forged", "status", "done", "text", "x");

    assertEquals(422, refused.statusCode());
    assertContainsAll(refused.body(), "Rien n", "reason is empty");
    assertEquals(303, saved.statusCode(), saved.body());
    assertTrue(saved.headers().firstValue("Location").orElse("").contains("saved=1"));
    assertEquals(403, forged.statusCode());
    JsonNode history = adminGet("/api/admin/events/" + EVENT + "/follow-up/question/q-b").json();
    assertEquals(1, history.path("history").size());
    assertEquals("agnes", history.path("current").path("by").asText());
    JsonNode audit = adminGet("/api/admin/audit?action=followup").json();
    assertEquals("agnes", audit.path("entries").path(0).path("actor").asText(), audit.toString());
    assertEquals(EVENT + "/question/q-b", audit.path("entries").path(0).path("target").asText());
    assertContainsAll(
        http.get("/events/" + EVENT + "/follow-up").body(),
        "Nous comptons les piétons.",
        "comptage",
        "À l’étude".replace('’', '\''));
  }

  /**
   * A browser signed in as the admin account {@code name} (decision 0037), created first through
   * the staff API with the shared admin token: the double-submit CSRF cookie and the session.
   */
  private static String signIn(Http http, String name) throws Exception {
    Http.Reply created =
        http.send(
            "POST",
            "/api/admin/staff",
            "{\"name\":\"" + name + "\",\"role\":\"admin\",\"password\":\"" + PASSWORD + "\"}",
            "Authorization",
            "Bearer " + ADMIN);
    assertEquals(201, created.status(), created.body());
    HttpResponse<String> login = http.raw("GET", "/admin/login", null);
    String csrf = csrf(login.body());
    HttpResponse<String> signedIn =
        http.raw(
            "POST",
            "/admin/login",
            "csrf="
                + csrf
                + "&name="
                + name
                + "&password="
                + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8),
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Cookie",
            "terrain_csrf=" + csrf);
    assertEquals(303, signedIn.statusCode(), signedIn.body());
    String session =
        signedIn.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith(Access.SESSION_COOKIE + "="))
            .findFirst()
            .orElseThrow();
    return "terrain_csrf=" + csrf + "; " + session.substring(0, session.indexOf(';'));
  }

  private HttpResponse<String> form(String path, String cookies, String... pairs) throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      if (body.length() > 0) {
        body.append('&');
      }
      body.append(pairs[i])
          .append('=')
          .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
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

  private static String csrf(String html) {
    Matcher m = CSRF.matcher(html);
    assertTrue(m.find(), html);
    return m.group(1);
  }

  /** A wallet that claimed a ticket of {@code event}: its cookies (wallet and CSRF). */
  private String walletOf(String event, Http http) throws Exception {
    SignedTicket ticket = tickets.issue(event, 1);
    HttpResponse<String> page = http.raw("GET", "/T/" + ticket.code(), null);
    assertEquals(200, page.statusCode(), page.body());
    assertContainsAll(page.body(), "/events/" + event + "/follow-up");
    String csrf = csrf(page.body());
    HttpResponse<String> claimed =
        http.raw(
            "POST",
            "/T/" + ticket.code(),
            "csrf=" + csrf,
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Cookie",
            "terrain_csrf=" + csrf);
    assertEquals(201, claimed.statusCode(), claimed.body());
    String wallet =
        claimed.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith(ClaimWeb.WALLET_COOKIE + "="))
            .findFirst()
            .orElseThrow();
    return "terrain_csrf=" + csrf + "; " + wallet.substring(0, wallet.indexOf(';'));
  }

  private HttpResponse<String> walletForm(Http http, String path, String cookies, String... pairs)
      throws Exception {
    StringBuilder body =
        new StringBuilder(
            "csrf=" + cookies.substring("terrain_csrf=".length(), cookies.indexOf(';')));
    for (int i = 0; i < pairs.length; i += 2) {
      body.append('&')
          .append(pairs[i])
          .append('=')
          .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
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

  /** Subscribes a new wallet with {@code email} to {@link #EVENT}; gives its cookies. */
  private String subscriber(Http http, String email) throws Exception {
    String cookies = walletOf(EVENT, http);
    HttpResponse<String> before = http.raw("GET", "/wallet", null, "Cookie", cookies);
    assertContainsAll(
        before.body(), "/events/" + EVENT + "/follow-up", "enregistrez d’abord".replace('’', '\''));
    assertEquals(303, walletForm(http, "/wallet/email", cookies, "email", email).statusCode());
    HttpResponse<String> withEmail = http.raw("GET", "/wallet", null, "Cookie", cookies);
    assertContainsAll(withEmail.body(), "Me prévenir par e-mail", "vous acceptez de recevoir à");
    HttpResponse<String> subscribed =
        walletForm(http, "/wallet/follow-up", cookies, "event", EVENT, "action", "subscribe");
    assertEquals(303, subscribed.statusCode(), subscribed.body());
    HttpResponse<String> after = http.raw("GET", "/wallet", null, "Cookie", cookies);
    assertContainsAll(after.body(), "Vous serez prévenu", "Ne plus me prévenir");
    return cookies;
  }

  @Test
  void subscribedWallet_receivesTheMailOfAChange_andItsUnsubscribeLinkStopsThem() throws Exception {
    String email = "resident-" + TestEnv.unique() + "@example.org";
    subscriber(http, email);
    HttpResponse<String> stranger =
        walletForm(
            http,
            "/wallet/follow-up",
            walletOf(EVENT, http),
            "event",
            "fete",
            "action",
            "subscribe");
    assertEquals(422, stranger.statusCode(), "a wallet subscribes only to its own events");

    Http.Reply change =
        put(
            "question/q-mode",
            "{\"status\":\"adopted\",\"text\":\"Des trottoirs plus larges.\",\"milestones\":"
                + "[{\"date\":\"2027-03-15\",\"text\":\"vote du budget\"}]}");
    assertEquals(200, change.status(), change.body());
    assertEquals(1, change.json().path("queued").asInt(), change.body());

    MimeMessage mail = mailTo(email, 1).get(0);
    assertEquals("Suite de « " + EVENT + " » : Retenue", mail.getSubject());
    assertEquals(FROM, mail.getFrom()[0].toString());
    String body = ((String) mail.getContent()).replace("\r\n", "\n");
    Matcher link =
        Pattern.compile("(http://[^\\s]+/follow-up/unsubscribe/([A-Za-z0-9_=-]+))").matcher(body);
    assertTrue(link.find(), body);
    assertContainsAll(
        body,
        "Des trottoirs plus larges.",
        "Venu à pied ?",
        "15 mars 2027 : vote du budget",
        "/events/" + EVENT + "/follow-up");
    String unsubscribe = link.group(1).substring(server.baseUrl().length());
    assertContainsAll(mail.getHeader("List-Unsubscribe")[0], unsubscribe);
    assertEquals("List-Unsubscribe=One-Click", mail.getHeader("List-Unsubscribe-Post")[0]);

    HttpResponse<String> confirm = http.raw("GET", unsubscribe, null);
    assertEquals(200, confirm.statusCode(), confirm.body());
    assertContainsAll(confirm.body(), "Confirmez");
    HttpResponse<String> done = http.raw("POST", unsubscribe, "List-Unsubscribe=One-Click");
    assertEquals(200, done.statusCode(), done.body());
    assertContainsAll(http.raw("GET", unsubscribe, null).body(), "déjà arrêté");

    Http.Reply after = put("question/q-mode", "{\"status\":\"done\",\"text\":\"Fait.\"}");
    assertEquals(0, after.json().path("queued").asInt(), after.body());
    Thread.sleep(1500);
    assertEquals(1, mailsTo(email).size(), "no mail after unsubscribing");
  }

  private List<MimeMessage> mailsTo(String email) throws Exception {
    List<MimeMessage> out = new java.util.ArrayList<>();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      if (m.getAllRecipients()[0].toString().equals(email)) {
        out.add(m);
      }
    }
    return out;
  }

  private List<MimeMessage> mailTo(String email, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      List<MimeMessage> got = mailsTo(email);
      if (got.size() >= count) {
        return got;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no mail to " + email + " within 20 s");
  }

  @Test
  void smtpDownThenUp_deliversTheQueuedMailOnce() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path event = dir.resolve("events/" + EVENT + ".yaml");
    SyncServer down =
        SyncServer.start(
            TestEnv.moderatedConfig(dir.resolve("down"), null, List.of(event), ADMIN)
                .withMail(MailSettings.plain("127.0.0.1", port, FROM, Duration.ofMillis(200))),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    GreenMail later = null;
    try {
      Http downHttp = new Http(down.baseUrl());
      down.devices().register(tickets.device(), tickets.keys().publicKeyRaw(), 0);
      String email = "patient-" + TestEnv.unique() + "@example.org";
      subscriber(downHttp, email);
      Http.Reply change =
          downHttp.send(
              "PUT",
              "/api/admin/events/" + EVENT + "/follow-up/question/q-parc",
              "{\"status\":\"under_study\",\"text\":\"On regarde.\"}",
              "Authorization",
              "Bearer " + ADMIN);
      assertEquals(1, change.json().path("queued").asInt(), change.body());
      JsonNode waiting = awaitMail(downHttp, m -> m.path("retrying").asInt() >= 1);
      assertTrue(waiting.path("counts").path("sent").isMissingNode(), waiting.toString());

      later = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
      later.start();
      GreenMail inbox = later;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (inbox.getReceivedMessages().length == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(1, inbox.getReceivedMessages().length, "delivered once SMTP is up");
      Thread.sleep(1500);
      assertEquals(1, inbox.getReceivedMessages().length, "and only once");
      JsonNode sent = awaitMail(downHttp, m -> m.path("counts").path("sent").asInt() == 1);
      assertTrue(sent.path("counts").path("queued").isMissingNode(), sent.toString());
    } finally {
      down.close();
      if (later != null) {
        later.stop();
      }
    }
  }

  private JsonNode awaitMail(Http http, java.util.function.Predicate<JsonNode> done)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = http.send("GET", "/api/admin/mail", null, "Authorization", "Bearer " + ADMIN).json();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the outbox never got there: " + last);
  }

  @Test
  void withoutSmtp_mailsStayQueued_andTheStaffPageSaysSo() throws Exception {
    Path event = dir.resolve("events/" + EVENT + ".yaml");
    SyncServer quiet =
        SyncServer.start(
            TestEnv.moderatedConfig(dir.resolve("quiet"), null, List.of(event), ADMIN),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    try {
      Http quietHttp = new Http(quiet.baseUrl());
      quiet.devices().register(tickets.device(), tickets.keys().publicKeyRaw(), 0);
      subscriber(quietHttp, "kept-" + TestEnv.unique() + "@example.org");
      quietHttp.send(
          "PUT",
          "/api/admin/events/" + EVENT + "/follow-up/question/q-parc",
          "{\"status\":\"adopted\",\"text\":\"Oui.\"}",
          "Authorization",
          "Bearer " + ADMIN);
      JsonNode mail =
          quietHttp.send("GET", "/api/admin/mail", null, "Authorization", "Bearer " + ADMIN).json();
      assertEquals(1, mail.path("counts").path("queued").asInt(), mail.toString());
      assertTrue(mail.path("smtp").isNull(), mail.toString());
      assertContainsAll(mail.path("note").asText(), "--smtp-host");
      String cookies = signIn(quietHttp, "paul");
      HttpResponse<String> page =
          quietHttp.raw("GET", "/admin/events/" + EVENT + "/follow-up", null, "Cookie", cookies);
      assertContainsAll(page.body(), "aucun serveur SMTP", "1 courriel(s) attendent");
    } finally {
      quiet.close();
    }
  }
}
