// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.geometry.NodeOrientation;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.record.ResponseBody.Answer;
import terrain.core.record.ResponseBody.Pin;
import terrain.kiosk.session.KioskEngine;

/**
 * The ranking, map and text questions of the example event file, answered through the real views
 * with real taps and keys (TestFX, headless on Monocle), down to the record in the kiosk's Derby
 * store.
 */
@ExtendWith(ApplicationExtension.class)
class QuestionKindsFxTest {
  private final KioskFx fx = new KioskFx();
  private final ManualTime time = fx.time;
  private EventDefinition event;
  private KioskEngine engine;

  @Start
  void start(Stage stage) throws Exception {
    event = EventLoader.load(exampleEvent());
    engine = fx.open("kiosk-kinds-fx", null, 3);
    fx.show(stage, event, () -> {});
  }

  static Path exampleEvent() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path file = d.resolve("examples/events/market-day.yaml");
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new IllegalStateException("examples/events/market-day.yaml not found");
  }

  @AfterEach
  void close() throws Exception {
    fx.close();
  }

  private List<Record> stored() throws Exception {
    return engine.store().records(event.id(), RecordKind.RESPONSE);
  }

  /** From the attract screen to question {@code number} (1-based), skipping the ones before. */
  private void toQuestion(FxRobot robot, String language, int number) {
    fx.tap(robot, "start");
    fx.tap(robot, "lang-" + language);
    for (int i = 1; i < number; i++) {
      fx.tap(robot, "next");
    }
  }

  /** "Next" on the last question, then past the optional idea and "who are you" screens. */
  private void finish(FxRobot robot) {
    fx.tap(robot, "next");
    fx.tap(robot, "idea-skip");
    fx.tap(robot, "profile-skip");
  }

  private static String key(char c) {
    return "key-" + Integer.toHexString(c);
  }

  @Test
  void rankingMapAndText_whenAnsweredByTapsAndKeys_storeRanksPinAndText(FxRobot robot)
      throws Exception {
    toQuestion(robot, "fr", 5);
    assertEquals("Question 5 sur 7", fx.text(robot, "progress"));
    fx.tap(robot, "choice-prix");
    fx.tap(robot, "choice-proprete");
    fx.tap(robot, "choice-toilettes");
    fx.tap(robot, "choice-proprete"); // tapped again: out, toilettes moves up to 2
    fx.tap(robot, "choice-accessibilite");
    assertTrue(robot.lookup("#choice-stationnement-velo").queryAs(Button.class).isDisabled());
    assertEquals("Question 5 sur 7", fx.text(robot, "progress"));
    fx.tap(robot, "next");

    assertEquals("", fx.text(robot, "map-place"));
    // No bitmap of the whole viewport kept with each screen (most of the heap, bench kiosk).
    assertFalse(robot.lookup(".question-scroll .viewport").query().isCache());
    fx.tap(robot, "map-image"); // the middle of the map: the market square
    assertEquals("◉ Votre choix : La place du marché", fx.text(robot, "map-place"));
    robot.type(KeyCode.RIGHT); // the map has the focus: the arrow moves the pin one step
    fx.tap(robot, "next");

    assertEquals("Question 7 sur 7", fx.text(robot, "progress"));
    for (String k :
        List.of(key('ç'), key('a'), "key-space", key('v'), key('a'), key('x'), "key-backspace")) {
      fx.tap(robot, k);
    }
    assertEquals("Ça va▏", fx.text(robot, "typed-text"));
    assertEquals("135 caractères restants", fx.text(robot, "text-counter"));
    finish(robot);

    assertTrue(robot.lookup("#done").tryQuery().isPresent());
    List<Record> records = stored();
    assertEquals(1, records.size());
    ResponseBody body = ResponseBody.decode(records.get(0).body());
    assertEquals(2, records.get(0).body()[0], "pins and texts need format version 2");
    assertEquals(3, body.answers().size());
    assertEquals(
        new Answer("priorites", List.of("prix", "toilettes", "accessibilite")),
        body.answers().get(0));
    Answer map = body.answers().get(1);
    assertEquals(List.of("place-du-marche"), map.optionIds());
    // The middle of the map (to a pixel), then one step of 50 per mille to the right.
    Pin pin = map.pin().orElseThrow();
    assertTrue(Math.abs(pin.x() - 550) <= 3 && Math.abs(pin.y() - 500) <= 3, pin.toString());
    assertEquals(Answer.text("un-mot", "Ça va"), body.answers().get(2));
  }

  @Test
  void mapAndText_whenArabic_zonePickedFromTheListAndArabicKeysTyped(FxRobot robot)
      throws Exception {
    toQuestion(robot, "ar", 6);
    Node map = robot.lookup("#map").query();
    assertEquals(
        NodeOrientation.RIGHT_TO_LEFT,
        robot.lookup(".kiosk-root").query().getEffectiveNodeOrientation());
    assertEquals(NodeOrientation.LEFT_TO_RIGHT, map.getEffectiveNodeOrientation());
    fx.tap(robot, "map");
    fx.tap(robot, "choice-gare"); // a place by name replaces the pin
    assertFalse(robot.lookup("#map-pin").query().isVisible());
    fx.tap(robot, "next");

    for (char c : "شكرا".toCharArray()) {
      fx.tap(robot, key(c));
    }
    assertFalse(robot.lookup("#key-shift").tryQuery().isPresent(), "Arabic has no capitals");
    Node dad = robot.lookup("#" + key('ض')).query();
    Node dal = robot.lookup("#" + key('د')).query();
    assertTrue(
        dad.localToScene(0, 0).getX() < dal.localToScene(0, 0).getX(),
        "ض at the top left, as on Arabic keyboards");
    fx.tap(robot, "key-space");
    fx.tap(robot, "key-switch"); // the Latin letters, to answer in French
    fx.tap(robot, key('o'));
    fx.tap(robot, key('k'));
    finish(robot);

    ResponseBody body = ResponseBody.decode(stored().get(0).body());
    assertEquals(
        List.of(new Answer("ou-habitez", List.of("gare")), Answer.text("un-mot", "شكرا ok")),
        body.answers());
  }

  @Test
  void textField_whenPhysicalKeyboardTypes_typesIntoTheAnswer(FxRobot robot) throws Exception {
    toQuestion(robot, "en", 7);
    assertTrue(robot.lookup("#key-71").tryQuery().isPresent(), "English is QWERTY: q key");
    KioskFx.click(robot, "#typed-text");
    robot.write("Nice");
    robot.type(KeyCode.BACK_SPACE);
    finish(robot);

    assertEquals(
        List.of(Answer.text("un-mot", "Nic")),
        ResponseBody.decode(stored().get(0).body()).answers());
  }

  @Test
  void touchTargets_whenRankingMapAndText_areAtLeast48PixelsAndNeedNoScrolling(FxRobot robot) {
    toQuestion(robot, "fr", 1);
    assertFitsWithoutScrolling(robot, "question 1, five options");
    fx.tap(robot, "next");
    assertFitsWithoutScrolling(robot, "question 2, five options");
    for (int i = 2; i < 5; i++) {
      fx.tap(robot, "next");
    }
    assertFitsWithoutScrolling(robot, "ranking");
    assertAtLeast48(robot, "choice-prix");
    fx.tap(robot, "next");
    assertFitsWithoutScrolling(robot, "map");
    assertAtLeast48(robot, "choice-quais");
    fx.tap(robot, "next");
    assertFitsWithoutScrolling(robot, "text");
    for (String id : List.of(key('a'), key('é'), "key-shift", "key-space", "key-backspace")) {
      assertAtLeast48(robot, id);
    }
  }

  private static void assertAtLeast48(FxRobot robot, String id) {
    Bounds b = robot.lookup("#" + id).query().getLayoutBounds();
    assertTrue(b.getHeight() >= 48, id + " is " + b.getHeight() + " px high");
    assertTrue(b.getWidth() >= 48, id + " is " + b.getWidth() + " px wide");
  }

  private static void assertFitsWithoutScrolling(FxRobot robot, String what) {
    ScrollPane scroll = robot.lookup(".question-scroll").queryAs(ScrollPane.class);
    double content = scroll.getContent().getLayoutBounds().getHeight();
    double viewport = scroll.getViewportBounds().getHeight();
    assertTrue(content <= viewport + 0.5, what + ": " + content + " px in " + viewport + " px");
  }
}
