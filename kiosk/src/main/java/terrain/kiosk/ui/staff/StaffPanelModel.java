// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.staff;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.event.Poll;
import terrain.core.id.PollId;
import terrain.hardware.printer.TicketPrint;
import terrain.kiosk.device.DeviceServices;
import terrain.kiosk.sync.SyncAgent;
import terrain.kiosk.sync.SyncRunner;
import terrain.kiosk.ui.KioskFlowModel;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.UiScheduler;
import terrain.kiosk.ui.thanks.TicketDesk;
import terrain.store.StoreException;

/**
 * The staff panel, opened by the right PIN: how the sending to the hub goes, the printer (with a
 * test print and a reprint of the last ticket), the poll shown, the battery, the text size, and the
 * way out. It refreshes itself every few seconds while open (the database and the agent are read on
 * {@code io}, the texts set on the models' thread) and closes itself when nobody touches it for a
 * while, so a panel left open does not stay in front of residents.
 */
public final class StaffPanelModel {
  private static final Logger log = LoggerFactory.getLogger(StaffPanelModel.class);

  /** How often the panel reads the sending state again while open. */
  public static final Duration REFRESH = Duration.ofSeconds(2);

  /** The panel closes after this long without a touch. */
  public static final Duration IDLE_CLOSE = Duration.ofMinutes(2);

  /** Where the panel reads the state of the sending. */
  @FunctionalInterface
  public interface SyncStatus {
    SyncRunner.View read() throws StoreException;
  }

  private final javafx.beans.property.ReadOnlyBooleanWrapper hasWorkshopRole =
      new javafx.beans.property.ReadOnlyBooleanWrapper(false);
  private Runnable workshopRole;
  private final KioskFlowModel flow;
  private final SyncStatus sync;
  private final DeviceServices device;
  private final Executor io;
  private final Executor ui;
  private final UiScheduler scheduler;
  private final Runnable quit;
  private final ZoneId zone;

  private final ReadOnlyBooleanWrapper open = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyStringWrapper syncText = new ReadOnlyStringWrapper("");
  private final ReadOnlyStringWrapper printerText = new ReadOnlyStringWrapper("");
  private final ReadOnlyStringWrapper lastTicketText = new ReadOnlyStringWrapper("");
  private final ReadOnlyBooleanWrapper canReprint = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyStringWrapper unprintedText = new ReadOnlyStringWrapper("");
  private final ReadOnlyBooleanWrapper canPrintUnprinted = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyStringWrapper batteryText = new ReadOnlyStringWrapper("");
  private final ReadOnlyStringWrapper screenText = new ReadOnlyStringWrapper("");
  private final ReadOnlyStringWrapper pollId = new ReadOnlyStringWrapper("");
  private UiScheduler.Task refreshTask;
  private UiScheduler.Task idleTask;
  private boolean reading;

  /**
   * @param sync the state of the sending (the kiosk's {@link SyncRunner})
   * @param device the battery and the screen
   * @param io reads the database and the battery off the UI thread
   * @param ui brings the answers back to the models' thread
   * @param quit leaves the app
   */
  public StaffPanelModel(
      KioskFlowModel flow,
      SyncStatus sync,
      DeviceServices device,
      Executor io,
      Executor ui,
      UiScheduler scheduler,
      Runnable quit) {
    this.flow = flow;
    this.sync = sync;
    this.device = device;
    this.io = io;
    this.ui = ui;
    this.scheduler = scheduler;
    this.quit = quit;
    this.zone = flow.engine().clock().getZone();
    TicketDesk tickets = flow.tickets();
    tickets.statusProperty().addListener((obs, was, now) -> showPrinter());
    tickets.lastTicketProperty().addListener((obs, was, now) -> showPrinter());
    tickets.unprintedProperty().addListener((obs, was, now) -> showPrinter());
    flow.messagesProperty().addListener((obs, was, now) -> refresh());
  }

