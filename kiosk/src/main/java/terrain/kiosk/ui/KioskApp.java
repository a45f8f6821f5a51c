// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import javafx.scene.Scene;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import terrain.core.event.EventDefinition;
import terrain.kiosk.device.DesktopDeviceServices;
import terrain.kiosk.device.DeviceServices;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.sync.SyncRunner;
import terrain.kiosk.ui.staff.StaffExitModel;
import terrain.kiosk.ui.staff.StaffPanelModel;
import terrain.kiosk.ui.tablet.TabletHomeModel;
import terrain.kiosk.ui.tablet.WhoIsMissing;
import terrain.kiosk.ui.thanks.TicketDesk;
import terrain.kiosk.ui.workshop.WorkshopModel;
import terrain.kiosk.workshop.WorkshopRoom;
import terrain.store.StoreException;

/**
 * The kiosk's screens wired together: the flow, staff and (in tablet mode) home models over the
 * engine, their views, and the stylesheet. A plain object rather than a JavaFX {@code Application},
 * so that {@link KioskMain}, the tests and the screenshot command build it with {@code new} and
 * pass it what it needs.
 */
public final class KioskApp {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KioskApp.class);

  /** The stylesheet of every kiosk screen. */
  public static final String STYLESHEET =
      Objects.requireNonNull(KioskApp.class.getResource("kiosk.css"), "kiosk.css is missing")
          .toExternalForm();

  /** How the app is used. */
  public enum Mode {
    /** Residents at a stall: attract screen, full screen. */
    KIOSK,
    /** A facilitator's hand-held tablet: a home screen instead of the attract screen. */
    TABLET
  }

  /**
   * What the app uses around the resident's flow.
   *
   * @param tickets the printer of the tickets
   * @param sync the state of the sending to the hub, for staff
   * @param device battery, screen (staff panel)
   * @param io runs blocking work (printing, database reads for staff)
   * @param ui brings results back to the UI thread
   * @param workshop the tablet's workshop room (fed by the hub's relay); empty: a room of its own
   *     records only, made when a tablet's event has a workshop
   * @param missing what the hub says of who is missing, shown on the tablet's home; empty: nothing
   */
  public record Services(
      Mode mode,
      TicketDesk tickets,
      StaffPanelModel.SyncStatus sync,
      DeviceServices device,
      Executor io,
      Executor ui,
      Optional<WorkshopRoom> workshop,
      Optional<WhoIsMissing> missing) {
    public Services {
      Objects.requireNonNull(mode, "Services mode must not be null");
      Objects.requireNonNull(tickets, "Services tickets must not be null");
      Objects.requireNonNull(sync, "Services sync must not be null");
      Objects.requireNonNull(device, "Services device must not be null");
      Objects.requireNonNull(io, "Services io must not be null");
      Objects.requireNonNull(ui, "Services ui must not be null");
      Objects.requireNonNull(workshop, "Services workshop must not be null (empty for none)");
      Objects.requireNonNull(missing, "Services missing must not be null (empty for none)");
    }

    /** Without who is missing. */
    public Services(
        Mode mode,
        TicketDesk tickets,
        StaffPanelModel.SyncStatus sync,
        DeviceServices device,
        Executor io,
        Executor ui,
        Optional<WorkshopRoom> workshop) {
      this(mode, tickets, sync, device, io, ui, workshop, Optional.empty());
    }

    public Services withMissing(WhoIsMissing feed) {
      return new Services(mode, tickets, sync, device, io, ui, workshop, Optional.of(feed));
    }

    /** Without a workshop room given. */
    public Services(
        Mode mode,
        TicketDesk tickets,
        StaffPanelModel.SyncStatus sync,
        DeviceServices device,
        Executor io,
        Executor ui) {
      this(mode, tickets, sync, device, io, ui, Optional.empty());
    }

    public Services withWorkshop(WorkshopRoom room) {
      return new Services(mode, tickets, sync, device, io, ui, Optional.of(room), missing);
    }

    public Services withIo(Executor other) {
      return new Services(mode, tickets, sync, device, other, ui, workshop, missing);
    }

    public Services withUi(Executor other) {
      return new Services(mode, tickets, sync, device, io, other, workshop, missing);
    }

    /**
     * Kiosk mode, tickets kept in memory, no hub, a desktop without battery, everything on the
     * calling thread: for tests and screenshots.
     */
    public static Services inMemory(KioskEngine engine) {
      return new Services(
          Mode.KIOSK,
          TicketDesk.inMemory("briqs.example.org"),
          noHub(engine),
          new DesktopDeviceServices(java.nio.file.Path.of("/nonexistent"), Optional::empty),
          Runnable::run,
          Runnable::run);
    }

    public Services withMode(Mode other) {
      return new Services(other, tickets, sync, device, io, ui, workshop, missing);
    }

    public Services withTickets(TicketDesk other) {
      return new Services(mode, other, sync, device, io, ui, workshop, missing);
    }

    /** The sending state of a device without a hub: only its pending records. */
    public static StaffPanelModel.SyncStatus noHub(KioskEngine engine) {
      return () -> new SyncRunner.View(false, false, engine.pendingCount(), Optional.empty());
    }
  }

  private final Mode mode;
  private final KioskFlowModel flow;
  private final StaffExitModel staff;
  private final StaffPanelModel panel;
  private final TabletHomeModel home;
  private final WorkshopModel workshop;

  /** A kiosk with {@link Services#inMemory}. */
  public KioskApp(
      KioskEngine engine,
      EventDefinition event,
      KioskSettings settings,
      Clock clock,
      UiScheduler scheduler,
      Runnable exit) {
    this(engine, event, settings, clock, scheduler, exit, Services.inMemory(engine));
  }

  /**
   * @param clock times the taps (repeat-press filter)
   * @param scheduler runs the timeouts on the UI thread
   * @param exit what "quit" on the staff panel does
   */
  public KioskApp(
      KioskEngine engine,
      EventDefinition event,
      KioskSettings settings,
      Clock clock,
      UiScheduler scheduler,
      Runnable exit,
      Services services) {
    this.mode = services.mode();
    TapFilter taps = new TapFilter(clock, settings.tapWindow());
    this.flow = new KioskFlowModel(engine, event, settings, scheduler, taps, services.tickets());
    this.panel =
        new StaffPanelModel(
            flow,
            services.sync(),
            services.device(),
            services.io(),
            services.ui(),
            scheduler,
            exit);
    this.staff =
        new StaffExitModel(
            settings.staffPin(),
            settings.cornerHold(),
            scheduler,
            clock,
            services.io(),
            services.ui(),
            StaffExitModel.storedIn(engine),
            panel::open);
    this.home =
        mode == Mode.TABLET
            ? new TabletHomeModel(
                flow, services.sync(), services.io(), services.ui(), services.missing())
            : null;
    this.workshop = workshop(engine, event, services, scheduler, taps);
    if (workshop != null) {
      panel.offerWorkshopRole(workshop::changeRole);
    }
  }

  /** The workshop of a tablet whose event has one, null otherwise (or if it cannot be read). */
  private WorkshopModel workshop(
      KioskEngine engine,
      EventDefinition event,
      Services services,
      UiScheduler scheduler,
      TapFilter taps) {
    if (mode != Mode.TABLET || event.workshop().isEmpty()) {
      return null;
    }
    try {
      WorkshopRoom room =
          services.workshop().isPresent()
              ? services.workshop().get()
              : new WorkshopRoom(engine, event, new java.security.SecureRandom());
      return new WorkshopModel(room, flow, scheduler, taps, services.ui());
    } catch (StoreException e) {
      log.error("The workshop cannot read this tablet's records; it is not offered: {}", e, e);
      return null;
    }
  }

  /** The tablet's workshop, empty in kiosk mode or when the event has none. */
  public Optional<WorkshopModel> workshop() {
    return Optional.ofNullable(workshop);
  }

  public Mode mode() {
    return mode;
  }

  public KioskFlowModel flow() {
    return flow;
  }

  public StaffExitModel staff() {
    return staff;
  }

  public StaffPanelModel panel() {
    return panel;
  }

  /** The tablet's home screen model, empty in kiosk mode. */
  public Optional<TabletHomeModel> home() {
    return Optional.ofNullable(home);
  }

  /** A new scene of the kiosk's screens, {@code width} × {@code height} pixels. */
  public Scene scene(double width, double height) {
    Scene scene = new Scene(new KioskView(flow, staff, panel, home, workshop), width, height);
    scene.getStylesheets().add(STYLESHEET);
    return scene;
  }

  /**
   * Shows the kiosk on {@code stage}. Full screen: no exit key, no hint, and closing the window is
   * refused (only the staff panel leaves). Windowed: a window of {@code width} × {@code height}
   * that closes normally.
   */
  public void show(Stage stage, boolean fullScreen, String title, double width, double height) {
    stage.setTitle(title);
    stage.setScene(scene(width, height));
    stage.show();
    if (fullScreen) {
      // After show(): some platforms (Monocle) have no window to make full screen before.
      stage.setFullScreenExitKeyCombination(KeyCombination.NO_MATCH);
      stage.setFullScreenExitHint("");
      stage.setFullScreen(true);
      stage.setOnCloseRequest(e -> e.consume());
    }
  }

  /** {@link #show(Stage, boolean, String, double, double)} in a 1280×800 window. */
  public void show(Stage stage, boolean fullScreen, String title) {
    show(stage, fullScreen, title, 1280, 800);
  }
}
