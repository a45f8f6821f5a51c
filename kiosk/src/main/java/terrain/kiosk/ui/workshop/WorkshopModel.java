// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.workshop;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.event.WorkshopPhase;
import terrain.core.event.WorkshopScript;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;
import terrain.core.workshop.WorkshopState;
import terrain.kiosk.ui.KioskFlowModel;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.TapFilter;
import terrain.kiosk.ui.TextWrap;
import terrain.kiosk.ui.UiScheduler;
import terrain.kiosk.workshop.WorkshopRoom;
import terrain.store.StoreException;

/**
 * The workshop on a tablet (decision 0033): which screen it shows (the choice of role, the
 * facilitator's, a table's), in which language, and the room's state folded from this tablet's own
 * actions and the hub's relay, refreshed on every change and its timer every second. The role and
 * language are kept in the tablet's database, so a restart comes back to them.
 *
 * <p>Runs on the UI thread; the room's changes come through {@code ui}.
 */
public final class WorkshopModel {
  private static final Logger log = LoggerFactory.getLogger(WorkshopModel.class);
  private static final Duration TICK = Duration.ofSeconds(1);

  /** What the workshop shows. */
  public enum Screen {
    /** Not in the workshop: the tablet's home. */
    OFF,
    /** "Animateur" or "Table N". */
    CHOOSE,
    FACILITATOR,
    TABLE
  }

  private final WorkshopRoom room;
  private final KioskFlowModel flow;
  private final UiScheduler scheduler;
  private final TapFilter taps;
  private final ReadOnlyObjectWrapper<Screen> screen = new ReadOnlyObjectWrapper<>(Screen.OFF);
  private final ReadOnlyIntegerWrapper table = new ReadOnlyIntegerWrapper(0);
  private final ReadOnlyObjectWrapper<Language> language = new ReadOnlyObjectWrapper<>(Language.FR);
  private final ReadOnlyObjectWrapper<WorkshopState> state = new ReadOnlyObjectWrapper<>();
  private final ReadOnlyObjectWrapper<WorkshopState.Clock> timer = new ReadOnlyObjectWrapper<>();
  private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
  private final FacilitatorModel facilitator;
  private final TableModel tableModel;
  private UiScheduler.Task tick;

  /**
   * @param ui brings the room's changes (relay, commits) to the UI thread
   */
  public WorkshopModel(
      WorkshopRoom room, KioskFlowModel flow, UiScheduler scheduler, TapFilter taps, Executor ui) {
    this.room = room;
    this.flow = flow;
    this.scheduler = scheduler;
    this.taps = taps;
    state.set(room.state());
    timer.set(room.state().clock(room.now()));
    this.facilitator = new FacilitatorModel(this);
    this.tableModel = new TableModel(this);
    room.addListener(() -> ui.execute(this::refresh));
    restore();
  }

  private void restore() {
    Optional<String> kept;
    try {
      kept = room.keptRole();
    } catch (StoreException e) {
      log.warn("The tablet's workshop role cannot be read; it asks again: {}", e.toString());
      return;
    }
    if (kept.isEmpty() || kept.get().isBlank()) {
      return;
    }
    String[] parts = kept.get().split(" ");
    Language kept0 = Language.FR;
    for (Language l : Language.values()) {
      if (parts.length > 1 && l.tag().equals(parts[1])) {
        kept0 = l;
      }
    }
    tableModel.languageChanged(kept0);
    facilitator.languageChanged(kept0);
    language.set(kept0);
    if (parts[0].equals("facilitator")) {
      show(Screen.FACILITATOR, 0);
    } else if (parts[0].startsWith("table-")) {
      try {
        int n = Integer.parseInt(parts[0].substring("table-".length()));
        if (n >= 1 && n <= script().tables()) {
          show(Screen.TABLE, n);
        }
      } catch (NumberFormatException e) {
        log.warn("Kept workshop role [{}] is unreadable; the tablet asks again", kept.get());
      }
    }
  }

  // What the views bind to.

  public ReadOnlyObjectProperty<Screen> screenProperty() {
    return screen.getReadOnlyProperty();
  }

  public Screen screen() {
    return screen.get();
  }

  /** The table of this tablet (1..), 0 when it is not a table's. */
  public ReadOnlyIntegerProperty tableProperty() {
    return table.getReadOnlyProperty();
  }

  public int table() {
    return table.get();
  }

  public ReadOnlyObjectProperty<Language> languageProperty() {
    return language.getReadOnlyProperty();
  }

  public Language language() {
    return language.get();
  }

  public Messages texts() {
    return flow.messages();
  }

  /** The room now; replaced on every change. */
  public ReadOnlyObjectProperty<WorkshopState> stateProperty() {
    return state.getReadOnlyProperty();
  }

  public WorkshopState state() {
    return state.get();
  }

  /** The timer, every second. */
  public ReadOnlyObjectProperty<WorkshopState.Clock> timerProperty() {
    return timer.getReadOnlyProperty();
  }

  /** Why the last action was not saved, else empty. */
  public ReadOnlyStringProperty problemProperty() {
    return problem.getReadOnlyProperty();
  }

  public FacilitatorModel facilitator() {
    return facilitator;
  }

  public TableModel tableModel() {
    return tableModel;
  }

  public WorkshopScript script() {
    return room.script();
  }

  WorkshopRoom room() {
    return room;
  }

  TapFilter taps() {
    return taps;
  }

  /** The workshop's title in the tablet's language. */
  public String title() {
    return onScreen(script().title().in(language.get().tag()));
  }

