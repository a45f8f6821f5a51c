// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.workshop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import terrain.core.event.WorkshopPhase;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;
import terrain.core.workshop.WorkshopState;
import terrain.kiosk.ui.keyboard.KeyboardLayout;
import terrain.kiosk.ui.keyboard.KeyboardModel;

/**
 * A table's tablet: during an ideas phase the table types its ideas on the on-screen keyboard and
 * sends them one by one; during a vote the tablet is passed around, and each participant places
 * their dots (at most the cap on one item) and validates, which records their dots under a fresh
 * anonymous token and hands over to the next participant. The totals show only once the facilitator
 * reveals them.
 */
public final class TableModel {

  /** One thing to vote on: a group, or an idea in no group. */
  public record Item(ItemRef id, String label, boolean group) {}

  private final WorkshopModel workshop;
  private final StringProperty idea = new SimpleStringProperty(this, "idea", "");
  private final ReadOnlyObjectWrapper<KeyboardModel> keyboard = new ReadOnlyObjectWrapper<>();
  private final Map<ItemRef, Integer> dots = new LinkedHashMap<>();
  private final ReadOnlyIntegerWrapper dotsChanged = new ReadOnlyIntegerWrapper(0);
  private final ReadOnlyBooleanWrapper handover = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyIntegerWrapper sent = new ReadOnlyIntegerWrapper(0);

  TableModel(WorkshopModel workshop) {
    this.workshop = workshop;
    languageChanged(workshop.language());
  }

  /** The idea being typed; the view binds a text area to it both ways. */
  public StringProperty ideaProperty() {
    return idea;
  }

  /** The keyboard in the tablet's language (a new one when the language changes). */
  public ReadOnlyObjectProperty<KeyboardModel> keyboardProperty() {
    return keyboard.getReadOnlyProperty();
  }

  public KeyboardModel keyboard() {
    return keyboard.get();
  }

  /** Ideas sent from this screen since it opened (the view thanks the table). */
  public ReadOnlyIntegerProperty sentProperty() {
    return sent.getReadOnlyProperty();
  }

  void languageChanged(terrain.kiosk.ui.Language language) {
    String tag = language.tag();
    KeyboardModel pad =
        new KeyboardModel(
            KeyboardLayout.compactFor(tag),
            Optional.empty(),
            language.locale(),
            WorkshopAction.MAX_IDEA_CHARS);
    pad.typeInto(idea, WorkshopAction.MAX_IDEA_CHARS);
    keyboard.set(pad);
  }

  void phaseChanged() {
    dots.clear();
    handover.set(false);
    dotsChanged.set(dotsChanged.get() + 1);
  }

  /** Whether the room is collecting ideas now. */
  public boolean ideasOpen() {
    return workshop.phase().map(p -> p.kind() == WorkshopPhase.Kind.IDEAS).orElse(false);
  }

  /** "Envoyer l'idée": the text becomes an idea of this table in the current phase. */
  public void sendIdea() {
    String text = idea.get().strip();
    if (text.isEmpty() || !ideasOpen() || !workshop.taps().accept("workshop-idea")) {
      return;
    }
    if (workshop
        .record(
            List.of(
                new WorkshopAction.Idea(
                    workshop.phase().get().id(),
                    workshop.table(),
                    workshop.language().tag(),
                    text)))
        .isPresent()) {
      idea.set("");
      sent.set(sent.get() + 1);
    }
  }

  /** This table's ideas, oldest first. */
  public List<WorkshopState.Idea> ideas() {
    return workshop.state().ideas().stream().filter(i -> i.table() == workshop.table()).toList();
  }

  // The vote.

  /** The vote running now, if any. */
  public Optional<WorkshopPhase> vote() {
    return workshop.phase().filter(p -> p.kind() == WorkshopPhase.Kind.VOTE);
  }

