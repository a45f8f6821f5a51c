// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.keyboard;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.geometry.NodeOrientation;
import javafx.scene.control.Button;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * An on-screen keyboard that only binds a {@link KeyboardModel}: one large button per key, rows
 * that fill the width, shift and backspace with a sign and their name for screen readers. Each key
 * is a button, so it is reached with Tab and pressed with Space or Enter too. Keys stand left to
 * right in every language, as on a real keyboard.
 */
public final class KeyboardView extends VBox {
  private static final PseudoClass ON = PseudoClass.getPseudoClass("on");

  /**
   * @param names the spoken names of the special keys: shift, space, backspace, switch
   */
  public KeyboardView(KeyboardModel model, List<String> names) {
    getStyleClass().add("keyboard");
    setId("keyboard");
    // A keyboard is a layout of keys, not text: never mirrored. Arabic phone and desk keyboards
    // have ض at the top left and backspace at the right too.
    setNodeOrientation(NodeOrientation.LEFT_TO_RIGHT);
    build(model, names);
    model.layoutProperty().addListener((obs, was, now) -> build(model, names));
  }

  private void build(KeyboardModel model, List<String> names) {
    getChildren().clear();
    for (List<Key> row : model.rows()) {
      HBox line = new HBox();
      line.getStyleClass().add("keyboard-row");
      for (Key key : row) {
        Button button = new Button();
        button.setId(key.id());
        button.getStyleClass().add("key");
        button.setMaxWidth(Double.MAX_VALUE);
        button.setFocusTraversable(true);
        HBox.setHgrow(button, Priority.ALWAYS);
        switch (key.kind()) {
          case CHARACTER -> {
            button
                .textProperty()
                .bind(Bindings.createStringBinding(() -> model.label(key), model.shiftProperty()));
            button.disableProperty().bind(model.fullProperty());
          }
          case SHIFT -> {
            button.setText("⇧");
            button.getStyleClass().add("key-shift");
            button.setAccessibleText(names.get(0));
            model
                .shiftProperty()
                .addListener((obs, was, now) -> button.pseudoClassStateChanged(ON, now));
            button.pseudoClassStateChanged(ON, model.isShift());
          }
          case SPACE -> {
            button.setText(names.get(1));
            button.getStyleClass().add("key-space");
            button.setAccessibleText(names.get(1));
            button.disableProperty().bind(model.fullProperty());
          }
          case BACKSPACE -> {
            button.setText("⌫");
            button.getStyleClass().add("key-backspace");
            button.setAccessibleText(names.get(2));
          }
          case SWITCH -> {
            // Names the script it goes to, in that script.
            button.setText(
                model.otherLayout().orElseThrow() == KeyboardLayout.ARABIC ? "عربي" : "ABC");
            button.getStyleClass().add("key-switch");
            button.setAccessibleText(names.get(3));
          }
        }
        button.setOnAction(e -> model.press(key));
        line.getChildren().add(button);
      }
      getChildren().add(line);
    }
  }
}
