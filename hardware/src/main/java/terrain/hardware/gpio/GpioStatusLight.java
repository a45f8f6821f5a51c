// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputConfigBuilder;
import com.pi4j.io.gpio.digital.DigitalState;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A red-green (optionally RGB) LED on GPIO lines, each line high for "on" (common-cathode LED, or
 * one LED per colour through a resistor). Amber is red and green together. Blinking toggles the
 * green line every {@link #BLINK} on the given scheduler.
 */
public final class GpioStatusLight implements StatusLight {

  /** Half a blink period. */
  public static final Duration BLINK = Duration.ofMillis(500);

  private final DigitalOutput red;
  private final DigitalOutput green;
  private final DigitalOutput blue;
  private final ScheduledExecutorService scheduler;
  private final Duration blink;
  private LightSignal shown = LightSignal.OFF;
  private ScheduledFuture<?> blinking;
  private boolean blinkOn;

  /**
   * @param context Pi4J with a digital output provider (gpiod on a Pi, mock in tests)
   * @param provider the provider's id, e.g. {@code gpiod-digital-output}
   * @param pins the light's lines (red, green, optionally blue)
   * @param scheduler where blinking runs
   * @param blink half a blink period
   */
  public GpioStatusLight(
      Context context,
      String provider,
      GpioPins pins,
      ScheduledExecutorService scheduler,
      Duration blink) {
    Objects.requireNonNull(context, "context must not be null");
    if (pins.light().isEmpty()) {
      throw new IllegalArgumentException("pins name no light lines: pass --light-pins R,G[,B]");
    }
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
    this.blink = Objects.requireNonNull(blink, "blink must not be null");
    red = output(context, provider, "light-red", pins.light().get(0));
    green = output(context, provider, "light-green", pins.light().get(1));
    blue =
        pins.light().size() > 2
            ? output(context, provider, "light-blue", pins.light().get(2))
            : null;
  }

  private static DigitalOutput output(Context context, String provider, String id, int line) {
    return context.create(
        DigitalOutputConfigBuilder.newInstance(context)
            .id(id)
            .name(id + " (GPIO" + line + ")")
            .address(line)
            .initial(DigitalState.LOW)
            .shutdown(DigitalState.LOW)
            .provider(provider));
  }

  @Override
  public synchronized void show(LightSignal signal) {
    Objects.requireNonNull(signal, "signal must not be null");
    if (signal == shown) {
      return;
    }
    shown = signal;
    if (blinking != null) {
      blinking.cancel(false);
      blinking = null;
    }
    switch (signal) {
      case OFF -> set(false, false);
      case GREEN -> set(false, true);
      case AMBER -> set(true, true);
      case RED -> set(true, false);
      case GREEN_BLINKING -> {
        set(false, true);
        blinkOn = true;
        blinking =
            scheduler.scheduleAtFixedRate(
                this::toggle, blink.toMillis(), blink.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private synchronized void toggle() {
    if (shown != LightSignal.GREEN_BLINKING) {
      return;
    }
    blinkOn = !blinkOn;
    green.state(blinkOn ? DigitalState.HIGH : DigitalState.LOW);
  }

  private void set(boolean redOn, boolean greenOn) {
    red.state(redOn ? DigitalState.HIGH : DigitalState.LOW);
    green.state(greenOn ? DigitalState.HIGH : DigitalState.LOW);
    if (blue != null) {
      blue.low();
    }
  }

  @Override
  public synchronized LightSignal shown() {
    return shown;
  }

  @Override
  public void close() {
    show(LightSignal.OFF);
  }
}
