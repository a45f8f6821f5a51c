// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.ticket.Ticket;
import terrain.core.ticket.TicketCodec;

/** Tickets signed with a fixed test key, and QR decoding of rendered images. */
final class TestTickets {

  /** The secret key of RFC 8032, section 7.1, test 1. */
  static final DeviceKeys KEYS =
      DeviceKeys.fromSeed(
          HexFormat.of()
              .parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

  static final String TITLE = "Marché Saint-Michel : votre avis compte";
  static final String HOST = "briqs.bordeaux.fr";
  static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private TestTickets() {}

  static Ticket ticket(long serial, boolean golden) {
    return Ticket.of(
        DeviceId.of("kiosk-01"),
        serial,
        EventId.of("marche-2026-11-28"),
        "response",
        2,
        Instant.parse("2026-11-28T10:15:00Z").getEpochSecond(),
        180,
        golden);
  }

  static TicketPrint print(long serial) {
    return print(ticket(serial, false), Locale.FRENCH);
  }

  static TicketPrint print(Ticket ticket, Locale language) {
    return TicketPrint.of(
        TicketCodec.sign(ticket, KEYS.privateKey()), TITLE, HOST, PARIS, language);
  }

  /** The text of the one QR code in {@code image}. */
  static String decodeQr(BufferedImage image) throws NotFoundException {
    try {
      return new QRCodeReader().decode(bitmap(image), hints()).getText();
    } catch (com.google.zxing.ChecksumException | com.google.zxing.FormatException e) {
      throw new AssertionError("QR code found but unreadable: " + e, e);
    }
  }

  /** The texts of every QR code in {@code image}, sorted. */
  static List<String> decodeAllQr(BufferedImage image) throws NotFoundException {
    Result[] results = new QRCodeMultiReader().decodeMultiple(bitmap(image), hints());
    return Arrays.stream(results).map(Result::getText).sorted().toList();
  }

  /** An image of a bitmap, black where true, with a white border of {@code border} pixels. */
  static BufferedImage image(boolean[][] dots, int border) {
    int height = dots.length;
    int width = dots[0].length;
    BufferedImage image =
        new BufferedImage(width + 2 * border, height + 2 * border, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int dx = x - border;
        int dy = y - border;
        boolean black = dx >= 0 && dy >= 0 && dx < width && dy < height && dots[dy][dx];
        image.setRGB(x, y, black ? 0x000000 : 0xFFFFFF);
      }
    }
    return image;
  }

  private static BinaryBitmap bitmap(BufferedImage image) {
    int[] pixels =
        image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    LuminanceSource source = new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels);
    return new BinaryBitmap(new HybridBinarizer(source));
  }

  private static Map<DecodeHintType, Object> hints() {
    return Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE);
  }
}
