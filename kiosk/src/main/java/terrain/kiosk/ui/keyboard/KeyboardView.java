// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.keyboard;

import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;
import javafx.css.PseudoClass;
import javafx.geometry.NodeOrientation;
import javafx.scene.control.Button;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import terrain.kiosk.ui.Messages;

/**
 * The kiosk's one on-screen keyboard, for every key grid (text answers, the idea screen, the staff
 * PIN pad); it only binds a {@link KeyboardModel}: one large button per key, rows that fill the
 * width, shift and backspace with a sign and their name for screen readers. Keys stand left to
 * right in every language, as on a real keyboard.
 */
public final class KeyboardView extends VBox {
  private static final PseudoClass ON = PseudoClass.getPseudoClass("on");

  /** Where a keyboard sits, which sets its ids, its focus and the names of its special keys. */
  public enum Placement {
    /**
     * Under a text answer that is not a text field: each key is a button reached with Tab and
     * pressed with Space or Enter too.
     */
    ANSWER("keyboard", "key-", true, "key."),
    /**
     * Beside text fields (the idea screen): keys never take the focus from the field being typed
     * in, and Tab goes from field to field.
     */
    FIELDS("keyboard", "key-", false, "key."),
    /** The staff PIN pad, over any resident screen: ids of its own, staff words for its keys. */
    PIN("pin-pad", "pin-", true, "staff.key.");

    private final String id;
    private final String keyPrefix;
    private final boolean focus;
    private final String textPrefix;

    Placement(String id, String keyPrefix, boolean focus, String textPrefix) {
      this.id = id;
      this.keyPrefix = keyPrefix;
      this.focus = focus;
      this.textPrefix = textPrefix;
    }
  }

  private final KeyboardModel model;
  private final ObservableValue<Messages> messages;
  private final Placement placement;

  public KeyboardView(KeyboardModel model, Messages messages, Placement placement) {
    this(model, new SimpleObjectProperty<>(messages), placement);
  }

  /**
   * @param messages the words of the special keys, in the language on screen
   */
  public KeyboardView(
      KeyboardModel model, ObservableValue<Messages> messages, Placement placement) {
    this.model = model;
    this.messages = messages;
    this.placement = placement;
    getStyleClass().addAll("keyboard", "keyboard-" + placement.name().toLowerCase(Locale.ROOT));
    setId(placement.id);
    // A keyboard is a layout of keys, not text: never mirrored. Arabic phone and desk keyboards
    // have ض at the top left and backspace at the right too.
    setNodeOrientation(NodeOrientation.LEFT_TO_RIGHT);
    build();
    model.layoutProperty().addListener((obs, was, now) -> build());
  }

  private ObservableValue<String> name(String key) {
    return messages.map(m -> m.text(placement.textPrefix + key));
  }

  private void build() {
    getChildren().clear();
    for (List<Key> row : model.rows()) {
      HBox line = new HBox();
      line.getStyleClass().add("keyboard-row");
      for (Key key : row) {
        line.getChildren().add(button(key));
      }
      getChildren().add(line);
    }
  }

  private Button button(Key key) {
    Button button = new Button();
    button.setId(key.id(placement.keyPrefix));
    button.getStyleClass().add("key");
    button.setMaxWidth(Double.MAX_VALUE);
    button.setFocusTraversable(placement.focus);
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
        button.accessibleTextProperty().bind(name("shift"));
        model
            .shiftProperty()
            .addListener((obs, was, now) -> button.pseudoClassStateChanged(ON, now));
        button.pseudoClassStateChanged(ON, model.isShift());
      }
      case SPACE -> {
        button.textProperty().bind(name("space"));
        button.getStyleClass().add("key-space");
        button.accessibleTextProperty().bind(name("space"));
        button.disableProperty().bind(model.fullProperty());
      }
      case BACKSPACE -> {
        button.setText("⌫");
        button.getStyleClass().add("key-backspace");
        button.accessibleTextProperty().bind(name("backspace"));
      }
      case SWITCH -> {
        // Names the script it goes to, in that script.
        button.setText(model.otherLayout().orElseThrow().isArabic() ? "عربي" : "ABC");
        button.getStyleClass().add("key-switch");
        button.accessibleTextProperty().bind(name("switch"));
      }
      case ENTER -> {
        button.textProperty().bind(name("enter"));
        button.getStyleClass().addAll("key-enter", "primary");
        button.accessibleTextProperty().bind(name("enter"));
      }
    }
    button.setOnAction(e -> model.press(key));
    return button;
  }
}
