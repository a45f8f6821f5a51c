// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
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
    try {
      return new QRCodeWriter()
          .encode(
              content,
              BarcodeFormat.QR_CODE,
              0,
              0,
              Map.of(
                  EncodeHintType.ERROR_CORRECTION,
                  ErrorCorrectionLevel.M,
                  EncodeHintType.MARGIN,
                  0));
    } catch (WriterException e) {
      throw new IllegalArgumentException(
          "QR content of " + content.length() + " characters does not fit a QR code: " + e, e);
    }
  }
}
