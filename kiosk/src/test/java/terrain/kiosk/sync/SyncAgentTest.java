// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.id.QuestionId;
import terrain.core.record.Record;
import terrain.core.record.ResponseBody;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.session.ParticipationSession;
import terrain.kiosk.testing.TestEvents;
import terrain.kiosk.testing.TestHub;
import terrain.testkit.Network;
import terrain.transport.Forwarder;
import terrain.transport.MqttCredentials;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncAgentTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(2);

  @TempDir Path dir;
  private TestHub sharedHub;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private ScheduledExecutorService scheduler;

  @BeforeAll
  void startHub(@TempDir Path shared) throws Exception {
    sharedHub = TestHub.start(shared.resolve("broker"), 0, true);
  }

  @AfterAll
  void stopHub() {
    sharedHub.close();
  }

  @BeforeEach
  void setUp() {
    sharedHub.acking(true);
    scheduler = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    toClose.clear();
    scheduler.shutdownNow();
  }

  /** An engine with a fresh id, so tests sharing the hub do not see each other's records. */
  private KioskEngine engine() throws Exception {
    KioskEngine engine =
        KioskEngine.open(
            dir.resolve("kiosk"), Optional.empty(), Clock.systemUTC(), new SecureRandom());
    toClose.add(engine);
    return engine;
  }

  private SyncAgent agent(KioskEngine engine, String hubUri) {
    return agent(engine, SyncAgent.Settings.of(hubUri, MqttCredentials.DEVELOPMENT_KEY));
  }

  private SyncAgent agent(KioskEngine engine, SyncAgent.Settings settings) {
    SyncAgent agent =
        new SyncAgent(
            engine.store(),
            engine.deviceId(),
            settings,
            scheduler,
            Clock.systemUTC(),
            new SplittableRandom(4));
    engine.addCommitListener(record -> agent.wake());
    toClose.add(agent);
    return agent;
  }

  private TestHub hub(int port) throws Exception {
    TestHub hub = TestHub.start(dir.resolve("broker"), port, true);
    toClose.add(hub);
    return hub;
  }

  private static Record respond(KioskEngine engine, String venue) throws Exception {
    ParticipationSession session = engine.start(TestEvents.market(), TestEvents.marketPoll());
    session.answer(QuestionId.of("venue"), List.of(venue));
    return session.complete();
  }

  @Test
  void complete_whenHubAcks_deliversTheRecordAndEmptiesTheOutbox() throws Exception {
    TestHub hub = sharedHub;
    KioskEngine engine = engine();
    SyncAgent agent = agent(engine, hub.uri());
    agent.start();
    await("agent connects").atMost(WAIT).until(agent::hubReachable);

    Record first = respond(engine, "pied");
    Record second = respond(engine, "velo");

    awaitAcked(engine, agent);
    assertEquals(List.of(first, second), hub.records(engine.deviceId()));
    assertEquals(
        List.of(new ResponseBody.Answer("venue", List.of("velo"))),
        ResponseBody.decode(hub.records(engine.deviceId()).get(1).body()).answers());
    SyncAgent.Status status = agent.status();
    assertTrue(status.hubReachable());
    assertEquals(0, status.pending());
    assertTrue(status.lastAck().isPresent());
    assertEquals("", status.problem());
    await("retained online status")
        .atMost(WAIT)
        .until(
            () ->
                hub.status(engine.deviceId())
                    .filter(t -> t.startsWith("{\"state\":\"online\""))
                    .isPresent());
  }

  @Test
  void complete_whenHubDoesNotAck_keepsTheRecordPendingAndResendsAfterTheAckTimeout()
      throws Exception {
    TestHub hub = sharedHub;
    hub.acking(false);
    KioskEngine engine = engine();
    SyncAgent.Settings defaults = SyncAgent.Settings.of(hub.uri(), MqttCredentials.DEVELOPMENT_KEY);
    Forwarder.Settings device = defaults.forwarding();
    // The device default waits 10 s for an ack; the test waits ACK_TIMEOUT.
    SyncAgent agent =
        agent(
            engine,
            new SyncAgent.Settings(
                defaults.hubUri(),
                defaults.password(),
                new Forwarder.Settings(
                    device.batchSize(), device.window(), ACK_TIMEOUT, device.linger()),
                defaults.minBackoff(),
                defaults.maxBackoff()));
    agent.start();
    await("agent connects").atMost(WAIT).until(agent::hubReachable);

    Record record = respond(engine, "pied");

    await("delivered").atMost(WAIT).until(() -> hub.records(engine.deviceId()).size() == 1);
    int batchesBefore = hub.batchCount();
    // Unacknowledged, the records stay pending and the batch is sent again after the ack timeout.
    await("resent after the ack timeout")
        .atMost(WAIT)
        .until(() -> hub.batchCount() > batchesBefore);
    assertEquals(List.of(record), hub.records(engine.deviceId()));
    assertEquals(2, agent.status().pending(), "the key record and the response");
    assertTrue(agent.status().lastAck().isEmpty());

    hub.acking(true);
    await("acked after resend").atMost(WAIT).until(() -> pending(engine) == 0);
    assertTrue(agent.status().lastAck().isPresent());
    assertTrue(hub.failures().isEmpty(), hub.failures().toString());
  }

  @Test
  void start_whenHubStartsLater_retriesThenDeliversWhatWaited() throws Exception {
    int port = Network.portForLaterUse();
    KioskEngine engine = engine();
    SyncAgent agent = agent(engine, "tcp://127.0.0.1:" + port);
    String initial = agent.status().problem();
    agent.start();
    respond(engine, "pied");
    respond(engine, "voiture");
    await("a failed connection attempt")
        .atMost(WAIT)
        .until(() -> !agent.status().problem().equals(initial));
    assertFalse(agent.hubReachable());
    assertFalse(agent.status().problem().isEmpty());
    assertEquals(3, agent.status().pending(), "the key record and 2 responses");

    TestHub hub = hub(port);

    awaitAcked(engine, agent);
    assertEquals(2, hub.records(engine.deviceId()).size());
  }

  @Test
  void hubRestart_whenRecordsWaited_reconnectsAndDeliversThem() throws Exception {
    int port = Network.portForLaterUse();
    TestHub first = TestHub.start(dir.resolve("broker-1"), port, true);
    KioskEngine engine = engine();
    SyncAgent agent = agent(engine, "tcp://127.0.0.1:" + port);
    try {
      agent.start();
      respond(engine, "pied");
      await("first acked").atMost(WAIT).until(() -> pending(engine) == 0);
    } finally {
      first.close();
    }
    await("sees the hub gone").atMost(WAIT).until(() -> !agent.hubReachable());
    respond(engine, "velo");
    respond(engine, "voiture");

    TestHub second = hub(port);

    awaitAcked(engine, agent);
    assertEquals(
        List.of(3L, 4L), second.records(engine.deviceId()).stream().map(Record::seq).toList());
  }

  @Test
  void close_whenConnected_saysOffline() throws Exception {
    TestHub hub = sharedHub;
    KioskEngine engine = engine();
    SyncAgent agent = agent(engine, hub.uri());
    agent.start();
    await()
        .atMost(WAIT)
        .until(
            () ->
                hub.status(engine.deviceId())
                    .filter(t -> t.startsWith("{\"state\":\"online\""))
                    .isPresent());

    agent.close();

    await().atMost(WAIT).until(() -> hub.status(engine.deviceId()).equals(Optional.of("offline")));
  }

  @Test
  void settings_whenHubAddressMalformed_throwsWithTheFix() {
    for (String bad : List.of("", "127.0.0.1:1883", "http://hub:80", "tcp://hub", "tcp://:1883")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SyncAgent.Settings.of(bad, "k"));
      assertTrue(e.getMessage().contains("tcp://192.168.4.1:1883"), e.getMessage());
    }
  }

  /** Waits until the outbox is empty; a timeout shows the agent's status at that moment. */
  private static void awaitAcked(KioskEngine engine, SyncAgent agent) {
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertEquals(0, pending(engine), () -> "acked: " + describe(agent)));
  }

  private static String describe(SyncAgent agent) {
    try {
      return agent.status().toString();
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static long pending(KioskEngine engine) {
    try {
      return engine.store().pendingCount();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
