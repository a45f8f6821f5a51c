// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.pick;

import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.TextWrap;

/**
 * The choices of a {@link SinglePick} as large buttons in a grid of equal columns, each with a
 * round tick beside its words (filled when picked: the shape tells, not only the colour).
 */
public final class PickGrid extends GridPane {
  private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");

  /**
   * @param idPrefix the buttons' ids are this and the choice's id, e.g. {@code age-18-29}
   */
  public PickGrid(SinglePick pick, int columns, String idPrefix, Language language) {
    getStyleClass().add("pick-grid");
    for (int c = 0; c < columns; c++) {
      ColumnConstraints column = new ColumnConstraints();
      column.setPercentWidth(100.0 / columns);
      column.setHgrow(Priority.ALWAYS);
      column.setFillWidth(true);
      getColumnConstraints().add(column);
    }
    int i = 0;
    for (SinglePick.Item item : pick.items()) {
      Button button = new Button(words(item, language));
      button.setId(idPrefix + item.id());
      button.getStyleClass().addAll("choice", "pick-choice");
      button.setWrapText(true);
      button.setMaxWidth(Double.MAX_VALUE);
      button.setMaxHeight(Double.MAX_VALUE);
      button.setMinHeight(Region.USE_PREF_SIZE);
      Label tick = new Label();
      tick.getStyleClass().add("tick");
      tick.textProperty().bind(Bindings.when(item.selectedProperty()).then("●").otherwise("○"));
      button.setGraphic(tick);
      TextWrap.bindOnButton(button, words(item, language));
      button.pseudoClassStateChanged(SELECTED, item.isSelected());
      item.selectedProperty()
          .addListener((obs, was, now) -> button.pseudoClassStateChanged(SELECTED, now));
      button.setOnAction(e -> pick.tap(item.id()));
      add(button, i % columns, i / columns);
      i++;
    }
  }

  /**
   * Words of the event file that have no translation in a right-to-left screen are French:
   * left-to-right marks keep their punctuation in place.
   */
  static String words(SinglePick.Item item, Language language) {
    return item.fromEvent()
        ? TextWrap.onScreen(item.label(), language.rightToLeft())
        : item.label();
  }
}
