// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import terrain.core.ticket.QrCodes;

/**
 * Lays tickets out as PDF: one 80 mm ticket per page for a receipt printer or a file, or A4 sheets
 * of four tickets with cut marks for workshops.
 *
 * <p>The fonts are PDF's standard Helvetica and Courier, which every reader has, so nothing is
 * embedded and a ticket stays a few kilobytes; they cover French (WinAnsi), and a character they
 * lack prints as "?". The QR code is drawn as vector squares, sharp at any resolution ({@link
 * PdfDrawing}).
 */
public final class TicketPdf {

  static final float MM = PdfDrawing.MM;

  /** Ticket size: the width of a receipt roll, and enough height for the QR code and texts. */
  public static final float WIDTH = 80 * MM;

  public static final float HEIGHT = 128 * MM;

  private static final float MARGIN = 5 * MM;
  private static final float QR_SIZE = 56 * MM;
  private static final int TICKETS_PER_SHEET = 4;

  /**
   * The four fonts, made on the first ticket or slip: reading their metrics loads most of PDFBox,
   * which a kiosk does not need before its first resident (decision 0029).
   */
  private record Fonts(
      PDType1Font regular, PDType1Font bold, PDType1Font mono, PDType1Font plainMono) {
    static Fonts load() {
      return new Fonts(
          new PDType1Font(Standard14Fonts.FontName.HELVETICA),
          new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD),
          new PDType1Font(Standard14Fonts.FontName.COURIER_BOLD),
          new PDType1Font(Standard14Fonts.FontName.COURIER));
    }
  }

  private Fonts fonts;

  private synchronized Fonts fonts() {
    if (fonts == null) {
      fonts = Fonts.load();
    }
    return fonts;
  }

  /** One ticket on an 80 mm × 128 mm page. */
  public byte[] single(TicketPrint ticket) {
    Objects.requireNonNull(ticket, "ticket must not be null");
    try (PDDocument document = new PDDocument()) {
      PDPage page = new PDPage(new PDRectangle(WIDTH, HEIGHT));
      document.addPage(page);
      try (PDPageContentStream out = new PDPageContentStream(document, page)) {
        draw(out, ticket, 0, 0);
      }
      return save(document);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lay out a ticket in memory", e);
    }
  }

  /**
   * A slip on an 80 mm wide page as tall as its lines: the title in bold, the lines in Courier so
   * columns line up.
   */
  public byte[] slip(Slip slip) {
    Objects.requireNonNull(slip, "slip must not be null");
    float size = 8;
    Fonts f = fonts();
    float width = WIDTH - 2 * MARGIN;
    try (PDDocument document = new PDDocument()) {
      List<String> title = PdfDrawing.wrap(slip.title(), f.bold(), 10, width);
      List<String> lines = new java.util.ArrayList<>();
      for (String line : slip.lines()) {
        List<String> wrapped = PdfDrawing.wrap(line, f.plainMono(), size, width);
        lines.addAll(wrapped.isEmpty() ? List.of("") : wrapped);
      }
      float height = 2 * MARGIN + title.size() * 12 + 6 + lines.size() * (size + 2);
      PDPage page = new PDPage(new PDRectangle(WIDTH, height));
      document.addPage(page);
      try (PDPageContentStream out = new PDPageContentStream(document, page)) {
        float top = height - MARGIN;
        for (String line : title) {
          top -= 12;
          centered(out, line, f.bold(), 10, 0, top);
        }
        top -= 6;
        for (String line : lines) {
          top -= size + 2;
          PdfDrawing.text(out, line, f.plainMono(), size, MARGIN, top);
        }
      }
      return save(document);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lay out a slip in memory", e);
    }
  }

  /** A4 pages of four tickets each, with dashed cut lines around every ticket. */
  public byte[] sheet(List<TicketPrint> tickets) {
    Objects.requireNonNull(tickets, "tickets must not be null");
    if (tickets.isEmpty()) {
      throw new IllegalArgumentException("tickets must not be empty");
    }
    float gapX = (PDRectangle.A4.getWidth() - 2 * WIDTH) / 3;
    float gapY = (PDRectangle.A4.getHeight() - 2 * HEIGHT) / 3;
    try (PDDocument document = new PDDocument()) {
      for (int first = 0; first < tickets.size(); first += TICKETS_PER_SHEET) {
        PDPage page = new PDPage(PDRectangle.A4);
        document.addPage(page);
        try (PDPageContentStream out = new PDPageContentStream(document, page)) {
          for (int i = first; i < Math.min(tickets.size(), first + TICKETS_PER_SHEET); i++) {
            int cell = i - first;
            float x = gapX + (cell % 2) * (WIDTH + gapX);
            float y = PDRectangle.A4.getHeight() - (cell / 2 + 1) * (HEIGHT + gapY);
            cutLines(out, x, y);
            draw(out, tickets.get(i), x, y);
          }
        }
      }
      return save(document);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lay out a sheet of tickets in memory", e);
    }
  }

  private static byte[] save(PDDocument document) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
    document.save(bytes);
    return bytes.toByteArray();
  }

  private void cutLines(PDPageContentStream out, float x, float y) throws IOException {
    out.saveGraphicsState();
    out.setStrokingColor(Color.GRAY);
    out.setLineWidth(0.5f);
    out.setLineDashPattern(new float[] {3, 3}, 0);
    out.addRect(x, y, WIDTH, HEIGHT);
    out.stroke();
    out.restoreGraphicsState();
  }

  /** Draws one ticket with its lower left corner at (x, y). */
  private void draw(PDPageContentStream out, TicketPrint ticket, float x, float y)
      throws IOException {
    TicketText text = TicketText.of(ticket);
    Fonts f = fonts();
    float width = WIDTH - 2 * MARGIN;
    float top = y + HEIGHT - MARGIN;

    List<String> title = PdfDrawing.wrap(ticket.eventTitle(), f.bold(), 11, width);
    for (String line : title.subList(0, Math.min(3, title.size()))) {
      top -= 13;
      centered(out, line, f.bold(), 11, x, top);
    }
    top -= 4 * MM + 24;
    centered(out, text.briqs(), f.bold(), 24, x, top);
    if (ticket.golden()) {
      top -= 16;
      centered(out, text.golden(), f.bold(), 12, x, top);
    }
    top -= 3 * MM;
    top -= QR_SIZE;
    PdfDrawing.qr(out, QrCodes.encode(ticket.qrContent()), x + (WIDTH - QR_SIZE) / 2, top, QR_SIZE);
    top -= 14;
    centered(out, text.code(), f.mono(), 11, x, top);
    top -= 3 * MM;
    for (String line : PdfDrawing.wrap(text.instructions(), f.regular(), 9, width)) {
      top -= 11;
      centered(out, line, f.regular(), 9, x, top);
    }
    for (String line : PdfDrawing.wrap(text.typeCode(), f.regular(), 8, width)) {
      top -= 10;
      centered(out, line, f.regular(), 8, x, top);
    }
    top -= 13;
    centered(out, text.expires(), f.bold(), 9, x, top);
  }

  private static void centered(
      PDPageContentStream out, String line, PDType1Font font, float size, float x, float y)
      throws IOException {
    PdfDrawing.centred(out, line, font, size, x + WIDTH / 2, y);
  }
}
