// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link UiScheduler} that waits on a timer thread and runs the action on the UI thread ({@code
 * Platform::runLater} in the app). A task cancelled on the UI thread never runs, even if its timer
 * already fired.
 */
public final class ExecutorUiScheduler implements UiScheduler {
  private final ScheduledExecutorService timer;
  private final Executor uiThread;

  /**
   * @param timer waits for the delays; its owner shuts it down
   * @param uiThread runs the actions, e.g. {@code Platform::runLater}
   */
  public ExecutorUiScheduler(ScheduledExecutorService timer, Executor uiThread) {
    this.timer = timer;
    this.uiThread = uiThread;
  }

  @Override
  public Task schedule(Duration delay, Runnable action) {
    FxTask task = new FxTask(action);
    task.future =
        timer.schedule(
            () -> uiThread.execute(task::runUnlessCancelled),
            delay.toNanos(),
            TimeUnit.NANOSECONDS);
    return task;
  }

  private static final class FxTask implements Task {
    private final Runnable action;
    private volatile boolean cancelled;
    private volatile ScheduledFuture<?> future;

    FxTask(Runnable action) {
      this.action = action;
    }

    void runUnlessCancelled() {
      if (!cancelled) {
        action.run();
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      ScheduledFuture<?> f = future;
      if (f != null) {
        f.cancel(false);
      }
    }
  }
}
