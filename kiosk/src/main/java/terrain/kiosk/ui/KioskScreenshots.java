// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import terrain.core.event.EventDefinition;
import terrain.core.event.Population;
import terrain.core.results.ProfileCounts;
import terrain.hardware.printer.MemoryTicketPrinter;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.ui.attract.AttractView;
import terrain.kiosk.ui.tablet.WhoIsMissing;
import terrain.kiosk.ui.thanks.TicketDesk;

/**
 * Renders every kiosk screen in French and Arabic to PNG files with the real views and stylesheet
 * ({@code Scene.snapshot}), so that anyone can look at them as a resident would. Run by {@code
 * ./terrain kiosk --screenshots docs/screenshots} (headless on Monocle when there is no display)
 * and by {@code KioskScreenshotsTest}.
 */
final class KioskScreenshots {
  /** The claim host printed in the screenshots' QR codes. */
  static final String CLAIM_HOST = "briqs.bordeaux.fr";

  static final int WIDTH = 1280;
  static final int HEIGHT = 800;
  private static final String PIN = "2468";

  private final EventDefinition event;
  private final Path dataRoot;
  private final Path out;

  KioskScreenshots(EventDefinition event, Path dataRoot, Path out) {
    this.event = event;
    this.dataRoot = dataRoot;
    this.out = out;
  }

  /** One screen: its file name and how to get there from the attract screen. */
  record Shot(
      String name, Consumer<Driver> steps, Function<KioskApp.Services, KioskApp.Services> setup) {
    Shot(String name, Consumer<Driver> steps) {
      this(name, steps, services -> services);
    }
  }

  /** Taps and waits like a resident, a second between taps. */
  record Driver(KioskApp app, ManualTime time) {
    KioskFlowModel flow() {
      return app.flow();
    }
  }

  /** Renders every screen; runs on the JavaFX thread. Returns the files written. */
  List<Path> renderAll(Stage stage) throws Exception {
    Files.createDirectories(out);
    List<Path> written = new ArrayList<>();
    written.add(render(stage, new Shot("attract", app -> {}), "fr"));
    written.add(render(stage, new Shot("attract-large-text", app -> tapTextSize(app, 1)), "fr"));
    for (Language language : List.of(Language.FR, Language.AR)) {
      for (Shot shot : shots(language)) {
        written.add(render(stage, shot, language.tag()));
      }
    }
    written.add(
        render(
            stage,
            new Shot(
                "question-2-multiple-large-text",
                app -> {
                  toQuestion(app, Language.FR, 1, 2);
                  tapTextSize(app, 1);
                }),
            "fr"));
    written.add(
        render(
            stage,
            new Shot(
                "idea-large-text",
                app -> {
                  toIdea(app, Language.FR);
                  typeIdea(app, Language.FR);
                  tapTextSize(app, 2);
                }),
            "fr"));
    written.add(render(stage, new Shot("staff-pin", KioskScreenshots::openPin), "fr"));
    // The PIN sent to be checked (on a kiosk, a second or more): an io that never answers.
    written.add(
        render(
            stage,
            new Shot(
                "staff-pin-checking",
                app -> {
                  openPin(app);
                  app.app().staff().digit(3);
                  app.app().staff().digit(4);
                  app.app().staff().submit();
                },
                services -> services.withIo(task -> {})),
            "fr"));
    written.add(
        render(
            stage,
            new Shot(
                "thank-you-print-failed-extra-large-text",
                app -> {
                  finish(app, Language.FR);
                  tapTextSize(app, 2);
                },
                services -> services.withTickets(failingDesk())),
            "fr"));
    for (Language language : List.of(Language.FR, Language.AR)) {
      written.add(
          render(
              stage,
              new Shot(
                  "thank-you-print-failed",
                  app -> finish(app, language),
                  services -> services.withTickets(failingDesk())),
              language.tag()));
      written.add(
          render(
              stage,
              new Shot(
                  "staff-panel",
                  app -> {
                    if (language != Language.FR) {
                      toQuestion(app, language, 0, -1);
                    } else {
                      finish(app, language);
                      tap(app, KioskFlowModel::done);
                    }
                    openPanel(app);
                  }),
              language.tag()));
    }
    written.add(
        render(
            stage,
            new Shot("tablet-home", app -> {}, s -> s.withMode(KioskApp.Mode.TABLET)),
            "fr"));
    written.add(
        render(
            stage,
            new Shot(
                "tablet-home-after-survey",
                app -> {
                  finish(app, Language.FR);
                  tap(app, KioskFlowModel::done);
                },
                s -> s.withMode(KioskApp.Mode.TABLET)),
            "fr"));
    // Who is missing, as a hub would say it, on the facilitator's home (decision 0040).
    if (event.population().isPresent()) {
      for (Language language : List.of(Language.FR, Language.AR)) {
        written.add(
            render(
                stage,
                new Shot(
                    "tablet-home-missing",
                    app -> tap(app, f -> f.homeLanguage(language)),
                    s -> s.withMode(KioskApp.Mode.TABLET).withMissing(missingSample())),
                language.tag()));
      }
    }
    return written;
  }

