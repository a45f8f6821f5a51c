// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.tablet;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.event.Poll;
import terrain.core.id.PollId;
import terrain.kiosk.ui.KioskFlowModel;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.staff.StaffPanelModel;
import terrain.kiosk.ui.staff.SyncWording;
import terrain.store.StoreException;

/**
 * The facilitator's home screen in tablet mode: the event, the poll to ask (chosen among the
 * event's polls), a button that hands the same questions to a resident as an "aller-vers"
 * micro-survey, how many participations this tablet recorded today, and whether the hub has them.
 * Every survey ends back here. The figures are read on {@code io} each time the screen comes back.
 */
public final class TabletHomeModel {
  private static final Logger log = LoggerFactory.getLogger(TabletHomeModel.class);

  private final KioskFlowModel flow;
  private final StaffPanelModel.SyncStatus sync;
  private final Executor io;
  private final Executor ui;
  private final ReadOnlyLongWrapper today = new ReadOnlyLongWrapper(0);
  private final ReadOnlyStringWrapper syncText = new ReadOnlyStringWrapper("");
  private final ReadOnlyStringWrapper pollId = new ReadOnlyStringWrapper("");
  private final ReadOnlyObjectWrapper<List<String>> missing =
      new ReadOnlyObjectWrapper<>(List.of());
  private final Optional<WhoIsMissing> whoIsMissing;

  public TabletHomeModel(
      KioskFlowModel flow, StaffPanelModel.SyncStatus sync, Executor io, Executor ui) {
    this(flow, sync, io, ui, Optional.empty());
  }

  /**
   * @param whoIsMissing what the hub says of who is missing; empty: the home says nothing of it
   */
  public TabletHomeModel(
      KioskFlowModel flow,
      StaffPanelModel.SyncStatus sync,
      Executor io,
      Executor ui,
      Optional<WhoIsMissing> whoIsMissing) {
    this.flow = flow;
    this.sync = sync;
    this.io = io;
    this.ui = ui;
    this.whoIsMissing = whoIsMissing.filter(WhoIsMissing::applies);
    pollId.set(flow.poll().id());
    this.whoIsMissing.ifPresent(
        w -> {
          w.addListener(
              () -> {
                try {
                  ui.execute(this::sayWhoIsMissing);
                } catch (RejectedExecutionException e) {
                  log.debug("Who is missing not shown: the app is stopping", e);
                }
              });
          flow.languageProperty().addListener((obs, was, now) -> sayWhoIsMissing());
          sayWhoIsMissing();
        });
    flow.screenProperty()
        .addListener(
            (obs, was, now) -> {
              if (now == KioskFlowModel.Screen.ATTRACT) {
                refresh();
              }
            });
  }

  /** Participations this device recorded today (device clock, local day) for the event. */
  public ReadOnlyLongProperty todayProperty() {
    return today.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty syncTextProperty() {
    return syncText.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty pollIdProperty() {
    return pollId.getReadOnlyProperty();
  }

  /**
   * "Who is missing" in the kiosk's language, most missing first; empty when there is nothing to
   * say (no population in the event file, nothing from the hub yet, too few answers, nobody
   * missing).
   */
  public ReadOnlyObjectProperty<List<String>> missingProperty() {
    return missing.getReadOnlyProperty();
  }

  private void sayWhoIsMissing() {
    missing.set(whoIsMissing.map(w -> w.lines(flow.language())).orElse(List.of()));
  }

  public List<Poll> polls() {
    return flow.event().polls();
  }

  public String pollTitle(Poll poll) {
    return poll.title().in(flow.language().tag());
  }

  public String eventTitle() {
    return flow.eventTitle();
  }

  public String place() {
    return flow.event().place();
  }

  public Messages texts() {
    return flow.messages();
  }

  /** The facilitator picked the poll to ask. */
  public void choosePoll(String id) {
    flow.switchPoll(PollId.of(id));
    pollId.set(flow.poll().id());
  }

  /** "Commencer un questionnaire": the language choice, then the poll's questions. */
  public void startSurvey() {
    flow.start();
  }

  /** Reads today's count and the sending state again. */
  public void refresh() {
    pollId.set(flow.poll().id());
    sayWhoIsMissing();
    try {
      io.execute(this::read);
    } catch (RejectedExecutionException e) {
      log.debug("Tablet home not refreshed: the app is stopping", e);
    }
  }

  private void read() {
    long count = 0;
    String state;
    try {
      count = flow.engine().responsesToday(flow.event().eventId());
      state = SyncWording.hubAndPending(sync.read(), texts(), SyncWording.Detail.SHORT);
    } catch (StoreException | RuntimeException e) {
      log.warn("Tablet home cannot read its figures", e);
      state = SyncWording.unreadable(texts(), e);
    }
    long finalCount = count;
    String finalState = state;
    ui.execute(
        () -> {
          today.set(finalCount);
          syncText.set(finalState);
        });
  }
}
