// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.id.QuestionId;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.session.ParticipationSession;
import terrain.kiosk.testing.TestEvents;
import terrain.kiosk.testing.TestHub;
import terrain.transport.MqttCredentials;

/** Pause and resume around a real broker: the app sleeps, records wait, then go on resume. */
class SyncRunnerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir Path dir;

  private static void respond(KioskEngine engine) throws Exception {
    ParticipationSession session = engine.start(TestEvents.market(), TestEvents.marketPoll());
    session.answer(QuestionId.of("venue"), List.of("pied"));
    session.complete();
  }

  @Test
  void pauseThenResume_whenRecordsCommittedWhilePaused_sendsThemOnResume() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (TestHub hub = TestHub.start(dir.resolve("broker"), 0, true);
        KioskEngine engine =
            KioskEngine.open(
                dir.resolve("kiosk"), Optional.empty(), Clock.systemUTC(), new SecureRandom());
        SyncRunner runner =
            new SyncRunner(
                engine,
                Optional.of(SyncAgent.Settings.of(hub.uri(), MqttCredentials.DEVELOPMENT_KEY)),
                scheduler,
                Clock.systemUTC(),
                new SplittableRandom(2))) {
      runner.start();
      respond(engine);
      await("sent before the pause").atMost(WAIT).until(() -> pending(runner) == 0);

      runner.pause();
      respond(engine);
      respond(engine);
      SyncRunner.View paused = runner.view();

      assertTrue(paused.paused());
      assertEquals(2, paused.pending());
      assertTrue(paused.agent().isEmpty(), "no agent, no reconnect loop while paused");
      await("said offline when pausing")
          .atMost(WAIT)
          .until(() -> hub.status(engine.deviceId()).equals(Optional.of(SyncAgent.OFFLINE)));

      runner.resume();

      await("sent after the resume").atMost(WAIT).until(() -> pending(runner) == 0);
      assertFalse(runner.view().paused());
      assertEquals(
          3,
          hub.records(engine.deviceId()).stream()
              .filter(r -> r.kind() == terrain.core.record.RecordKind.RESPONSE)
              .count());
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void view_whenNoHub_saysSoAndCountsPending() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (KioskEngine engine =
            KioskEngine.open(
                dir.resolve("alone"), Optional.empty(), Clock.systemUTC(), new SecureRandom());
        SyncRunner runner =
            new SyncRunner(
                engine, Optional.empty(), scheduler, Clock.systemUTC(), new SplittableRandom(2))) {
      runner.start();
      respond(engine);
      runner.pause();
      runner.resume();

      SyncRunner.View view = runner.view();

      assertFalse(view.hubGiven());
      assertFalse(view.paused());
      assertEquals(2, view.pending(), "the device key and the response");
    } finally {
      scheduler.shutdownNow();
    }
  }

  private static long pending(SyncRunner runner) {
    try {
      return runner.view().pending();
    } catch (Exception e) {
      return -1;
    }
  }
}
