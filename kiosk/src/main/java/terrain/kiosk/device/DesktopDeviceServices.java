// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain desktop or a Raspberry Pi: no app storage (the data folder is given with {@code --data}
 * or defaults under the home folder), the screen size from JavaFX once it runs, no pause or resume,
 * and the battery from Linux's {@code /sys/class/power_supply} when the machine has one (a laptop,
 * a Pi with a UPS hat that registers as a battery).
 */
public final class DesktopDeviceServices implements DeviceServices {
  private static final Logger log = LoggerFactory.getLogger(DesktopDeviceServices.class);

  private final Path powerSupplies;
  private final Supplier<Optional<ScreenSize>> screen;

  /**
   * @param powerSupplies Linux's power supply folder, {@code /sys/class/power_supply}
   * @param screen the screen size (from JavaFX's primary screen in the app)
   */
  public DesktopDeviceServices(Path powerSupplies, Supplier<Optional<ScreenSize>> screen) {
    this.powerSupplies = powerSupplies;
    this.screen = screen;
  }

  /** This machine: {@code /sys/class/power_supply} and no screen size until JavaFX gives one. */
  public static DesktopDeviceServices local() {
    return new DesktopDeviceServices(Path.of("/sys/class/power_supply"), Optional::empty);
  }

  @Override
  public Optional<Path> dataFolder() {
    return Optional.empty();
  }

  @Override
  public Optional<ScreenSize> screen() {
    return screen.get();
  }

  /** The first supply of type Battery with a readable capacity; empty on machines without. */
  @Override
  public Optional<Battery> battery() {
    if (!Files.isDirectory(powerSupplies)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> supplies = Files.newDirectoryStream(powerSupplies)) {
      for (Path supply : supplies) {
        Optional<String> type = read(supply.resolve("type"));
        Optional<String> capacity = read(supply.resolve("capacity"));
        if (type.isEmpty() || !type.get().equalsIgnoreCase("Battery") || capacity.isEmpty()) {
          continue;
        }
        try {
          int percent = Math.max(0, Math.min(100, Integer.parseInt(capacity.get())));
          boolean charging =
              read(supply.resolve("status"))
                  .map(s -> s.toLowerCase(Locale.ROOT))
                  .map(s -> s.equals("charging") || s.equals("full"))
                  .orElse(false);
          return Optional.of(new Battery(percent, charging));
        } catch (NumberFormatException e) {
          // A driver that writes something else than a number: try the next supply.
          log.debug("Battery {} capacity is not a number", supply, e);
        }
      }
    } catch (IOException e) {
      log.debug("Cannot list the power supplies in {}", powerSupplies, e);
      return Optional.empty();
    }
    return Optional.empty();
  }

  @Override
  public void onPauseResume(Runnable pause, Runnable resume) {
    // A desktop app is never paused by the system.
  }

  @Override
  public String description() {
    return "desktop";
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim());
    } catch (IOException | RuntimeException e) {
      // Most supplies lack some files (mains has no capacity): not worth more than a trace.
      log.trace("Cannot read {}", file, e);
      return Optional.empty();
    }
  }
}
