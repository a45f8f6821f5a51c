// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The pieces the optional screens (idea, profile) build alike: the heading with its pictogram, the
 * problem line, the scrolling body and the bottom bar of back, skip and confirm buttons. Only
 * nodes, style classes and bindings: the looks stay in the CSS.
 */
public final class ScreenParts {
  private ScreenParts() {}

  /** One button of the bottom bar: its id, its text key and what it does. */
  public record NavButton(String id, String textKey, Runnable action) {}

  /** The pictogram and the title side by side; the title gets {@code titleId} if not null. */
  public static HBox heading(String pictogram, String titleText, String titleId) {
    Label sign = new Label(pictogram);
    sign.getStyleClass().add("screen-pictogram");
    Label title = new Label(titleText);
    if (titleId != null) {
      title.setId(titleId);
    }
    title.getStyleClass().add("screen-title");
    title.setWrapText(true);
    HBox heading = new HBox(sign, title);
    heading.getStyleClass().add("heading");
    heading.setAlignment(Pos.CENTER_LEFT);
    return heading;
  }

  /** The flow's problem, shown only when there is one. */
  public static Label problem(KioskFlowModel flow) {
    Label problem = new Label();
    problem.getStyleClass().add("problem");
    problem.setWrapText(true);
    problem.textProperty().bind(flow.problemProperty());
    problem.visibleProperty().bind(flow.problemProperty().isNotEmpty());
    problem.managedProperty().bind(problem.visibleProperty());
    return problem;
  }

  /** The body in a scroll pane that grows in its column and scrolls only up and down. */
  public static ScrollPane scroll(Node body) {
    ScrollPane scroll = new ScrollPane(body);
    scroll.getStyleClass().add("question-scroll");
    scroll.setFitToWidth(true);
    scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
    scroll.setVbarPolicy(ScrollPane.ScrollBarPolicy.AS_NEEDED);
    VBox.setVgrow(scroll, Priority.ALWAYS);
    // The skin caches its viewport as a bitmap as big as the viewport (about 2.7 MB here), kept
    // with the screen: one per screen of each participation, they were most of the kiosk's live
    // heap with the software renderer (bench kiosk). Screens are redrawn only when they change.
    scroll
        .skinProperty()
        .addListener(
            (obs, was, skin) -> {
              Node viewport = scroll.lookup(".viewport");
              if (viewport != null) {
                viewport.setCache(false);
              }
            });
    return scroll;
  }

  /**
   * The bottom bar: "back" on one side, then the skip button and the confirm button, which is
   * enabled only while {@code confirmable} holds.
   */
  public static HBox backSkipConfirm(
      KioskFlowModel flow, NavButton skip, NavButton confirm, ObservableBooleanValue confirmable) {
    Messages texts = flow.messages();
    Button back = new Button(texts.text("nav.back"));
    back.setId("back");
    back.getStyleClass().add("secondary");
    back.setOnAction(e -> flow.back());
    Button skipButton = new Button(texts.text(skip.textKey()));
    skipButton.setId(skip.id());
    skipButton.getStyleClass().add("secondary");
    skipButton.setOnAction(e -> skip.action().run());
    Button confirmButton = new Button(texts.text(confirm.textKey()));
    confirmButton.setId(confirm.id());
    confirmButton.getStyleClass().add("primary");
    confirmButton.disableProperty().bind(Bindings.not(confirmable));
    confirmButton.setOnAction(e -> confirm.action().run());
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    HBox nav = new HBox(back, gap, skipButton, confirmButton);
    nav.getStyleClass().add("nav");
    nav.setAlignment(Pos.CENTER);
    return nav;
  }
}
