// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.idea;

import java.util.List;
import javafx.geometry.NodeOrientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.Messages;

/**
 * A plain on-screen letter pad that types into a {@link TextEntry}: the rows of {@link
 * LetterPadLayout}, then a space bar and a key that rubs out. Keys never take the focus away from
 * the field being typed in, and are not filtered for repeats (a double letter is typed twice).
 */
public final class LetterPad extends VBox {

  public LetterPad(TextEntry entry, Language language, Messages texts) {
    getStyleClass().add("letter-pad");
    setAlignment(Pos.CENTER);
    // Keys stay in the order of the layout whatever the screen's direction; Arabic rows read
    // right to left in their own layout.
    setNodeOrientation(
        language.rightToLeft() ? NodeOrientation.RIGHT_TO_LEFT : NodeOrientation.LEFT_TO_RIGHT);
    List<List<String>> rows = LetterPadLayout.rows(language);
    for (int r = 0; r < rows.size(); r++) {
      HBox row = new HBox();
      row.getStyleClass().add("pad-row");
      row.setAlignment(Pos.CENTER);
      for (String key : rows.get(r)) {
        Button button = key(key, "pad-key");
        button.setId("key-" + Integer.toHexString(key.codePointAt(0)));
        button.setOnAction(e -> entry.type(key));
        row.getChildren().add(button);
      }
      if (r == rows.size() - 1) {
        Button space = key("␣ " + texts.text("pad.space"), "pad-space");
        space.setId("key-space");
        space.setOnAction(e -> entry.type(" "));
        HBox.setHgrow(space, Priority.ALWAYS);
        Button erase = key("⌫ " + texts.text("pad.erase"), "pad-erase");
        erase.setId("key-erase");
        erase.setOnAction(e -> entry.backspace());
        row.getChildren().addAll(space, erase);
      }
      getChildren().add(row);
    }
  }

  private static Button key(String text, String style) {
    Button button = new Button(text);
    button.getStyleClass().addAll("pad-key", style);
    button.setFocusTraversable(false);
    return button;
  }
}
