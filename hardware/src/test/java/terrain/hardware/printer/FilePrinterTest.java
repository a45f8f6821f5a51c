// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePrinterTest extends TicketPrinterContract {

  @TempDir Path folder;

  @Override
  TicketPrinter printer() {
    return new FilePrinter(folder.resolve("tickets"), new TicketPdf());
  }

  @Override
  String qrContentAt(String location) throws Exception {
    try (PDDocument document = Loader.loadPDF(Path.of(location).toFile())) {
      return TestTickets.decodeQr(
          new PDFRenderer(document).renderImageWithDPI(0, 150, ImageType.GRAY));
    }
  }

  @Test
  void print_whenTicket_writesOnePdfNamedAfterTheShortCode() throws Exception {
    TicketPrint ticket = TestTickets.print(42);

    printer().print(ticket);

    try (var files = Files.list(folder.resolve("tickets"))) {
      assertEquals(
          java.util.List.of("ticket-" + ticket.shortCode() + ".pdf"),
          files.map(f -> f.getFileName().toString()).toList());
    }
  }

  @Test
  void print_whenFolderIsAFile_saysItCannotWriteAndHowToFix() throws Exception {
    Path notAFolder = Files.writeString(folder.resolve("file"), "x");

    PrintResult result = new FilePrinter(notAFolder, new TicketPdf()).print(TestTickets.print(1));

    PrintResult.CannotWrite failed = assertInstanceOf(PrintResult.CannotWrite.class, result);
    assertTrue(failed.detail().contains("or choose another folder"), failed.detail());
  }

  @Test
  void desktopFolder_whenNoDesktop_givesHome() throws Exception {
    assertEquals(folder, FilePrinter.desktopFolder(folder));
    Path desktop = Files.createDirectory(folder.resolve("Desktop"));
    assertEquals(desktop, FilePrinter.desktopFolder(folder));
  }
}
