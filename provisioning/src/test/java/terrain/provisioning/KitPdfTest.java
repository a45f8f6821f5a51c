// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;

class KitPdfTest {

  static final Instant EXPIRES = Instant.parse("2026-11-29T17:00:00Z");

  static List<KitDevice> threeDevices() {
    SecureRandom random = new SecureRandom();
    String server = "https://terrain.bordeaux.example.fr";
    return List.of(
        device("kiosk-3f9a1c", DeviceKind.KIOSK, "Borne entrée marché", server, random),
        device("tablet-07b2e4", DeviceKind.TABLET, "Tablette équipe été", server, random),
        device("hub-a1b2c3", DeviceKind.HUB, "Hub place Saint-Michel", server, random));
  }

  static KitDevice device(
      String id, DeviceKind kind, String name, String server, SecureRandom random) {
    String enrolment = server + "/enrol#v1/" + id + "/" + EnrolmentText.newToken(random);
    return new KitDevice(
        id,
        kind,
        name,
        "marche-2026-11-28",
        enrolment,
        EXPIRES,
        kind == DeviceKind.HUB ? Optional.empty() : Optional.of("tcp://192.168.1.10:1883"));
  }

  @Test
  void kit_threeDevices_twoPages_everyQrReadsBackToItsEnrolmentText() throws Exception {
    List<KitDevice> devices = threeDevices();
    byte[] pdf = new KitPdf(Locale.FRENCH, ZoneId.of("Europe/Paris")).render(devices);
    List<String> decoded = new ArrayList<>();
    try (PDDocument document = Loader.loadPDF(pdf)) {
      assertEquals(2, document.getNumberOfPages());
      PDFRenderer renderer = new PDFRenderer(document);
      for (int page = 0; page < document.getNumberOfPages(); page++) {
        BufferedImage image = renderer.renderImageWithDPI(page, 100, ImageType.RGB);
        for (Result result : decode(image)) {
          decoded.add(result.getText());
        }
      }
    }
    assertEquals(
        devices.stream().map(KitDevice::enrolment).sorted().toList(),
        decoded.stream().sorted().toList());
  }

  @Test
  void kit_french_labelsNamesIdsExpiryAndAccents() throws IOException {
    byte[] pdf = new KitPdf(Locale.FRENCH, ZoneId.of("Europe/Paris")).render(threeDevices());
    String text;
    try (PDDocument document = Loader.loadPDF(pdf)) {
      text = new PDFTextStripper().getText(document);
    }
    for (String expected :
        List.of(
            "Kit d’enrôlement Terrain",
            "Événement : marche-2026-11-28",
            "Borne entrée marché",
            "kiosk-3f9a1c",
            "Tablette équipe été",
            "hub-a1b2c3",
            "Hub : tcp://192.168.1.10:1883",
            "Valable jusqu’au dimanche 29 novembre 2026 à 18:00",
            "terrain kiosk --enrol TEXTE",
            "terrain kiosk --mode tablet --enrol TEXTE",
            "terrain hub --enrol TEXTE",
            "Serveur : https://terrain.bordeaux.example.fr")) {
      assertTrue(text.contains(expected), () -> "missing [" + expected + "] in:\n" + text);
    }
  }

  @Test
  void kit_english_secondBundle() throws IOException {
    byte[] pdf =
        new KitPdf(Locale.ENGLISH, ZoneId.of("Europe/Paris")).render(threeDevices().subList(0, 1));
    try (PDDocument document = Loader.loadPDF(pdf)) {
      assertEquals(1, document.getNumberOfPages());
      String text = new PDFTextStripper().getText(document);
      assertTrue(text.contains("Terrain enrolment kit"), text);
      assertTrue(text.contains("Valid until Sunday 29 November 2026, 18:00"), text);
      assertTrue(text.contains("Run: terrain kiosk --enrol TEXT"), text);
    }
  }

  @Test
  void kit_nameOutsideWinAnsi_printsQuestionMarks_noFailure() throws IOException {
    KitDevice arabic =
        new KitDevice(
            "kiosk-000001",
            DeviceKind.KIOSK,
            "كشك السوق",
            "marche",
            "http://127.0.0.1:8080/enrol#v1/kiosk-000001/"
                + EnrolmentText.newToken(new SecureRandom()),
            EXPIRES,
            Optional.empty());
    byte[] pdf = new KitPdf(Locale.FRENCH, ZoneId.of("UTC")).render(List.of(arabic));
    try (PDDocument document = Loader.loadPDF(pdf)) {
      String text = new PDFTextStripper().getText(document);
      assertTrue(text.contains("kiosk-000001"), text);
      assertTrue(text.contains("Hub : indiqué dans la configuration"), text);
    }
  }

  /**
   * Renders the first page of a French kit of three devices at 100 dpi into {@code
   * target/provision-kit.png} (copied to docs/screenshots/provision-kit.png).
   */
  @Test
  void kit_firstPage_png() throws IOException {
    byte[] pdf = new KitPdf(Locale.FRENCH, ZoneId.of("Europe/Paris")).render(threeDevices());
    ViewerFonts fonts = ViewerFonts.install();
    try (PDDocument document = Loader.loadPDF(pdf)) {
      for (int page = 0; page < document.getNumberOfPages(); page++) {
        BufferedImage image =
            new PDFRenderer(document).renderImageWithDPI(page, 100, ImageType.RGB);
        Path png =
            Path.of("target", page == 0 ? "provision-kit.png" : "provision-kit-" + page + ".png");
        Files.createDirectories(png.getParent());
        ImageIO.write(image, "png", png.toFile());
        assertTrue(Files.size(png) > 10_000);
      }
    } finally {
      fonts.close();
    }
  }

  static Result[] decode(BufferedImage image) throws NotFoundException {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] pixels = image.getRGB(0, 0, w, h, null, 0, w);
    BinaryBitmap bitmap =
        new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(w, h, pixels)));
    return new QRCodeMultiReader()
        .decodeMultiple(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE));
  }
}
