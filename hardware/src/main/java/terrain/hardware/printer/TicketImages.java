// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * Tickets as images, drawn from their PDF so that every output shows the same layout: PNG for
 * screens and files, and grey bitmaps for {@link EscPosRaster}.
 */
public final class TicketImages {

  /** The resolution of common receipt printers: 8 dots per millimetre. */
  public static final float PRINTER_DPI = 203;

  private final TicketPdf pdf;

  public TicketImages(TicketPdf pdf) {
    this.pdf = Objects.requireNonNull(pdf, "pdf must not be null");
  }

  /** The whole 80 mm ticket in shades of grey at {@code dpi}. */
  public BufferedImage render(TicketPrint ticket, float dpi) {
    return render(pdf.single(ticket), dpi);
  }

  /** The ticket as a PNG file at {@code dpi} (203 for print size, 96 for a screen). */
  public byte[] png(TicketPrint ticket, float dpi) {
    BufferedImage image = render(ticket, dpi);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32_768);
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a PNG in memory", e);
    }
    return bytes.toByteArray();
  }

  /** The first page of {@code pdfBytes} in shades of grey at {@code dpi}. */
  static BufferedImage render(byte[] pdfBytes, float dpi) {
    try (PDDocument document = Loader.loadPDF(pdfBytes)) {
      return new PDFRenderer(document).renderImageWithDPI(0, dpi, ImageType.GRAY);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render a ticket PDF made in memory", e);
    }
  }
}
