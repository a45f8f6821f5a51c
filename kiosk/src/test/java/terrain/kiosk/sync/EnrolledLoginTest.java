// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.broker.BrokerSettings;
import terrain.broker.EmbeddedBroker;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.MqttSecret;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.testing.TestEnrolment;
import terrain.kiosk.testing.TestEvents;
import terrain.kiosk.trust.DeviceTrust;
import terrain.testkit.TestEnrolServer;
import terrain.transport.Logins;
import terrain.transport.MqttCredentials;

/** An enrolled kiosk logs in to a real broker with its own secret, and only with it. */
class EnrolledLoginTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private TestEnrolServer server;
  private EmbeddedBroker broker;
  private ScheduledExecutorService scheduler;
  private DeviceTrust trust;

  @BeforeEach
  void enrol() throws Exception {
    server = TestEvents.enrolServer();
    trust =
        TestEnrolment.kiosk(server.device("kiosk-5e5e5e", DeviceKind.KIOSK), dir.resolve("kiosk"));
    server.close();
    String username = MqttCredentials.deviceUsername("kiosk-5e5e5e");
    // The broker keeps only the hash the kiosk sent at enrolment; no site key.
    broker =
        EmbeddedBroker.start(
            new BrokerSettings(
                dir.resolve("broker"),
                "127.0.0.1",
                0,
                Logins.of(Map.of(username, trust.self().secretHash()))));
    scheduler = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
    broker.close();
  }

  @Test
  void agent_whenEnrolled_logsInWithItsOwnSecret() throws Exception {
    DeviceTrust restarted = DeviceTrust.load(dir.resolve("kiosk")).orElseThrow();
    try (KioskEngine engine =
            KioskEngine.openEnrolled(dir.resolve("kiosk"), restarted, Clock.systemUTC());
        SyncAgent agent =
            new SyncAgent(
                engine.store(),
                engine.deviceId(),
                SyncAgent.Settings.enrolled(
                    "tcp://127.0.0.1:" + broker.port(), restarted.mqttSecret()),
                scheduler,
                Clock.systemUTC(),
                new SecureRandom())) {
      agent.start();

      await("enrolled kiosk connects").atMost(WAIT).until(agent::hubReachable);
      assertEquals(MqttSecret.hash(restarted.mqttSecret()), trust.self().secretHash());
    }
  }

  @Test
  void agent_whenSecretWrongOrSiteKey_isRefused() throws Exception {
    try (KioskEngine engine =
        KioskEngine.openEnrolled(dir.resolve("kiosk"), trust, Clock.systemUTC())) {
      for (SyncAgent.Settings settings :
          java.util.List.of(
              SyncAgent.Settings.enrolled(
                  "tcp://127.0.0.1:" + broker.port(), MqttSecret.generate(new SecureRandom())),
              SyncAgent.Settings.of(
                  "tcp://127.0.0.1:" + broker.port(), MqttCredentials.DEVELOPMENT_KEY))) {
        try (SyncAgent agent =
            new SyncAgent(
                engine.store(),
                engine.deviceId(),
                settings,
                scheduler,
                Clock.systemUTC(),
                new SecureRandom())) {
          agent.start();

          await("refused")
              .atMost(WAIT)
              .until(
                  () ->
                      !agent.lastProblem().isEmpty()
                          && !agent.lastProblem().equals("not connected yet"));
          assertFalse(agent.hubReachable(), agent.lastProblem());
        }
      }
    }
  }
}
