// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.staff;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.geometry.NodeOrientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.keyboard.KeyboardView;

/** The staff PIN pad (the kiosk's keyboard with digits), over the resident screens while open. */
public final class PinView extends StackPane {

  public PinView(StaffExitModel model, ObservableValue<Messages> messages) {
    getStyleClass().add("overlay");
    setNodeOrientation(NodeOrientation.LEFT_TO_RIGHT);
    visibleProperty().bind(model.padVisibleProperty());
    managedProperty().bind(visibleProperty());

    Label title = new Label();
    title.textProperty().bind(text(messages, "staff.title"));
    title.getStyleClass().add("screen-title");
    Label prompt = new Label();
    prompt.textProperty().bind(text(messages, "staff.prompt"));
    Label dots = new Label();
    dots.setId("pin-dots");
    dots.getStyleClass().add("pin-dots");
    dots.textProperty()
        .bind(
            Bindings.createStringBinding(
                () -> "●".repeat(model.enteredLengthProperty().get()),
                model.enteredLengthProperty()));
    Label wrong = new Label();
    wrong.getStyleClass().add("problem");
    wrong.textProperty().bind(text(messages, "staff.wrong").map(t -> "⚠ " + t));
    wrong
        .visibleProperty()
        .bind(model.wrongPinProperty().and(model.lockedSecondsProperty().isEqualTo(0)));
    wrong
        .managedProperty()
        .bind(wrong.visibleProperty().or(model.lockedSecondsProperty().isEqualTo(0)));
    Label locked = new Label();
    locked.setId("pin-locked");
    locked.getStyleClass().add("problem");
    locked.setWrapText(true);
    locked
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () ->
                    "⏳ "
                        + messages
                            .getValue()
                            .format(
                                "staff.locked",
                                minutesSeconds(model.lockedSecondsProperty().get())),
                messages,
                model.lockedSecondsProperty()));
    locked.visibleProperty().bind(model.lockedSecondsProperty().greaterThan(0));
    locked.managedProperty().bind(locked.visibleProperty());

    Label checking = new Label();
    checking.setId("pin-checking");
    checking.textProperty().bind(text(messages, "staff.checking"));
    checking.visibleProperty().bind(model.checkingProperty());
    checking.managedProperty().bind(checking.visibleProperty());

    KeyboardView keys = new KeyboardView(model.pad(), messages, KeyboardView.Placement.PIN);
    keys.setMaxWidth(USE_PREF_SIZE);
    keys.disableProperty()
        .bind(model.lockedSecondsProperty().greaterThan(0).or(model.checkingProperty()));
    Button cancel = new Button();
    cancel.setId("pin-cancel");
    cancel.getStyleClass().add("secondary");
    cancel.textProperty().bind(text(messages, "staff.cancel"));
    cancel.setOnAction(e -> model.cancel());

    VBox card = new VBox(title, prompt, dots, wrong, locked, checking, keys, cancel);
    card.getStyleClass().add("card");
    card.setAlignment(Pos.CENTER);
    card.setMaxSize(USE_PREF_SIZE, USE_PREF_SIZE);
    getChildren().add(card);
  }

  /** {@code 0:30}, {@code 14:05}: the wait, written the same in every language. */
  static String minutesSeconds(long seconds) {
    return seconds / 60 + ":" + String.format(java.util.Locale.ROOT, "%02d", seconds % 60);
  }

  private static ObservableValue<String> text(ObservableValue<Messages> messages, String key) {
    return messages.map(m -> m.text(key));
  }
}
