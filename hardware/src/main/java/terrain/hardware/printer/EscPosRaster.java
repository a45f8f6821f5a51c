// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * ESC/POS bytes that print a ticket as a raster image on an 80 mm thermal printer: 576 dots (72 mm)
 * per line at 203 dpi.
 *
 * <p>The bytes are {@code ESC @} (reset), then the image in bands of at most {@value #BAND_ROWS}
 * rows, each a {@code GS v 0} command ({@code 1D 76 30 00 xL xH yL yH} then {@code x * y} bytes,
 * one bit per dot, most significant bit leftmost, 1 for black), then {@code ESC d 4} (feed four
 * lines) and {@code GS V 66 0} (feed to the cutter and cut). Bands keep each command within what
 * small printers buffer.
 */
public final class EscPosRaster {

  /** Printable dots per line of an 80 mm printer. */
  public static final int WIDTH_DOTS = 576;

  static final int BAND_ROWS = 256;

  /** Below this grey level (0 black to 255 white) a pixel prints as a dot. */
  private static final int THRESHOLD = 160;

  private final TicketImages images;

  public EscPosRaster(TicketImages images) {
    this.images = Objects.requireNonNull(images, "images must not be null");
  }

  /** The bytes that print {@code ticket}, centred on the paper, then feed and cut. */
  public byte[] print(TicketPrint ticket) {
    BufferedImage page = images.render(ticket, TicketImages.PRINTER_DPI);
    int left = Math.max(0, (page.getWidth() - WIDTH_DOTS) / 2);
    int width = Math.min(WIDTH_DOTS, page.getWidth());
    return encode(page.getSubimage(left, 0, width, page.getHeight()));
  }

  /** The bytes that print {@code image}, at most {@link #WIDTH_DOTS} wide, then feed and cut. */
  public static byte[] encode(BufferedImage image) {
    Objects.requireNonNull(image, "image must not be null");
    if (image.getWidth() > WIDTH_DOTS) {
      throw new IllegalArgumentException(
          "image width [" + image.getWidth() + "] must be at most " + WIDTH_DOTS + " dots");
    }
    int bytesPerRow = (image.getWidth() + 7) / 8;
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(bytesPerRow * image.getHeight() + 16 * (1 + image.getHeight()));
    out.write(0x1B);
    out.write('@');
    bands(image, out);
    out.write(0x1B);
    out.write('d');
    out.write(4);
    out.write(0x1D);
    out.write('V');
    out.write(66);
    out.write(0);
    return out.toByteArray();
  }

  /**
   * Writes {@code image} as {@code GS v 0} commands of at most {@value #BAND_ROWS} rows each, one
   * bit per dot, dark pixels black.
   */
  static void bands(BufferedImage image, ByteArrayOutputStream out) {
    int bytesPerRow = (image.getWidth() + 7) / 8;
    Raster raster = grey(image).getRaster();
    int[] row = new int[image.getWidth()];
    for (int top = 0; top < image.getHeight(); top += BAND_ROWS) {
      int rows = Math.min(BAND_ROWS, image.getHeight() - top);
      out.write(0x1D);
      out.write('v');
      out.write('0');
      out.write(0); // normal density
      out.write(bytesPerRow & 0xFF);
      out.write(bytesPerRow >> 8);
      out.write(rows & 0xFF);
      out.write(rows >> 8);
      for (int y = top; y < top + rows; y++) {
        raster.getSamples(0, y, image.getWidth(), 1, 0, row);
        for (int b = 0; b < bytesPerRow; b++) {
          int bits = 0;
          for (int bit = 0; bit < 8; bit++) {
            int x = b * 8 + bit;
            if (x < row.length && row[x] < THRESHOLD) {
              bits |= 0x80 >> bit;
            }
          }
          out.write(bits);
        }
      }
    }
  }

  private static BufferedImage grey(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      return image;
    }
    BufferedImage grey =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    grey.getGraphics().drawImage(image, 0, 0, null);
    return grey;
  }
}
