// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.EnumMap;
import java.util.Map;

/**
 * QR codes for tickets: error correction M (15 %), no quiet zone (the layout leaves it). Public for
 * the kiosk's thank-you screen, which shows the same code as the printed ticket.
 */
public final class QrCodes {

  /** Modules of white around the code, as the QR standard asks. */
  public static final int QUIET_ZONE = 4;

  private QrCodes() {}

  /**
   * The modules of the QR code of {@code content}, black where true. An uppercase ticket address is
   * encoded in alphanumeric mode (ZXing chooses it when every character allows it).
   */
  public static BitMatrix encode(String content) {
    return encode(content, Map.of());
  }

  /**
   * As {@link #encode}, for any text (an enrolment text with lower-case letters): byte mode in
   * UTF-8, which the code declares (ECI) so that readers do not guess.
   */
  public static BitMatrix encodeUtf8(String content) {
    return encode(content, Map.of(EncodeHintType.CHARACTER_SET, "UTF-8"));
  }

  private static BitMatrix encode(String content, Map<EncodeHintType, Object> more) {
    Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
    hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
    hints.put(EncodeHintType.MARGIN, 0);
    hints.putAll(more);
    try {
      return new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0, hints);
    } catch (WriterException e) {
      throw new IllegalArgumentException(
          "QR content of " + content.length() + " characters does not fit a QR code: " + e, e);
    }
  }
}
