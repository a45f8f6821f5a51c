// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.NodeOrientation;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
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
import terrain.kiosk.testing.TestEvents;

/**
 * The resident flow through the real views, with real taps (TestFX, headless on Monocle), down to
 * the records in the kiosk's Derby store. Time moves only when the test says so.
 */
@ExtendWith(ApplicationExtension.class)
class KioskViewFxTest {
  private final KioskFx fx = new KioskFx();
  private final ManualTime time = fx.time;
  private final AtomicInteger exits = new AtomicInteger();
  private KioskEngine engine;
  private KioskApp app;

  @Start
  void start(Stage stage) throws Exception {
    engine = fx.open("kiosk-fx", null, 11);
    app = fx.show(stage, TestEvents.market(), exits::incrementAndGet);
  }

  @AfterEach
  void close() throws Exception {
    fx.close();
  }

  private List<Record> stored() throws Exception {
    return engine.store().records(TestEvents.EVENT_ID, RecordKind.RESPONSE);
  }

  @Test
  void residentFlow_whenEveryQuestionTypeAnswered_storesOneResponse(FxRobot robot)
      throws Exception {
    fx.tap(robot, "start");
    fx.tap(robot, "lang-fr");
    assertEquals("Question 1 sur 4", fx.text(robot, "progress"));
    assertEquals("Passer ›", fx.text(robot, "next"));
    fx.tap(robot, "choice-velo"); // single
    assertEquals("Suivant ›", fx.text(robot, "next"));
    fx.tap(robot, "next");
    fx.tap(robot, "choice-bio"); // multiple, at most 2
    fx.tap(robot, "choice-jeux");
    assertTrue(robot.lookup("#choice-halle").queryAs(Button.class).isDisabled());
    fx.tap(robot, "choice-halle");
    fx.tap(robot, "next");
    fx.tap(robot, "choice-4"); // scale
    fx.tap(robot, "next");
    assertEquals("Question 4 sur 4", fx.text(robot, "progress"));
    fx.tap(robot, "choice-no"); // yes/no
    assertEquals("Terminer ✔", fx.text(robot, "next"));
    fx.tap(robot, "next");

    assertTrue(fx.showing(robot, "done"));
    List<Record> stored = stored();
    assertEquals(1, stored.size());
    assertEquals(
        List.of(
            new Answer("venue", List.of("velo")),
            new Answer("envies", List.of("bio", "jeux")),
            new Answer("horaires", List.of("4")),
            new Answer("dimanche", List.of("no"))),
        ResponseBody.decode(stored.get(0).body()).answers());
    fx.tap(robot, "done");
    assertTrue(fx.showing(robot, "start"));
  }

  @Test
  void inactivity_whenResidentWalksAway_countsDownAndStoresNothing(FxRobot robot) throws Exception {
    fx.tap(robot, "start");
    fx.tap(robot, "lang-en");
    fx.tap(robot, "choice-pied");
    fx.tap(robot, "next");
    fx.tap(robot, "choice-bio");

    fx.wait(robot, Duration.ofSeconds(60));
    assertTrue(fx.showing(robot, "still-here"));
    assertEquals("Your answers will be cleared in 15 s", fx.text(robot, "countdown"));
    fx.wait(robot, Duration.ofSeconds(5));
    assertEquals("Your answers will be cleared in 10 s", fx.text(robot, "countdown"));
    fx.wait(robot, Duration.ofSeconds(10));

    assertTrue(fx.showing(robot, "start"));
    assertFalse(fx.showing(robot, "still-here"));
    assertEquals("Touchez pour participer", fx.text(robot, "start"));
    assertEquals(List.of(), stored());
  }

  @Test
  void inactivity_whenResidentTapsStillHere_keepsTheAnswers(FxRobot robot) throws Exception {
    fx.tap(robot, "start");
    fx.tap(robot, "lang-fr");
    fx.tap(robot, "choice-voiture");
    fx.wait(robot, Duration.ofSeconds(61));
    assertTrue(fx.showing(robot, "still-here"));

    fx.tap(robot, "still-here");
    fx.wait(robot, Duration.ofSeconds(30));

    assertFalse(fx.showing(robot, "still-here"));
    fx.tap(robot, "next");
    fx.tap(robot, "next");
    fx.tap(robot, "next");
    fx.tap(robot, "next");
    assertTrue(fx.showing(robot, "done"));
    assertEquals(1, stored().size());
  }

