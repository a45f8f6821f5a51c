// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.device;

import com.gluonhq.attach.display.DisplayService;
import com.gluonhq.attach.lifecycle.LifecycleEvent;
import com.gluonhq.attach.lifecycle.LifecycleService;
import com.gluonhq.attach.storage.StorageService;
import com.gluonhq.attach.util.Services;
import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import javafx.geometry.Dimension2D;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device services of Gluon Attach (storage, display, lifecycle) where the platform has them,
 * and the desktop's answers where it does not. Attach finds each service's implementation for the
 * running platform ({@code desktop}, {@code android}, {@code ios}); a service missing for the
 * platform, or one that fails, falls back to the {@link DesktopDeviceServices} answer. Attach has
 * no desktop battery service (and its battery module is not on Maven Central for the versions we
 * use), so the battery always comes from the fallback.
 */
public final class AttachDeviceServices implements DeviceServices {
  private static final Logger log = LoggerFactory.getLogger(AttachDeviceServices.class);

  /** The folder inside the app's private storage that holds the kiosk's data. */
  public static final String FOLDER = "terrain-kiosk";

  private final Lookup lookup;
  private final DeviceServices fallback;

  /** Finds an Attach service: {@code Services::get} in the app, anything in tests. */
  @FunctionalInterface
  public interface Lookup {
    <T> Optional<T> get(Class<T> service);
  }

  public AttachDeviceServices(Lookup lookup, DeviceServices fallback) {
    this.lookup = lookup;
    this.fallback = fallback;
  }

  /** Attach's own service lookup over this machine's desktop fallback. */
  public static AttachDeviceServices local() {
    return new AttachDeviceServices(Services::get, DesktopDeviceServices.local());
  }

  @Override
  public Optional<Path> dataFolder() {
    Optional<Path> attach =
        ask(
            StorageService.class,
            storage -> storage.getPrivateStorage().map(File::toPath).map(p -> p.resolve(FOLDER)));
    return attach.isPresent() ? attach : fallback.dataFolder();
  }

  @Override
  public Optional<ScreenSize> screen() {
    Optional<ScreenSize> attach =
        ask(
            DisplayService.class,
            display -> {
              Dimension2D size = display.getScreenResolution();
              return size == null || size.getWidth() <= 0 || size.getHeight() <= 0
                  ? Optional.empty()
                  : Optional.of(new ScreenSize(size.getWidth(), size.getHeight()));
            });
    return attach.isPresent() ? attach : fallback.screen();
  }

  @Override
  public Optional<Battery> battery() {
    return fallback.battery();
  }

  @Override
  public void onPauseResume(Runnable pause, Runnable resume) {
    Optional<LifecycleService> lifecycle = find(LifecycleService.class);
    if (lifecycle.isPresent()) {
      lifecycle.get().addListener(LifecycleEvent.PAUSE, pause);
      lifecycle.get().addListener(LifecycleEvent.RESUME, resume);
    } else {
      fallback.onPauseResume(pause, resume);
    }
  }

  @Override
  public String description() {
    boolean any =
        find(StorageService.class).isPresent()
            || find(DisplayService.class).isPresent()
            || find(LifecycleService.class).isPresent();
    return any ? "Gluon Attach over " + fallback.description() : fallback.description();
  }

  private <S, T> Optional<T> ask(Class<S> service, Function<S, Optional<T>> question) {
    Optional<S> found = find(service);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    try {
      return question.apply(found.get());
    } catch (RuntimeException | NoClassDefFoundError | UnsatisfiedLinkError e) {
      // A platform implementation without its classes or native library: the Attach service is
      // absent here, not the JVM broken. Any other Error goes on.
      log.warn("Attach {} failed, using the desktop default", service.getSimpleName(), e);
      return Optional.empty();
    }
  }

  private <S> Optional<S> find(Class<S> service) {
    try {
      return lookup.get(service);
    } catch (RuntimeException | NoClassDefFoundError | UnsatisfiedLinkError e) {
      log.warn("No Attach {} here, using the desktop default", service.getSimpleName(), e);
      return Optional.empty();
    }
  }
}
