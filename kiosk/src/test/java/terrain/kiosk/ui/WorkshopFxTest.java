// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.record.RecordKind;
import terrain.core.workshop.WorkshopState;
import terrain.hub.WorkshopHub;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.sync.SyncAgent;
import terrain.kiosk.sync.SyncRunner;
import terrain.kiosk.ui.workshop.WorkshopModel;
import terrain.kiosk.workshop.WorkshopRoom;
import terrain.transport.MqttCredentials;
import terrain.transport.MqttLink;

/**
 * The workshop on two tablets through a real field hub (its embedded broker and its relay of the
 * room), with real taps (TestFX, headless): the facilitator starts, counts a head at the door, the
 * table sends ideas, the facilitator groups them and opens the vote, a participant places dots and
 * hands over, the results stay hidden until the facilitator reveals them, and each tablet's screen
 * shows what the other did. Each tablet is a real engine on its own Derby store.
 */
@ExtendWith(ApplicationExtension.class)
class WorkshopFxTest {
  private static final Path ATELIER = Path.of("../examples/events/atelier-parc.yaml");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<AutoCloseable> closing = new ArrayList<>();
  private final List<Path> folders = new ArrayList<>();
  private Stage first;
  private EventDefinition event;

  /** One tablet: its engine, clock, app, window and the runner that talks to the hub. */
  private record Tablet(KioskEngine engine, ManualTime time, KioskApp app, Stage stage) {
    WorkshopModel workshop() {
      return app.workshop().orElseThrow();
    }

    Parent root() {
      return stage.getScene().getRoot();
    }
  }

