// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;

/** "Encore là ?": over the screen after a while without a touch, with the seconds left. */
final class StillThereView extends StackPane {

  public StillThereView(KioskFlowModel model) {
    getStyleClass().add("overlay");
    visibleProperty().bind(model.stillThereProperty());
    managedProperty().bind(visibleProperty());

    Label title = new Label();
    title.getStyleClass().add("screen-title");
    title.textProperty().bind(model.messagesProperty().map(m -> m.text("still.title")));
    Label seconds = new Label();
    seconds.setId("countdown-seconds");
    seconds.getStyleClass().add("countdown-seconds");
    seconds.textProperty().bind(model.secondsLeftProperty().asString());
    Circle ring = new Circle();
    ring.getStyleClass().add("countdown-ring");
    ring.radiusProperty().bind(seconds.fontProperty().map(f -> f.getSize() * 0.9));
    StackPane clock = new StackPane(ring, seconds);
    Label countdown = new Label();
    countdown.setId("countdown");
    countdown.getStyleClass().add("countdown");
    countdown.setWrapText(true);
    countdown
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () -> model.messages().format("still.countdown", model.secondsLeftProperty().get()),
                model.messagesProperty(),
                model.secondsLeftProperty()));
    Button carryOn = new Button();
    carryOn.setId("still-here");
    carryOn.getStyleClass().addAll("primary", "still-continue");
    carryOn.textProperty().bind(model.messagesProperty().map(m -> m.text("still.continue")));
    carryOn.setOnAction(e -> model.stillHere());

    VBox card = new VBox(clock, title, countdown, carryOn);
    card.getStyleClass().add("card");
    card.setAlignment(Pos.CENTER);
    card.setMaxSize(USE_PREF_SIZE, USE_PREF_SIZE);
    getChildren().add(card);
  }
}
