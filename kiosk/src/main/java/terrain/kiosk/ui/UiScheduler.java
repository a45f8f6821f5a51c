// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.time.Duration;

/**
 * Runs actions later on the thread of the screen models (the JavaFX thread in the app, the test's
 * thread in tests, where time moves only when the test says so).
 */
public interface UiScheduler {

  /** A scheduled action. */
  interface Task {
    /** Makes sure the action does not run, if it has not started yet. */
    void cancel();
  }

  /** Runs {@code action} on the models' thread after {@code delay}. */
  Task schedule(Duration delay, Runnable action);
}
