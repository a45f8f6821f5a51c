// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.hardware.printer.JournaledPrinter;
import terrain.hardware.printer.PrintJournal;
import terrain.hardware.printer.PrintResult;
import terrain.hardware.printer.PrinterStatus;
import terrain.hardware.printer.TicketPrint;
import terrain.hardware.printer.TicketPrinter;
import terrain.kiosk.device.DesktopDeviceServices;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.sync.SyncRunner;
import terrain.kiosk.testing.TestEvents;
import terrain.kiosk.ui.KioskFlowModel;
import terrain.kiosk.ui.KioskSettings;
import terrain.kiosk.ui.ManualTime;
import terrain.kiosk.ui.TapFilter;
import terrain.kiosk.ui.thanks.TicketDesk;

/**
 * The staff panel over a receipt printer that runs out of paper, through the real print journal.
 * The printer is a stand-in (no receipt printer here); hardware's {@code EscPosPrinterTest} runs
 * the real driver against an emulator.
 */
class StaffPanelPrinterTest {

  /** A receipt printer whose paper staff can take out and put back. */
  private static final class RollPrinter implements TicketPrinter {
    boolean paper = true;
    final List<TicketPrint> out = new ArrayList<>();

    @Override
    public PrintResult print(TicketPrint ticket) {
      if (!paper) {
        return new PrintResult.NotReady("roll", new PrinterStatus.PaperOut());
      }
      out.add(ticket);
      return new PrintResult.Printed("roll, ticket " + ticket.shortCode());
    }

    @Override
    public Optional<PrinterStatus> status() {
      return Optional.of(paper ? new PrinterStatus.Ready() : new PrinterStatus.PaperOut());
    }
  }

  @TempDir Path dir;
  private final ManualTime time = new ManualTime();
  private final RollPrinter roll = new RollPrinter();
  private KioskEngine engine;
  private PrintJournal journal;
  private TicketDesk desk;
  private StaffPanelModel panel;

  @BeforeEach
  void open() throws Exception {
    engine = KioskEngine.open(dir, Optional.empty(), time, new SplittableRandom(3));
    journal = PrintJournal.open(dir.resolve("print-journal.log"), time);
    desk =
        new TicketDesk(
            new JournaledPrinter(roll, journal, "roll"),
            "escpos:usb:/dev/usb/lp0 (generic-80)",
            Runnable::run,
            Runnable::run,
            "briqs.example.fr",
            ZoneOffset.UTC);
    KioskFlowModel flow =
        new KioskFlowModel(
            engine,
            TestEvents.market(),
            KioskSettings.withPin("2468"),
            time,
            new TapFilter(time, Duration.ofMillis(300)),
            desk);
    panel =
        new StaffPanelModel(
            flow,
            () -> new SyncRunner.View(false, false, 0, Optional.empty()),
            new DesktopDeviceServices(dir.resolve("no-power"), Optional::empty),
            Runnable::run,
            Runnable::run,
            time,
            () -> {});
  }

  @AfterEach
  void close() throws Exception {
    journal.close();
    engine.close();
  }

  private static TicketPrint ticket(String code) {
    return new TicketPrint(
        "Marché", 2, false, LocalDate.of(2027, 5, 27), "HTTPS://X/T/" + code, code, Locale.FRENCH);
  }

  @Test
  void open_whenPaperRanOut_saysSoListsTheWaitingTicketAndPrintsItOnceWhenPaperIsBack() {
    roll.paper = false;
    desk.printIssued(ticket("AAAA-BBBB-CCCC"), r -> {});
    desk.printIssued(ticket("DDDD-EEEE-FFFF"), r -> {});

    panel.open();

    assertEquals(
        "Prête : escpos:usb:/dev/usb/lp0 (generic-80)\n"
            + "⚠ Plus de papier : mettez un rouleau neuf, puis imprimez les tickets en attente.",
        panel.printerTextProperty().get());
    assertEquals(
        "Tickets en attente d'impression : 2 (AAAA-BBBB-CCCC, DDDD-EEEE-FFFF)",
        panel.unprintedTextProperty().get());
    assertTrue(panel.canPrintUnprintedProperty().get());
    panel.testPrint(); // fails too, but a test ticket is nobody's: it does not wait for paper
    assertEquals(2, desk.unprinted().size());
    assertEquals("escpos: paper-out".replace("escpos", "rollprinter"), desk.reported());

    roll.paper = true;
    panel.refresh(); // staff put a roll in: the panel asks the printer again
    panel.printUnprinted();
    desk.printIssued(ticket("AAAA-BBBB-CCCC"), r -> {}); // a retry of a printed ticket

    assertEquals(
        List.of("AAAA-BBBB-CCCC", "DDDD-EEEE-FFFF"),
        roll.out.stream().map(TicketPrint::shortCode).toList());
    assertEquals("Aucun ticket en attente d'impression", panel.unprintedTextProperty().get());
    assertFalse(panel.canPrintUnprintedProperty().get());
    assertEquals("rollprinter", desk.reported());
  }
}
