// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.thanks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventDefinition;
import terrain.core.event.Rewards;
import terrain.core.event.TicketRules;
import terrain.core.event.Timeouts;
import terrain.core.id.QuestionId;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.TicketCodec;
import terrain.hardware.printer.EscPosPrinter;
import terrain.hardware.printer.JournaledPrinter;
import terrain.hardware.printer.MemoryTicketPrinter;
import terrain.hardware.printer.PrintJournal;
import terrain.hardware.printer.PrintResult;
import terrain.hardware.printer.PrinterLink;
import terrain.hardware.printer.PrinterProfile;
import terrain.hardware.printer.PrinterStatus;
import terrain.hardware.printer.TicketPrint;
import terrain.hardware.printer.TicketPrinter;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.session.ParticipationSession;
import terrain.kiosk.testing.TestEvents;
import terrain.kiosk.ui.ManualTime;

/** The kiosk's side of the printer: states, failures, and the last ticket after a restart. */
class TicketDeskTest {
  @TempDir Path dir;
  private final ManualTime time = new ManualTime();

  private static EventDefinition rewarded() {
    EventDefinition base = TestEvents.market();
    return new EventDefinition(
        base.id(),
        base.title(),
        base.place(),
        base.date(),
        base.polls(),
        new Rewards(Map.of("response", 3)),
        Timeouts.defaults(),
        new TicketRules(180, TicketRules.NO_CAP, TicketRules.GoldenOdds.never()));
  }

  private static TicketDesk desk(TicketPrinter printer) {
    return new TicketDesk(
        printer, "test", Runnable::run, Runnable::run, "briqs.example.fr", ZoneOffset.UTC);
  }

  private SignedTicket issue(KioskEngine engine, EventDefinition event) throws Exception {
    ParticipationSession session = engine.start(event, event.defaultPoll());
    session.answer(QuestionId.of("venue"), List.of("velo"));
    session.complete();
    return session.ticket().orElseThrow();
  }

  @Test
  void printIssued_whenPrinted_remembersItAndSaysOk() throws Exception {
    MemoryTicketPrinter printer = new MemoryTicketPrinter();
    TicketDesk desk = desk(printer);
    try (KioskEngine engine =
        KioskEngine.open(dir, Optional.empty(), time, new SplittableRandom(1))) {
      SignedTicket ticket = issue(engine, rewarded());
      TicketPrint print = desk.toPrint(ticket, "Marché test", Locale.FRENCH);
      List<PrintResult> results = new ArrayList<>();

      desk.printIssued(print, results::add);

      assertTrue(results.get(0) instanceof PrintResult.Printed);
      assertEquals(TicketDesk.State.OK, desk.status().state());
      assertEquals(print, desk.lastTicket().orElseThrow());
      assertEquals(3, printer.printed().get(0).briqs());
      assertEquals(TicketCodec.url("briqs.example.fr", ticket.code()), print.qrContent());
    }
  }

  @Test
  void print_whenDriverThrows_failsWithTheReasonAndKeepsTheKioskGoing() {
    TicketDesk desk =
        desk(
            t -> {
              throw new IllegalStateException("usb gone");
            });
    List<PrintResult> results = new ArrayList<>();

    desk.testPrint(
        "Marché test", time.instant().atZone(ZoneOffset.UTC).toLocalDate(), results::add);

    assertTrue(results.get(0) instanceof PrintResult.CannotWrite);
    assertEquals(TicketDesk.State.FAILED, desk.status().state());
    assertTrue(desk.status().detail().contains("usb gone"), desk.status().detail());
    assertFalse(desk.reprintLast(r -> {}), "a test print is not a ticket to reprint");
  }

  @Test
  void print_whenPrinterExecutorStopped_failsInsteadOfThrowing() {
    TicketDesk desk =
        new TicketDesk(
            new MemoryTicketPrinter(),
            "test",
            r -> {
              throw new java.util.concurrent.RejectedExecutionException("shut down");
            },
            Runnable::run,
            "briqs.example.fr",
            ZoneOffset.UTC);
    List<PrintResult> results = new ArrayList<>();

    desk.testPrint(
        "Marché test", time.instant().atZone(ZoneOffset.UTC).toLocalDate(), results::add);

    assertEquals(TicketDesk.State.FAILED, desk.status().state());
    assertEquals(1, results.size());
  }

  @Test
  void restoreLast_whenKioskRestarted_findsTheLastTicketInTheDatabase() throws Exception {
    EventDefinition event = rewarded();
    SignedTicket last;
    try (KioskEngine engine =
        KioskEngine.open(dir, Optional.empty(), time, new SplittableRandom(1))) {
      issue(engine, event);
      last = issue(engine, event);
    }
    MemoryTicketPrinter printer = new MemoryTicketPrinter();
    TicketDesk desk = desk(printer);
    try (KioskEngine engine =
        KioskEngine.open(dir, Optional.empty(), time, new SplittableRandom(1))) {

      desk.restoreLast(engine, event);

      assertTrue(desk.reprintLast(r -> {}));
      assertEquals(TicketCodec.shortCode(last.code()), printer.printed().get(0).shortCode());
    }
  }

  @Test
  void reported_whenAReceiptPrinterHasNoPaper_saysEscposAndTheStatusCode() throws Exception {
    try (PrintJournal journal =
        PrintJournal.open(dir.resolve("print-journal.log"), Clock.systemUTC())) {
      TicketPrinter printer =
          new JournaledPrinter(
              new EscPosPrinter(
                  new PrinterLink.DeviceFile(Path.of("/dev/usb/lp0")), PrinterProfile.GENERIC_80),
              journal,
              "usb");

      assertEquals(
          "escpos: paper-out",
          TicketDesk.reported(
              printer,
              new TicketDesk.Status(
                  TicketDesk.State.FAILED, "usb", "paper-out", new PrinterStatus.PaperOut())));
      assertEquals(
          "escpos",
          TicketDesk.reported(printer, new TicketDesk.Status(TicketDesk.State.OK, "usb", "")));
    }
  }
}
