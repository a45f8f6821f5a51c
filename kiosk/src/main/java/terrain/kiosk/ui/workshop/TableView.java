// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.workshop;

import static terrain.kiosk.ui.workshop.WorkshopView.button;
import static terrain.kiosk.ui.workshop.WorkshopView.label;

import java.util.List;
import java.util.Optional;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import terrain.core.event.WorkshopPhase;
import terrain.core.workshop.WorkshopState;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.ScreenParts;
import terrain.kiosk.ui.keyboard.KeyboardView;
import terrain.kiosk.ui.staff.StaffExitModel;

/**
 * A table's screen: the ideas typed on the on-screen keyboard and the table's list during an ideas
 * phase, the pass-the-tablet dot vote during a vote, the ranking once revealed, and a word for the
 * other phases.
 */
final class TableView extends VBox implements WorkshopView.Refreshable {
  private final WorkshopModel workshop;
  private final TableModel model;
  private final Messages t;
  private final VBox content = new VBox();
  private final HBox languages;
  private final StaffExitModel staff;
  private Optional<WorkshopPhase.Kind> shown = Optional.empty();
  private VBox ideaList;

  TableView(WorkshopModel workshop, TableModel model, HBox languages, StaffExitModel staff) {
    this.workshop = workshop;
    this.model = model;
    this.languages = languages;
    this.staff = staff;
    this.t = workshop.texts();
    getStyleClass().add("workshop-table");
    VBox.setVgrow(content, Priority.ALWAYS);
    model.dotsChangedProperty().addListener(o -> refresh());
    model.handoverProperty().addListener(o -> refresh());
    Label table = label(t.format("workshop.role.table", workshop.table()), "tablet-kind");
    table.setId("wt-table");
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    Button settings = button("wt-staff", "⚙", "secondary", "workshop-small");
    settings.setOnAction(e -> staff.openPad());
    HBox foot = new HBox(table, gap, languages, settings);
    foot.getStyleClass().add("workshop-controls");
    foot.setAlignment(Pos.CENTER_LEFT);
    getChildren().addAll(content, foot);
    rebuild();
  }

  @Override
  public void refresh() {
    Optional<WorkshopPhase.Kind> kind = workshop.phase().map(WorkshopPhase::kind);
    if (kind.equals(shown) && kind.equals(Optional.of(WorkshopPhase.Kind.IDEAS))) {
      fillIdeas(); // the text being typed and the keyboard stay as they are
      return;
    }
    rebuild();
  }

  private void rebuild() {
    shown = workshop.phase().map(WorkshopPhase::kind);
    VBox part;
    if (shown.isEmpty()) {
      part = message(t.text("workshop.table.wait"));
    } else {
      part =
          switch (shown.get()) {
            case IDEAS -> ideas();
            case VOTE -> model.revealedVote().isPresent() ? results() : vote();
            case WELCOME -> message(t.text("workshop.table.welcome"));
            case GROUPING -> grouping();
            case RESULTS -> results();
          };
    }
    VBox.setVgrow(part, Priority.ALWAYS);
    content.getChildren().setAll(part);
  }

  private VBox message(String text) {
    Label words = label(text, "workshop-message");
    words.setId("wt-message");
    VBox box = new VBox(words);
    box.setAlignment(Pos.CENTER);
    return box;
  }

  // Ideas.

  private VBox ideas() {
    Label ask = label(t.text("workshop.idea.yours"), "field-label");
    TextArea field = new TextArea();
    field.setId("wt-idea");
    field.getStyleClass().add("idea-field");
    field.setWrapText(true);
    field.setPrefRowCount(2);
    field.setPrefColumnCount(8);
    field.textProperty().bindBidirectional(model.ideaProperty());
    model.ideaProperty().addListener((obs, was, now) -> field.end());
    KeyboardView pad = new KeyboardView(model.keyboard(), t, KeyboardView.Placement.FIELDS);
    Button send = button("wt-send", t.text("workshop.idea.send"), "primary");
    send.disableProperty().bind(model.ideaProperty().map(s -> s.isBlank()));
    send.setOnAction(e -> model.sendIdea());
    VBox typing = new VBox(ask, field, pad, send);
    typing.getStyleClass().add("idea-fields");
    ideaList = new VBox();
    ideaList.getStyleClass().add("workshop-list");
    VBox listBox = new VBox(ScreenParts.scroll(ideaList));
    listBox.getStyleClass().add("workshop-mine");
    HBox.setHgrow(listBox, Priority.ALWAYS);
    fillIdeas();
    HBox row = new HBox(typing, listBox);
    row.getStyleClass().add("workshop-columns");
    VBox box = new VBox(row);
    VBox.setVgrow(row, Priority.ALWAYS);
    return box;
  }

  private void fillIdeas() {
    if (ideaList == null) {
      return;
    }
    List<WorkshopState.Idea> mine = model.ideas();
    Label head = label(t.format("workshop.idea.mine", mine.size()), "field-label");
    head.setId("wt-mine");
    ideaList.getChildren().setAll(head);
    for (WorkshopState.Idea idea : mine) {
      ideaList.getChildren().add(label("• " + workshop.onScreen(idea.text()), "workshop-line"));
    }
  }

