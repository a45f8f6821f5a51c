// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import terrain.core.event.EventDefinition;
import terrain.kiosk.session.KioskEngine;

/**
 * What the TestFX kiosk tests share: a manual clock, a kiosk engine on a real Derby store in a
 * temporary folder (deleted on {@link #close()}), a kiosk app on a 1280×800 stage, and a resident's
 * taps that each come a second after the previous one.
 */
final class KioskFx {
  static final String PIN = "2468";

  final ManualTime time = new ManualTime();
  private Path dir;
  private KioskEngine engine;

  /**
   * Opens the engine in a new temporary folder named after {@code prefix}, in its sub-folder {@code
   * data} if not null, with the random numbers seeded by {@code seed}.
   */
  KioskEngine open(String prefix, String data, long seed) throws Exception {
    dir = Files.createTempDirectory(prefix);
    engine =
        KioskEngine.open(
            data == null ? dir : dir.resolve(data),
            Optional.empty(),
            time,
            new SplittableRandom(seed));
    return engine;
  }

  /** The temporary folder. */
  Path dir() {
    return dir;
  }

  /** A kiosk app for {@code event} with the test PIN, shown on {@code stage}. */
  KioskApp show(Stage stage, EventDefinition event, Runnable quit) {
    KioskApp app = new KioskApp(engine, event, KioskSettings.withPin(PIN), time, time, quit);
    stage.setScene(app.scene(1280, 800));
    stage.show();
    return app;
  }

  /** Closes the engine and deletes the temporary folder. */
  void close() throws Exception {
    engine.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** A resident's tap on the node with this id, a second after the previous tap. */
  void tap(FxRobot robot, String id) {
    robot.interact(() -> time.advance(Duration.ofSeconds(1)));
    click(robot, "#" + id);
  }

  /**
   * A real click (press and release through the Glass robot) at the centre of the node {@code
   * query} finds. The pointer jumps there instead of gliding in up to 200 steps as {@code
   * FxRobot.clickOn} does: each step re-renders the software pipeline's 1280×800 scene, which made
   * the UI tests spend most of their time moving a mouse no resident has.
   */
  static void click(FxRobot robot, String query) {
    jumpTo(robot, query);
    robot.clickOn(MouseButton.PRIMARY);
  }

  /** Puts the pointer at the centre of the node {@code query} finds, in one move. */
  static FxRobot jumpTo(FxRobot robot, String query) {
    Point2D centre = robot.point(query).query();
    robot.robotContext().getMouseRobot().move(centre);
    return robot;
  }

  /** Time passes without a touch. */
  void wait(FxRobot robot, Duration duration) {
    robot.interact(() -> time.advance(duration));
  }

  /** Whether the node with this id is in the scene and it and all its parents are visible. */
  static boolean showing(FxRobot robot, String id) {
    Optional<Node> node = robot.lookup("#" + id).tryQuery();
    if (node.isEmpty() || node.get().getScene() == null) {
      return false;
    }
    for (Node n = node.get(); n != null; n = n.getParent()) {
      if (!n.isVisible()) {
        return false;
      }
    }
    return true;
  }

  /** The text of the label or button with this id. */
  static String text(FxRobot robot, String id) {
    return robot.lookup("#" + id).queryAs(Labeled.class).getText();
  }
}
