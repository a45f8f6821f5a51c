// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javafx.geometry.NodeOrientation;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.record.ResponseBody.Answer;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.testing.ManualTime;
import terrain.kiosk.testing.TestEvents;

/**
 * The resident flow through the real views, with real taps (TestFX, headless on Monocle), down to
 * the records in the kiosk's Derby store. Time moves only when the test says so.
 */
@ExtendWith(ApplicationExtension.class)
class KioskViewFxTest {
  private final ManualTime time = new ManualTime();
  private final AtomicInteger exits = new AtomicInteger();
  private Path dir;
  private KioskEngine engine;
  private KioskApp app;

  @Start
  void start(Stage stage) throws Exception {
    dir = Files.createTempDirectory("kiosk-fx");
    engine = KioskEngine.open(dir, Optional.empty(), time, new SplittableRandom(11));
    app =
        new KioskApp(
            engine,
            TestEvents.market(),
            KioskSettings.withPin("2468"),
            time,
            time,
            exits::incrementAndGet);
    stage.setScene(app.scene(1280, 800));
    stage.show();
  }

  @AfterEach
  void close() throws Exception {
    engine.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** A resident's tap on the node with this id, a second after the previous tap. */
  private void tap(FxRobot robot, String id) {
    robot.interact(() -> time.advance(Duration.ofSeconds(1)));
    robot.clickOn("#" + id);
  }

  private void wait(FxRobot robot, Duration duration) {
    robot.interact(() -> time.advance(duration));
  }

  private boolean showing(FxRobot robot, String id) {
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

  private String text(FxRobot robot, String id) {
    return robot.lookup("#" + id).queryAs(Labeled.class).getText();
  }

  private List<Record> stored() throws Exception {
    return engine.store().records(TestEvents.EVENT_ID, RecordKind.RESPONSE);
  }

  @Test
  void residentFlow_whenEveryQuestionTypeAnswered_storesOneResponse(FxRobot robot)
      throws Exception {
    tap(robot, "start");
    tap(robot, "lang-fr");
    assertEquals("Question 1 sur 4", text(robot, "progress"));
    assertEquals("Passer ›", text(robot, "next"));
    tap(robot, "choice-velo"); // single
    assertEquals("Suivant ›", text(robot, "next"));
    tap(robot, "next");
    tap(robot, "choice-bio"); // multiple, at most 2
    tap(robot, "choice-jeux");
    assertTrue(robot.lookup("#choice-halle").queryAs(Button.class).isDisabled());
    tap(robot, "choice-halle");
    tap(robot, "next");
    tap(robot, "choice-4"); // scale
    tap(robot, "next");
    assertEquals("Question 4 sur 4", text(robot, "progress"));
    tap(robot, "choice-no"); // yes/no
    assertEquals("Terminer ✔", text(robot, "next"));
    tap(robot, "next");

    assertTrue(showing(robot, "done"));
    List<Record> stored = stored();
    assertEquals(1, stored.size());
    assertEquals(
        List.of(
            new Answer("venue", List.of("velo")),
            new Answer("envies", List.of("bio", "jeux")),
            new Answer("horaires", List.of("4")),
            new Answer("dimanche", List.of("no"))),
        ResponseBody.decode(stored.get(0).body()).answers());
    tap(robot, "done");
    assertTrue(showing(robot, "start"));
  }

  @Test
  void inactivity_whenResidentWalksAway_countsDownAndStoresNothing(FxRobot robot) throws Exception {
    tap(robot, "start");
    tap(robot, "lang-en");
    tap(robot, "choice-pied");
    tap(robot, "next");
    tap(robot, "choice-bio");

    wait(robot, Duration.ofSeconds(60));
    assertTrue(showing(robot, "still-here"));
    assertEquals("Your answers will be cleared in 15 s", text(robot, "countdown"));
    wait(robot, Duration.ofSeconds(5));
    assertEquals("Your answers will be cleared in 10 s", text(robot, "countdown"));
    wait(robot, Duration.ofSeconds(10));

    assertTrue(showing(robot, "start"));
    assertFalse(showing(robot, "still-here"));
    assertEquals("Touchez pour participer", text(robot, "start"));
    assertEquals(List.of(), stored());
  }

  @Test
  void inactivity_whenResidentTapsStillHere_keepsTheAnswers(FxRobot robot) throws Exception {
    tap(robot, "start");
    tap(robot, "lang-fr");
    tap(robot, "choice-voiture");
    wait(robot, Duration.ofSeconds(61));
    assertTrue(showing(robot, "still-here"));

    tap(robot, "still-here");
    wait(robot, Duration.ofSeconds(30));

    assertFalse(showing(robot, "still-here"));
    tap(robot, "next");
    tap(robot, "next");
    tap(robot, "next");
    tap(robot, "next");
    assertTrue(showing(robot, "done"));
    assertEquals(1, stored().size());
  }

  @Test
  void staffExit_whenCornerHeldAndPinRight_opensThePanelWhoseQuitExits(FxRobot robot) {
    robot.moveTo("#staff-corner").press(MouseButton.PRIMARY);
    wait(robot, Duration.ofSeconds(3));
    robot.release(MouseButton.PRIMARY);
    assertTrue(showing(robot, "pin-ok"));

    for (String key : List.of("pin-1", "pin-1", "pin-1", "pin-1", "pin-ok")) {
      tap(robot, key);
    }
    assertEquals(0, exits.get());
    assertTrue(showing(robot, "pin-ok"));
    for (String key : List.of("pin-2", "pin-4", "pin-6", "pin-8", "pin-ok")) {
      tap(robot, key);
    }

    assertFalse(showing(robot, "pin-ok"));
    assertTrue(showing(robot, "staff-quit"));
    assertEquals(0, exits.get());
    tap(robot, "staff-quit");
    assertEquals(1, exits.get());
  }

  @Test
  void staffCorner_whenTappedBriefly_showsNoPad(FxRobot robot) {
    tap(robot, "staff-corner");
    wait(robot, Duration.ofSeconds(5));

    assertFalse(showing(robot, "pin-ok"));
  }

  @Test
  void language_whenArabic_laysOutRightToLeftInArabic(FxRobot robot) {
    tap(robot, "start");
    tap(robot, "lang-ar");

    Node root = robot.lookup(".kiosk-root").query();
    assertEquals(NodeOrientation.RIGHT_TO_LEFT, root.getEffectiveNodeOrientation());
    assertEquals("السؤال 1 من 4", text(robot, "progress"));
    assertEquals("تخطَّ ‹", text(robot, "next"));
    tap(robot, "choice-pied");
    tap(robot, "back");
    tap(robot, "lang-fr");
    assertEquals(NodeOrientation.LEFT_TO_RIGHT, root.getEffectiveNodeOrientation());
    assertEquals("Suivant ›", text(robot, "next"));
  }

  @Test
  void textSize_whenSwitched_growsTheRootFontOnEveryScreen(FxRobot robot) {
    Node root = robot.lookup(".kiosk-root").query();
    double normal = robot.lookup("#start").queryAs(Button.class).getFont().getSize();

    tap(robot, "text-size");

    assertTrue(root.getStyleClass().contains("text-large"));
    double large = robot.lookup("#start").queryAs(Button.class).getFont().getSize();
    assertTrue(large > normal, normal + " then " + large);
    tap(robot, "start");
    tap(robot, "text-size");
    assertTrue(root.getStyleClass().contains("text-extra-large"));
  }

  @Test
  void touchTargets_whenNormalSize_areAtLeast48Pixels(FxRobot robot) {
    tap(robot, "start");
    tap(robot, "lang-fr");
    for (String id : List.of("choice-pied", "next", "back", "text-size")) {
      Button button = robot.lookup("#" + id).queryAs(Button.class);
      assertTrue(button.getHeight() >= 48, id + " is " + button.getHeight() + " px high");
      assertTrue(button.getWidth() >= 48, id + " is " + button.getWidth() + " px wide");
    }
  }
}
