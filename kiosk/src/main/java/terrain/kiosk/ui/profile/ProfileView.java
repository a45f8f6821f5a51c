// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.profile;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import terrain.kiosk.ui.KioskFlowModel;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.Messages;
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

    Label sign = new Label("☺");
    sign.getStyleClass().add("screen-pictogram");
    Label title = new Label(texts.text("profile.title"));
    title.getStyleClass().add("screen-title");
    title.setWrapText(true);
    HBox heading = new HBox(sign, title);
    heading.getStyleClass().add("heading");
    heading.setAlignment(Pos.CENTER_LEFT);
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
    Label problem = new Label();
    problem.getStyleClass().add("problem");
    problem.setWrapText(true);
    problem.textProperty().bind(flow.problemProperty());
    problem.visibleProperty().bind(flow.problemProperty().isNotEmpty());
    problem.managedProperty().bind(problem.visibleProperty());
    body.getChildren().add(problem);
    body.getStyleClass().addAll("question-body", "profile-body");
    ScrollPane scroll = new ScrollPane(body);
    scroll.getStyleClass().add("question-scroll");
    scroll.setFitToWidth(true);
    scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
    scroll.setVbarPolicy(ScrollPane.ScrollBarPolicy.AS_NEEDED);
    VBox.setVgrow(scroll, Priority.ALWAYS);

    Button back = new Button(texts.text("nav.back"));
    back.setId("back");
    back.getStyleClass().add("secondary");
    back.setOnAction(e -> flow.back());
    Button skip = new Button(texts.text("profile.skip"));
    skip.setId("profile-skip");
    skip.getStyleClass().add("secondary");
    skip.setOnAction(e -> flow.skipProfile());
    Button done = new Button(texts.text("profile.done"));
    done.setId("profile-done");
    done.getStyleClass().add("primary");
    done.disableProperty().bind(model.answeredProperty().not());
    done.setOnAction(e -> flow.finishProfile());
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    HBox nav = new HBox(back, gap, skip, done);
    nav.getStyleClass().add("nav");
    nav.setAlignment(Pos.CENTER);
    getChildren().addAll(scroll, nav);
  }
}
