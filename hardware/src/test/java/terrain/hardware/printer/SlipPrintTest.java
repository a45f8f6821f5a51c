// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain-text slips through the ESC/POS driver (to the emulator) and as PDF files. */
class SlipPrintTest {
  private static final Slip SLIP =
      new Slip(
          "status-20261204-0715",
          "Hub marché nord — état",
          List.of("Liaison : coupée", "", "kiosk-1   en attente 12", "Disque : 4 % utilisé, 9 €"));

  @Test
  void printSlip_whenEscPos_printsTheLinesInCp858() throws Exception {
    try (EscPosEmulator emulator = new EscPosEmulator(PrinterProfile.GENERIC_80.widthDots())) {
      EscPosPrinter printer =
          new EscPosPrinter(
              emulator.link(),
              PrinterProfile.GENERIC_80,
              Duration.ofMillis(500),
              Duration.ofSeconds(10));

      PrintResult result = printer.printSlip(SLIP);

      assertInstanceOf(PrintResult.Printed.class, result, result.toString());
      assertEquals(List.of(), emulator.errors());
      String text = emulator.printed().get(0).text();
      assertTrue(text.contains("Hub marché nord - état"), text);
      assertTrue(text.contains("kiosk-1 en attente 12"), text);
      assertTrue(text.contains("9 €"), text);
    }
  }

  @Test
  void printSlip_whenEscPosWithoutPaper_isNotReadyAndSendsNothing() throws Exception {
    try (EscPosEmulator emulator = new EscPosEmulator(PrinterProfile.GENERIC_80.widthDots())) {
      emulator.paperFor(0);
      EscPosPrinter printer =
          new EscPosPrinter(
              emulator.link(),
              PrinterProfile.GENERIC_80,
              Duration.ofMillis(500),
              Duration.ofSeconds(10));

      PrintResult result = printer.printSlip(SLIP);

      PrintResult.NotReady notReady = assertInstanceOf(PrintResult.NotReady.class, result);
      assertEquals("paper-out", notReady.status().code());
      assertEquals(0, emulator.jobs());
    }
  }

  @Test
  void printSlip_whenPdf_writesAFileWhoseTextReadsBack(@TempDir Path dir) throws Exception {
    FilePrinter printer = new FilePrinter(dir, new TicketPdf());

    PrintResult result = printer.printSlip(SLIP);

    assertInstanceOf(PrintResult.Printed.class, result, result.toString());
    Path file = dir.resolve("slip-status-20261204-0715.pdf");
    try (PDDocument pdf = Loader.loadPDF(Files.readAllBytes(file))) {
      String text = new PDFTextStripper().getText(pdf);
      assertTrue(text.matches("(?s).*kiosk-1 +en attente 12.*"), text);
      assertTrue(text.contains("Disque : 4 % utilisé"), text);
    }
  }

  @Test
  void printSlip_whenMemoryPrinter_saysItCannot() {
    assertInstanceOf(PrintResult.CannotWrite.class, new MemoryTicketPrinter().printSlip(SLIP));
  }
}
