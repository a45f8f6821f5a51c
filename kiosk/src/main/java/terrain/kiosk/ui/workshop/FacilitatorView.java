// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.workshop;

import static terrain.kiosk.ui.workshop.WorkshopView.button;
import static terrain.kiosk.ui.workshop.WorkshopView.id;
import static terrain.kiosk.ui.workshop.WorkshopView.label;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import terrain.core.event.WorkshopPhase;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopState;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.ScreenParts;
import terrain.kiosk.ui.keyboard.KeyboardView;
import terrain.kiosk.ui.pick.PickGrid;
import terrain.kiosk.workshop.WorkshopRoom;

/**
 * The facilitator's screen: the timer's buttons, the four sections (the room, the grouping, the
 * vote, the door) and the section the phase calls for. Grouping is tap then tap: an idea then its
 * group, a group then the group it merges into; large targets, no dragging under a finger.
 */
final class FacilitatorView extends VBox implements WorkshopView.Refreshable {
  private final WorkshopModel workshop;
  private final FacilitatorModel model;
  private final Messages t;
  private final VBox section = new VBox();
  private final Button start;
  private final Button extend;
  private final Button next;
  private FacilitatorModel.Section shownSection;

  FacilitatorView(WorkshopModel workshop, FacilitatorModel model, HBox languages) {
    this.workshop = workshop;
    this.model = model;
    this.t = workshop.texts();
    getStyleClass().add("workshop-facilitator");

    start = button("wf-start", "", "primary", "workshop-control");
    start.setOnAction(e -> model.startOrPause());
    extend = button("wf-extend", "+2 min", "secondary", "workshop-control");
    extend.setText(t.text("workshop.extend"));
    extend.setOnAction(e -> model.extend());
    next = button("wf-next", "", "secondary", "workshop-control");
    next.setOnAction(e -> model.next());
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    Button role = button("wf-role", t.text("workshop.changeRole"), "secondary", "workshop-small");
    role.setOnAction(e -> workshop.changeRole());
    HBox controls = new HBox(start, extend, next, gap, languages, role);
    controls.getStyleClass().add("workshop-controls");
    controls.setAlignment(Pos.CENTER_LEFT);

    HBox tabs = new HBox();
    tabs.getStyleClass().add("workshop-tabs");
    for (FacilitatorModel.Section s : FacilitatorModel.Section.values()) {
      String key = s.name().toLowerCase(java.util.Locale.ROOT);
      Button tab = button("wf-tab-" + key, t.text("workshop.section." + key), "secondary");
      tab.getStyleClass().add("workshop-tab");
      tab.setOnAction(e -> model.show(s));
      HBox.setHgrow(tab, Priority.ALWAYS);
      tab.setMaxWidth(Double.MAX_VALUE);
      tabs.getChildren().add(tab);
    }
    model.sectionProperty().addListener(o -> refresh());
    model.selectedProperty().addListener(o -> refresh());
    model.editingProperty().addListener(o -> refresh());
    VBox.setVgrow(section, Priority.ALWAYS);
    section.getStyleClass().add("workshop-section");
    getChildren().addAll(controls, tabs, section);
    refresh();
  }

  @Override
  public void refresh() {
    start.setText(t.text(model.startLabelKey()));
    WorkshopState.Clock clock = workshop.timerProperty().get();
    extend.setDisable(clock.phaseId().isEmpty() || clock.finished());
    next.setText(t.text(model.hasNext() ? "workshop.next" : "workshop.finish"));
    next.setDisable(!model.hasNext() && (clock.phaseId().isEmpty() || clock.finished()));
    for (var node : ((HBox) getChildren().get(1)).getChildren()) {
      boolean on = node.getId().equals("wf-tab-" + model.section().name().toLowerCase());
      node.getStyleClass().remove("selected");
      if (on) {
        node.getStyleClass().add("selected");
      }
    }
    VBox content =
        switch (model.section()) {
          case ROOM -> room();
          case GROUPS -> groups();
          case VOTE -> vote();
          case DOOR -> door();
        };
    // Redrawn when anything arrives: the list stays where the facilitator scrolled it.
    double at =
        shownSection == model.section()
                && !section.getChildren().isEmpty()
                && section.getChildren().get(0) instanceof ScrollPane old
            ? old.getVvalue()
            : 0;
    shownSection = model.section();
    ScrollPane scroll = ScreenParts.scroll(content);
    scroll.setVvalue(at);
    section.getChildren().setAll(scroll);
    if (model.editingProperty().get() != FacilitatorModel.Editing.NONE) {
      section.getChildren().setAll(editor());
    }
  }

