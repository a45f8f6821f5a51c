// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import terrain.core.event.EventDefinition;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.wire.Batch;
import terrain.core.wire.WireCodec;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;
import terrain.core.workshop.WorkshopAction.Command;
import terrain.core.workshop.WorkshopState;
import terrain.hardware.printer.MemoryTicketPrinter;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.ui.thanks.TicketDesk;
import terrain.kiosk.ui.workshop.FacilitatorModel;
import terrain.kiosk.ui.workshop.TableModel;
import terrain.kiosk.ui.workshop.WorkshopModel;
import terrain.kiosk.workshop.WorkshopRoom;

/**
 * Renders every workshop screen of the tablets (the choice of role, the facilitator's sections, a
 * table's ideas and groups, the pass-the-tablet vote and its results) in French and Arabic, as
 * {@code workshop-*.png}, for an event with a {@code workshop:} section. The other tablets of the
 * room are played by records given to the tablet as the hub's relay would, so the path is the real
 * one. Run by {@code ./terrain kiosk --screenshots DIR --event FILE} and {@code
 * WorkshopScreenshotsTest}.
 */
final class WorkshopScreenshots {
  private static final DeviceId ANIMATION = DeviceId.of("tablette-anim");

  private final EventDefinition event;
  private final Path dataRoot;
  private final Path out;

  WorkshopScreenshots(EventDefinition event, Path dataRoot, Path out) {
    this.event = event;
    this.dataRoot = dataRoot;
    this.out = out;
    if (event.workshop().isEmpty()) {
      throw new IllegalArgumentException("Event " + event.id() + " has no workshop section");
    }
  }

  /** The room of one screenshot: this tablet's app, its clock and the other tablets. */
  static final class Room {
    final KioskApp app;
    final ManualTime time;
    final WorkshopRoom room;
    private final EventDefinition event;
    private final List<Record> relayed = new ArrayList<>();
    private final java.util.Map<DeviceId, Long> seqs = new java.util.HashMap<>();

    Room(KioskApp app, ManualTime time, WorkshopRoom room, EventDefinition event) {
      this.app = app;
      this.time = time;
      this.room = room;
      this.event = event;
    }

    WorkshopModel workshop() {
      return app.workshop().orElseThrow();
    }

    FacilitatorModel facilitator() {
      return workshop().facilitator();
    }

    TableModel table() {
      return workshop().tableModel();
    }

    /** A tap a second after the previous one. */
    void tap(Runnable command) {
      time.advance(Duration.ofSeconds(1));
      command.run();
    }

    void wait(Duration duration) {
      time.advance(duration);
    }

    /** Another tablet did this: it comes through the hub's relay, with every earlier one. */
    ItemRef other(DeviceId device, WorkshopAction action) {
      time.advance(Duration.ofSeconds(1));
      long seq = seqs.merge(device, 1L, Long::sum);
      relayed.add(
          new Record(
              device, seq, RecordKind.WORKSHOP, event.id(), time.millis(), 0, action.encode()));
      try {
        room.relayed(
            room.topic(), WireCodec.encodeBatch(new Batch(DeviceId.of("hub-atelier"), 1, relayed)));
      } catch (terrain.core.codec.WireException e) {
        throw new IllegalStateException(e);
      }
      return new ItemRef(device, seq);
    }

    /** The idea of the room whose text starts with {@code start}. */
    ItemRef idea(String start) {
      return room.state().ideas().stream()
          .filter(i -> i.text().startsWith(start))
          .findFirst()
          .map(WorkshopState.Idea::id)
          .orElseThrow();
    }
  }

  /** Renders every workshop screen; runs on the JavaFX thread. Returns the files written. */
  List<Path> renderAll(Stage stage) throws Exception {
    Files.createDirectories(out);
    List<Path> written = new ArrayList<>();
    for (Language language : List.of(Language.FR, Language.AR)) {
      for (var shot : shots().entrySet()) {
        written.add(render(stage, shot.getKey(), shot.getValue(), language));
      }
    }
    return written;
  }

  private java.util.Map<String, BiConsumer<Room, Language>> shots() {
    java.util.Map<String, BiConsumer<Room, Language>> shots = new java.util.LinkedHashMap<>();
    shots.put("facilitator-choose-role", (r, l) -> open(r, l));
    shots.put("facilitator-door", WorkshopScreenshots::door);
    shots.put("facilitator-room", WorkshopScreenshots::roomWithIdeas);
    shots.put("facilitator-grouping", WorkshopScreenshots::grouping);
    shots.put(
        "facilitator-new-group",
        (r, l) -> {
          grouping(r, l);
          r.tap(() -> r.facilitator().startNewGroup());
          r.facilitator().keyboard().type(l == Language.AR ? "الظل" : "Ombre");
        });
    shots.put("facilitator-vote", WorkshopScreenshots::facilitatorVote);
    shots.put("table-ideas", WorkshopScreenshots::tableIdeas);
    shots.put(
        "table-grouping",
        (r, l) -> {
          tableIdeas(r, l);
          groupedByFacilitator(r, l);
        });
    shots.put("vote-dots", WorkshopScreenshots::voteDots);
    shots.put(
        "vote-handover",
        (r, l) -> {
          voteDots(r, l);
          r.tap(() -> r.table().validate());
        });
    shots.put(
        "vote-results",
        (r, l) -> {
          voteDots(r, l);
          r.tap(() -> r.table().validate());
          r.other(ANIMATION, new WorkshopAction.Reveal("vote"));
        });
    return shots;
  }

