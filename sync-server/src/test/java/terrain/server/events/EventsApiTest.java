// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
import terrain.server.testkit.TestEnv;
import terrain.testkit.MqttPeer;

/** Publishing event files over real HTTP, on a real server with a Derby database (issue 8). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventsApiTest {
  static final String ADMIN = "admin-token-for-tests-0123456789";

  @TempDir static Path dir;
  SyncServer server;
  Http http;

  String databaseUrl() throws Exception {
    return null;
  }

  void afterServerStopped() throws Exception {}

  @BeforeAll
  void start() throws Exception {
    server =
        SyncServer.start(
            TestEnv.claimConfig(dir.resolve("server"), databaseUrl(), ADMIN, 1000),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    http = new Http(server.baseUrl());
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    afterServerStopped();
  }

  @Test
  void publish_withoutAdminToken_is401() throws Exception {
    String yaml = TestEnv.ticketEvent("no-token", "");

    Http.Reply none = http.send("POST", "/api/admin/events", yaml);
    Http.Reply wrong = http.send("POST", "/api/admin/events", yaml, auth("not-the-token"));
    Http.Reply list = http.send("GET", "/api/admin/events", null);

    assertEquals(401, none.status(), none.body());
    assertEquals(401, wrong.status());
    assertEquals(401, list.status());
    assertTrue(none.json().path("error").asText().contains("--admin-token"), none.body());
  }

  @Test
  void publish_thenSameThenChanged_versionsAndListsThem() throws Exception {
    String first = TestEnv.ticketEvent("versions", "");
    String changed = first.replace("title: {fr: \"versions\"}", "title: {fr: \"Versions 2\"}");

    Http.Reply created = publish(first);
    Http.Reply same = publish(first);
    Http.Reply next = publish(changed);
    Http.Reply list = http.send("GET", "/api/admin/events", null, auth(ADMIN));

    assertEquals(201, created.status(), created.body());
    assertEquals("versions", created.json().path("event").asText());
    assertEquals(1, created.json().path("version").asInt());
    assertEquals(
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(first.getBytes(StandardCharsets.UTF_8))),
        created.json().path("sha256").asText());
    assertEquals(200, same.status(), same.body());
    assertEquals(1, same.json().path("version").asInt());
    assertEquals(201, next.status(), next.body());
    assertEquals(2, next.json().path("version").asInt());
    assertEquals(200, list.status(), list.body());
    List<JsonNode> versions = new java.util.ArrayList<>();
    list.json().forEach(v -> versions.add(v));
    List<JsonNode> mine =
        versions.stream().filter(v -> v.path("event").asText().equals("versions")).toList();
    assertEquals(2, mine.size(), list.body());
    assertEquals(2, mine.get(1).path("version").asInt());
    assertTrue(mine.get(1).path("publishedAt").asText().matches("\\d{4}-.*Z"), list.body());
    Http.Reply results = http.send("GET", "/events/versions", null);
    assertTrue(results.body().contains("Versions 2"), "the latest version wins: " + results.body());
  }

  @Test
  void publish_whenFileHasMistakes_is400WithFileLineColumn() throws Exception {
    String yaml = TestEnv.ticketEvent("Bad Id", "rewards: {response: -1}\n");

    Http.Reply named =
        http.send("POST", "/api/admin/events?file=market-day.yaml", yaml, auth(ADMIN));
    Http.Reply unnamed = publish("id: ok\ntitle: [unclosed\n");

    assertEquals(400, named.status(), named.body());
    JsonNode problems = named.json().path("problems");
    assertTrue(problems.size() >= 2, named.body());
    for (JsonNode problem : problems) {
      assertTrue(
          problem.asText().matches("market-day\\.yaml:\\d+:\\d+: .+"), "problem: " + problem);
    }
    assertTrue(named.json().path("error").asText().contains("line and column"), named.body());
    assertEquals(400, unnamed.status(), unnamed.body());
    assertTrue(
        unnamed.json().path("problems").get(0).asText().matches("event\\.yaml:\\d+:\\d+: .+"),
        unnamed.body());
  }

  @Test
  void publish_whenRecordsNameARenamedQuestion_is409NamingIt() throws Exception {
    String v1 = TestEnv.ticketEvent("renamed", "");
    String renamed = v1.replace("id: q-mode", "id: q-transport");
    assertEquals(201, publish(v1).status());
    ResponseBody answer =
        new ResponseBody("avis", List.of(new ResponseBody.Answer("q-mode", List.of("yes"))));
    DeviceId kiosk = DeviceId.of("kiosk-renamed");
    Record record = new Record(kiosk, 1, RecordKind.RESPONSE, "renamed", 1_000, 0, answer.encode());
    try (MqttPeer device = Peers.device("tcp://127.0.0.1:" + server.brokerPort(), kiosk)) {
      device.publish(Topics.deviceUp(kiosk), new Batch(kiosk, 1, List.of(record)));
      device.nextAck(Duration.ofSeconds(20));
    }

    Http.Reply refused = publish(renamed);
    Http.Reply textOnly = publish(v1.replace("Venu à pied ?", "Venu·e à pied ?"));

    assertEquals(409, refused.status(), refused.body());
    assertTrue(
        refused.json().path("error").asText().contains("question \"q-mode\""), refused.body());
    assertEquals("question \"q-mode\"", refused.json().path("ids").get(0).asText());
    assertEquals(201, textOnly.status(), textOnly.body());
    assertEquals(2, textOnly.json().path("version").asInt());
  }

  @Test
  void publish_whenNoRecordsYet_allowsRenaming() throws Exception {
    String v1 = TestEnv.ticketEvent("early", "");
    assertEquals(201, publish(v1).status());

    Http.Reply renamed = publish(v1.replace("- id: avis", "- id: opinion"));

    assertEquals(201, renamed.status(), renamed.body());
    assertEquals(2, renamed.json().path("version").asInt());
  }

  private Http.Reply publish(String yaml) throws Exception {
    return http.send("POST", "/api/admin/events", yaml, auth(ADMIN));
  }

  private static String[] auth(String token) {
    return new String[] {"Authorization", "Bearer " + token};
  }
}