  /**
   * The event's population with nobody from its first age band and neighbourhood, 3 from the second
   * age band and 25 from every other: the home then names three groups.
   */
  private WhoIsMissing missingSample() {
    Population population = event.population().orElseThrow();
    Map<String, Long> ages = new LinkedHashMap<>();
    int i = 0;
    for (String id : population.ageBands().values().keySet()) {
      ages.put(id, i == 0 ? 0L : i == 1 ? 3L : 25L);
      i++;
    }
    Map<String, Long> areas = new LinkedHashMap<>();
    i = 0;
    for (String id : population.areas().values().keySet()) {
      areas.put(id, i == 0 ? 0L : 25L);
      i++;
    }
    WhoIsMissing missing = new WhoIsMissing(event);
    missing.relayed(missing.topic(), new ProfileCounts(event.id(), ages, areas).encode());
    return missing;
  }

  private List<Shot> shots(Language language) {
    List<Shot> shots = new ArrayList<>();
    shots.add(new Shot("language", app -> tap(app, f -> f.start())));
    shots.add(new Shot("question-1-single", app -> toQuestion(app, language, 0, 1)));
    shots.add(new Shot("question-2-multiple", app -> toQuestion(app, language, 1, 2)));
    shots.add(
        new Shot(
            "question-2-multiple-limit",
            app -> {
              toQuestion(app, language, 1, 2);
              tap(app, f -> f.question().tap(f.question().choices().get(0).id()));
            }));
    shots.add(new Shot("question-3-scale", app -> toQuestion(app, language, 2, 3)));
    shots.add(new Shot("question-4-yesno", app -> toQuestion(app, language, 3, -1)));
    shots.add(
        new Shot(
            "question-5-ranking",
            app -> {
              toQuestion(app, language, 4, 2);
              tap(app, f -> f.question().tap(f.question().choices().get(0).id()));
            }));
    shots.add(
        new Shot(
            "question-6-map",
            app -> {
              toQuestion(app, language, 5, -1);
              tap(app, f -> f.question().tapMap(480, 470));
            }));
    shots.add(
        new Shot(
            "question-7-text",
            app -> {
              toQuestion(app, language, 6, -1);
              String typed = language == Language.AR ? "سوق جميل" : "Plus de bancs à l'ombre";
              tap(app, f -> f.question().keyboard().type(typed));
            }));
    shots.add(
        new Shot(
            "still-there",
            app -> {
              toQuestion(app, language, 0, 0);
              wait(app, event.timeouts().inactivity().plusSeconds(3));
            }));
    shots.add(
        new Shot(
            "idea",
            app -> {
              toIdea(app, language);
              typeIdea(app, language);
            }));
    shots.add(
        new Shot(
            "profile",
            app -> {
              toIdea(app, language);
              tap(app, KioskFlowModel::skipIdea);
              tap(app, f -> f.profile().ages().tap(f.profile().ages().items().get(2).id()));
            }));
    shots.add(
        new Shot(
            "thank-you",
            app -> {
              toQuestion(app, language, event.defaultPoll().questions().size() - 1, -1);
              tap(app, f -> f.question().keyboard().type("Merci"));
              tap(app, KioskFlowModel::next);
              pastIdeaAndProfile(app);
            }));
    return shots;
  }

  /**
   * Through every question, a choice ticked on the first, past the idea and "who are you" screens,
   * to the thank-you screen.
   */
  private void finish(Driver app, Language language) {
    toIdea(app, language);
    pastIdeaAndProfile(app);
  }

  /** Through every question, a choice ticked on the first, to the screen after the last one. */
  private void toIdea(Driver app, Language language) {
    int last = event.defaultPoll().questions().size() - 1;
    tap(app, KioskFlowModel::start);
    tap(app, f -> f.chooseLanguage(language));
    tap(app, f -> f.question().tap(f.question().choices().get(0).id()));
    for (int i = 0; i <= last; i++) {
      tap(app, KioskFlowModel::next);
    }
  }

