// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;

/**
 * Renders every screen to PNG. By default into {@code target/screenshots}; to refresh the ones in
 * the repository:
 *
 * <pre>
 * mvn -B -q -o install -pl kiosk -Dtest=KioskScreenshotsTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dkiosk.screenshots=$PWD/docs/screenshots
 * </pre>
 */
@ExtendWith(ApplicationExtension.class)
class KioskScreenshotsTest {
  private Stage stage;
  @TempDir Path data;

  @Start
  void start(Stage stage) {
    this.stage = stage;
  }

  private static Path exampleEvent() {
    Path here = Path.of("").toAbsolutePath();
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      Path file = dir.resolve("examples/events/market-day.yaml");
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new IllegalStateException("examples/events/market-day.yaml not found above " + here);
  }

  @Test
  void renderAll_whenRun_writesAPngOfEveryScreenInFrenchAndArabic(FxRobot robot) throws Exception {
    Path out = Path.of(System.getProperty("kiosk.screenshots", "target/screenshots"));
    // The example event of the repository, as ops staff would write it.
    EventDefinition event = EventLoader.load(exampleEvent());
    KioskScreenshots shots = new KioskScreenshots(event, data, out);
    AtomicReference<List<Path>> written = new AtomicReference<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    robot.interact(
        () -> {
          try {
            written.set(shots.renderAll(stage));
          } catch (Exception e) {
            failure.set(e);
          }
        });
    if (failure.get() != null) {
      throw failure.get();
    }
    assertEquals(41, written.get().size());
    for (Path file : written.get()) {
      assertTrue(Files.size(file) > 1000, file + " is nearly empty");
    }
  }
}