  /** The phase running (or paused, or finished last), empty before the facilitator starts. */
  public Optional<WorkshopPhase> phase() {
    return timer.get().phaseId().flatMap(id -> script().phase(id));
  }

  /** "Étape 2 sur 5 : Idées", or "Pas encore commencé". */
  public String phaseLine() {
    Messages t = texts();
    return phase()
        .map(
            p ->
                t.format(
                    "workshop.step",
                    script().indexOf(p.id()) + 1,
                    script().phases().size(),
                    t.text("workshop.kind." + p.kind().word())))
        .orElse(t.text("workshop.notStarted"));
  }

  /** The phase's question in the tablet's language, or the kiosk's words for the phase. */
  public String prompt() {
    Optional<WorkshopPhase> p = phase();
    if (p.isEmpty()) {
      return texts().text("workshop.prompt.none");
    }
    return p.get()
        .prompt()
        .map(q -> onScreen(q.in(language.get().tag())))
        .orElse(texts().text("workshop.prompt." + p.get().kind().word()));
  }

  /** The timer as people read it: "12:05", "En pause · 12:05", "Temps écoulé". */
  public String timerText() {
    WorkshopState.Clock c = timer.get();
    if (c.phaseId().isEmpty()) {
      return "--:--";
    }
    if (c.finished()) {
      return texts().text("workshop.timer.finished");
    }
    long seconds = Math.max(0, (c.remainingMillis() + 999) / 1000);
    String mmss = String.format(java.util.Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    if (seconds == 0) {
      return texts().text("workshop.timer.over");
    }
    return c.running() ? mmss : texts().format("workshop.timer.paused", mmss);
  }

  /** Text from the event file, kept in place in a right-to-left screen. */
  String onScreen(String text) {
    return TextWrap.onScreen(text, language.get().rightToLeft());
  }

  // Commands.

  /** "Atelier" on the tablet's home: the choice of role. */
  public void open() {
    if (taps.accept("workshop-open")) {
      show(Screen.CHOOSE, 0);
    }
  }

  /** This tablet is the facilitator's. */
  public void chooseFacilitator() {
    if (screen.get() == Screen.CHOOSE && taps.accept("workshop-role")) {
      show(Screen.FACILITATOR, 0);
      keep();
    }
  }

  /** This tablet sits on table {@code n}. */
  public void chooseTable(int n) {
    if (n < 1 || n > script().tables()) {
      throw new IllegalArgumentException(
          "table [" + n + "] must be 1 to " + script().tables() + " (the script's tables)");
    }
    if (screen.get() == Screen.CHOOSE && taps.accept("workshop-role")) {
      show(Screen.TABLE, n);
      keep();
    }
  }

  /** Back to the choice of role (the facilitator's "change role"). */
  public void changeRole() {
    if (screen.get() != Screen.OFF && taps.accept("workshop-change")) {
      show(Screen.CHOOSE, 0);
      keep();
    }
  }

  /** Back to the tablet's home. */
  public void leave() {
    if (taps.accept("workshop-leave")) {
      show(Screen.OFF, 0);
      keep();
    }
  }

  /** The workshop's screens in {@code chosen}. */
  public void chooseLanguage(Language chosen) {
    if (chosen != language.get() && taps.accept("workshop-lang")) {
      // The texts and keyboards first: the views redraw when the language changes.
      flow.homeLanguage(chosen);
      tableModel.languageChanged(chosen);
      facilitator.languageChanged(chosen);
      language.set(chosen);
      keep();
    }
  }

  private void show(Screen next, int tableNumber) {
    table.set(tableNumber);
    screen.set(next);
    flow.homeLanguage(next == Screen.OFF ? Language.FR : language.get());
    problem.set("");
    refresh();
    if (next != Screen.OFF && tick == null) {
      tick = scheduler.schedule(TICK, this::tick);
    } else if (next == Screen.OFF && tick != null) {
      tick.cancel();
      tick = null;
    }
  }

  private void keep() {
    String role =
        switch (screen.get()) {
          case OFF, CHOOSE -> "";
          case FACILITATOR -> "facilitator " + language.get().tag();
          case TABLE -> "table-" + table.get() + " " + language.get().tag();
        };
    try {
      room.keepRole(role);
    } catch (StoreException e) {
      log.warn("The tablet's workshop role is not kept: {}", e.toString());
    }
  }

  private void tick() {
    tick = null;
    if (screen.get() == Screen.OFF) {
      return;
    }
    timer.set(state.get().clock(room.now()));
    tick = scheduler.schedule(TICK, this::tick);
  }

  /** Reads the room again (after a change). */
  void refresh() {
    WorkshopState now = room.state();
    Optional<String> before = timer.get() == null ? Optional.empty() : timer.get().phaseId();
    timer.set(now.clock(room.now()));
    state.set(now);
    if (!before.equals(timer.get().phaseId())) {
      facilitator.phaseChanged();
      tableModel.phaseChanged();
    }
  }

  /**
   * Records actions of this tablet; on failure the screen says so and nothing changes.
   *
   * @return their identities, empty when they could not be saved
   */
  Optional<List<ItemRef>> record(List<? extends WorkshopAction> actions) {
    try {
      List<ItemRef> ids = room.record(actions);
      problem.set("");
      refresh();
      return Optional.of(ids);
    } catch (StoreException | RuntimeException e) {
      log.error("A workshop action of {} is not saved: {}", room.deviceId(), e.toString(), e);
      problem.set(texts().text("workshop.problem"));
      return Optional.empty();
    }
  }

  /** The phase an action of the facilitator belongs to: the current one, else the first. */
  String actionPhase() {
    return phase().orElse(script().phases().get(0)).id();
  }
}
