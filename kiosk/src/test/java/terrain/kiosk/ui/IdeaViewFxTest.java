// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.geometry.NodeOrientation;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
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
import terrain.core.event.ProfileSettings;
import terrain.core.record.IdeaBody;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.record.ResponseBody.Answer;
import terrain.core.ticket.TicketCodec;
import terrain.core.ticket.TicketRecord;
import terrain.kiosk.session.KioskEngine;

/**
 * The idea and "who are you" screens through the real views, with real taps on the on-screen
 * keyboard (TestFX, headless on Monocle), down to the records and the ticket in the kiosk's Derby
 * store.
 */
@ExtendWith(ApplicationExtension.class)
class IdeaViewFxTest {
  private final KioskFx fx = new KioskFx();
  private final ManualTime time = fx.time;
  private EventDefinition market;
  private KioskEngine engine;

  @Start
  void start(Stage stage) throws Exception {
    market = EventLoader.load(Path.of("../examples/events/market-day.yaml"));
    engine = fx.open("kiosk-idea-fx", null, 5);
    fx.show(stage, market, () -> {});
  }

  @AfterEach
  void close() throws Exception {
    fx.close();
  }

  /** Taps the on-screen keyboard's keys for {@code letters}, a key every 200 ms. */
  private void typeOnPad(FxRobot robot, String letters) {
    letters
        .codePoints()
        .forEach(
            c -> {
              robot.interact(() -> time.advance(Duration.ofMillis(200)));
              KioskFx.click(robot, c == ' ' ? "#key-space" : "#key-" + Integer.toHexString(c));
            });
  }

  private List<Record> stored(RecordKind kind) throws Exception {
    return engine.store().records(market.id(), kind);
  }

  private void toTheIdeaScreen(FxRobot robot, String lang) {
    fx.tap(robot, "start");
    fx.tap(robot, "lang-" + lang);
    fx.tap(robot, "choice-velo");
    for (int i = 0; i < market.defaultPoll().questions().size(); i++) {
      fx.tap(robot, "next");
    }
  }

  @Test
  void flow_whenIdeaTypedOnThePadAndProfileGiven_storesTheRecordsAndATicketOfThreeBriqs(
      FxRobot robot) throws Exception {
    toTheIdeaScreen(robot, "fr");
    assertTrue(fx.showing(robot, "idea-prompt"));
    assertTrue(robot.lookup("#idea-send").queryAs(Button.class).isDisabled());
    typeOnPad(robot, "des bancs");
    KioskFx.click(robot, "#idea-text");
    typeOnPad(robot, "a l'ombre");
    KioskFx.click(robot, "#key-backspace");
    typeOnPad(robot, "e");
    fx.tap(robot, "theme-amenagement");
    assertEquals("Des bancs", robot.lookup("#idea-title").queryAs(TextField.class).getText());
    assertFalse(robot.lookup("#idea-send").queryAs(Button.class).isDisabled());
    fx.tap(robot, "idea-send");

    assertTrue(fx.showing(robot, "profile-why"));
    assertTrue(robot.lookup("#profile-done").queryAs(Button.class).isDisabled());
    fx.tap(robot, "age-45-59");
    fx.tap(robot, "area-chartrons");
    fx.tap(robot, "profile-done");

    assertTrue(fx.showing(robot, "done"));
    assertEquals(
        List.of(
            new Answer("venue", List.of("velo")),
            new Answer(ProfileSettings.AGE_ANSWER, List.of("45-59")),
            new Answer(ProfileSettings.AREA_ANSWER, List.of("chartrons"))),
        ResponseBody.decode(stored(RecordKind.RESPONSE).get(0).body()).answers());
    assertEquals(
        new IdeaBody("avenir-du-marche", "amenagement", "fr", "Des bancs", "A l'ombre"),
        IdeaBody.decode(stored(RecordKind.IDEA).get(0).body()));
    List<Record> tickets = stored(RecordKind.TICKET);
    assertEquals(1, tickets.size());
    assertEquals(
        3, TicketCodec.parse(TicketRecord.decode(tickets.get(0).body()).code()).ticket().briqs());
  }

  @Test
  void flow_whenBothSkipped_storesTheResponseOnly(FxRobot robot) throws Exception {
    toTheIdeaScreen(robot, "fr");
    fx.tap(robot, "idea-skip");
    fx.tap(robot, "profile-skip");

    assertTrue(fx.showing(robot, "done"));
    assertEquals(1, stored(RecordKind.RESPONSE).size());
    assertEquals(List.of(), stored(RecordKind.IDEA));
    assertEquals(
        2,
        TicketCodec.parse(TicketRecord.decode(stored(RecordKind.TICKET).get(0).body()).code())
            .ticket()
            .briqs());
  }

