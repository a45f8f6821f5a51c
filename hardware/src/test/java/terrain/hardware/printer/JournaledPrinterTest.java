// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job log over the ESC/POS driver, with the emulator running out of paper mid-ticket. */
class JournaledPrinterTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path folder;

  @Test
  void print_whenPaperRunsOutMidTicket_failsKeepsItAndReprintsItOnceWhenPaperIsBack()
      throws Exception {
    Path file = folder.resolve("print-journal.log");
    TicketPrint ticket = TestTickets.print(42);
    try (EscPosEmulator emulator = new EscPosEmulator(576);
        PrintJournal journal = PrintJournal.open(file, CLOCK)) {
      EscPosPrinter escpos =
          new EscPosPrinter(
              emulator.link(),
              PrinterProfile.GENERIC_80,
              Duration.ofMillis(500),
              Duration.ofSeconds(10));
      JournaledPrinter printer = new JournaledPrinter(escpos, journal, escpos.describe());
      emulator.paperFor(300); // the roll ends in the middle of the QR code

      PrintResult first = printer.print(ticket);

      assertInstanceOf(
          PrinterStatus.PaperOut.class,
          assertInstanceOf(PrintResult.NotReady.class, first).status());
      assertEquals(List.of(), emulator.printed());
      // The clear-buffer command is the printer's last word: the emulator reads it on its own
      // thread, maybe after print() returned.
      await("the half ticket's rest cleared from the buffer")
          .atMost(Duration.ofSeconds(5))
          .until(() -> emulator.abandoned() == 1);
      assertEquals(List.of(ticket), printer.unprinted());

      PrintResult retryWithoutPaper = printer.print(ticket);

      assertInstanceOf(PrintResult.NotReady.class, retryWithoutPaper);
      assertEquals(1, emulator.jobs(), "nothing sent while the paper is out");

      emulator.loadPaper();
      for (TicketPrint unprinted : printer.unprinted()) {
        assertInstanceOf(PrintResult.Printed.class, printer.reprint(unprinted));
      }
      PrintResult retryAfterReprint = printer.print(ticket);

      assertTrue(
          assertInstanceOf(PrintResult.Printed.class, retryAfterReprint)
              .location()
              .contains("already printed"));
      assertEquals(1, emulator.printed().size(), "printed exactly once");
      assertEquals(ticket.qrContent(), TestTickets.decodeQr(emulator.printed().get(0).image()));
      assertEquals(List.of(), printer.unprinted());
      assertEquals(List.of(), emulator.errors());
    }
    try (PrintJournal reopened = PrintJournal.open(file, CLOCK)) {
      assertEquals(
          PrintJournal.State.PRINTED, reopened.job(ticket.shortCode()).orElseThrow().state());
      assertEquals(List.of(), reopened.failed());
    }
  }

  @Test
  void print_whenThePrinterFails_keepsTheTicketAmongTheUnprinted() throws Exception {
    MemoryTicketPrinter memory = new MemoryTicketPrinter();
    try (PrintJournal journal = PrintJournal.open(folder.resolve("j.log"), CLOCK)) {
      JournaledPrinter printer = new JournaledPrinter(memory, journal, "memory");
      memory.failWith("disk full");

      printer.print(TestTickets.print(1));
      printer.print(TestTickets.print(2));
      memory.failWith(null);
      printer.print(TestTickets.print(3));

      assertEquals(List.of(TestTickets.print(1), TestTickets.print(2)), printer.unprinted());
      assertEquals("disk full", journal.failed().get(0).reason());
    }
  }
}