  @Start
  void start(Stage stage) throws Exception {
    this.first = stage;
    event = EventLoader.load(ATELIER);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    for (Path folder : folders) {
      try (Stream<Path> files = Files.walk(folder)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private Tablet tablet(FxRobot robot, String name, Optional<String> hub, Stage stage)
      throws Exception {
    Path folder = Files.createTempDirectory("workshop-" + name);
    folders.add(folder);
    // The tablets' clocks start now: the hub keeps the times the devices give.
    ManualTime time =
        new ManualTime(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    KioskEngine engine =
        KioskEngine.open(folder, Optional.empty(), time, new SplittableRandom(name.hashCode()));
    closing.add(engine);
    WorkshopRoom room = new WorkshopRoom(engine, event, new SplittableRandom(name.hashCode()));
    if (hub.isPresent()) {
      ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
      closing.add(() -> timers.shutdownNow());
      SyncRunner runner =
          new SyncRunner(
              engine,
              Optional.of(SyncAgent.Settings.of(hub.get(), MqttCredentials.DEVELOPMENT_KEY)),
              timers,
              Clock.systemUTC(),
              new SecureRandom(),
              terrain.kiosk.sync.StatusReport.minimal(),
              List.of(new MqttLink.Subscription(room.topic(), 1, room::relayed)));
      closing.add(runner);
      runner.start();
    }
    Stage[] shown = new Stage[1];
    KioskApp[] app = new KioskApp[1];
    robot.interact(
        () -> {
          KioskApp.Services services =
              KioskApp.Services.inMemory(engine)
                  .withMode(KioskApp.Mode.TABLET)
                  .withWorkshop(room)
                  .withUi(Platform::runLater);
          app[0] =
              new KioskApp(
                  engine, event, KioskSettings.withPin("2468"), time, time, () -> {}, services);
          shown[0] = stage != null ? stage : new Stage();
          shown[0].setScene(app[0].scene(1280, 800));
          shown[0].show();
        });
    return new Tablet(engine, time, app[0], shown[0]);
  }

  /** A tap on the node with this id in the tablet's window, a second after the previous one. */
  private static void tap(FxRobot robot, Tablet tablet, String id) {
    // Both tablets' windows cover the same headless screen: the one tapped comes to the front.
    robot.interact(
        () -> {
          tablet.stage().toFront();
          tablet.time().advance(Duration.ofSeconds(1));
        });
    Node node = find(robot, tablet, id);
    Point2D centre = robot.point(node).query();
    robot.robotContext().getMouseRobot().move(centre);
    robot.clickOn(MouseButton.PRIMARY);
  }

  private static Node find(FxRobot robot, Tablet tablet, String id) {
    // A part of the screen redrawn by the relay a moment ago is reachable after the next pulse.
    try {
      WaitForAsyncUtils.waitFor(
          3,
          TimeUnit.SECONDS,
          () -> robot.from(tablet.root()).lookup("#" + id).tryQuery().isPresent());
    } catch (java.util.concurrent.TimeoutException e) {
      // reported below with what the screen shows
    }
    Optional<Node> node = robot.from(tablet.root()).lookup("#" + id).tryQuery();
    if (node.isEmpty()) {
      List<String> shown = new ArrayList<>();
      robot
          .from(tablet.root())
          .lookup((java.util.function.Predicate<Node>) n -> n.getId() != null)
          .queryAll()
          .forEach(n -> shown.add(n.getId() + (n instanceof Labeled l ? "=" + l.getText() : "")));
      throw new AssertionError("#" + id + " is not on the screen; there are " + shown);
    }
    return node.get();
  }

  private static String text(FxRobot robot, Tablet tablet, String id) {
    return ((Labeled) find(robot, tablet, id)).getText();
  }

  private static boolean has(FxRobot robot, Tablet tablet, String id) {
    WaitForAsyncUtils.waitForFxEvents();
    return robot.from(tablet.root()).lookup("#" + id).tryQuery().isPresent();
  }

  private static void await(BooleanSupplier condition, String what) throws Exception {
    WaitForAsyncUtils.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS, condition::getAsBoolean);
    WaitForAsyncUtils.waitForFxEvents();
    assertTrue(condition.getAsBoolean(), what);
  }

  private static String phase(Tablet tablet) {
    return tablet.workshop().phase().map(p -> p.id()).orElse("");
  }

  @Test
  void phaseFlow_facilitatorAndTable_throughTheHubsRelay(FxRobot robot) throws Exception {
    Path hubData = Files.createTempDirectory("workshop-hub");
    folders.add(hubData);
    WorkshopHub hub = WorkshopHub.start(hubData, event);
    closing.add(hub);
    String uri = hub.uri();
    Tablet anim = tablet(robot, "anim", Optional.of(uri), first);
    Tablet table = tablet(robot, "table", Optional.of(uri), null);

    // The facilitator picks "Atelier", then "Animateur", and starts the welcome.
    tap(robot, anim, "tablet-workshop");
    tap(robot, anim, "workshop-facilitator");
    assertEquals("--:--", text(robot, anim, "workshop-timer"));
    tap(robot, anim, "wf-start");
    assertEquals("accueil", phase(anim), "own action shows at once, relayed or not");
    assertEquals("10:00", text(robot, anim, "workshop-timer"));
    tap(robot, anim, "door-age-30-44");
    tap(robot, anim, "wf-count");
    assertEquals("Personnes comptées : 1", text(robot, anim, "wf-door-count"));
    assertTrue(
        text(robot, anim, "wf-door-print").contains("./terrain kiosk --print-sheet N"),
        "the door says how to print the sheets of tickets");

    // Table 2 follows the facilitator through the hub.
    tap(robot, table, "tablet-workshop");
    tap(robot, table, "workshop-table-2");
    await(() -> phase(table).equals("accueil"), "the table got the welcome from the relay");
    tap(robot, anim, "wf-next");
    await(() -> phase(table).equals("idees"), "the table got the ideas phase");
    assertEquals("Qu'aimeriez-vous faire dans le parc ?", text(robot, table, "workshop-prompt"));

    // The table types two ideas on the on-screen keyboard.
    for (String key : List.of("key-62", "key-61", "key-6e", "key-63", "key-73")) {
      tap(robot, table, key);
    }
    assertEquals("Bancs", table.workshop().tableModel().ideaProperty().get());
    tap(robot, table, "wt-send");
    robot.interact(() -> table.workshop().tableModel().keyboard().type("Un kiosque à musique"));
    tap(robot, table, "wt-send");
    assertEquals("Idées de la table : 2", text(robot, table, "wt-mine"));

    // The facilitator sees them, groups one, and opens the vote.
    await(() -> anim.workshop().state().ideas().size() == 2, "the ideas reached the facilitator");
    tap(robot, anim, "wf-tab-room");
    assertEquals("Table 2 : 2 idée(s)", text(robot, anim, "wf-sent-2"));
    tap(robot, anim, "wf-next");
    assertEquals("regroupement", phase(anim));
    WorkshopState.Idea bancs = anim.workshop().state().ideas().get(0);
    tap(robot, anim, terrain.kiosk.ui.workshop.WorkshopView.id("wf-idea-", bancs.id()));
    tap(robot, anim, "wf-new-group");
    robot.interact(() -> anim.workshop().facilitator().keyboard().type("Se reposer"));
    tap(robot, anim, "wf-title-ok");
    assertEquals(1, anim.workshop().state().groups().size());
    assertEquals(List.of(bancs), anim.workshop().state().groups().get(0).ideas());
    tap(robot, anim, "wf-next");
    assertEquals("vote", phase(anim));

    // Participant 1 at the table: two dots on the group (the cap), one on the other idea.
    await(() -> phase(table).equals("vote"), "the table got the vote");
    await(() -> table.workshop().tableModel().items().size() == 2, "the group reached the table");
    assertEquals("Participant 1", text(robot, table, "wt-participant"));
    tap(robot, table, "wt-item-0");
    tap(robot, table, "wt-item-0");
    tap(robot, table, "wt-item-0");
    assertEquals("●●", text(robot, table, "wt-dots-0"), "the cap is 2 dots on one item");
    tap(robot, table, "wt-item-1");
    tap(robot, table, "wt-less-1");
    tap(robot, table, "wt-item-1");
    assertTrue(text(robot, table, "wt-dots-left").contains("0 point(s) sur 3"));
    tap(robot, table, "wt-validate");
    assertTrue(has(robot, table, "wt-handover"));
    tap(robot, table, "wt-next-voter");
    assertEquals("Participant 2", text(robot, table, "wt-participant"));
    assertFalse(has(robot, table, "wt-rank-1"), "hidden until the facilitator reveals");

    // The facilitator sees one voter, no totals, and reveals; the table shows the ranking.
    tap(robot, anim, "wf-tab-vote");
    await(() -> anim.workshop().state().voters("vote") == 1, "the vote reached the facilitator");
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals("Personnes qui ont voté : 1", text(robot, anim, "wf-voters"));
    assertFalse(has(robot, anim, "wf-rank-1"));
    tap(robot, anim, "wf-reveal");
    assertEquals("2 point(s)", text(robot, anim, "wf-rank-1"));
    await(() -> has(robot, table, "wt-rank-1"), "the reveal reached the table");
    assertEquals("2 point(s)", text(robot, table, "wt-rank-1"));
    assertEquals("1 point(s)", text(robot, table, "wt-rank-2"));

    // Every action is a record of its tablet, and the hub relays them all to both.
    long animRecords = anim.engine().ownWorkshopRecords(event.eventId()).size();
    long tableRecords = table.engine().ownWorkshopRecords(event.eventId()).size();
    assertEquals(4, tableRecords, "two ideas and two dotted items");
    await(
        () ->
            table.workshop().state().ideas().size() == 2
                && anim.workshop().state().revealed("vote")
                && table.workshop().state().revealed("vote"),
        "both tablets converge");
    assertEquals(anim.workshop().state().ranking("vote"), table.workshop().state().ranking("vote"));
    assertTrue(animRecords >= 8, "controls, head count, group, placement, reveal: " + animRecords);
    assertEquals(
        0, anim.engine().store().records(event.id(), RecordKind.RESPONSE).size(), "no poll");
  }

  @Test
  void role_isKeptAcrossARestart_andOwnActionsShowWithoutAHub(FxRobot robot) throws Exception {
    Tablet offline = tablet(robot, "offline", Optional.empty(), first);
    tap(robot, offline, "tablet-workshop");
    tap(robot, offline, "workshop-lang-ar");
    tap(robot, offline, "workshop-facilitator");
    tap(robot, offline, "wf-start");
    assertEquals("accueil", phase(offline));
    tap(robot, offline, "wf-extend");
    assertEquals("11:59", text(robot, offline, "workshop-timer"));
    robot.interact(() -> offline.time().advance(Duration.ofSeconds(59)));
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals("11:00", text(robot, offline, "workshop-timer"));
    tap(robot, offline, "wf-start");
    assertEquals("متوقّف مؤقتًا · 10:59", text(robot, offline, "workshop-timer"));
    assertEquals(
        javafx.geometry.NodeOrientation.RIGHT_TO_LEFT,
        offline.root().getEffectiveNodeOrientation());

    // The tablet restarts on the same data folder: it comes back to the facilitator's screen.
    KioskApp[] again = new KioskApp[1];
    robot.interact(
        () -> {
          try {
            KioskApp.Services services =
                KioskApp.Services.inMemory(offline.engine()).withMode(KioskApp.Mode.TABLET);
            again[0] =
                new KioskApp(
                    offline.engine(),
                    event,
                    KioskSettings.withPin("2468"),
                    offline.time(),
                    offline.time(),
                    () -> {},
                    services);
            Scene scene = again[0].scene(1280, 800);
            first.setScene(scene);
          } catch (RuntimeException e) {
            throw e;
          }
        });
    WorkshopModel restored = again[0].workshop().orElseThrow();
    assertEquals(WorkshopModel.Screen.FACILITATOR, restored.screen());
    assertEquals(Language.AR, restored.language());
    assertEquals("accueil", restored.phase().map(p -> p.id()).orElse(""));
    assertFalse(restored.timerProperty().get().running(), "paused before the restart");
    Tablet back = new Tablet(offline.engine(), offline.time(), again[0], first);
    tap(robot, back, "wf-role");
    tap(robot, back, "workshop-table-3");
    assertEquals(3, restored.table());
    // A table's way back to the choice of role is behind the staff PIN.
    tap(robot, back, "wt-staff");
    for (String digit : List.of("pin-32", "pin-34", "pin-36", "pin-38", "pin-enter")) {
      tap(robot, back, digit);
    }
    tap(robot, back, "staff-workshop-role");
    assertEquals(WorkshopModel.Screen.CHOOSE, restored.screen());
    tap(robot, back, "workshop-table-3");
    assertEquals(
        "table-3 ar",
        new WorkshopRoom(offline.engine(), event, new SplittableRandom(1)).keptRole().orElse(""));
  }
}
