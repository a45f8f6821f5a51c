// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.hub.TestSupport.awaitJson;
import static terrain.hub.TestSupport.config;
import static terrain.hub.TestSupport.freePort;
import static terrain.hub.TestSupport.kiosk;
import static terrain.hub.TestSupport.send;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;
import terrain.core.workshop.WorkshopAction.Command;
import terrain.testkit.BatchSink;
import terrain.testkit.MqttPeer;

/**
 * The phone vote page on a real hub, over HTTP, with the tablets and the server's ingest on real
 * MQTT: a phone gets its dots and the cap, is refused outside the vote and past the rules, votes,
 * votes again (the new ballot replaces the first), and its ballot is in the hub's fold and reaches
 * the server as WORKSHOP records of the hub's own identity.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HubPhoneVoteTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final DeviceId ANIM = DeviceId.of("tablette-anim");
  private static final DeviceId T1 = DeviceId.of("tablette-1");
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  @TempDir static Path dir;
  private static EventDefinition atelier;
  private static Hub hub;
  private static MqttPeer anim;
  private static MqttPeer table;
  private static BatchSink server;
  private static long animSeq;
  private static long now;
  private static ItemRef group;
  private static final ItemRef SECOND_IDEA = new ItemRef(T1, 2);
  private static final CookieManager COOKIES = new CookieManager();
  private static final HttpClient PHONE =
      HttpClient.newBuilder()
          .cookieHandler(COOKIES)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  static void startHub() throws Exception {
    atelier = EventLoader.load(Path.of("../examples/events/atelier-parc.yaml"));
    // The uplink points at the hub's own broker, where a stand-in of the server's ingest listens.
    int mqtt = freePort();
    hub =
        Hub.start(
            config(dir, mqtt, "tcp://127.0.0.1:" + mqtt, "hub-vote").withEvents(List.of(atelier)),
            Clock.systemUTC(),
            new SecureRandom());
    server = TestSupport.server(hub.mqttPort(), true);
    anim = kiosk(ANIM, hub.mqttPort());
    table = kiosk(T1, hub.mqttPort());
    now = System.currentTimeMillis();
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {anim, table, server, hub}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  @Order(1)
  void page_beforeTheVote_saysItIsClosed_andAPostIsRefused() throws Exception {
    facilitator(new WorkshopAction.Control("accueil", Command.START, 0));
    awaitJson(hub.httpUrl() + "/api/workshop", v -> !v.path("phase").isNull(), WAIT);
    HttpResponse<String> page = get("/workshop/vote");
    assertEquals(200, page.statusCode());
    assertTrue(
        page.body().contains("Le vote n&#39;est pas ouvert.")
            || page.body().contains("Le vote n'est pas ouvert."),
        page.body());
    assertTrue(page.body().contains("Accueil"), "says which step the workshop is at");
    assertTrue(voter().isPresent(), "the phone got its voter cookie");
    HttpResponse<String> post = post("/workshop/vote", Map.of("csrf", "x", "phase", "vote"));
    assertEquals(403, post.statusCode(), "no valid form token");
  }

  @Test
  @Order(2)
  void page_duringTheVote_givesTheDotsAndCap_inLargeButtonsThatWorkWithoutScript()
      throws Exception {
    facilitator(new WorkshopAction.Control("idees", Command.START, 0));
    send(
        table,
        T1,
        1,
        List.of(
            record(T1, 1, new WorkshopAction.Idea("idees", 1, "fr", "Des bancs à l'ombre")),
            record(T1, 2, new WorkshopAction.Idea("idees", 1, "fr", "Un kiosque à musique"))));
    group = facilitator(new WorkshopAction.NewGroup("regroupement", "Se reposer"));
    facilitator(new WorkshopAction.Place("regroupement", new ItemRef(T1, 1), Optional.of(group)));
    facilitator(new WorkshopAction.Control("vote", Command.START, 0));
    awaitJson(
        hub.httpUrl() + "/api/workshop",
        v -> v.path("phase").path("kind").asText().equals("vote") && v.path("ideas").asInt() == 2,
        WAIT);

    HttpResponse<String> page = get("/workshop/vote?lang=en");
    assertEquals(200, page.statusCode());
    String html = page.body();
    assertTrue(html.contains("You have 3 dots, at most 2 on any one proposal."), html);
    assertTrue(html.contains("Se reposer"), "the group");
    assertTrue(html.contains("Un kiosque à musique"), "the idea in no group");
    assertTrue(
        !html.contains("name=\"d.tablette-1:1\""), "an idea in a group is voted through its group");
    assertTrue(
        html.contains("<ul class=\"inside\"><li dir=\"auto\">Des bancs à l&#39;ombre</li>")
            || html.contains("<ul class=\"inside\"><li dir=\"auto\">Des bancs à l'ombre</li>"),
        "the group's ideas listed under it: " + html);
    assertTrue(html.contains("name=\"d." + group + "\" value=\"2\""), "0 to the cap for each item");
    assertTrue(!html.contains("value=\"3\""), "never past the cap");
    assertTrue(html.contains("<form id=\"ballot\" method=\"post\""), "a plain form");
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertTrue(policy.contains("script-src 'sha256-"), policy);
    assertTrue(policy.contains("form-action 'self'"), policy);
    assertTrue(page.headers().firstValue("Set-Cookie").isEmpty(), "the same voter as before");

    HttpResponse<String> arabic = get("/workshop/vote?lang=ar");
    assertTrue(arabic.body().contains("<html lang=\"ar\" dir=\"rtl\">"), arabic.body());
    assertTrue(arabic.body().contains("صوّت"), "the button in Arabic");
  }

  @Test
  @Order(3)
  void post_pastTheDotsOrTheCap_orFromAnotherSite_isRefusedWithWhatToDo() throws Exception {
    String csrf = csrf(get("/workshop/vote?lang=en").body());
    HttpResponse<String> capped = post("/workshop/vote?lang=en", ballot(csrf, Map.of(group, 3)));
    assertEquals(422, capped.statusCode(), "3 dots on one item, past its cap of 2");
    HttpResponse<String> tooMany =
        post("/workshop/vote?lang=en", ballot(csrf, Map.of(group, 2, SECOND_IDEA, 2)));
    assertEquals(422, tooMany.statusCode());
    assertTrue(
        tooMany.body().contains("You placed 4 dots: at most 3, and at most 2 on any one proposal."),
        tooMany.body());
    HttpResponse<String> stale =
        post("/workshop/vote?lang=en", ballot(csrf, Map.of(new ItemRef(T1, 99), 1)));
    assertEquals(409, stale.statusCode(), "an item that is not in the vote");
    HttpRequest foreign =
        HttpRequest.newBuilder(URI.create(hub.httpUrl() + "/workshop/vote"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", "http://elsewhere.example")
            .POST(HttpRequest.BodyPublishers.ofString(encode(ballot(csrf, Map.of(group, 1)))))
            .build();
    assertEquals(403, PHONE.send(foreign, HttpResponse.BodyHandlers.ofString()).statusCode());
    HttpRequest huge =
        HttpRequest.newBuilder(URI.create(hub.httpUrl() + "/workshop/vote"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("csrf=" + "a".repeat(40_000)))
            .build();
    assertEquals(400, PHONE.send(huge, HttpResponse.BodyHandlers.ofString()).statusCode());
    JsonNode room = TestSupport.getJson(hub.httpUrl() + "/api/workshop");
    assertEquals(0, room.path("vote").path("voters").asInt(), "nothing recorded");
  }

  @Test
  @Order(4)
  void vote_showsInTheHubsFold_aReVoteReplacesIt_andItReachesTheServer() throws Exception {
    String csrf = csrf(get("/workshop/vote").body());
    HttpResponse<String> first = post("/workshop/vote", ballot(csrf, Map.of(group, 2)));
    assertEquals(303, first.statusCode(), first.body());
    assertTrue(first.headers().firstValue("Location").orElseThrow().endsWith("&done=1"));
    HttpResponse<String> thanks = get(first.headers().firstValue("Location").orElseThrow());
    assertTrue(thanks.body().contains("Merci, votre vote est enregistré."), thanks.body());
    assertTrue(
        thanks.body().contains("name=\"d." + group + "\" value=\"2\" checked"),
        "the phone's ballot shown again");
    awaitJson(
        hub.httpUrl() + "/api/workshop", v -> v.path("vote").path("voters").asInt() == 1, WAIT);

    // A new ballot replaces the first: 2 dots moved to 1 + 2 on the idea, still one voter.
    HttpResponse<String> again =
        post("/workshop/vote", ballot(csrf, Map.of(group, 1, SECOND_IDEA, 2)));
    assertEquals(303, again.statusCode(), again.body());
    facilitator(new WorkshopAction.Reveal("vote"));
    JsonNode room =
        awaitJson(
            hub.httpUrl() + "/api/workshop",
            v ->
                v.path("vote").path("revealed").asBoolean()
                    && v.path("vote").path("votes").asInt() == 3,
            WAIT);
    assertEquals(1, room.path("vote").path("voters").asInt());
    Map<String, Integer> ranking = new LinkedHashMap<>();
    room.path("vote")
        .path("ranking")
        .forEach(r -> ranking.put(r.path("label").asText(), r.path("votes").asInt()));
    assertEquals(Map.of("Un kiosque à musique", 2, "Se reposer", 1), ranking);

    // The server's ingest receives the ballots as the hub's own WORKSHOP records, once each.
    DeviceId hubId =
        DeviceId.of(TestSupport.getJson(hub.httpUrl() + "/api/status").path("hub").asText());
    List<Record> sent =
        org.awaitility.Awaitility.await()
            .atMost(WAIT)
            .until(() -> server.records(hubId), r -> r.size() == 3);
    String voter = voter().orElseThrow();
    for (Record record : sent) {
      assertEquals(RecordKind.WORKSHOP, record.kind());
      assertEquals(atelier.id(), record.eventId());
      WorkshopAction.Vote vote = (WorkshopAction.Vote) WorkshopAction.decode(record.body());
      assertEquals(voter, vote.voter());
    }
    assertEquals(List.of(1L, 2L, 3L), sent.stream().map(Record::seq).toList());
    assertTrue(server.failures().isEmpty(), server.failures().toString());
    awaitJson(hub.httpUrl() + "/api/status", s -> s.path("pending").asLong() == 0, WAIT);
  }

  @Test
  @Order(5)
  void post_afterTheVoteFinished_isRefused_andTooManyPostsWait() throws Exception {
    String csrf = csrf(get("/workshop/vote").body());
    facilitator(new WorkshopAction.Control("vote", Command.FINISH, 0));
    awaitJson(
        hub.httpUrl() + "/api/workshop", v -> v.path("phase").path("finished").asBoolean(), WAIT);
    HttpResponse<String> late = post("/workshop/vote", ballot(csrf, Map.of(group, 1)));
    assertEquals(409, late.statusCode());
    assertTrue(late.body().contains("Le vote n"), late.body());
    int status = 0;
    for (int i = 0; i < 25 && status != 429; i++) {
      status = post("/workshop/vote", ballot(csrf, Map.of(group, 1))).statusCode();
    }
    assertEquals(429, status, "20 posts a minute per client");
  }

  private static Optional<String> voter() {
    return COOKIES.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals("terrain-voter"))
        .map(HttpCookie::getValue)
        .findFirst();
  }

  private static String csrf(String html) {
    Matcher m = CSRF.matcher(html);
    assertTrue(m.find(), html);
    return m.group(1);
  }

  private static Map<String, String> ballot(String csrf, Map<ItemRef, Integer> dots) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf", csrf);
    form.put("phase", "vote");
    dots.forEach((item, n) -> form.put("d." + item, Integer.toString(n)));
    return form;
  }

  private static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return PHONE.send(
        HttpRequest.newBuilder(URI.create(hub.httpUrl() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
    return PHONE.send(
        HttpRequest.newBuilder(URI.create(hub.httpUrl() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static ItemRef facilitator(WorkshopAction action) throws Exception {
    long seq = ++animSeq;
    send(anim, ANIM, seq, List.of(record(ANIM, seq, action)));
    return new ItemRef(ANIM, seq);
  }

  private static Record record(DeviceId device, long seq, WorkshopAction action) {
    long time = now + 1000 * (device.equals(ANIM) ? seq * 2 : seq * 2 + 1);
    return new Record(device, seq, RecordKind.WORKSHOP, atelier.id(), time, 0, action.encode());
  }
}
