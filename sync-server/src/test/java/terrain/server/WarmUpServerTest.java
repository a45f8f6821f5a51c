// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.wire.Ack;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.server.ingest.WarmUp;
import terrain.server.testkit.Http;
import terrain.server.testkit.LogCapture;
import terrain.server.testkit.Peers;
import terrain.server.testkit.Responses;
import terrain.server.testkit.TestEnv;
import terrain.store.Database;
import terrain.testkit.MqttPeer;

/**
 * A server started with its ingest's warm-up (decision 0064): the made-up records stay in the
 * scratch database, which is gone once the server listens, and a hub's batch then counts as on a
 * cold server.
 */
class WarmUpServerTest {
  @TempDir Path dir;

  @Test
  void sampleEvent_isTheExampleMarketDay_bundledInTheServersJar() throws Exception {
    EventDefinition example = EventLoader.load(Path.of("../examples/events/market-day.yaml"));

    EventDefinition bundled = SyncServer.sampleEvent().orElseThrow();

    assertEquals(example.id(), bundled.id());
    assertEquals(example.polls().size(), bundled.polls().size());
  }

  @Test
  void start_withWarmUp_leavesTheServersOwnDatabaseUntouched() throws Exception {
    ServerConfig config = TestEnv.config(dir, null, null, List.of()).withWarmUp(6_000);
    String eventId = "ev-" + TestEnv.unique();
    DeviceId hubId = DeviceId.of("hub-warm-" + TestEnv.unique());
    DeviceId kiosk = DeviceId.of("kiosk-warm-" + TestEnv.unique());
    try (LogCapture log = new LogCapture(WarmUp.class);
        SyncServer server =
            SyncServer.start(config, Clock.systemUTC(), RandomGenerator.getDefault())) {
      assertTrue(
          log.lines().stream().anyMatch(l -> l.contains("Ingest warmed up: 6000 made-up records")),
          log.lines().toString());
      assertFalse(Files.exists(config.dataDir().resolve("warm-up")), "scratch database deleted");
      Http http = new Http(server.baseUrl());
      assertEquals(0, http.get("/api/status").json().path("received").asLong());

      List<Record> records = Responses.of(kiosk, eventId, 7);
      try (MqttPeer hub = Peers.hub("tcp://127.0.0.1:" + server.brokerPort(), hubId)) {
        hub.publish(Topics.hubUp(hubId), new Batch(hubId, 1, records));
        Ack ack = hub.nextAck(Duration.ofSeconds(20));
        assertEquals(Map.of(kiosk, 7L), ack.upTo());
      }
      assertEquals(7, http.get("/api/status").json().path("received").asLong());
      assertEquals(
          7, http.get("/api/events/" + eventId + "/summary").json().path("responses").asLong());
    }
    try (Database database = Database.open(config.databaseUrl());
        Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*), SUM(CASE WHEN device_id LIKE 'warm-up%' THEN 1 ELSE 0 END)"
                    + " FROM records")) {
      assertTrue(rs.next());
      assertEquals(7, rs.getLong(1), "the hub's records only");
      assertEquals(0, rs.getLong(2), "none of the warm-up's");
      c.commit();
    }
  }
}
