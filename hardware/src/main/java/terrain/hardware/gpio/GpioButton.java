// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalInputConfigBuilder;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.io.gpio.digital.PullResistance;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A push button between a GPIO line and ground, read with the line's pull-up: low means pressed.
 * Edges come from Pi4J's listener (debounced by the provider); a tick every {@link #TICK} on the
 * given scheduler notices a hold of {@link Button#HOLD} while the button is still down.
 */
public final class GpioButton implements Button {

  /** How often a held button is looked at. */
  public static final Duration TICK = Duration.ofMillis(50);

  private final DigitalInput input;
  private final PressTimer timer;
  private final DigitalStateChangeListener edges;
  private final ScheduledFuture<?> ticking;

  /**
   * @param context Pi4J with a digital input provider (gpiod on a Pi, mock in tests)
   * @param provider the provider's id, e.g. {@code gpiod-digital-input}
   * @param line the button's line (BCM number)
   * @param scheduler where holds are noticed
   * @param clock how presses are timed
   */
  public GpioButton(
      Context context, String provider, int line, ScheduledExecutorService scheduler, Clock clock) {
    Objects.requireNonNull(context, "context must not be null");
    timer = new PressTimer(clock, HOLD);
    input =
        context.create(
            DigitalInputConfigBuilder.newInstance(context)
                .id("button")
                .name("button (GPIO" + line + ")")
                .address(line)
                .pull(PullResistance.PULL_UP)
                .debounce(20L, TimeUnit.MILLISECONDS)
                .provider(provider));
    edges =
        event -> {
          if (event.state() == DigitalState.LOW) {
            timer.down();
          } else if (event.state() == DigitalState.HIGH) {
            timer.up();
          }
        };
    input.addListener(edges);
    ticking =
        scheduler.scheduleWithFixedDelay(
            timer::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void listen(Listener listener) {
    timer.listen(listener);
  }

  @Override
  public void close() {
    ticking.cancel(false);
    input.removeListener(edges);
  }
}