  // What the view binds to.

  public ReadOnlyBooleanProperty openProperty() {
    return open.getReadOnlyProperty();
  }

  public boolean isOpen() {
    return open.get();
  }

  /** Hub reachable or not, records pending, last ack: one line each. */
  public ReadOnlyStringProperty syncTextProperty() {
    return syncText.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty printerTextProperty() {
    return printerText.getReadOnlyProperty();
  }

  /** The short code of the last ticket, or that there is none. */
  public ReadOnlyStringProperty lastTicketTextProperty() {
    return lastTicketText.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty canReprintProperty() {
    return canReprint.getReadOnlyProperty();
  }

  /** How many tickets failed to print and wait for staff to print them. */
  public ReadOnlyStringProperty unprintedTextProperty() {
    return unprintedText.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty canPrintUnprintedProperty() {
    return canPrintUnprinted.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty batteryTextProperty() {
    return batteryText.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty screenTextProperty() {
    return screenText.getReadOnlyProperty();
  }

  /** The id of the poll the kiosk shows. */
  public ReadOnlyStringProperty pollIdProperty() {
    return pollId.getReadOnlyProperty();
  }

  /** The event's polls, to switch between. */
  public List<Poll> polls() {
    return flow.event().polls();
  }

  /** A poll's title in the panel's language. */
  public String pollTitle(Poll poll) {
    return poll.title().in(flow.language().tag());
  }

  /** "Device kiosk-abc123 · event title". */
  public String deviceText() {
    return texts().format("staffpanel.device", flow.engine().deviceId().value(), flow.eventTitle());
  }

  public Messages texts() {
    return flow.messages();
  }

  // Commands.

  /** A tablet with a workshop: the panel offers to go back to the choice of role. */
  public void offerWorkshopRole(Runnable action) {
    workshopRole = java.util.Objects.requireNonNull(action, "action must not be null");
    hasWorkshopRole.set(true);
  }

  /** Whether the panel offers "Atelier : changer de rôle". */
  public ReadOnlyBooleanProperty workshopRoleProperty() {
    return hasWorkshopRole.getReadOnlyProperty();
  }

  /** "Atelier : changer de rôle": the panel closes on the choice of role. */
  public void workshopRole() {
    if (workshopRole != null) {
      close();
      workshopRole.run();
    }
  }

  /** The right PIN was typed: the panel shows, with fresh figures. */
  public void open() {
    open.set(true);
    touched();
    refresh();
  }

  /** Back to the kiosk. */
  public void close() {
    open.set(false);
    cancel(refreshTask);
    cancel(idleTask);
    refreshTask = null;
    idleTask = null;
  }

  /** Any touch on the panel keeps it open. */
  public void touched() {
    cancel(idleTask);
    idleTask = open.get() ? scheduler.schedule(IDLE_CLOSE, this::close) : null;
  }

  /** Reads the sending state, the battery and the printer again. */
  public void refresh() {
    pollId.set(flow.poll().id());
    showPrinter();
    if (!open.get() || reading) {
      return;
    }
    reading = true;
    flow.tickets().checkPrinter();
    // The screen on this thread: Attach's desktop display answers only on the JavaFX thread.
    screenText.set(
        device
            .screen()
            .map(
                size ->
                    String.format(
                        "%.0f × %.0f px · %s", size.width(), size.height(), device.description()))
            .orElse(texts().text("staffpanel.battery.unknown") + " · " + device.description()));
    try {
      io.execute(this::readInBackground);
    } catch (RejectedExecutionException e) {
      log.debug("Staff panel not refreshed: the app is stopping", e);
      reading = false;
    }
  }

  public void testPrint() {
    touched();
    flow.tickets().testPrint(flow.eventTitle(), LocalDate.now(flow.engine().clock()), r -> {});
  }

  public void reprintLast() {
    touched();
    flow.tickets().reprintLast(r -> {});
  }

  /** Prints the tickets whose print failed, oldest first, until one fails again. */
  public void printUnprinted() {
    touched();
    flow.tickets().reprintUnprinted(r -> {});
  }

  /** Staff chose another poll: the kiosk starts over on it. */
  public void choosePoll(String id) {
    touched();
    flow.switchPoll(PollId.of(id));
    pollId.set(flow.poll().id());
  }

  public void switchTextSize() {
    touched();
    flow.switchTextSize();
  }

  /** Leaves the app. */
  public void quit() {
    close();
    quit.run();
  }

  // Inner workings.

  private void readInBackground() {
    String syncLines;
    try {
      syncLines = syncLines(sync.read());
    } catch (StoreException | RuntimeException e) {
      log.warn("Staff panel cannot read the sending state", e);
      syncLines = SyncWording.unreadable(texts(), e);
    }
    String battery = batteryLine(device.battery());
    String finalSync = syncLines;
    ui.execute(
        () -> {
          reading = false;
          syncText.set(finalSync);
          batteryText.set(battery);
          cancel(refreshTask);
          refreshTask = open.get() ? scheduler.schedule(REFRESH, this::refresh) : null;
        });
  }

  private String syncLines(SyncRunner.View view) {
    Messages t = texts();
    StringBuilder lines =
        new StringBuilder(SyncWording.hubAndPending(view, t, SyncWording.Detail.FULL));
    if (view.hubGiven()) {
      Optional<Instant> lastAck = view.agent().flatMap(SyncAgent.Status::lastAck);
      lines
          .append('\n')
          .append(
              lastAck
                  .map(
                      at ->
                          t.format(
                              "staffpanel.sync.lastAck",
                              DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone).format(at)))
                  .orElse(t.text("staffpanel.sync.noAck")));
    }
    return lines.toString();
  }

  private String batteryLine(Optional<DeviceServices.Battery> battery) {
    Messages t = texts();
    return battery
        .map(
            b ->
                b.charging()
                    ? t.format("staffpanel.battery.charging", b.percent())
                    : t.format("staffpanel.battery.level", b.percent()))
        .orElse(t.text("staffpanel.battery.unknown"));
  }

  private void showPrinter() {
    Messages t = texts();
    TicketDesk.Status status = flow.tickets().status();
    String said =
        status
            .problem()
            .map(p -> "\n⚠ " + t.text("staffpanel.printer.said." + p.code()))
            .orElse("");
    printerText.set(
        switch (status.state()) {
              case IDLE -> t.format("staffpanel.printer.idle", status.printer());
              case PRINTING -> t.text("staffpanel.printer.printing");
              case OK -> "✔ " + t.format("staffpanel.printer.ok", status.detail());
              case FAILED ->
                  status.problem().isPresent()
                      ? t.format("staffpanel.printer.idle", status.printer())
                      : "⚠ " + t.format("staffpanel.printer.failed", status.detail());
            }
            + said);
    List<TicketPrint> waiting = flow.tickets().unprinted();
    canPrintUnprinted.set(!waiting.isEmpty());
    List<String> codes = waiting.stream().map(TicketPrint::shortCode).limit(4).toList();
    unprintedText.set(
        waiting.isEmpty()
            ? t.text("staffpanel.unprinted.none")
            : t.format(
                "staffpanel.unprinted.some",
                waiting.size(),
                String.join(", ", codes) + (waiting.size() > codes.size() ? ", …" : "")));
    Optional<TicketPrint> last = flow.tickets().lastTicket();
    canReprint.set(last.isPresent());
    lastTicketText.set(
        last.map(p -> t.format("staffpanel.reprint.last", p.shortCode()))
            .orElse(t.text("staffpanel.reprint.none")));
  }

  private static void cancel(UiScheduler.Task task) {
    if (task != null) {
      task.cancel();
    }
  }
}
