// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.id.EventId;
import terrain.hardware.printer.MemoryTicketPrinter;
import terrain.kiosk.device.DesktopDeviceServices;
import terrain.kiosk.device.DeviceServices;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.sync.SyncAgent;
import terrain.kiosk.sync.SyncRunner;
import terrain.kiosk.testing.TestEvents;
import terrain.kiosk.ui.KioskFlowModel;
import terrain.kiosk.ui.KioskSettings;
import terrain.kiosk.ui.ManualTime;
import terrain.kiosk.ui.TapFilter;
import terrain.kiosk.ui.thanks.TicketDesk;

/** The staff panel's model without a toolkit: a real Derby store, time moved by hand. */
class StaffPanelModelTest {
  @TempDir Path dir;
  private final ManualTime time = new ManualTime();
  private final MemoryTicketPrinter printer = new MemoryTicketPrinter();
  private final AtomicInteger quits = new AtomicInteger();
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicReference<SyncRunner.View> view = new AtomicReference<>();
  private KioskEngine engine;
  private KioskFlowModel flow;
  private StaffPanelModel panel;

  @BeforeEach
  void open() throws Exception {
    engine = KioskEngine.open(dir, Optional.empty(), time, new SplittableRandom(3));
    TicketDesk desk =
        new TicketDesk(
            printer, "memory", Runnable::run, Runnable::run, "briqs.example.fr", ZoneOffset.UTC);
    flow =
        new KioskFlowModel(
            engine,
            TestEvents.market(),
            KioskSettings.withPin("2468"),
            time,
            new TapFilter(time, Duration.ofMillis(300)),
            desk);
    view.set(new SyncRunner.View(false, false, 1, Optional.empty()));
    panel = panel(new DesktopDeviceServices(dir.resolve("no-power"), Optional::empty));
  }

  private StaffPanelModel panel(DeviceServices device) {
    return new StaffPanelModel(
        flow,
        () -> {
          reads.incrementAndGet();
          return view.get();
        },
        device,
        Runnable::run,
        Runnable::run,
        time,
        quits::incrementAndGet);
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void open_whenNoHub_saysAnswersStayHereWithPendingCount() {
    panel.open();

    assertTrue(panel.isOpen());
    assertEquals(
        "Pas de boîtier terrain (--hub) : les réponses restent sur cet appareil.\n"
            + "1 enregistrement(s) en attente d'envoi",
        panel.syncTextProperty().get());
    assertEquals("non disponible", panel.batteryTextProperty().get());
    assertEquals("Prête : memory", panel.printerTextProperty().get());
    assertFalse(panel.canReprintProperty().get());
  }

  @Test
  void open_whenHubReachable_showsLastAckTime() {
    view.set(
        new SyncRunner.View(
            true,
            false,
            0,
            Optional.of(
                new SyncAgent.Status(
                    true, 0, Optional.of(Instant.parse("2026-11-28T09:12:34Z")), ""))));

    panel.open();

    assertEquals(
        "✔ Boîtier terrain joignable\n0 enregistrement(s) en attente d'envoi\n"
            + "Dernier accusé de réception à 09:12:34",
        panel.syncTextProperty().get());
  }

  @Test
  void open_whenHubUnreachable_saysWhy() {
    view.set(
        new SyncRunner.View(
            true,
            false,
            12,
            Optional.of(new SyncAgent.Status(false, 12, Optional.empty(), "connection refused"))));

    panel.open();

    assertTrue(
        panel
            .syncTextProperty()
            .get()
            .startsWith("⚠ Boîtier terrain injoignable (connection refused)\n12 enregistrement"),
        panel.syncTextProperty().get());
  }

  @Test
  void refresh_whileOpen_readsAgainEveryTwoSecondsAndStopsWhenClosed() {
    panel.open();
    assertEquals(1, reads.get());
    time.advance(Duration.ofSeconds(6));
    assertEquals(4, reads.get());

    panel.close();
    time.advance(Duration.ofSeconds(10));

    assertEquals(4, reads.get());
  }

  @Test
  void idle_whenUntouchedTwoMinutes_closesItself() {
    panel.open();
    time.advance(Duration.ofSeconds(90));
    panel.touched();
    time.advance(Duration.ofSeconds(90));
    assertTrue(panel.isOpen());

    time.advance(Duration.ofSeconds(31));

    assertFalse(panel.isOpen());
  }

  @Test
  void testPrint_whenPrinterWorks_printsAWorthlessTicketAndSaysSo() {
    panel.open();

    panel.testPrint();

    assertEquals(1, printer.printed().size());
    assertEquals(0, printer.printed().get(0).briqs());
    assertEquals("✔ Dernière impression réussie : memory:0", panel.printerTextProperty().get());
  }

  @Test
  void testPrint_whenPrinterFails_showsTheReason() {
    printer.failWith("no paper");
    panel.open();

    panel.testPrint();

    assertEquals("⚠ Échec de la dernière impression : no paper", panel.printerTextProperty().get());
  }

  @Test
  void choosePoll_whenResidentMidway_dropsTheirAnswersAndAsksTheNewPoll() throws Exception {
    time.advance(Duration.ofSeconds(1));
    flow.start();
    time.advance(Duration.ofSeconds(1));
    flow.chooseLanguage(terrain.kiosk.ui.Language.FR);
    flow.question().tap("velo");
    panel.open();

    panel.choosePoll("atelier");

    assertEquals("atelier", panel.pollIdProperty().get());
    assertEquals(KioskFlowModel.Screen.ATTRACT, flow.screen());
    assertFalse(flow.sessionOpen());
    assertEquals(0, engine.responseCount(EventId.of(TestEvents.EVENT_ID)));
    assertEquals(List.of("avenir", "atelier"), panel.polls().stream().map(p -> p.id()).toList());
  }

  @Test
  void battery_whenPlatformReportsOne_showsPercentAndCharging() throws Exception {
    Path bat = dir.resolve("power/BAT1");
    java.nio.file.Files.createDirectories(bat);
    java.nio.file.Files.writeString(bat.resolve("type"), "Battery\n");
    java.nio.file.Files.writeString(bat.resolve("capacity"), "41\n");
    java.nio.file.Files.writeString(bat.resolve("status"), "Charging\n");
    StaffPanelModel withBattery =
        panel(new DesktopDeviceServices(dir.resolve("power"), Optional::empty));

    withBattery.open();

    assertEquals("41 %, en charge", withBattery.batteryTextProperty().get());
  }

  @Test
  void quit_whenTapped_closesAndLeaves() {
    panel.open();

    panel.quit();

    assertFalse(panel.isOpen());
    assertEquals(1, quits.get());
  }
}
