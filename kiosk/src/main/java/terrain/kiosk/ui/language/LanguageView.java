// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.language;

import javafx.geometry.NodeOrientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import terrain.kiosk.ui.KioskFlowModel;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.Messages;

/** The language choice: each language named in itself, the title in every language. */
public final class LanguageView extends VBox {

  public LanguageView(KioskFlowModel model) {
    getStyleClass().addAll("screen", "language-screen");
    setAlignment(Pos.CENTER);
    VBox titles = new VBox();
    titles.getStyleClass().add("language-titles");
    titles.setAlignment(Pos.CENTER);
    VBox buttons = new VBox();
    buttons.getStyleClass().add("language-buttons");
    buttons.setAlignment(Pos.CENTER);
    for (Language language : Language.values()) {
      Label title = new Label(Messages.of(language).text("language.title"));
      title.getStyleClass().add(language == model.language() ? "screen-title" : "language-title");
      title.setNodeOrientation(orientation(language));
      titles.getChildren().add(title);

      Button choose = new Button(language.nativeName());
      choose.setId("lang-" + language.tag());
      choose.getStyleClass().addAll("choice", "language-choice");
      choose.setNodeOrientation(orientation(language));
      choose.setMaxWidth(Double.MAX_VALUE);
      choose.setOnAction(e -> model.chooseLanguage(language));
      buttons.getChildren().add(choose);
    }
    getChildren().addAll(titles, buttons);
  }

  private static NodeOrientation orientation(Language language) {
    return language.rightToLeft() ? NodeOrientation.RIGHT_TO_LEFT : NodeOrientation.LEFT_TO_RIGHT;
  }
}
