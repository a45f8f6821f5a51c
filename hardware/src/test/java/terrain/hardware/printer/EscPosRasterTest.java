// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class EscPosRasterTest {

  @Test
  void encode_whenTinyImage_givesGoldenBytes() {
    // 10 x 2 dots: row 0 has dots 0 and 9 black, row 1 has dot 1 black.
    BufferedImage image = new BufferedImage(10, 2, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 10; x++) {
        image.getRaster().setSample(x, y, 0, 255);
      }
    }
    image.getRaster().setSample(0, 0, 0, 0);
    image.getRaster().setSample(9, 0, 0, 0);
    image.getRaster().setSample(1, 1, 0, 0);

    byte[] bytes = EscPosRaster.encode(image);

    assertEquals(
        "1b40" // ESC @: reset
            + "1d7630" // GS v 0: raster image
            + "00" // m: normal density
            + "0200" // xL xH: 2 bytes per row
            + "0200" // yL yH: 2 rows
            + "8040" // row 0: 1000 0000, 01 00 0000 (dots 0 and 9)
            + "4000" // row 1: 0100 0000, 0000 0000 (dot 1)
            + "1b6404" // ESC d 4: feed four lines
            + "1d564200", // GS V 66 0: feed and cut
        HexFormat.of().formatHex(bytes));
  }

  @Test
  void print_whenDecodedAsAPrinterWould_givesAScannableCode() throws Exception {
    TicketPrint ticket = TestTickets.print(42);

    byte[] bytes = new EscPosRaster(new TicketImages(new TicketPdf())).print(ticket);

    boolean[][] dots = GsV0Decoder.decode(bytes);
    assertEquals(EscPosRaster.WIDTH_DOTS, dots[0].length);
    assertEquals(Math.round(128 / 25.4 * 203), dots.length, 1);
    assertEquals(ticket.qrContent(), TestTickets.decodeQr(TestTickets.image(dots, 16)));
  }

  @Test
  void encode_whenWiderThanThePaper_throwsNamingTheLimit() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EscPosRaster.encode(new BufferedImage(577, 1, BufferedImage.TYPE_BYTE_GRAY)));

    assertEquals("image width [577] must be at most 576 dots", e.getMessage());
  }

  @Test
  void encode_whenTallerThanABand_splitsIntoBandsThatStackBack() {
    BufferedImage image = new BufferedImage(16, 600, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 600; y++) {
      for (int x = 0; x < 16; x++) {
        image.getRaster().setSample(x, y, 0, (x + y) % 3 == 0 ? 0 : 255);
      }
    }

    boolean[][] dots = GsV0Decoder.decode(EscPosRaster.encode(image));

    assertEquals(600, dots.length);
    for (int y = 0; y < 600; y++) {
      boolean[] expected = new boolean[16];
      for (int x = 0; x < 16; x++) {
        expected[x] = (x + y) % 3 == 0;
      }
      assertArrayEquals(expected, dots[y], "row " + y);
    }
  }

  /**
   * Reads ESC/POS bytes as a printer would: {@code ESC @}, then {@code GS v 0} raster blocks
   * stacked top to bottom, then feed and cut. Anything else is a test failure.
   */
  static final class GsV0Decoder {

    static boolean[][] decode(byte[] bytes) {
      int at = 0;
      expect(bytes, at, 0x1B, '@');
      at += 2;
      List<boolean[]> rows = new ArrayList<>();
      int width = -1;
      while (at < bytes.length && (bytes[at] & 0xFF) == 0x1D && bytes[at + 1] == 'v') {
        expect(bytes, at, 0x1D, 'v', '0');
        int mode = bytes[at + 3] & 0xFF;
        if (mode != 0) {
          throw new AssertionError("density mode " + mode + ", expected 0");
        }
        int x = (bytes[at + 4] & 0xFF) | (bytes[at + 5] & 0xFF) << 8;
        int y = (bytes[at + 6] & 0xFF) | (bytes[at + 7] & 0xFF) << 8;
        at += 8;
        if (width >= 0 && width != x * 8) {
          throw new AssertionError("band width changed from " + width + " to " + x * 8);
        }
        width = x * 8;
        for (int row = 0; row < y; row++) {
          boolean[] dots = new boolean[width];
          for (int b = 0; b < x; b++) {
            int value = bytes[at++] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
              dots[b * 8 + bit] = (value & (0x80 >> bit)) != 0;
            }
          }
          rows.add(dots);
        }
      }
      expect(bytes, at, 0x1B, 'd', 4, 0x1D, 'V', 66, 0);
      if (at + 7 != bytes.length) {
        throw new AssertionError((bytes.length - at - 7) + " unexpected bytes after the cut");
      }
      return rows.toArray(new boolean[0][]);
    }

    private static void expect(byte[] bytes, int at, int... values) {
      for (int i = 0; i < values.length; i++) {
        if (at + i >= bytes.length || (bytes[at + i] & 0xFF) != values[i]) {
          throw new AssertionError(
              "byte " + (at + i) + " is not " + Integer.toHexString(values[i]));
        }
      }
    }
  }
}
