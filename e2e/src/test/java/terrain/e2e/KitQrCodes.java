// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/** Reads back every QR code of a kit PDF, page by page, top to bottom, as a phone would. */
final class KitQrCodes {
  private KitQrCodes() {}

  static List<String> read(Path pdf) throws Exception {
    List<String> texts = new ArrayList<>();
    try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
      PDFRenderer renderer = new PDFRenderer(document);
      for (int page = 0; page < document.getNumberOfPages(); page++) {
        BufferedImage image = renderer.renderImageWithDPI(page, 150, ImageType.GRAY);
        int[] pixels =
            image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        Result[] found;
        try {
          found =
              new QRCodeMultiReader()
                  .decodeMultiple(
                      new BinaryBitmap(
                          new HybridBinarizer(
                              new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels))),
                      Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE));
        } catch (NotFoundException e) {
          throw new AssertionError("no QR code on page " + (page + 1) + " of " + pdf, e);
        }
        Arrays.stream(found)
            .sorted(Comparator.comparingDouble(r -> r.getResultPoints()[0].getY()))
            .forEach(r -> texts.add(r.getText()));
      }
    }
    return texts;
  }
}
