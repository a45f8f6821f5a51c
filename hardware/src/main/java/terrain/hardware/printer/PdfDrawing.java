// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import com.google.zxing.common.BitMatrix;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import terrain.core.ticket.QrCodes;

/**
 * Drawing helpers shared by the PDFs of tickets and of enrolment kits (provisioning): text in PDF's
 * standard fonts (WinAnsi; a character they lack prints as "?"), fitted and wrapped to a width, and
 * QR codes drawn as vector squares, sharp at any resolution.
 */
public final class PdfDrawing {

  /** Points in a millimetre. */
  public static final float MM = 72f / 25.4f;

  private PdfDrawing() {}

  /** {@code line} with its baseline starting at (x, y), in the current colour. */
  public static void text(
      PDPageContentStream out, String line, PDType1Font font, float size, float x, float y)
      throws IOException {
    out.beginText();
    out.setFont(font, size);
    out.newLineAtOffset(x, y);
    out.showText(printable(line, font));
    out.endText();
  }

  /** {@code line} centred on {@code centre}, its baseline at {@code y}. */
  public static void centred(
      PDPageContentStream out, String line, PDType1Font font, float size, float centre, float y)
      throws IOException {
    String printable = printable(line, font);
    text(out, printable, font, size, centre - width(printable, font, size) / 2, y);
  }

  /** The width of {@code text} once printable, in points. */
  public static float width(String text, PDType1Font font, float size) throws IOException {
    return font.getStringWidth(printable(text, font)) / 1000 * size;
  }

  /** {@code text} cut with an ellipsis to fit {@code width}. */
  public static String cut(String text, PDType1Font font, float size, float width)
      throws IOException {
    if (width(text, font, size) <= width) {
      return text;
    }
    String t = text;
    while (t.length() > 1 && width(t + "\u2026", font, size) > width) {
      t = t.substring(0, t.length() - 1);
    }
    return t + "\u2026";
  }

  /** Greedy word wrap into lines of {@code width}; a word longer than a line is cut. */
  public static List<String> wrap(String text, PDType1Font font, float size, float width)
      throws IOException {
    return wrap(text, font, size, y -> width, 0, 0);
  }

  /**
   * Greedy word wrap where each line's width depends on its baseline: line i is at {@code y - i *
   * leading}. A word longer than a line is cut.
   */
  public static List<String> wrap(
      String text,
      PDType1Font font,
      float size,
      DoubleUnaryOperator widthAt,
      float y,
      float leading)
      throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : printable(text, font).strip().split("\\s+")) {
      if (word.isEmpty()) {
        continue;
      }
      float width = (float) widthAt.applyAsDouble(y - lines.size() * leading);
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (width(candidate, font, size) <= width) {
        line.setLength(0);
        line.append(candidate);
        continue;
      }
      if (!line.isEmpty()) {
        lines.add(line.toString());
        line.setLength(0);
        width = (float) widthAt.applyAsDouble(y - lines.size() * leading);
      }
      String rest = word;
      while (width(rest, font, size) > width) {
        int cut = rest.length() - 1;
        while (cut > 1 && width(rest.substring(0, cut), font, size) > width) {
          cut--;
        }
        lines.add(rest.substring(0, cut));
        rest = rest.substring(cut);
        width = (float) widthAt.applyAsDouble(y - lines.size() * leading);
      }
      line.append(rest);
    }
    if (!line.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }

  /** {@code text} with spaces for any kind of space and "?" for what the font cannot show. */
  public static String printable(String text, PDType1Font font) {
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

  /**
   * The QR code {@code matrix} (from {@link QrCodes}) in a square of {@code size} whose lower left
   * corner is (x, y), with its quiet zone inside the square, filled in the current colour.
   */
  public static void qr(PDPageContentStream out, BitMatrix matrix, float x, float y, float size)
      throws IOException {
    int modules = matrix.getWidth() + 2 * QrCodes.QUIET_ZONE;
    float module = size / modules;
    float left = x + QrCodes.QUIET_ZONE * module;
    float topEdge = y + size - QrCodes.QUIET_ZONE * module;
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
}
