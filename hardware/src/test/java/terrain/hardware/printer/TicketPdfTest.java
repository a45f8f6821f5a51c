// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

class TicketPdfTest {

  private final TicketPdf pdf = new TicketPdf();

  @Test
  void single_whenRenderedAndScanned_givesTheClaimAddress() throws Exception {
    TicketPrint ticket = TestTickets.print(42);

    byte[] bytes = pdf.single(ticket);

    try (PDDocument document = Loader.loadPDF(bytes)) {
      assertEquals(1, document.getNumberOfPages());
      PDPage page = document.getPage(0);
      assertEquals(80.0, page.getMediaBox().getWidth() / TicketPdf.MM, 0.01);
      BufferedImage image = new PDFRenderer(document).renderImageWithDPI(0, 150, ImageType.GRAY);
      assertEquals(ticket.qrContent(), TestTickets.decodeQr(image));
    }
    assertTrue(ticket.qrContent().startsWith("HTTPS://BRIQS.BORDEAUX.FR/T/AEEGW2LP"));
  }

  @Test
  void single_whenFrench_printsTheTextsInPlainFrench() throws Exception {
    TicketPrint ticket = TestTickets.print(42);

    String text = text(pdf.single(ticket));

    assertEquals(LocalDate.of(2027, 5, 27), ticket.expiresOn());
    assertTrue(text.contains("Marché Saint-Michel : votre avis compte"), text);
    assertTrue(text.contains("2 briqs"), text);
    assertTrue(
        text.contains("Scannez ce code avec votre téléphone pour recevoir vos briqs."), text);
    assertTrue(text.contains("Code : " + ticket.shortCode()), text);
    assertTrue(text.contains("Valable jusqu’au 27 mai 2027"), text);
    assertTrue(text.contains("briqs.bordeaux.fr"), text);
  }

  @Test
  void single_whenGoldenInEnglish_saysSo() throws Exception {
    TicketPrint ticket = TestTickets.print(TestTickets.ticket(7, true), Locale.ENGLISH);

    String text = text(pdf.single(ticket));

    assertTrue(text.contains("Golden ticket!"), text);
    assertTrue(text.contains("Scan this code with your phone to receive your briqs."), text);
    assertTrue(text.contains("Valid until May 27, 2027"), text);
  }

  @Test
  void single_whenTitleHasCharactersOutsideTheFont_printsThemAsQuestionMarks() throws Exception {
    TicketPrint ticket =
        new TicketPrint(
            "Fête \u2603 du\u202Fquartier",
            1,
            false,
            LocalDate.of(2027, 1, 1),
            "HTTPS://X/T/AAAA",
            "AAAA-BBBB-CCCC",
            Locale.FRENCH);

    String text = text(pdf.single(ticket));

    assertTrue(text.contains("Fête ? du quartier"), text);
    assertTrue(text.contains(" 1 briq Code : AAAA-BBBB-CCCC "), text);
  }

  @Test
  void sheet_whenFiveTickets_givesTwoA4PagesWhoseCodesAllScan() throws Exception {
    List<TicketPrint> tickets = new ArrayList<>();
    for (int serial = 1; serial <= 5; serial++) {
      tickets.add(TestTickets.print(serial));
    }

    byte[] bytes = pdf.sheet(tickets);

    try (PDDocument document = Loader.loadPDF(bytes)) {
      assertEquals(2, document.getNumberOfPages());
      assertEquals(210.0, document.getPage(0).getMediaBox().getWidth() / TicketPdf.MM, 0.1);
      PDFRenderer renderer = new PDFRenderer(document);
      List<String> found = new ArrayList<>();
      for (int page = 0; page < 2; page++) {
        found.addAll(
            TestTickets.decodeAllQr(renderer.renderImageWithDPI(page, 150, ImageType.GRAY)));
      }
      assertEquals(
          tickets.stream().map(TicketPrint::qrContent).sorted().toList(),
          found.stream().sorted().toList());
    }
  }

  @Test
  void png_whenDecoded_givesTheClaimAddress() throws Exception {
    TicketPrint ticket = TestTickets.print(3);

    byte[] png = new TicketImages(pdf).png(ticket, 96);

    BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
    assertEquals(Math.round(80 / 25.4 * 96), image.getWidth(), 1);
    assertEquals(ticket.qrContent(), TestTickets.decodeQr(image));
  }

  /** The text of a PDF, whitespace collapsed to single spaces. */
  private static String text(byte[] bytes) throws Exception {
    try (PDDocument document = Loader.loadPDF(bytes)) {
      // Lines wrap where the layout decides: compare words, not line breaks.
      return new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
    }
  }
}
