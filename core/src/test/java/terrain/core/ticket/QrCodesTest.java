// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.EncodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QrCodesTest {

  /**
   * A ticket address printed on an attendance sheet in CI (2026-12-05) whose code, with the mask
   * the standard's penalties choose, ZXing did not find at 150, 200 or 300 dpi; zbar read it.
   */
  private static final String UNFOUND =
      "HTTPS://127.0.0.1:47089/T/AEGGW2LPONVS2N3EM5TXU2IFC5QXIZLMNFSXELLQMFZGGLJSGAZDMLJRGIWTCMQDAO"
          + "IL7IYOWQAQBH2ZZRN4NJN3KVFRX6LKW3QPGLDKO7MTMITGOJGC3FR22XUMRL5YQ6NAYTTOLZJYX6RRA65FDHFA"
          + "RGYQKOZVEK6RZLRV57SESDLABUGA";

  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  @Test
  void encode_whenTheStandardMaskIsNotFoundByZxing_choosesAMaskThatReadsAtEverySize()
      throws Exception {
    BitMatrix standard =
        new QRCodeWriter()
            .encode(
                UNFOUND,
                BarcodeFormat.QR_CODE,
                0,
                0,
                Map.of(
                    EncodeHintType.ERROR_CORRECTION,
                    ErrorCorrectionLevel.M,
                    EncodeHintType.MARGIN,
                    0));
    assertEquals(List.of(), read(standard, 6), "ZXing's own choice is not found");

    BitMatrix printed = QrCodes.encode(UNFOUND);

    assertEquals(standard.getWidth(), printed.getWidth(), "same version, same size on paper");
    for (int scale : new int[] {3, 4, 6, 10}) {
      assertEquals(List.of(UNFOUND, UNFOUND), read(printed, scale), scale + " px a module");
    }
  }

  @Test
  void encode_whenManyTicketAddresses_everyOneReadsBack() throws Exception {
    Random random = new Random(20261205);
    List<String> unread = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String address = address(random);
      for (int scale : new int[] {3, 6}) {
        if (!read(QrCodes.encode(address), scale).equals(List.of(address, address))) {
          unread.add(scale + " px: " + address);
        }
      }
    }
    assertEquals(List.of(), unread);
  }

  @Test
  void encodeUtf8_whenEnrolmentTextWithAccents_readsBackTheSameText() throws Exception {
    String text = "terrain:enrol?hub=hub-marché.local&kiosk=kiosk-07&token=aZ9-é";

    assertEquals(List.of(text, text), read(QrCodes.encodeUtf8(text), 5));
  }

  @Test
  void reads_whenACodeIsForAnotherText_isFalse() {
    assertFalse(QrCodes.reads(QrCodes.encode("HTTPS://A.EXAMPLE/T/AAAA"), "HTTPS://B.EXAMPLE"));
    assertTrue(
        QrCodes.reads(QrCodes.encode("HTTPS://A.EXAMPLE/T/AAAA"), "HTTPS://A.EXAMPLE/T/AAAA"));
  }

  private static String address(Random random) {
    StringBuilder address = new StringBuilder("HTTPS://127.0.0.1:47089/T/");
    for (int k = 0; k < 160; k++) {
      address.append(BASE32.charAt(random.nextInt(BASE32.length())));
    }
    return address.toString();
  }

  /**
   * The texts ZXing reads from a rendering of {@code code} at {@code scale} pixels a module with
   * its quiet zone: as a plain reader, then trying harder (an empty list when neither finds it).
   */
  private static List<String> read(BitMatrix code, int scale) {
    int side = (code.getWidth() + 2 * QrCodes.QUIET_ZONE) * scale;
    int[] pixels = new int[side * side];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int mx = x / scale - QrCodes.QUIET_ZONE;
        int my = y / scale - QrCodes.QUIET_ZONE;
        boolean black =
            mx >= 0 && my >= 0 && mx < code.getWidth() && my < code.getHeight() && code.get(mx, my);
        pixels[y * side + x] = black ? 0xFF000000 : 0xFFFFFFFF;
      }
    }
    List<String> texts = new ArrayList<>();
    for (Map<DecodeHintType, ?> hints :
        List.<Map<DecodeHintType, ?>>of(Map.of(), Map.of(DecodeHintType.TRY_HARDER, true))) {
      try {
        texts.add(
            new QRCodeReader()
                .decode(
                    new BinaryBitmap(
                        new HybridBinarizer(new RGBLuminanceSource(side, side, pixels))),
                    hints)
                .getText());
      } catch (ReaderException notFound) {
        // not read this way
      }
    }
    return texts;
  }
}
