// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.bench;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import terrain.kiosk.ui.KioskMain;

/**
 * The reference of {@code bench kiosk}: a JavaFX window as large as the kiosk's, holding one label,
 * started the way the kiosk starts (same JVM options, same display) and stopped on its first frame.
 * It has none of the kiosk's work (database, event, screens, fonts) and no class data sharing
 * archive of its own: the same work on any machine, whose time says how fast the machine is that
 * day. The kiosk's start divided by it is printed beside the start, as bench sync prints its drain
 * beside the machine's bare inserts.
 */
@Command(
    name = "bare-window",
    hidden = true,
    description = "A bare JavaFX window to its first frame (bench kiosk's reference).")
public final class BareWindow implements Callable<Integer> {
  @Option(names = "--headless")
  boolean headless;

  @Override
  public Integer call() throws Exception {
    if (headless) {
      KioskMain.useMonocle();
    }
    CountDownLatch shown = new CountDownLatch(1);
    Platform.setImplicitExit(false);
    Platform.startup(
        () -> {
          Stage stage = new Stage();
          stage.setTitle("Terrain");
          stage.setScene(new Scene(new StackPane(new Label("Terrain")), 1280, 800));
          // The line the bench waits for, as the kiosk prints it on its first frame.
          KioskMain.announceFirstFrame(shown::countDown);
          stage.show();
        });
    shown.await();
    Platform.exit();
    return 0;
  }
}
