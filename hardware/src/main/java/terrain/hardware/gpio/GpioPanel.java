// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.gpio;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * The hub's light and button on the GPIO lines of {@link GpioPins}, through Pi4J. On a Raspberry Pi
 * (any model, the Pi 5 included) Pi4J's gpiod provider drives {@code /dev/gpiochip*}; tests pass a
 * context with Pi4J's mock providers.
 */
public final class GpioPanel implements AutoCloseable {
  private final Context context;
  private final StatusLight light;
  private final Button button;

  /**
   * @param context Pi4J, closed with the panel
   * @param inputProvider the digital input provider's id
   * @param outputProvider the digital output provider's id
   */
  public GpioPanel(
      Context context,
      String inputProvider,
      String outputProvider,
      GpioPins pins,
      ScheduledExecutorService scheduler,
      Clock clock) {
    this.context = Objects.requireNonNull(context, "context must not be null");
    try {
      light =
          pins.light().isEmpty()
              ? null
              : new GpioStatusLight(
                  context, outputProvider, pins, scheduler, GpioStatusLight.BLINK);
      button =
          pins.button() == null
              ? null
              : new GpioButton(context, inputProvider, pins.button(), scheduler, clock);
    } catch (RuntimeException e) {
      context.shutdown();
      throw e;
    }
  }

  /**
   * The panel on this machine's GPIO chip through gpiod, or empty when the machine has none ({@code
   * /dev/gpiochip*} absent: a laptop, a container): the caller says so once and runs without.
   *
   * @throws RuntimeException from Pi4J when the chip is there but cannot be used (permissions: the
   *     user must be in the {@code gpio} group)
   */
  public static Optional<GpioPanel> onThisMachine(
      GpioPins pins, ScheduledExecutorService scheduler, Clock clock) {
    if (!pins.any() || !hasGpioChip(Path.of("/dev"))) {
      return Optional.empty();
    }
    Context context =
        Pi4J.newContextBuilder()
            .add(GpioDDigitalInputProvider.newInstance(), GpioDDigitalOutputProvider.newInstance())
            .build();
    return Optional.of(
        new GpioPanel(
            context,
            GpioDDigitalInputProvider.ID,
            GpioDDigitalOutputProvider.ID,
            pins,
            scheduler,
            clock));
  }

  /** Whether {@code dev} holds a {@code gpiochipN} device. */
  static boolean hasGpioChip(Path dev) {
    try (Stream<Path> files = Files.list(dev)) {
      return files.anyMatch(p -> p.getFileName().toString().startsWith("gpiochip"));
    } catch (IOException e) {
      return false;
    }
  }

  /** The light, if pins name one. */
  public Optional<StatusLight> light() {
    return Optional.ofNullable(light);
  }

  /** The button, if pins name one. */
  public Optional<Button> button() {
    return Optional.ofNullable(button);
  }

  @Override
  public void close() {
    if (button != null) {
      button.close();
    }
    if (light != null) {
      light.close();
    }
    context.shutdown();
  }
}