  private static void open(Room r, Language language) {
    r.tap(() -> r.workshop().open());
    if (language != Language.FR) {
      r.tap(() -> r.workshop().chooseLanguage(language));
    }
  }

  private static void door(Room r, Language l) {
    open(r, l);
    r.tap(() -> r.workshop().chooseFacilitator());
    r.tap(() -> r.facilitator().startOrPause());
    for (int i = 0; i < 7; i++) {
      int n = i;
      r.tap(
          () ->
              r.facilitator()
                  .door()
                  .ages()
                  .tap(r.facilitator().door().ages().items().get(n % 4 + 1).id()));
      r.tap(() -> r.facilitator().countPerson());
    }
    r.tap(
        () -> r.facilitator().door().ages().tap(r.facilitator().door().ages().items().get(2).id()));
    r.tap(
        () ->
            r.facilitator().door().areas().tap(r.facilitator().door().areas().items().get(0).id()));
  }

  private static void ideasFromTables(Room r) {
    DeviceId t1 = DeviceId.of("tablette-1");
    DeviceId t2 = DeviceId.of("tablette-2");
    DeviceId t3 = DeviceId.of("tablette-3");
    r.other(t1, new WorkshopAction.Idea("idees", 1, "fr", "Des bancs à l'ombre des platanes"));
    r.other(t2, new WorkshopAction.Idea("idees", 2, "ar", "ملعب للأطفال قرب المدخل"));
    r.other(t1, new WorkshopAction.Idea("idees", 1, "fr", "Un kiosque à musique le dimanche"));
    r.other(t3, new WorkshopAction.Idea("idees", 3, "fr", "Des fontaines d'eau potable"));
    r.other(t2, new WorkshopAction.Idea("idees", 2, "fr", "Plus d'arbres pour l'ombre l'été"));
    r.other(t3, new WorkshopAction.Idea("idees", 3, "fr", "Un jardin partagé pour l'école"));
    r.other(t1, new WorkshopAction.Idea("idees", 1, "fr", "Éclairer les allées le soir"));
  }

  private static void roomWithIdeas(Room r, Language l) {
    door(r, l);
    r.tap(() -> r.facilitator().next());
    ideasFromTables(r);
    r.wait(Duration.ofMinutes(3));
  }

  private static void grouping(Room r, Language l) {
    roomWithIdeas(r, l);
    r.tap(() -> r.facilitator().next());
    newGroup(r, "Se reposer à l'ombre", r.idea("Des bancs"));
    r.tap(() -> r.facilitator().tapIdea(r.idea("Plus d'arbres")));
    r.tap(() -> r.facilitator().tapGroup(r.room.state().groups().get(0).id()));
    newGroup(r, "Jouer", r.idea("ملعب"));
    r.tap(() -> r.facilitator().tapIdea(r.idea("Un jardin")));
    r.tap(() -> r.facilitator().tapGroup(r.room.state().groups().get(1).id()));
    r.tap(() -> r.facilitator().tapIdea(r.idea("Des fontaines")));
  }

  private static void newGroup(Room r, String title, ItemRef idea) {
    r.tap(() -> r.facilitator().tapIdea(idea));
    r.tap(() -> r.facilitator().startNewGroup());
    r.facilitator().titleProperty().set(title);
    r.tap(() -> r.facilitator().confirmTitle());
  }

  private static void facilitatorVote(Room r, Language l) {
    grouping(r, l);
    r.tap(() -> r.facilitator().tapIdea(r.idea("Des fontaines")));
    r.tap(() -> r.facilitator().next());
    List<WorkshopState.Group> groups = r.room.state().groups();
    DeviceId t1 = DeviceId.of("tablette-1");
    DeviceId t2 = DeviceId.of("tablette-2");
    r.other(t1, new WorkshopAction.Vote("vote", "p-aaaa1", groups.get(0).id(), 2));
    r.other(t1, new WorkshopAction.Vote("vote", "p-aaaa1", groups.get(1).id(), 1));
    r.other(t2, new WorkshopAction.Vote("vote", "p-bbbb2", groups.get(0).id(), 1));
    r.other(t2, new WorkshopAction.Vote("vote", "p-bbbb2", r.idea("Un kiosque"), 2));
    r.other(t1, new WorkshopAction.Vote("vote", "p-cccc3", r.idea("Éclairer"), 2));
    r.other(t1, new WorkshopAction.Vote("vote", "p-cccc3", groups.get(0).id(), 1));
    r.tap(() -> r.facilitator().reveal());
  }

