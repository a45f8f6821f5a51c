// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.workshop;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import terrain.core.event.ProfileSettings;
import terrain.core.event.WorkshopPhase;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;
import terrain.core.workshop.WorkshopAction.Command;
import terrain.core.workshop.WorkshopAction.Control;
import terrain.core.workshop.WorkshopState;
import terrain.kiosk.ui.keyboard.KeyboardLayout;
import terrain.kiosk.ui.keyboard.KeyboardModel;
import terrain.kiosk.ui.profile.ProfileModel;

/**
 * The facilitator's tablet: drives the phases and the timer for the whole room, sees who is there
 * and what each table sent, groups the ideas (tap an idea, then the group it goes to; tap a group,
 * then another to merge them), reveals the vote, and counts heads at the door. Every command is a
 * WORKSHOP record; nothing is changed in place.
 */
public final class FacilitatorModel {

  /** The part of the facilitator's screen shown under the timer. */
  public enum Section {
    ROOM,
    GROUPS,
    VOTE,
    DOOR
  }

  /** What the group title keyboard is for. */
  public enum Editing {
    NONE,
    NEW_GROUP,
    RENAME
  }

  /** Seconds "+2 min" adds. */
  public static final int EXTEND_SECONDS = 120;

  private final WorkshopModel workshop;
  private final ReadOnlyObjectWrapper<Section> section = new ReadOnlyObjectWrapper<>(Section.ROOM);
  private final ReadOnlyObjectWrapper<ItemRef> selected = new ReadOnlyObjectWrapper<>();
  private final ReadOnlyObjectWrapper<Editing> editing = new ReadOnlyObjectWrapper<>(Editing.NONE);
  private final StringProperty title = new SimpleStringProperty(this, "title", "");
  private KeyboardModel keyboard;
  private ProfileModel door;

  FacilitatorModel(WorkshopModel workshop) {
    this.workshop = workshop;
    keyboardFor(workshop.language());
    phaseChanged();
  }

  public ReadOnlyObjectProperty<Section> sectionProperty() {
    return section.getReadOnlyProperty();
  }

  public Section section() {
    return section.get();
  }

  /** The idea or group tapped first (grouping), null when none. */
  public ReadOnlyObjectProperty<ItemRef> selectedProperty() {
    return selected.getReadOnlyProperty();
  }

  public Optional<ItemRef> selected() {
    return Optional.ofNullable(selected.get());
  }

  /** Whether the selection is a group (else an idea). */
  public boolean groupSelected() {
    return selected.get() != null && isGroup(selected.get());
  }

  public ReadOnlyObjectProperty<Editing> editingProperty() {
    return editing.getReadOnlyProperty();
  }

  /** The group title being typed. */
  public StringProperty titleProperty() {
    return title;
  }

  public KeyboardModel keyboard() {
    return keyboard;
  }

  /** The door's age band and neighbourhood picks, as on the kiosk's "who are you". */
  public ProfileModel door() {
    if (door == null) {
      door = newDoor();
    }
    return door;
  }

  private ProfileModel newDoor() {
    ProfileSettings settings =
        workshop.room().event().profile().orElse(ProfileSettings.withDefaultAgeBands(List.of()));
    return new ProfileModel(settings, workshop.language(), workshop.texts(), workshop.taps());
  }

  // Phases and timer.

  /** What the main timer button does now: start the workshop, resume, or nothing (running). */
  public String startLabelKey() {
    WorkshopState.Clock c = workshop.timerProperty().get();
    if (c.phaseId().isEmpty()) {
      return "workshop.start";
    }
    return c.running() ? "workshop.pause" : "workshop.resume";
  }

