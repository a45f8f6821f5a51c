// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.attract;

import javafx.animation.Animation;
import javafx.animation.FadeTransition;
import javafx.animation.Interpolator;
import javafx.animation.ParallelTransition;
import javafx.animation.ScaleTransition;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.util.Duration;
import terrain.kiosk.ui.KioskFlowModel;
import terrain.kiosk.ui.Messages;

/**
 * The screen between residents: the event's title and a pulsing "touch to take part". A tap
 * anywhere starts; the button is there for keyboards and screen readers.
 */
public final class AttractView extends VBox {
  private final ParallelTransition pulse;

  public AttractView(KioskFlowModel model) {
    Messages texts = model.messages();
    getStyleClass().addAll("screen", "attract-screen");
    setAlignment(Pos.CENTER);

    Label title = new Label(model.eventTitle());
    title.getStyleClass().add("attract-title");
    title.setWrapText(true);
    Label place = new Label(model.event().place());
    place.getStyleClass().add("attract-place");

    Circle ring = new Circle();
    ring.getStyleClass().add("attract-ring");
    ring.radiusProperty().bind(title.fontProperty().map(f -> f.getSize() * 1.2));
    Label hand = new Label("☝");
    hand.getStyleClass().add("attract-hand");
    StackPane badge = new StackPane(ring, hand);
    badge.getStyleClass().add("attract-badge");

    Button call = new Button(texts.text("attract.call"));
    call.setId("start");
    call.getStyleClass().addAll("primary", "attract-call");
    call.setOnAction(e -> model.start());
    Label subtitle = new Label(texts.text("attract.subtitle"));
    subtitle.getStyleClass().add("attract-subtitle");

    getChildren().addAll(title, place, badge, call, subtitle);
    setOnMouseClicked(e -> model.start());

    ScaleTransition grow = new ScaleTransition(Duration.millis(1200), ring);
    grow.setFromX(0.85);
    grow.setFromY(0.85);
    grow.setToX(1.1);
    grow.setToY(1.1);
    FadeTransition glow = new FadeTransition(Duration.millis(1200), call);
    glow.setFromValue(1.0);
    glow.setToValue(0.75);
    pulse = new ParallelTransition(grow, glow);
    pulse.setAutoReverse(true);
    pulse.setCycleCount(Animation.INDEFINITE);
    pulse.setInterpolator(Interpolator.EASE_BOTH);
    sceneProperty()
        .addListener(
            (obs, was, scene) -> {
              if (scene == null) {
                pulse.stop();
              } else {
                pulse.play();
              }
            });
  }

  /** Stops the animation, e.g. before a still screenshot. */
  public void stopAnimation() {
    pulse.stop();
    for (javafx.animation.Animation part : pulse.getChildren()) {
      if (part instanceof ScaleTransition scale) {
        scale.getNode().setScaleX(1);
        scale.getNode().setScaleY(1);
      } else if (part instanceof FadeTransition fade) {
        fade.getNode().setOpacity(1);
      }
    }
  }
}
