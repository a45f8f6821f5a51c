// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.tablet;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import javafx.util.Subscription;
import terrain.core.event.Poll;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.Subscriptions;
import terrain.kiosk.ui.staff.StaffExitModel;
import terrain.kiosk.ui.workshop.WorkshopModel;

/** The facilitator's home screen of tablet mode: no animation, everything in reach. */
public final class TabletHomeView extends VBox {
  /** At most this many "who is missing" lines on the home, the most missing first. */
  static final int SHOWN_MISSING = 3;

  public TabletHomeView(TabletHomeModel model, StaffExitModel staff) {
    this(model, staff, null);
  }

  /**
   * @param workshop the event's workshop, offered as "Atelier"; null when the event has none
   */
  public TabletHomeView(TabletHomeModel model, StaffExitModel staff, WorkshopModel workshop) {
    Messages t = model.texts();
    getStyleClass().addAll("screen", "tablet-home");
    setAlignment(Pos.CENTER);

    Label kind = new Label(t.text("tablet.title"));
    kind.getStyleClass().add("tablet-kind");
    Label title = new Label(model.eventTitle());
    title.setId("tablet-event");
    title.getStyleClass().add("screen-title");
    title.setWrapText(true);
    Label place = new Label(model.place());

    Label pollName = new Label(t.text("tablet.poll"));
    pollName.getStyleClass().add("staff-name");
    FlowPane polls = new FlowPane();
    polls.getStyleClass().add("staff-buttons");
    polls.setAlignment(Pos.CENTER);
    for (Poll poll : model.polls()) {
      Button choose = new Button(model.pollTitle(poll));
      choose.setId("tablet-poll-" + poll.id());
      choose.getStyleClass().addAll("choice", "secondary");
      Subscription chosenMark =
          model
              .pollIdProperty()
              .subscribe(
                  id -> {
                    boolean chosen = poll.id().equals(id);
                    choose.getStyleClass().remove("selected");
                    if (chosen) {
                      choose.getStyleClass().add("selected");
                    }
                    choose.setText((chosen ? "✔ " : "") + model.pollTitle(poll));
                  });
      Subscriptions.untilRemoved(this, chosenMark);
      choose.setOnAction(e -> model.choosePoll(poll.id()));
      polls.getChildren().add(choose);
    }

    Button start = new Button("▶ " + t.text("tablet.start"));
    start.setId("start");
    start.getStyleClass().addAll("primary", "attract-call");
    start.setOnAction(e -> model.startSurvey());
    Label hint = new Label(t.text("tablet.hint"));
    hint.setWrapText(true);
    hint.getStyleClass().add("tablet-hint");

    Label today = new Label();
    today.setId("tablet-today");
    today.textProperty().bind(model.todayProperty().map(n -> t.format("tablet.today", n)));
    Label sync = new Label();
    sync.setId("tablet-sync");
    sync.setWrapText(true);
    sync.textProperty().bind(model.syncTextProperty());

    Button settings = new Button("⚙ " + t.text("tablet.staff"));
    settings.setId("tablet-staff");
    settings.getStyleClass().add("secondary");
    settings.setOnAction(e -> staff.openPad());

    // Who is missing, as the hub counts it: facilitators go toward these groups.
    Label missingTitle = new Label(t.text("tablet.missing"));
    missingTitle.getStyleClass().add("staff-name");
    VBox missingLines = new VBox();
    missingLines.getStyleClass().add("tablet-missing-lines");
    VBox missing = new VBox(missingTitle, missingLines);
    missing.setId("tablet-missing");
    missing.getStyleClass().add("tablet-missing");
    missing.setAlignment(Pos.CENTER);
    missing.managedProperty().bind(missing.visibleProperty());
    Subscription missingShown =
        model
            .missingProperty()
            .subscribe(
                lines -> {
                  missingLines.getChildren().clear();
                  // The most missing first; the rest on the hub's results page.
                  for (String line : lines.subList(0, Math.min(SHOWN_MISSING, lines.size()))) {
                    missingLines.getChildren().add(missingLine("• " + line));
                  }
                  if (lines.size() > SHOWN_MISSING) {
                    missingLines
                        .getChildren()
                        .add(
                            missingLine(
                                t.format("tablet.missing.more", lines.size() - SHOWN_MISSING)));
                  }
                  missing.setVisible(!lines.isEmpty());
                });
    Subscriptions.untilRemoved(this, missingShown);

    VBox figures = new VBox(today, sync);
    figures.getStyleClass().add("tablet-figures");
    figures.setAlignment(Pos.CENTER);
    getChildren().addAll(kind, title, place);
    if (workshop != null) {
      Button atelier = new Button("★ " + t.text("tablet.workshop"));
      atelier.setId("tablet-workshop");
      atelier.getStyleClass().addAll("primary", "workshop-big");
      atelier.setOnAction(e -> workshop.open());
      getChildren().add(atelier);
    }
    getChildren().addAll(pollName, polls, start, hint, missing, figures, settings);
    model.refresh();
  }

  private static Label missingLine(String text) {
    Label label = new Label(text);
    label.setWrapText(true);
    label.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
    label.getStyleClass().add("tablet-missing-line");
    return label;
  }
}