  /** "Démarrer" before the first phase, "Pause" while running, "Reprendre" while paused. */
  public void startOrPause() {
    WorkshopState.Clock c = workshop.timerProperty().get();
    if (!workshop.taps().accept("workshop-start")) {
      return;
    }
    if (c.phaseId().isEmpty()) {
      control(workshop.script().phases().get(0).id(), Command.START, 0);
    } else if (c.running()) {
      control(c.phaseId().get(), Command.PAUSE, 0);
    } else if (!c.finished()) {
      control(c.phaseId().get(), Command.RESUME, 0);
    } else {
      control(c.phaseId().get(), Command.START, 0);
    }
  }

  /** "+2 min" on the current phase. */
  public void extend() {
    WorkshopState.Clock c = workshop.timerProperty().get();
    if (c.phaseId().isPresent() && !c.finished() && workshop.taps().accept("workshop-extend")) {
      control(c.phaseId().get(), Command.EXTEND, EXTEND_SECONDS);
    }
  }

  /** Whether there is a phase after the current one. */
  public boolean hasNext() {
    Optional<WorkshopPhase> p = workshop.phase();
    return p.isEmpty() || workshop.script().indexOf(p.get().id()) < lastIndex();
  }

  private int lastIndex() {
    return workshop.script().phases().size() - 1;
  }

  /** "Phase suivante": the current phase finishes and the next starts, in one transaction. */
  public void next() {
    if (!workshop.taps().accept("workshop-next")) {
      return;
    }
    WorkshopState.Clock c = workshop.timerProperty().get();
    List<WorkshopAction> actions = new ArrayList<>();
    int index = c.phaseId().map(id -> workshop.script().indexOf(id)).orElse(-1);
    if (c.phaseId().isPresent() && !c.finished()) {
      actions.add(new Control(c.phaseId().get(), Command.FINISH, 0));
    }
    if (index < lastIndex()) {
      actions.add(new Control(workshop.script().phases().get(index + 1).id(), Command.START, 0));
    }
    if (!actions.isEmpty()) {
      workshop.record(actions);
    }
  }

  private void control(String phaseId, Command command, int seconds) {
    workshop.record(List.of(new Control(phaseId, command, seconds)));
  }

  /** The facilitator shows another part of the screen. */
  public void show(Section chosen) {
    section.set(chosen);
    selected.set(null);
    editing.set(Editing.NONE);
  }

  /** The section follows the phase: the door at the welcome, the ideas, the groups, the vote. */
  void phaseChanged() {
    Section follow =
        workshop
            .phase()
            .map(
                p ->
                    switch (p.kind()) {
                      case WELCOME -> Section.DOOR;
                      case IDEAS -> Section.ROOM;
                      case GROUPING -> Section.GROUPS;
                      case VOTE, RESULTS -> Section.VOTE;
                    })
            .orElse(Section.DOOR);
    show(follow);
  }

  // Grouping.

  private boolean isGroup(ItemRef ref) {
    return workshop.state().groups().stream().anyMatch(g -> g.id().equals(ref));
  }

  /** An idea tapped: it is selected (tapped again: no longer). */
  public void tapIdea(ItemRef idea) {
    if (!workshop.taps().accept("idea:" + idea)) {
      return;
    }
    selected.set(idea.equals(selected.get()) ? null : idea);
  }

  /**
   * A group tapped: the selected idea goes into it, or the selected group merges into it; with
   * nothing selected, the group is selected (to rename it, or merge it into another).
   */
  public void tapGroup(ItemRef group) {
    if (!workshop.taps().accept("group:" + group)) {
      return;
    }
    ItemRef first = selected.get();
    String phase = workshop.actionPhase();
    if (first == null) {
      selected.set(group);
    } else if (first.equals(group)) {
      selected.set(null);
    } else if (isGroup(first)) {
      workshop.record(List.of(new WorkshopAction.Merge(phase, first, group)));
      selected.set(null);
    } else {
      workshop.record(List.of(new WorkshopAction.Place(phase, first, Optional.of(group))));
      selected.set(null);
    }
  }

