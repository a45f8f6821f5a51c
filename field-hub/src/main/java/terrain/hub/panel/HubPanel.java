// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.panel;

import java.util.Objects;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.hardware.gpio.Button;
import terrain.hardware.gpio.LightSignal;
import terrain.hardware.gpio.StatusLight;
import terrain.store.StoreException;

/**
 * The hub's light and button: {@link #refresh()} (called every second) shows the hub's {@link
 * HubCondition}; a short press runs {@code printStatus}; a 3-s hold runs the shutdown hook. Slow
 * work (printing, stopping) runs on {@code worker}, never on the GPIO thread.
 */
public final class HubPanel implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HubPanel.class);

  /** Reads the hub's condition; a store failure is itself a fault. */
  public interface ConditionSource {
    HubCondition read() throws StoreException;
  }

  private final StatusLight light;
  private final ConditionSource condition;
  private final Runnable shutdown;
  private final Executor worker;

  /**
   * @param light the status light, or null
   * @param button the button, or null
   * @param shutdown what a 3-s hold does (stop the hub, then the configured command)
   */
  public HubPanel(
      StatusLight light,
      Button button,
      ConditionSource condition,
      Runnable printStatus,
      Runnable shutdown,
      Executor worker) {
    this.light = light;
    this.condition = Objects.requireNonNull(condition, "condition must not be null");
    Objects.requireNonNull(printStatus, "printStatus must not be null");
    this.shutdown = Objects.requireNonNull(shutdown, "shutdown must not be null");
    this.worker = Objects.requireNonNull(worker, "worker must not be null");
    if (button != null) {
      button.listen(
          new Button.Listener() {
            @Override
            public void shortPress() {
              worker.execute(printStatus);
            }

            @Override
            public void held() {
              log.warn("Button held {} s: stopping the hub", Button.HOLD.toSeconds());
              worker.execute(shutdown);
            }
          });
    }
  }

  /** Shows the hub's condition on the light; red if it cannot be read. */
  public void refresh() {
    if (light == null) {
      return;
    }
    HubCondition now;
    try {
      now = condition.read();
    } catch (StoreException | RuntimeException e) {
      now = new HubCondition(false, 0, "cannot read the hub's state: " + e.getMessage());
    }
    LightSignal signal = now.signal();
    if (signal != light.shown() && now.fault() != null) {
      log.warn("Status light red: {}", now.fault());
    }
    light.show(signal);
  }

  @Override
  public void close() {
    if (light != null) {
      light.show(LightSignal.OFF);
    }
  }
}
