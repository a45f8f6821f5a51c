// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.util.function.Supplier;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableValue;
import javafx.geometry.NodeOrientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.TouchEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import terrain.kiosk.ui.attract.AttractView;
import terrain.kiosk.ui.idea.IdeaView;
import terrain.kiosk.ui.language.LanguageView;
import terrain.kiosk.ui.profile.ProfileView;
import terrain.kiosk.ui.question.QuestionView;
import terrain.kiosk.ui.staff.PinView;
import terrain.kiosk.ui.staff.StaffExitModel;
import terrain.kiosk.ui.staff.StaffPanelModel;
import terrain.kiosk.ui.staff.StaffPanelView;
import terrain.kiosk.ui.tablet.TabletHomeModel;
import terrain.kiosk.ui.tablet.TabletHomeView;
import terrain.kiosk.ui.thanks.ThankYouView;
import terrain.kiosk.ui.workshop.WorkshopModel;
import terrain.kiosk.ui.workshop.WorkshopView;

/**
 * The whole kiosk screen: a top bar (the staff corner, the text size switch), the current screen of
 * the resident flow, and the overlays ("Encore là ?", the staff PIN pad). It lays out from right to
 * left for a right-to-left language and follows the model's text size.
 */
final class KioskView extends StackPane {
  private final KioskFlowModel model;
  private final StaffExitModel staff;
  private final TabletHomeModel home;
  private final WorkshopModel workshop;
  private final BorderPane frame = new BorderPane();

  /**
   * @param panel the staff panel the PIN opens
   * @param home the tablet's home screen in place of the attract screen, null in kiosk mode
   * @param workshop the tablet's workshop, shown instead of its home while on; null: none
   */
  public KioskView(
      KioskFlowModel model,
      StaffExitModel staff,
      StaffPanelModel panel,
      TabletHomeModel home,
      WorkshopModel workshop) {
    this.model = model;
    this.staff = staff;
    this.home = home;
    this.workshop = workshop;
    getStyleClass().addAll("kiosk-root", model.textSize().styleClass());

    Region corner = new Region();
    corner.setId("staff-corner");
    corner.getStyleClass().add("staff-corner");
    corner.setOnMousePressed(e -> staff.cornerPressed());
    corner.setOnMouseReleased(e -> staff.cornerReleased());
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    Button textSize = new Button();
    textSize.setId("text-size");
    textSize.getStyleClass().addAll("secondary", "text-size");
    textSize.textProperty().bind(model.messagesProperty().map(m -> "A⁺ " + m.text("textsize")));
    textSize.setOnAction(e -> model.switchTextSize());
    HBox bar = new HBox(corner, gap, textSize);
    bar.getStyleClass().add("top-bar");
    bar.setAlignment(Pos.CENTER);
    frame.setTop(bar);

    // The overlays are built the first time they show: styling and laying out all three, hidden,
    // took about 180 ms of the kiosk's first frame (issue 14). Each has its place in the stack
    // from the start, so they still cover one another in this order.
    getChildren()
        .addAll(
            frame,
            whenFirstShown(model.stillThereProperty(), () -> new StillThereView(model)),
            whenFirstShown(
                staff.padVisibleProperty(), () -> new PinView(staff, model.messagesProperty())),
            whenFirstShown(panel.openProperty(), () -> new StaffPanelView(panel)));

    addEventFilter(MouseEvent.MOUSE_PRESSED, e -> model.touched());
    addEventFilter(TouchEvent.TOUCH_PRESSED, e -> model.touched());
    addEventFilter(KeyEvent.KEY_PRESSED, e -> model.touched());

    model.screenProperty().addListener((obs, was, now) -> showScreen());
    if (workshop != null) {
      workshop
          .screenProperty()
          .addListener(
              (obs, was, now) -> {
                if (model.screen() == KioskFlowModel.Screen.ATTRACT
                    && (was == WorkshopModel.Screen.OFF || now == WorkshopModel.Screen.OFF)) {
                  showScreen();
                }
              });
    }
    model
        .questionProperty()
        .addListener(
            (obs, was, now) -> {
              if (model.screen() == KioskFlowModel.Screen.QUESTION) {
                showScreen();
              }
            });
    model
        .textSizeProperty()
        .addListener(
            (obs, was, now) -> {
              getStyleClass().remove(was.styleClass());
              getStyleClass().add(now.styleClass());
            });
    model
        .languageProperty()
        .addListener(
            (obs, was, now) -> {
              orient(now);
              // The tablet's home in the language the facilitator chose (its texts are built once).
              if (home != null
                  && model.screen() == KioskFlowModel.Screen.ATTRACT
                  && (workshop == null || workshop.screen() == WorkshopModel.Screen.OFF)) {
                showScreen();
              }
            });
    orient(model.language());
    showScreen();
  }

  /**
   * The place of an overlay in the stack: empty, and not hit by touches, until {@code shown} first
   * turns true; then the overlay {@code view} makes, which follows {@code shown} by itself.
   */
  static Node whenFirstShown(ObservableBooleanValue shown, Supplier<Node> view) {
    StackPane place = new StackPane();
    place.setPickOnBounds(false);
    if (shown.get()) {
      place.getChildren().add(view.get());
      return place;
    }
    shown.addListener(
        new ChangeListener<Boolean>() {
          @Override
          public void changed(ObservableValue<? extends Boolean> value, Boolean was, Boolean now) {
            if (now) {
              shown.removeListener(this);
              place.getChildren().add(view.get());
            }
          }
        });
    return place;
  }

  private void orient(Language language) {
    setNodeOrientation(
        language.rightToLeft() ? NodeOrientation.RIGHT_TO_LEFT : NodeOrientation.LEFT_TO_RIGHT);
  }

  private void showScreen() {
    Node screen =
        switch (model.screen()) {
          case ATTRACT -> home == null ? new AttractView(model) : homeScreen();
          case LANGUAGE -> new LanguageView(model);
          case QUESTION ->
              model.question() == null ? null : new QuestionView(model, model.question());
          case IDEA -> model.idea() == null ? null : new IdeaView(model, model.idea());
          case PROFILE -> model.profile() == null ? null : new ProfileView(model, model.profile());
          case THANK_YOU -> new ThankYouView(model);
        };
    if (screen != null) {
      frame.setCenter(screen);
    }
  }

  private Node homeScreen() {
    if (workshop != null && workshop.screen() != WorkshopModel.Screen.OFF) {
      return new WorkshopView(workshop, staff);
    }
    return new TabletHomeView(home, staff, workshop);
  }

  /** The screen showing now, e.g. for a screenshot. */
  public Node currentScreen() {
    return frame.getCenter();
  }
}