  /** What is voted on: the groups, then the ideas in no group; not in the order of the votes. */
  public List<Item> items() {
    WorkshopState state = workshop.state();
    List<Item> items = new ArrayList<>();
    for (WorkshopState.Group g : state.groups()) {
      items.add(
          new Item(
              g.id(),
              g.title().isBlank()
                  ? workshop.texts().format("workshop.group.untitled", g.ideas().size())
                  : workshop.onScreen(g.title()),
              true));
    }
    for (WorkshopState.Idea i : state.ungrouped()) {
      items.add(new Item(i.id(), workshop.onScreen(i.text()), false));
    }
    return items;
  }

  /** Changes on every dot placed or taken back, for the view to redraw. */
  public ReadOnlyIntegerProperty dotsChangedProperty() {
    return dotsChanged.getReadOnlyProperty();
  }

  /** After "Valider": the screen asks to pass the tablet on. */
  public ReadOnlyBooleanProperty handoverProperty() {
    return handover.getReadOnlyProperty();
  }

  /** The participant's number on this tablet, from 1 (counted in its records: restarts too). */
  public int participant() {
    return vote().map(v -> workshop.room().ownVoters(v.id())).orElse(0) + 1;
  }

  /** Dots each participant places. */
  public int dotsPerPerson() {
    return vote().flatMap(WorkshopPhase::vote).map(WorkshopPhase.Vote::dots).orElse(0);
  }

  /** Dots one participant may put on one item. */
  public int cap() {
    return vote().flatMap(WorkshopPhase::vote).map(WorkshopPhase.Vote::capPerItem).orElse(0);
  }

  /** The participant's dots on an item. */
  public int dotsOn(ItemRef item) {
    return dots.getOrDefault(item, 0);
  }

  /** Dots the participant has not placed yet. */
  public int dotsLeft() {
    return dotsPerPerson() - dots.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** A tap on an item: one more dot on it, within the participant's dots and the cap. */
  public void addDot(ItemRef item) {
    if (vote().isEmpty()
        || handover.get()
        || dotsLeft() <= 0
        || dotsOn(item) >= cap()
        || !workshop.taps().accept("dot+" + item)) {
      return;
    }
    dots.merge(item, 1, Integer::sum);
    dotsChanged.set(dotsChanged.get() + 1);
  }

  /** "−" on an item: one dot taken back. */
  public void removeDot(ItemRef item) {
    if (dotsOn(item) == 0 || handover.get() || !workshop.taps().accept("dot-" + item)) {
      return;
    }
    dots.merge(item, -1, Integer::sum);
    dots.remove(item, 0);
    dotsChanged.set(dotsChanged.get() + 1);
  }

  /** Whether "Valider" may be tapped: at least one dot placed. */
  public boolean canValidate() {
    return vote().isPresent() && !handover.get() && !dots.isEmpty();
  }

  /**
   * "Valider": the participant's dots, one Vote record per item under a fresh token, in one
   * transaction; then the screen asks to pass the tablet on.
   */
  public void validate() {
    if (!canValidate() || !workshop.taps().accept("workshop-validate")) {
      return;
    }
    String phase = vote().get().id();
    String voter = workshop.room().newVoter();
    List<WorkshopAction> ballot = new ArrayList<>();
    dots.forEach((item, n) -> ballot.add(new WorkshopAction.Vote(phase, voter, item, n)));
    if (workshop.record(ballot).isPresent()) {
      dots.clear();
      handover.set(true);
      dotsChanged.set(dotsChanged.get() + 1);
    }
  }

  /** "Personne suivante": a fresh card of dots. */
  public void nextParticipant() {
    if (handover.get() && workshop.taps().accept("workshop-nextvoter")) {
      handover.set(false);
      dotsChanged.set(dotsChanged.get() + 1);
    }
  }

  /** The vote whose results a table may show: revealed (or not anonymous), the last one. */
  public Optional<WorkshopPhase> revealedVote() {
    Optional<WorkshopPhase> shown = Optional.empty();
    int until = workshop.phase().map(p -> workshop.script().indexOf(p.id())).orElse(-1);
    for (int i = 0; i <= until; i++) {
      WorkshopPhase p = workshop.script().phases().get(i);
      if (p.kind() == WorkshopPhase.Kind.VOTE && workshop.state().revealed(p.id())) {
        shown = Optional.of(p);
      }
    }
    return shown;
  }
}
