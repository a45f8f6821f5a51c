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
 * Renders every workshop screen of the tablets to PNG. By default into {@code target/screenshots};
 * to refresh the ones in the repository:
 *
 * <pre>
 * mvn -B -o verify -pl kiosk -am -Dtest=WorkshopScreenshotsTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Ddist.skip=true -Dit.test=none -Dfailsafe.failIfNoSpecifiedTests=false \
 *     -Dkiosk.screenshots=$PWD/docs/screenshots
 * </pre>
 */
@ExtendWith(ApplicationExtension.class)
class WorkshopScreenshotsTest {
  private Stage stage;
  @TempDir Path data;

  @Start
  void start(Stage stage) {
    this.stage = stage;
  }

  @Test
  void renderAll_whenRun_writesEveryWorkshopScreenInFrenchAndArabic(FxRobot robot)
      throws Exception {
    Path out = Path.of(System.getProperty("kiosk.screenshots", "target/screenshots"));
    EventDefinition event = EventLoader.load(Path.of("../examples/events/atelier-parc.yaml"));
    WorkshopScreenshots shots = new WorkshopScreenshots(event, data, out);
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
    assertEquals(22, written.get().size());
    for (Path file : written.get()) {
      assertTrue(file.getFileName().toString().startsWith("workshop-"), file.toString());
      assertTrue(Files.size(file) > 1000, file + " is nearly empty");
    }
  }
}
