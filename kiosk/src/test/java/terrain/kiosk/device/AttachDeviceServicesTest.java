// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.gluonhq.attach.lifecycle.LifecycleService;
import com.gluonhq.attach.storage.StorageService;
import com.gluonhq.attach.util.Services;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gluon Attach where it answers, the desktop's answers where it does not. */
class AttachDeviceServicesTest {
  @TempDir Path dir;

  private DesktopDeviceServices desktop(int percent) throws Exception {
    Path bat = dir.resolve("power/BAT0");
    Files.createDirectories(bat);
    Files.writeString(bat.resolve("type"), "Battery\n");
    Files.writeString(bat.resolve("capacity"), percent + "\n");
    Files.writeString(bat.resolve("status"), "Discharging\n");
    return new DesktopDeviceServices(
        dir.resolve("power"), () -> Optional.of(new DeviceServices.ScreenSize(800, 480)));
  }

  /** A platform where Attach has no implementation of anything. */
  private static final AttachDeviceServices.Lookup NOTHING =
      new AttachDeviceServices.Lookup() {
        @Override
        public <T> Optional<T> get(Class<T> service) {
          return Optional.empty();
        }
      };

  @Test
  void everything_whenAttachHasNoImplementation_fallsBackToTheDesktop() throws Exception {
    AttachDeviceServices services = new AttachDeviceServices(NOTHING, desktop(64));
    AtomicInteger calls = new AtomicInteger();

    services.onPauseResume(calls::incrementAndGet, calls::incrementAndGet);

    assertEquals(Optional.empty(), services.dataFolder());
    assertEquals(Optional.of(new DeviceServices.ScreenSize(800, 480)), services.screen());
    assertEquals(Optional.of(new DeviceServices.Battery(64, false)), services.battery());
    assertEquals("desktop", services.description());
    assertEquals(0, calls.get());
  }

  @Test
  void everything_whenAttachServiceThrows_fallsBackToTheDesktop() throws Exception {
    AttachDeviceServices.Lookup broken =
        new AttachDeviceServices.Lookup() {
          @Override
          public <T> Optional<T> get(Class<T> service) {
            throw new NoClassDefFoundError("com/gluonhq/attach/storage/impl/AndroidStorageService");
          }
        };
    AttachDeviceServices services = new AttachDeviceServices(broken, desktop(10));

    assertEquals(Optional.empty(), services.dataFolder());
    assertEquals(Optional.of(new DeviceServices.ScreenSize(800, 480)), services.screen());
    assertEquals(10, services.battery().orElseThrow().percent());
  }

  @Test
  void storage_whenAttachDesktopImplementationPresent_givesAFolderInTheAppStorage()
      throws Exception {
    // The real Attach desktop jars on the classpath: storage and lifecycle answer here.
    assertTrue(Services.get(StorageService.class).isPresent());
    assertTrue(Services.get(LifecycleService.class).isPresent());
    AttachDeviceServices services = new AttachDeviceServices(Services::get, desktop(50));

    Path folder = services.dataFolder().orElseThrow();

    assertEquals(AttachDeviceServices.FOLDER, folder.getFileName().toString());
    assertTrue(folder.getParent().toString().endsWith(".gluon"), folder.toString());
    assertTrue(services.description().startsWith("Gluon Attach"), services.description());
    // Attach's desktop display answers only once the JavaFX toolkit runs (an earlier test in
    // this JVM may have started it, on Monocle's 1280 x 800); before that it fails and the
    // desktop's answer (800 x 480 here) stands in. Either way the kiosk gets a size.
    DeviceServices.ScreenSize screen = services.screen().orElseThrow();
    assertTrue(
        screen.equals(new DeviceServices.ScreenSize(800, 480))
            || screen.equals(new DeviceServices.ScreenSize(1280, 800)),
        screen.toString());
  }

  @Test
  void battery_whenNoPowerSupplyFolder_isAbsent() {
    DesktopDeviceServices none = new DesktopDeviceServices(dir.resolve("nothing"), Optional::empty);

    assertEquals(Optional.empty(), none.battery());
  }

  @Test
  void battery_whenOnlyMainsSupply_isAbsent() throws Exception {
    Path ac = dir.resolve("ps/AC");
    Files.createDirectories(ac);
    Files.writeString(ac.resolve("type"), "Mains\n");
    Files.writeString(ac.resolve("online"), "1\n");

    assertEquals(
        Optional.empty(), new DesktopDeviceServices(dir.resolve("ps"), Optional::empty).battery());
  }
}
