// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.profile;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import terrain.kiosk.ui.KioskFlowModel;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.ScreenParts;
import terrain.kiosk.ui.pick.PickGrid;

/**
 * The optional "who are you" screen: why it is asked and that it is anonymous, the age bands, the
 * neighbourhoods, and back, "Passer" and "Terminer".
 */
public final class ProfileView extends VBox {

  public ProfileView(KioskFlowModel flow, ProfileModel model) {
    Messages texts = flow.messages();
    Language language = flow.language();
    getStyleClass().addAll("screen", "profile-screen");

    HBox heading = ScreenParts.heading("☺", texts.text("profile.title"), null);
    Label why = new Label(texts.text("profile.why"));
    why.setId("profile-why");
    why.getStyleClass().add("why");
    why.setWrapText(true);
    why.setMinHeight(Region.USE_PREF_SIZE);
    HBox.setHgrow(why, Priority.ALWAYS);
    HBox whyBox = new HBox(why);
    whyBox.getStyleClass().add("why-box");
    whyBox.setAlignment(Pos.CENTER_LEFT);

    Label ageLabel = new Label(texts.text("profile.age"));
    ageLabel.getStyleClass().add("field-label");
    PickGrid ages = new PickGrid(model.ages(), 3, "age-", language);
    VBox body = new VBox(heading, whyBox, ageLabel, ages);
    if (!model.areas().isEmpty()) {
      Label areaLabel = new Label(texts.text("profile.area"));
      areaLabel.getStyleClass().add("field-label");
      PickGrid areas = new PickGrid(model.areas(), 3, "area-", language);
      body.getChildren().addAll(areaLabel, areas);
    }
    Label problem = ScreenParts.problem(flow);
    body.getChildren().add(problem);
    body.getStyleClass().addAll("question-body", "profile-body");
    ScrollPane scroll = ScreenParts.scroll(body);

    HBox nav =
        ScreenParts.backSkipConfirm(
            flow,
            new ScreenParts.NavButton("profile-skip", "profile.skip", flow::skipProfile),
            new ScreenParts.NavButton("profile-done", "profile.done", flow::finishProfile),
            model.answeredProperty());
    getChildren().addAll(scroll, nav);
  }
}
