// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import com.google.zxing.common.BitMatrix;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * Lays tickets out as PDF: one 80 mm ticket per page for a receipt printer or a file, or A4 sheets
 * of four tickets with cut marks for workshops.
 *
 * <p>The fonts are PDF's standard Helvetica and Courier, which every reader has, so nothing is
 * embedded and a ticket stays a few kilobytes; they cover French (WinAnsi), and a character they
 * lack prints as "?". The QR code is drawn as vector squares, sharp at any resolution.
 */
public final class TicketPdf {

  static final float MM = 72f / 25.4f;

  /** Ticket size: the width of a receipt roll, and enough height for the QR code and texts. */
  public static final float WIDTH = 80 * MM;

  public static final float HEIGHT = 128 * MM;

  private static final float MARGIN = 5 * MM;
  private static final float QR_SIZE = 56 * MM;
  private static final int TICKETS_PER_SHEET = 4;

  private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
  private final PDType1Font mono = new PDType1Font(Standard14Fonts.FontName.COURIER_BOLD);

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
    float width = WIDTH - 2 * MARGIN;
    float top = y + HEIGHT - MARGIN;

    List<String> title = wrap(ticket.eventTitle(), bold, 11, width);
    for (String line : title.subList(0, Math.min(3, title.size()))) {
      top -= 13;
      centered(out, line, bold, 11, x, top);
    }
    top -= 4 * MM + 24;
    centered(out, text.briqs(), bold, 24, x, top);
    if (ticket.golden()) {
      top -= 16;
      centered(out, text.golden(), bold, 12, x, top);
    }
    top -= 3 * MM;
    top -= QR_SIZE;
    qr(out, ticket.qrContent(), x + (WIDTH - QR_SIZE) / 2, top);
    top -= 14;
    centered(out, text.code(), mono, 11, x, top);
    top -= 3 * MM;
    for (String line : wrap(text.instructions(), regular, 9, width)) {
      top -= 11;
      centered(out, line, regular, 9, x, top);
    }
    for (String line : wrap(text.typeCode(), regular, 8, width)) {
      top -= 10;
      centered(out, line, regular, 8, x, top);
    }
    top -= 13;
    centered(out, text.expires(), bold, 9, x, top);
  }

  /** The QR code in a square of {@link #QR_SIZE} whose lower left corner is (x, y). */
  private void qr(PDPageContentStream out, String content, float x, float y) throws IOException {
    BitMatrix matrix = QrCodes.encode(content);
    int modules = matrix.getWidth() + 2 * QrCodes.QUIET_ZONE;
    float module = QR_SIZE / modules;
    float left = x + QrCodes.QUIET_ZONE * module;
    float topEdge = y + QR_SIZE - QrCodes.QUIET_ZONE * module;
    for (int row = 0; row < matrix.getHeight(); row++) {
      int column = 0;
      while (column < matrix.getWidth()) {
        if (!matrix.get(column, row)) {
          column++;
          continue;
        }
        int start = column;
        while (column < matrix.getWidth() && matrix.get(column, row)) {
          column++;
        }
        // A hair wider and taller than the module, so neighbours overlap without white seams.
        out.addRect(
            left + start * module,
            topEdge - (row + 1) * module - 0.05f,
            (column - start) * module + 0.05f,
            module + 0.05f);
      }
    }
    out.fill();
  }

  private void centered(
      PDPageContentStream out, String line, PDType1Font font, float size, float x, float y)
      throws IOException {
    String printable = printable(line, font);
    float lineWidth = width(printable, font, size);
    out.beginText();
    out.setFont(font, size);
    out.newLineAtOffset(x + (WIDTH - lineWidth) / 2, y);
    out.showText(printable);
    out.endText();
  }

  /** Greedy word wrap; a word longer than a line is cut. */
  List<String> wrap(String text, PDType1Font font, float size, float width) throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : printable(text, font).strip().split("\\s+")) {
      if (word.isEmpty()) {
        continue;
      }
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (width(candidate, font, size) <= width) {
        line.setLength(0);
        line.append(candidate);
        continue;
      }
      if (!line.isEmpty()) {
        lines.add(line.toString());
        line.setLength(0);
      }
      String rest = word;
      while (width(rest, font, size) > width) {
        int cut = rest.length() - 1;
        while (cut > 1 && width(rest.substring(0, cut), font, size) > width) {
          cut--;
        }
        lines.add(rest.substring(0, cut));
        rest = rest.substring(cut);
      }
      line.append(rest);
    }
    if (!line.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }

  private static float width(String text, PDType1Font font, float size) throws IOException {
    return font.getStringWidth(text) / 1000 * size;
  }

  /** {@code text} with spaces for any kind of space and "?" for what the font cannot show. */
  static String printable(String text, PDType1Font font) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (Character.isSpaceChar(c) || Character.isWhitespace(c)) {
                out.append(' ');
              } else if (canShow(font, c)) {
                out.appendCodePoint(c);
              } else {
                out.append('?');
              }
            });
    return out.toString();
  }

  private static boolean canShow(PDType1Font font, int codePoint) {
    try {
      font.encode(new String(Character.toChars(codePoint)));
      return true;
    } catch (IllegalArgumentException | IOException e) {
      return false;
    }
  }
}