  // The room: who is there, what each table sent.

  private VBox room() {
    WorkshopState state = workshop.state();
    WorkshopRoom room = workshop.room();
    long now = room.now();
    VBox box = new VBox();
    box.getStyleClass().add("workshop-list");
    box.getChildren().add(label(t.text("workshop.room.tablets"), "field-label"));
    List<WorkshopRoom.Tablet> tablets = room.tablets();
    Map<Integer, Integer> byTable = state.ideasByTable();
    if (tablets.isEmpty()) {
      box.getChildren().add(label(t.text("workshop.room.none"), "hint"));
    }
    for (WorkshopRoom.Tablet tablet : tablets) {
      String who =
          tablet.self()
              ? t.text("workshop.room.self")
              : tablet.table().isPresent()
                  ? t.format("workshop.role.table", tablet.table().getAsInt())
                  : t.text("workshop.room.other");
      long minutes = Math.max(0, (now - tablet.lastTime()) / 60_000);
      Label line =
          label(
              t.format("workshop.room.tablet", who, tablet.device().value(), minutes),
              "workshop-line");
      line.setId("wf-tablet-" + tablet.device().value().replaceAll("[^A-Za-z0-9-]", "-"));
      box.getChildren().add(line);
    }
    box.getChildren().add(label(t.text("workshop.room.sent"), "field-label"));
    FlowPane tables = new FlowPane();
    tables.getStyleClass().add("workshop-cards");
    for (int n = 1; n <= workshop.script().tables(); n++) {
      Label card =
          label(t.format("workshop.room.table", n, byTable.getOrDefault(n, 0)), "workshop-count");
      card.setId("wf-sent-" + n);
      tables.getChildren().add(card);
    }
    box.getChildren().add(tables);
    Optional<Long> relay = room.lastRelay();
    box.getChildren()
        .add(
            label(
                relay
                    .map(r -> t.format("workshop.room.relay", Math.max(0, (now - r) / 1000)))
                    .orElse(t.text("workshop.room.norelay")),
                "hint"));
    return box;
  }

  // Grouping.

  private VBox groups() {
    WorkshopState state = workshop.state();
    Button newGroup = button("wf-new-group", "+ " + t.text("workshop.group.new"), "primary");
    newGroup.setOnAction(e -> model.startNewGroup());
    Button rename = button("wf-rename", "✎ " + t.text("workshop.group.rename"), "secondary");
    rename.setDisable(!model.groupSelected());
    rename.setOnAction(e -> model.startRename());
    for (Button b : List.of(newGroup, rename)) {
      b.setWrapText(false);
      b.setMinWidth(Region.USE_PREF_SIZE);
    }
    String hintKey =
        model.selected().isEmpty()
            ? "workshop.group.hint"
            : model.groupSelected() ? "workshop.group.hint.group" : "workshop.group.hint.idea";
    Label hint = label(t.text(hintKey), "hint");
    hint.setId("wf-group-hint");
    HBox bar = new HBox(newGroup, rename);
    bar.getStyleClass().add("workshop-controls");
    bar.setAlignment(Pos.CENTER_LEFT);

    VBox loose = new VBox();
    loose.getStyleClass().addAll("workshop-group", "workshop-loose");
    Button looseHead =
        button(
            "wf-ungrouped",
            t.format("workshop.group.loose", state.ungrouped().size()),
            "workshop-group-head");
    looseHead.setMaxWidth(Double.MAX_VALUE);
    looseHead.setOnAction(e -> model.tapUngrouped());
    loose.getChildren().add(looseHead);
    for (WorkshopState.Idea idea : state.ungrouped()) {
      loose.getChildren().add(ideaCard(idea));
    }
    FlowPane groups = new FlowPane();
    groups.getStyleClass().add("workshop-cards");
    for (WorkshopState.Group group : state.groups()) {
      VBox card = new VBox();
      card.getStyleClass().add("workshop-group");
      String title =
          group.title().isBlank()
              ? t.format("workshop.group.untitled", group.ideas().size())
              : workshop.onScreen(group.title()) + " (" + group.ideas().size() + ")";
      Button head = button(id("wf-group-", group.id()), title, "workshop-group-head");
      head.setMaxWidth(Double.MAX_VALUE);
      mark(head, group.id());
      head.setOnAction(e -> model.tapGroup(group.id()));
      card.getChildren().add(head);
      for (WorkshopState.Idea idea : group.ideas()) {
        card.getChildren().add(ideaCard(idea));
      }
      groups.getChildren().add(card);
    }
    HBox.setHgrow(groups, Priority.ALWAYS);
    HBox columns = new HBox(loose, groups);
    columns.getStyleClass().add("workshop-columns");
    VBox box = new VBox(bar, hint, columns);
    box.getStyleClass().add("workshop-list");
    return box;
  }