  // Grouping: the groups as they are made.

  private VBox grouping() {
    VBox box = new VBox(label(t.text("workshop.table.grouping"), "workshop-message"));
    for (WorkshopState.Group g : workshop.state().groups()) {
      String title =
          g.title().isBlank()
              ? t.format("workshop.group.untitled", g.ideas().size())
              : workshop.onScreen(g.title()) + " (" + g.ideas().size() + ")";
      box.getChildren().add(label("▣ " + title, "workshop-line"));
    }
    box.getStyleClass().add("workshop-list");
    return box;
  }

  // The vote.

  private VBox vote() {
    VBox box = new VBox();
    box.getStyleClass().add("workshop-list");
    if (model.handoverProperty().get()) {
      Label thanks = label(t.text("workshop.vote.thanks"), "workshop-message");
      thanks.setId("wt-handover");
      Button next =
          button(
              "wt-next-voter",
              t.format("workshop.vote.nextPerson", model.participant()),
              "primary",
              "workshop-big");
      next.setOnAction(e -> model.nextParticipant());
      box.getChildren().addAll(thanks, next);
      box.setAlignment(Pos.CENTER);
      return box;
    }
    Label who = label(t.format("workshop.vote.participant", model.participant()), "screen-title");
    who.setId("wt-participant");
    int left = model.dotsLeft();
    String dots = "●".repeat(left) + "○".repeat(model.dotsPerPerson() - left);
    Label rules =
        label(
            t.format("workshop.vote.left", dots, left, model.dotsPerPerson(), model.cap()),
            "workshop-dots");
    rules.setId("wt-dots-left");
    Label hint = label(t.text("workshop.vote.hint"), "hint");
    box.getChildren().addAll(who, rules, hint);
    VBox items = new VBox();
    items.getStyleClass().add("workshop-list");
    List<TableModel.Item> offered = model.items();
    if (offered.isEmpty()) {
      items.getChildren().add(label(t.text("workshop.vote.nothing"), "hint"));
    }
    for (int i = 0; i < offered.size(); i++) {
      TableModel.Item item = offered.get(i);
      int on = model.dotsOn(item.id());
      Button add =
          button(
              "wt-item-" + i,
              (item.group() ? "▣ " : "• ") + item.label(),
              "choice",
              "workshop-item");
      add.setMaxWidth(Double.MAX_VALUE);
      HBox.setHgrow(add, Priority.ALWAYS);
      if (on > 0) {
        add.getStyleClass().add("selected");
      }
      add.setOnAction(e -> model.addDot(item.id()));
      Label placed = label("●".repeat(on), "workshop-dots");
      placed.setId("wt-dots-" + i);
      placed.setMinWidth(Region.USE_PREF_SIZE);
      Button less = button("wt-less-" + i, "−", "secondary", "workshop-less");
      less.setDisable(on == 0);
      less.setOnAction(e -> model.removeDot(item.id()));
      HBox row = new HBox(add, placed, less);
      row.getStyleClass().add("workshop-item-row");
      row.setAlignment(Pos.CENTER_LEFT);
      items.getChildren().add(row);
    }
    Button validate = button("wt-validate", t.text("workshop.vote.validate"), "primary");
    validate.setDisable(!model.canValidate());
    validate.setOnAction(e -> model.validate());
    VBox.setVgrow(items, Priority.ALWAYS);
    box.getChildren().addAll(ScreenParts.scroll(items), validate);
    return box;
  }

  private VBox results() {
    Optional<WorkshopPhase> vote = model.revealedVote();
    if (vote.isEmpty()) {
      return message(t.text("workshop.vote.hidden"));
    }
    VBox box = new VBox(label(t.text("workshop.vote.ranking"), "screen-title"));
    box.getChildren().add(ranking(workshop, workshop.state().ranking(vote.get().id()), "wt-rank-"));
    box.getStyleClass().add("workshop-list");
    return box;
  }

  /** The ranking: "1." then the group or idea then its points, most points first. */
  static VBox ranking(WorkshopModel workshop, List<WorkshopState.Ranked> ranking, String idPrefix) {
    Messages t = workshop.texts();
    VBox list = new VBox();
    list.getStyleClass().add("workshop-list");
    int place = 0;
    for (WorkshopState.Ranked item : ranking) {
      place++;
      String name =
          item.label().isBlank()
              ? t.text("workshop.group.noname")
              : workshop.onScreen(item.label());
      Label rank = label(place + ".", "workshop-place");
      rank.setMinWidth(Region.USE_PREF_SIZE);
      Label what = label((item.group() ? "▣ " : "• ") + name, "workshop-ranked");
      HBox.setHgrow(what, Priority.ALWAYS);
      what.setMaxWidth(Double.MAX_VALUE);
      Label points = label(t.format("workshop.points", item.dots()), "workshop-points");
      points.setId(idPrefix + place);
      points.setMinWidth(Region.USE_PREF_SIZE);
      HBox line = new HBox(rank, what, points);
      line.getStyleClass().add("workshop-rank");
      line.setAlignment(Pos.CENTER_LEFT);
      line.setId(idPrefix + "row-" + place);
      list.getChildren().add(line);
    }
    return list;
  }
}
