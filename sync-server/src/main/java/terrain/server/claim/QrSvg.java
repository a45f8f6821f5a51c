// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import com.google.zxing.common.BitMatrix;
import terrain.core.ticket.QrCodes;

/**
 * A QR code as inline SVG (one path, no image request, fine under the pages' CSP), read back before
 * it is shown ({@link QrCodes}).
 */
final class QrSvg {
  private QrSvg() {}

  /**
   * @param label the accessible name of the image, escaped
   */
  static String of(String text, String label) {
    BitMatrix matrix = QrCodes.encode(text);
    int quiet = QrCodes.QUIET_ZONE;
    int size = matrix.getWidth() + 2 * quiet;
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < matrix.getHeight(); y++) {
      for (int x = 0; x < matrix.getWidth(); x++) {
        if (matrix.get(x, y)) {
          path.append('M').append(x + quiet).append(' ').append(y + quiet).append("h1v1h-1z");
        }
      }
    }
    return "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
        + size
        + " "
        + size
        + "\" role=\"img\" aria-label=\""
        + label
        + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
        + "<path fill=\"#000\" d=\""
        + path
        + "\"/></svg>";
  }
}
