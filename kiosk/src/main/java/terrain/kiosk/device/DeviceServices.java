// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.device;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the device the kiosk runs on can tell and do, beyond a plain desktop: where the app may keep
 * its data, the screen's size, the battery, and the moments the system puts the app to sleep and
 * wakes it (a tablet). Every answer may be absent: the kiosk then falls back to desktop defaults
 * and says "not available" where staff would read it.
 */
public interface DeviceServices {

  /** Where this platform gives the app a private folder (a tablet's app storage). */
  Optional<Path> dataFolder();

  /** The screen's size in pixels, when known. */
  Optional<ScreenSize> screen();

  /** The battery, where the platform reports one. */
  Optional<Battery> battery();

  /**
   * Runs {@code pause} when the system sends the app to the background (or to sleep) and {@code
   * resume} when it comes back, on whatever thread the platform uses. Platforms without such events
   * never call them.
   */
  void onPauseResume(Runnable pause, Runnable resume);

  /** What answered, for the log and the staff panel, e.g. "Gluon Attach (desktop)". */
  String description();

  /**
   * A screen's size.
   *
   * @param width pixels
   * @param height pixels
   */
  record ScreenSize(double width, double height) {
    public ScreenSize {
      if (!(width > 0) || !(height > 0)) {
        throw new IllegalArgumentException(
            "ScreenSize [" + width + " x " + height + "] must be more than zero each way");
      }
    }
  }

  /**
   * A battery's charge.
   *
   * @param percent 0 to 100
   * @param charging plugged in and charging
   */
  record Battery(int percent, boolean charging) {
    public Battery {
      if (percent < 0 || percent > 100) {
        throw new IllegalArgumentException("Battery percent [" + percent + "] must be 0 to 100");
      }
    }
  }
}