  private Button ideaCard(WorkshopState.Idea idea) {
    // The table apart from the text: a text in another script than the screen's wraps whole.
    Button card =
        button(id("wf-idea-", idea.id()), workshop.onScreen(idea.text()), "workshop-idea");
    Label table = new Label(t.format("workshop.idea.card", idea.table()));
    table.getStyleClass().add("workshop-idea-table");
    card.setGraphic(table);
    card.setMaxWidth(Double.MAX_VALUE);
    mark(card, idea.id());
    card.setOnAction(e -> model.tapIdea(idea.id()));
    return card;
  }

  private void mark(Button button, ItemRef ref) {
    if (model.selected().map(ref::equals).orElse(false)) {
      button.getStyleClass().add("selected");
      button.setText("▶ " + button.getText());
    }
  }

  private VBox editor() {
    boolean renaming = model.editingProperty().get() == FacilitatorModel.Editing.RENAME;
    Label ask =
        label(t.text(renaming ? "workshop.group.rename" : "workshop.group.new"), "field-label");
    TextField field = new TextField();
    field.setId("wf-title");
    field.getStyleClass().add("idea-field");
    field.textProperty().bindBidirectional(model.titleProperty());
    KeyboardView pad = new KeyboardView(model.keyboard(), t, KeyboardView.Placement.FIELDS);
    Button ok = button("wf-title-ok", t.text("workshop.ok"), "primary");
    ok.setOnAction(e -> model.confirmTitle());
    Button cancel = button("wf-title-cancel", t.text("workshop.cancel"), "secondary");
    cancel.setOnAction(e -> model.cancelTitle());
    HBox buttons = new HBox(cancel, ok);
    buttons.getStyleClass().add("nav");
    VBox box = new VBox(ask, field, pad, buttons);
    box.getStyleClass().add("workshop-editor");
    return box;
  }

  // The vote.

  private VBox vote() {
    VBox box = new VBox();
    box.getStyleClass().add("workshop-list");
    Optional<WorkshopPhase> vote = model.votePhase();
    if (vote.isEmpty()) {
      box.getChildren().add(label(t.text("workshop.vote.notYet"), "hint"));
      return box;
    }
    WorkshopState state = workshop.state();
    String phase = vote.get().id();
    WorkshopPhase.Vote rules = vote.get().vote().orElseThrow();
    box.getChildren()
        .add(label(t.format("workshop.vote.rules", rules.dots(), rules.capPerItem()), "hint"));
    Label voters = label(t.format("workshop.vote.voters", state.voters(phase)), "workshop-count");
    voters.setId("wf-voters");
    box.getChildren().add(voters);
    if (state.revealed(phase)) {
      box.getChildren().add(TableView.ranking(workshop, state.ranking(phase), "wf-rank-"));
    } else {
      box.getChildren().add(label(t.text("workshop.vote.hiddenFacilitator"), "hint"));
      Button reveal = button("wf-reveal", t.text("workshop.vote.reveal"), "primary");
      reveal.setOnAction(e -> model.reveal());
      box.getChildren().add(reveal);
    }
    return box;
  }

  // The door.

  private VBox door() {
    WorkshopState.Attendance attendance = workshop.state().attendance();
    Label count = label(t.format("workshop.door.count", attendance.total()), "workshop-count");
    count.setId("wf-door-count");
    Label ticket = label(t.text("workshop.door.ticket"), "why");
    HBox why = new HBox(ticket);
    why.getStyleClass().add("why-box");
    var picks = model.door();
    VBox box = new VBox(count, why);
    box.getChildren().add(label(t.text("workshop.door.age"), "field-label"));
    box.getChildren().add(new PickGrid(picks.ages(), 3, "door-age-", workshop.language()));
    if (!picks.areas().isEmpty()) {
      box.getChildren().add(label(t.text("workshop.door.area"), "field-label"));
      box.getChildren().add(new PickGrid(picks.areas(), 3, "door-area-", workshop.language()));
    }
    Button add = button("wf-count", "+ " + t.text("workshop.door.add"), "primary");
    add.setOnAction(e -> model.countPerson());
    box.getChildren().add(add);
    // Below the button, which must stay in view: how the sheets of tickets are printed.
    Label print = label(t.text("workshop.door.print"), "why");
    print.setId("wf-door-print");
    box.getChildren().add(print);
    box.getStyleClass().add("workshop-list");
    return box;
  }
}
