// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.question;

import javafx.beans.binding.Bindings;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.keyboard.KeyboardModel;
import terrain.kiosk.ui.keyboard.KeyboardView;

/**
 * The answer area of a text question: what is typed so far (with a caret and a counter of the
 * characters left), and the on-screen keyboard. The field takes focus too: a physical keyboard
 * types into it.
 */
final class TextAnswerView extends VBox {

  TextAnswerView(KeyboardModel keyboard, Messages texts) {
    getStyleClass().add("text-answer");
    Label field = new Label();
    field.setId("typed-text");
    field.getStyleClass().add("typed-text");
    field.setWrapText(true);
    field.setMaxWidth(Double.MAX_VALUE);
    field.setMinHeight(Region.USE_PREF_SIZE);
    field.setFocusTraversable(true);
    field.setAccessibleText(texts.text("text.field"));
    field
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () ->
                    keyboard.text().isEmpty()
                        ? "▏" + texts.text("text.placeholder")
                        : keyboard.text() + "▏",
                keyboard.textProperty()));
    field
        .styleProperty()
        .bind(
            Bindings.when(keyboard.textProperty().isEmpty())
                .then("-fx-text-fill: #555555;")
                .otherwise(""));
    field.addEventHandler(
        KeyEvent.KEY_TYPED,
        e -> {
          if (keyboard.type(e.getCharacter())) {
            e.consume();
          }
        });
    field.addEventHandler(
        KeyEvent.KEY_PRESSED,
        e -> {
          if (e.getCode() == KeyCode.BACK_SPACE) {
            keyboard.type("\b");
            e.consume();
          }
        });
    field.setOnMouseClicked(e -> field.requestFocus());
    HBox.setHgrow(field, Priority.ALWAYS);

    Label counter = new Label();
    counter.setId("text-counter");
    counter.getStyleClass().add("text-counter");
    counter
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () ->
                    (keyboard.isFull() ? "⚠ " : "")
                        + texts.format(
                            "text.counter", keyboard.maxLength() - keyboard.lengthProperty().get()),
                keyboard.lengthProperty(),
                keyboard.fullProperty()));
    counter.setMinWidth(Region.USE_PREF_SIZE);
    HBox top = new HBox(field, counter);
    top.getStyleClass().add("typed-row");
    KeyboardView keys = new KeyboardView(keyboard, texts, KeyboardView.Placement.ANSWER);
    getChildren().addAll(top, keys);
  }
}