  /** Skips the idea and the "who are you" screens where the event has them. */
  private static void pastIdeaAndProfile(Driver app) {
    if (app.flow().screen() == KioskFlowModel.Screen.IDEA) {
      tap(app, KioskFlowModel::skipIdea);
    }
    if (app.flow().screen() == KioskFlowModel.Screen.PROFILE) {
      tap(app, KioskFlowModel::skipProfile);
    }
  }

  private static TicketDesk failingDesk() {
    return new TicketDesk(
        failingPrinter(), "memory", Runnable::run, Runnable::run, CLAIM_HOST, ZoneOffset.UTC);
  }

  private static MemoryTicketPrinter failingPrinter() {
    MemoryTicketPrinter printer = new MemoryTicketPrinter();
    printer.failWith("no paper");
    return printer;
  }

  private static void openPanel(Driver app) {
    app.app().staff().cornerPressed();
    wait(app, Duration.ofSeconds(4));
    for (char c : PIN.toCharArray()) {
      app.app().staff().digit(c - '0');
    }
    app.app().staff().submit();
  }

  /** To question {@code index}, with its choice number {@code choice} ticked (-1: none). */
  private static void toQuestion(Driver app, Language language, int index, int choice) {
    tap(app, KioskFlowModel::start);
    tap(app, f -> f.chooseLanguage(language));
    for (int i = 0; i < index; i++) {
      tap(app, KioskFlowModel::next);
    }
    if (choice >= 0) {
      tap(app, f -> f.question().tap(f.question().choices().get(choice).id()));
    }
  }

  /** Types a short idea on the idea screen's keyboard and picks the second theme. */
  private static void typeIdea(Driver app, Language language) {
    var idea = app.flow().idea();
    idea.keyboard().type(language == Language.AR ? "مقاعد" : "Des bancs");
    idea.focus(terrain.kiosk.ui.idea.IdeaModel.Field.TEXT);
    idea.keyboard()
        .type(
            language == Language.AR
                ? "مقاعد في الظل قرب النافورة"
                : "Quelques bancs à l'ombre près de la fontaine, pour les personnes âgées");
    if (idea.themes().items().size() > 1) {
      tap(app, f -> f.idea().themes().tap(f.idea().themes().items().get(1).id()));
    }
  }

  private static void tapTextSize(Driver app, int times) {
    for (int i = 0; i < times; i++) {
      tap(app, KioskFlowModel::switchTextSize);
    }
  }

  private static void openPin(Driver app) {
    app.app().staff().cornerPressed();
    wait(app, Duration.ofSeconds(4));
    app.app().staff().digit(1);
    app.app().staff().digit(2);
  }

  private static void tap(Driver app, Consumer<KioskFlowModel> command) {
    wait(app, Duration.ofSeconds(1));
    app.flow().touched();
    command.accept(app.flow());
  }

  private static void wait(Driver app, Duration duration) {
    app.time().advance(duration);
  }

  private Path render(Stage stage, Shot shot, String lang) throws Exception {
    String name = shot.name() + "-" + lang;
    ManualTime time = new ManualTime();
    try (KioskEngine engine =
        KioskEngine.open(
            dataRoot.resolve(name),
            Optional.empty(),
            time,
            new SplittableRandom(name.hashCode()))) {
      KioskApp.Services services =
          shot.setup()
              .apply(
                  KioskApp.Services.inMemory(engine)
                      .withTickets(
                          new TicketDesk(
                              new MemoryTicketPrinter(),
                              "memory",
                              Runnable::run,
                              Runnable::run,
                              CLAIM_HOST,
                              java.time.ZoneOffset.UTC)));
      KioskApp app =
          new KioskApp(engine, event, KioskSettings.withPin(PIN), time, time, () -> {}, services);
      Scene scene = app.scene(WIDTH, HEIGHT);
      stage.setScene(scene);
      stage.show();
      shot.steps().accept(new Driver(app, time));
      KioskView root = (KioskView) scene.getRoot();
      if (root.currentScreen() instanceof AttractView attract) {
        attract.stopAnimation();
      }
      scene.getRoot().applyCss();
      scene.getRoot().layout();
      WritableImage image = scene.snapshot(null);
      Path file = out.resolve("kiosk-" + name + ".png");
      ImageIO.write(toBuffered(image), "png", file.toFile());
      return file;
    }
  }

  static BufferedImage toBuffered(WritableImage image) throws IOException {
    int w = (int) image.getWidth();
    int h = (int) image.getHeight();
    int[] pixels = new int[w * h];
    image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), pixels, 0, w);
    BufferedImage buffered = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    buffered.setRGB(0, 0, w, h, pixels, 0, w);
    return buffered;
  }
}