  /** "Sans groupe" tapped with an idea selected: the idea leaves its group (a split). */
  public void tapUngrouped() {
    ItemRef first = selected.get();
    if (first == null || isGroup(first) || !workshop.taps().accept("ungrouped")) {
      return;
    }
    workshop.record(
        List.of(new WorkshopAction.Place(workshop.actionPhase(), first, Optional.empty())));
    selected.set(null);
  }

  /** "Nouveau groupe": the keyboard opens for its title. */
  public void startNewGroup() {
    title.set("");
    editing.set(Editing.NEW_GROUP);
  }

  /** "Renommer" with a group selected: the keyboard opens with its title. */
  public void startRename() {
    ItemRef group = selected.get();
    if (group == null || !isGroup(group)) {
      return;
    }
    title.set(
        workshop.state().groups().stream()
            .filter(g -> g.id().equals(group))
            .findFirst()
            .map(WorkshopState.Group::title)
            .orElse(""));
    editing.set(Editing.RENAME);
  }

  /** "Annuler" on the title keyboard. */
  public void cancelTitle() {
    editing.set(Editing.NONE);
  }

  /**
   * "Valider" on the title keyboard: a new group (with the selected idea in it, if one is
   * selected), or the selected group renamed.
   */
  public void confirmTitle() {
    String typed = title.get().strip();
    String phase = workshop.actionPhase();
    ItemRef first = selected.get();
    if (editing.get() == Editing.NEW_GROUP) {
      Optional<List<ItemRef>> made =
          workshop.record(List.of(new WorkshopAction.NewGroup(phase, typed)));
      if (made.isPresent() && first != null && !isGroup(first)) {
        workshop.record(
            List.of(new WorkshopAction.Place(phase, first, Optional.of(made.get().get(0)))));
      }
    } else if (editing.get() == Editing.RENAME && first != null) {
      workshop.record(List.of(new WorkshopAction.Rename(phase, first, typed)));
    }
    editing.set(Editing.NONE);
    selected.set(null);
    title.set("");
  }

  // Vote.

  /** The vote phase the facilitator's vote section is about: the current, else the last one. */
  public Optional<WorkshopPhase> votePhase() {
    Optional<WorkshopPhase> now = workshop.phase();
    if (now.isPresent() && now.get().kind() == WorkshopPhase.Kind.VOTE) {
      return now;
    }
    int until = now.map(p -> workshop.script().indexOf(p.id())).orElse(-1);
    Optional<WorkshopPhase> before = Optional.empty();
    for (int i = 0; i <= until; i++) {
      WorkshopPhase p = workshop.script().phases().get(i);
      if (p.kind() == WorkshopPhase.Kind.VOTE) {
        before = Optional.of(p);
      }
    }
    return before;
  }

  /** "Dévoiler les résultats". */
  public void reveal() {
    Optional<WorkshopPhase> vote = votePhase();
    if (vote.isPresent()
        && !workshop.state().revealed(vote.get().id())
        && workshop.taps().accept("workshop-reveal")) {
      workshop.record(List.of(new WorkshopAction.Reveal(vote.get().id())));
    }
  }

  // Door.

  /** "Compter cette personne": one head, with the age band and neighbourhood picked (or none). */
  public void countPerson() {
    if (!workshop.taps().accept("workshop-count")) {
      return;
    }
    ProfileModel picks = door();
    if (workshop
        .record(
            List.of(
                new WorkshopAction.Attend(
                    workshop.actionPhase(), picks.ageBand().orElse(""), picks.area().orElse(""))))
        .isPresent()) {
      picks.clear();
    }
  }

  /** The door's words and the title keyboard follow the tablet's language. */
  void languageChanged(terrain.kiosk.ui.Language language) {
    door = null;
    keyboardFor(language);
  }

  private void keyboardFor(terrain.kiosk.ui.Language language) {
    keyboard =
        new KeyboardModel(
            KeyboardLayout.compactFor(language.tag()),
            Optional.empty(),
            language.locale(),
            WorkshopAction.MAX_TITLE_CHARS);
    keyboard.typeInto(title, WorkshopAction.MAX_TITLE_CHARS);
  }
}
