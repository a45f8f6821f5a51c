// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecutorUiSchedulerTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final LinkedBlockingQueue<Runnable> uiQueue = new LinkedBlockingQueue<>();
  private final ExecutorUiScheduler scheduler = new ExecutorUiScheduler(timer, uiQueue::add);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  @Test
  void schedule_whenDue_runsTheActionOnTheUiExecutor() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);

    scheduler.schedule(Duration.ofMillis(10), ran::countDown);
    Runnable queued = uiQueue.poll(5, TimeUnit.SECONDS);
    queued.run();

    assertTrue(ran.await(1, TimeUnit.SECONDS));
  }

  @Test
  void cancel_whenTimerAlreadyFired_stillPreventsTheAction() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    UiScheduler.Task task = scheduler.schedule(Duration.ofMillis(1), () -> ran.add("late"));
    Runnable queued = uiQueue.poll(5, TimeUnit.SECONDS);

    task.cancel();
    queued.run();

    assertEquals(List.of(), ran);
  }
}