  @Test
  void inactivity_whenAbandonedOnTheIdeaScreen_storesNothingAndShowsAFreshScreen(FxRobot robot)
      throws Exception {
    long before = engine.lastSeq();
    toTheIdeaScreen(robot, "fr");
    typeOnPad(robot, "mon idee");

    robot.interact(() -> time.advance(market.timeouts().inactivity().plusSeconds(1)));
    assertTrue(fx.showing(robot, "still-here"));
    robot.interact(() -> time.advance(market.timeouts().countdown().plusSeconds(1)));

    assertTrue(fx.showing(robot, "start"));
    assertEquals(before, engine.lastSeq());
    toTheIdeaScreen(robot, "fr");
    assertEquals("", robot.lookup("#idea-title").queryAs(TextField.class).getText());
  }

  @Test
  void keyboard_whenTypingWithoutThePad_reachesFieldsAndSends(FxRobot robot) throws Exception {
    toTheIdeaScreen(robot, "en");
    KioskFx.click(robot, "#idea-title");
    robot.write("Shade");
    robot.press(KeyCode.TAB).release(KeyCode.TAB);
    assertTrue(robot.lookup("#idea-text").query().isFocused(), "Tab goes on to the text");
    robot.write("More trees");
    assertEquals("More trees", robot.lookup("#idea-text").queryAs(TextArea.class).getText());
    // Out of the text area with Ctrl+Tab (Tab types a tab there), then Tab to "send".
    Node send = robot.lookup("#idea-send").query();
    robot.press(KeyCode.CONTROL, KeyCode.TAB).release(KeyCode.TAB, KeyCode.CONTROL);
    for (int i = 0; i < 15 && !send.isFocused(); i++) {
      robot.press(KeyCode.TAB).release(KeyCode.TAB);
    }
    assertTrue(send.isFocused(), "the send button is reachable by keyboard");
    robot.interact(() -> time.advance(Duration.ofSeconds(1)));
    robot.press(KeyCode.ENTER).release(KeyCode.ENTER);

    assertTrue(fx.showing(robot, "profile-skip"));
    robot.interact(() -> time.advance(Duration.ofSeconds(1)));
    robot.interact(() -> robot.lookup("#profile-skip").query().requestFocus());
    robot.press(KeyCode.ENTER).release(KeyCode.ENTER);
    assertTrue(fx.showing(robot, "done"));
    assertEquals(
        new IdeaBody("avenir-du-marche", "", "en", "Shade", "More trees"),
        IdeaBody.decode(stored(RecordKind.IDEA).get(0).body()));
  }

  @Test
  void arabic_whenOnTheIdeaAndProfileScreens_laysOutRightToLeft(FxRobot robot) {
    toTheIdeaScreen(robot, "ar");
    Node root = robot.lookup(".kiosk-root").query();
    assertEquals(NodeOrientation.RIGHT_TO_LEFT, root.getEffectiveNodeOrientation());
    typeOnPad(robot, "فكرة");
    assertEquals("فكرة", robot.lookup("#idea-title").queryAs(TextField.class).getText());
    fx.tap(robot, "idea-send");
    assertTrue(robot.lookup("#age-moins-de-18").queryAs(Button.class).getText().contains("18"));
  }

  @Test
  void touchTargets_whenNormalSize_areAtLeast48Pixels(FxRobot robot) {
    toTheIdeaScreen(robot, "fr");
    for (String id :
        List.of("key-61", "key-space", "key-backspace", "theme-commerces", "idea-skip", "back")) {
      Button button = robot.lookup("#" + id).queryAs(Button.class);
      assertTrue(button.getHeight() >= 48, id + " is " + button.getHeight() + " px high");
      assertTrue(button.getWidth() >= 48, id + " is " + button.getWidth() + " px wide");
    }
    fx.tap(robot, "idea-skip");
    for (String id : List.of("age-18-29", "area-bastide", "profile-skip", "back")) {
      Button button = robot.lookup("#" + id).queryAs(Button.class);
      assertTrue(button.getHeight() >= 48, id + " is " + button.getHeight() + " px high");
      assertTrue(button.getWidth() >= 48, id + " is " + button.getWidth() + " px wide");
    }
  }
}