  /** Table 2: the facilitator started the ideas; the table sent one and types another. */
  private static void tableIdeas(Room r, Language l) {
    open(r, l);
    r.tap(() -> r.workshop().chooseTable(2));
    r.other(ANIMATION, new WorkshopAction.Control("accueil", Command.START, 0));
    r.other(ANIMATION, new WorkshopAction.Control("accueil", Command.FINISH, 0));
    r.other(ANIMATION, new WorkshopAction.Control("idees", Command.START, 0));
    ideasFromTables(r);
    r.table().keyboard().type(l == Language.AR ? "مقاعد تحت الأشجار" : "Des toilettes publiques");
    r.tap(() -> r.table().sendIdea());
    r.table().keyboard().type(l == Language.AR ? "سوق صغير" : "Un marché le samedi");
    r.wait(Duration.ofMinutes(4));
  }

  private static void groupedByFacilitator(Room r, Language l) {
    r.other(ANIMATION, new WorkshopAction.Control("idees", Command.FINISH, 0));
    r.other(ANIMATION, new WorkshopAction.Control("regroupement", Command.START, 0));
    ItemRef rest = r.other(ANIMATION, new WorkshopAction.NewGroup("regroupement", "Se reposer"));
    ItemRef play = r.other(ANIMATION, new WorkshopAction.NewGroup("regroupement", "Jouer"));
    r.other(
        ANIMATION,
        new WorkshopAction.Place("regroupement", r.idea("Des bancs"), Optional.of(rest)));
    r.other(
        ANIMATION,
        new WorkshopAction.Place("regroupement", r.idea("Plus d'arbres"), Optional.of(rest)));
    r.other(ANIMATION, new WorkshopAction.Place("regroupement", r.idea("ملعب"), Optional.of(play)));
    r.other(
        ANIMATION,
        new WorkshopAction.Place("regroupement", r.idea("Un jardin"), Optional.of(play)));
  }

  /** Table 2 during the vote: participant 1 placed two dots. */
  private static void voteDots(Room r, Language l) {
    tableIdeas(r, l);
    groupedByFacilitator(r, l);
    r.other(ANIMATION, new WorkshopAction.Control("regroupement", Command.FINISH, 0));
    r.other(ANIMATION, new WorkshopAction.Control("vote", Command.START, 0));
    List<TableModel.Item> items = r.table().items();
    r.tap(() -> r.table().addDot(items.get(0).id()));
    r.tap(() -> r.table().addDot(items.get(0).id()));
    r.tap(() -> r.table().addDot(items.get(3).id()));
    r.tap(() -> r.table().removeDot(items.get(3).id()));
    r.tap(() -> r.table().addDot(items.get(2).id()));
    r.wait(Duration.ofSeconds(75));
  }

  private Path render(Stage stage, String name, BiConsumer<Room, Language> steps, Language language)
      throws Exception {
    String file = "workshop-" + name + "-" + language.tag();
    ManualTime time = new ManualTime();
    try (KioskEngine engine =
        KioskEngine.open(
            dataRoot.resolve(file),
            Optional.empty(),
            time,
            new SplittableRandom(file.hashCode()))) {
      WorkshopRoom room = new WorkshopRoom(engine, event, new SplittableRandom(7));
      KioskApp.Services services =
          KioskApp.Services.inMemory(engine)
              .withMode(KioskApp.Mode.TABLET)
              .withWorkshop(room)
              .withTickets(
                  new TicketDesk(
                      new MemoryTicketPrinter(),
                      "memory",
                      Runnable::run,
                      Runnable::run,
                      KioskScreenshots.CLAIM_HOST,
                      java.time.ZoneOffset.UTC));
      KioskApp app =
          new KioskApp(
              engine, event, KioskSettings.withPin("2468"), time, time, () -> {}, services);
      Scene scene = app.scene(KioskScreenshots.WIDTH, KioskScreenshots.HEIGHT);
      stage.setScene(scene);
      stage.show();
      steps.accept(new Room(app, time, room, event), language);
      scene.getRoot().applyCss();
      scene.getRoot().layout();
      WritableImage image = scene.snapshot(null);
      Path png = out.resolve(file + ".png");
      ImageIO.write(KioskScreenshots.toBuffered(image), "png", png.toFile());
      return png;
    }
  }
}