  @Test
  void staffExit_whenCornerHeldAndPinRight_opensThePanelWhoseQuitExits(FxRobot robot) {
    KioskFx.jumpTo(robot, "#staff-corner").press(MouseButton.PRIMARY);
    fx.wait(robot, Duration.ofSeconds(3));
    robot.release(MouseButton.PRIMARY);
    assertTrue(fx.showing(robot, "pin-enter"));

    for (String key : List.of("pin-31", "pin-31", "pin-31", "pin-31", "pin-enter")) {
      fx.tap(robot, key);
    }
    assertEquals(0, exits.get());
    assertTrue(fx.showing(robot, "pin-enter"));
    for (String key : List.of("pin-32", "pin-34", "pin-36", "pin-38", "pin-enter")) {
      fx.tap(robot, key);
    }

    assertFalse(fx.showing(robot, "pin-enter"));
    assertTrue(fx.showing(robot, "staff-quit"));
    assertEquals(0, exits.get());
    fx.tap(robot, "staff-quit");
    assertEquals(1, exits.get());
  }

  /** The overlays cost the first frame about 180 ms when built hidden at the start (issue 14). */
  @Test
  void overlays_areBuiltTheFirstTimeTheyShow_onceAndInTheirPlace(FxRobot robot) {
    SimpleBooleanProperty shown = new SimpleBooleanProperty(false);
    AtomicInteger built = new AtomicInteger();
    StackPane place =
        (StackPane)
            KioskView.whenFirstShown(
                shown,
                () -> {
                  built.incrementAndGet();
                  return new Region();
                });

    assertTrue(robot.lookup("#still-here").tryQuery().isEmpty(), "not built at the start");
    assertEquals(0, built.get());
    assertTrue(place.getChildren().isEmpty());
    assertFalse(place.isPickOnBounds(), "the empty place takes no touch");
    shown.set(true);
    shown.set(false);
    shown.set(true);
    assertEquals(1, built.get(), "built once");
    assertEquals(1, place.getChildren().size());
  }

  @Test
  void staffCorner_whenTappedBriefly_showsNoPad(FxRobot robot) {
    fx.tap(robot, "staff-corner");
    fx.wait(robot, Duration.ofSeconds(5));

    assertFalse(fx.showing(robot, "pin-enter"));
  }

  @Test
  void language_whenArabic_laysOutRightToLeftInArabic(FxRobot robot) {
    fx.tap(robot, "start");
    fx.tap(robot, "lang-ar");

    Node root = robot.lookup(".kiosk-root").query();
    assertEquals(NodeOrientation.RIGHT_TO_LEFT, root.getEffectiveNodeOrientation());
    assertEquals("السؤال 1 من 4", fx.text(robot, "progress"));
    assertEquals("تخطَّ ‹", fx.text(robot, "next"));
    fx.tap(robot, "choice-pied");
    fx.tap(robot, "back");
    fx.tap(robot, "lang-fr");
    assertEquals(NodeOrientation.LEFT_TO_RIGHT, root.getEffectiveNodeOrientation());
    assertEquals("Suivant ›", fx.text(robot, "next"));
  }

  @Test
  void textSize_whenSwitched_growsTheRootFontOnEveryScreen(FxRobot robot) {
    Node root = robot.lookup(".kiosk-root").query();
    double normal = robot.lookup("#start").queryAs(Button.class).getFont().getSize();

    fx.tap(robot, "text-size");

    assertTrue(root.getStyleClass().contains("text-large"));
    double large = robot.lookup("#start").queryAs(Button.class).getFont().getSize();
    assertTrue(large > normal, normal + " then " + large);
    fx.tap(robot, "start");
    fx.tap(robot, "text-size");
    assertTrue(root.getStyleClass().contains("text-extra-large"));
  }

  @Test
  void touchTargets_whenNormalSize_areAtLeast48Pixels(FxRobot robot) {
    fx.tap(robot, "start");
    fx.tap(robot, "lang-fr");
    for (String id : List.of("choice-pied", "next", "back", "text-size")) {
      Button button = robot.lookup("#" + id).queryAs(Button.class);
      assertTrue(button.getHeight() >= 48, id + " is " + button.getHeight() + " px high");
      assertTrue(button.getWidth() >= 48, id + " is " + button.getWidth() + " px wide");
    }
  }
}
