// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.time.Clock;
import java.util.Objects;
import javafx.scene.Scene;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import terrain.core.event.EventDefinition;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.ui.staff.StaffExitModel;

/**
 * The kiosk's screens wired together: the flow and staff models over the engine, their views, and
 * the stylesheet. A plain object rather than a JavaFX {@code Application}, so that {@link
 * KioskMain}, the tests and the screenshot command build it with {@code new} and pass it what it
 * needs.
 */
public final class KioskApp {
  /** The stylesheet of every kiosk screen. */
  public static final String STYLESHEET =
      Objects.requireNonNull(KioskApp.class.getResource("kiosk.css"), "kiosk.css is missing")
          .toExternalForm();

  private final KioskFlowModel flow;
  private final StaffExitModel staff;

  /**
   * @param clock times the taps (repeat-press filter)
   * @param scheduler runs the timeouts on the UI thread
   * @param exit what the staff PIN does
   */
  public KioskApp(
      KioskEngine engine,
      EventDefinition event,
      KioskSettings settings,
      Clock clock,
      UiScheduler scheduler,
      Runnable exit) {
    TapFilter taps = new TapFilter(clock, settings.tapWindow());
    this.flow = new KioskFlowModel(engine, event, settings, scheduler, taps);
    this.staff = new StaffExitModel(settings.staffPin(), settings.cornerHold(), scheduler, exit);
  }

  public KioskFlowModel flow() {
    return flow;
  }

  public StaffExitModel staff() {
    return staff;
  }

  /** A new scene of the kiosk's screens, {@code width} × {@code height} pixels. */
  public Scene scene(double width, double height) {
    Scene scene = new Scene(new KioskView(flow, staff), width, height);
    scene.getStylesheets().add(STYLESHEET);
    return scene;
  }

  /**
   * Shows the kiosk on {@code stage}. Full screen: no exit key, no hint, and closing the window is
   * refused (only the staff PIN leaves). Windowed: a 1280×800 window that closes normally.
   */
  public void show(Stage stage, boolean fullScreen, String title) {
    stage.setTitle(title);
    stage.setScene(scene(1280, 800));
    stage.show();
    if (fullScreen) {
      // After show(): some platforms (Monocle) have no window to make full screen before.
      stage.setFullScreenExitKeyCombination(KeyCombination.NO_MATCH);
      stage.setFullScreenExitHint("");
      stage.setFullScreen(true);
      stage.setOnCloseRequest(e -> e.consume());
    }
  }
}
