// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import static terrain.hardware.printer.PdfDrawing.cut;
import static terrain.hardware.printer.PdfDrawing.printable;
import static terrain.hardware.printer.PdfDrawing.width;
import static terrain.hardware.printer.PdfDrawing.wrap;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.MessageFormat;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.function.DoubleUnaryOperator;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import terrain.core.ticket.QrCodes;
import terrain.hardware.printer.PdfDrawing;

/**
 * The enrolment kit: A4 pages, two devices per page one above the other, cut along the dashed line.
 * Per device: a label to stick on it (its name and id, big), the enrolment QR code (error
 * correction M, the enrolment text exactly) with the text under it, the server, the hub, the
 * expiry, and what to do in plain words.
 *
 * <p>The fonts are PDF's standard Helvetica and Courier (WinAnsi: French é è à ç œ €, nothing
 * embedded, drawn with the ticket PDFs' {@link PdfDrawing}); a character they lack prints as "?".
 * The QR code is drawn as vector squares, sharp at any resolution.
 */
final class KitPdf {

  /** Devices per A4 page. */
  static final int PER_PAGE = 2;

  private static final float MM = PdfDrawing.MM;
  private static final float PAGE_W = PDRectangle.A4.getWidth();
  private static final float SLOT_H = PDRectangle.A4.getHeight() / PER_PAGE;
  private static final float MARGIN = 12 * MM;
  private static final float QR = 58 * MM;
  private static final float LABEL_W = 100 * MM;
  private static final float LABEL_H = 34 * MM;
  private static final Color GREY = new Color(0x55, 0x55, 0x55);
  private static final Color LIGHT = new Color(0xaa, 0xaa, 0xaa);

  private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
  private final PDType1Font mono = new PDType1Font(Standard14Fonts.FontName.COURIER);
  private final PDType1Font monoBold = new PDType1Font(Standard14Fonts.FontName.COURIER_BOLD);

  private final Locale locale;
  private final ZoneId zone;
  private final ResourceBundle texts;
  private final DateTimeFormatter date;

  KitPdf(Locale locale, ZoneId zone) {
    this.locale = Objects.requireNonNull(locale, "locale");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.texts =
        ResourceBundle.getBundle(
            "terrain.provisioning.kit",
            locale,
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    this.date = DateTimeFormatter.ofPattern(texts.getString("kit.datePattern"), locale);
  }

  /** The kit of {@code devices}, in their order. */
  byte[] render(List<KitDevice> devices) {
    Objects.requireNonNull(devices, "devices");
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("a kit needs at least one device");
    }
    try (PDDocument document = new PDDocument()) {
      PDDocumentInformation info = document.getDocumentInformation();
      info.setTitle(texts.getString("kit.title") + " - " + devices.get(0).event());
      info.setCreator("terrain provision");
      for (int first = 0; first < devices.size(); first += PER_PAGE) {
        PDPage page = new PDPage(PDRectangle.A4);
        document.addPage(page);
        try (PDPageContentStream out = new PDPageContentStream(document, page)) {
          int last = Math.min(devices.size(), first + PER_PAGE);
          for (int i = first; i < last; i++) {
            int slot = i - first;
            float bottom = PDRectangle.A4.getHeight() - (slot + 1) * SLOT_H;
            draw(out, devices.get(i), bottom);
            if (slot > 0) {
              dashed(out, 0, bottom + SLOT_H, PAGE_W, bottom + SLOT_H, LIGHT);
            }
          }
        }
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * 1024);
      document.save(bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lay out the kit in memory", e);
    }
  }

  /** One device in the slot whose bottom edge is at {@code bottom}. */
  private void draw(PDPageContentStream out, KitDevice device, float bottom) throws IOException {
    float left = MARGIN;
    float right = PAGE_W - MARGIN;
    float top = bottom + SLOT_H - MARGIN;

    // Header: what this is, for which event.
    text(out, texts.getString("kit.title"), bold, 12, left, top - 12, Color.BLACK);
    String event = format("kit.event", device.event());
    text(out, event, regular, 10, right - width(event, regular, 10), top - 12, Color.BLACK);
    out.setStrokingColor(LIGHT);
    out.setLineWidth(0.6f);
    out.moveTo(left, top - 18);
    out.lineTo(right, top - 18);
    out.stroke();

    // The label to cut out and stick on the device.
    float boxTop = top - 40;
    text(out, texts.getString("kit.cut"), regular, 7.5f, left, boxTop + 4, GREY);
    out.setLineWidth(0.8f);
    dashedRect(out, left, boxTop - LABEL_H, LABEL_W, LABEL_H);
    float inner = LABEL_W - 8 * MM;
    float nameSize = 26;
    String name = printable(device.name(), bold);
    while (nameSize > 12 && width(name, bold, nameSize) > inner) {
      nameSize -= 1;
    }
    name = cut(name, bold, nameSize, inner);
    float centre = left + LABEL_W / 2;
    centred(out, name, bold, nameSize, centre, boxTop - 8 * MM - nameSize * 0.7f, Color.BLACK);
    float idSize = 18;
    String id = printable(device.id(), monoBold);
    while (idSize > 9 && width(id, monoBold, idSize) > inner) {
      idSize -= 1;
    }
    centred(
        out,
        cut(id, monoBold, idSize, inner),
        monoBold,
        idSize,
        centre,
        boxTop - 23 * MM,
        Color.BLACK);
    String what =
        texts.getString("kit.kind." + device.kind().label()) + "  \u00b7  " + device.event();
    centred(
        out,
        cut(printable(what, regular), regular, 9, inner),
        regular,
        9,
        centre,
        boxTop - 30 * MM,
        GREY);

    // The enrolment QR code, the text under it.
    float qrLeft = right - QR;
    String caption = texts.getString("kit.qr");
    centred(out, caption, regular, 7.5f, qrLeft + QR / 2, boxTop + 4, GREY);
    out.setNonStrokingColor(Color.BLACK);
    PdfDrawing.qr(out, QrCodes.encodeUtf8(device.enrolment()), qrLeft, boxTop - QR, QR);
    float y = boxTop - QR - 1 * MM;
    for (String line : wrapChars(device.enrolment(), mono, 7, QR)) {
      y -= 8.5f;
      centred(out, line, mono, 7, qrLeft + QR / 2, y, Color.BLACK);
    }
    float qrBottom = y - 4 * MM;

    // Server, hub, expiry.
    y = boxTop - LABEL_H - 8 * MM;
    text(out, format("kit.server", host(device.enrolment())), regular, 10.5f, left, y, Color.BLACK);
    y -= 15;
    String hub =
        device.kind().label().equals("hub")
            ? texts.getString("kit.hubSelf")
            : device
                .hub()
                .map(h -> format("kit.hub", h))
                .orElse(texts.getString("kit.hubFromBundle"));
    for (String line : wrap(hub, regular, 10.5f, x -> qrLeft - 6 * MM - left, y, 15)) {
      text(out, line, regular, 10.5f, left, y, Color.BLACK);
      y -= 15;
    }
    String expires = format("kit.expires", date.format(device.expiresAt().atZone(zone)));
    for (String line : wrap(expires, bold, 10.5f, x -> qrLeft - 6 * MM - left, y, 15)) {
      text(out, line, bold, 10.5f, left, y, Color.BLACK);
      y -= 15;
    }

    // What to do: beside the QR code, then across the page below it.
    y -= 7;
    text(out, texts.getString("kit.todo"), bold, 11.5f, left, y, Color.BLACK);
    y -= 15;
    float size = 10;
    float leading = 12.5f;
    float indent = 5 * MM;
    for (int step = 1; texts.containsKey(stepKey(device, step)); step++) {
      String number = step + ".";
      text(out, number, bold, size, left, y, Color.BLACK);
      DoubleUnaryOperator widthAt =
          lineY -> (lineY > qrBottom ? qrLeft - 6 * MM : right) - left - indent;
      for (String line :
          wrap(texts.getString(stepKey(device, step)), regular, size, widthAt, y, leading)) {
        text(out, line, regular, size, left + indent, y, Color.BLACK);
        y -= leading;
      }
      y -= 3;
    }

    // Keep it safe.
    float footY = bottom + MARGIN + 10;
    List<String> foot =
        wrap(
            MessageFormat.format(texts.getString("kit.keepSafe"), device.id()),
            regular,
            8,
            x -> right - left,
            footY,
            10);
    for (String line : foot) {
      text(out, line, regular, 8, left, footY, GREY);
      footY -= 10;
    }
  }

  private static String stepKey(KitDevice device, int step) {
    return "kit.step." + device.kind().label() + "." + step;
  }

  private String format(String key, Object... args) {
    return new MessageFormat(texts.getString(key), locale).format(args);
  }

  /** {@code https://terrain.example.fr} of the enrolment text, the part before "/enrol#". */
  private static String host(String enrolment) {
    int mark = enrolment.indexOf("/enrol#");
    String server = mark < 0 ? enrolment : enrolment.substring(0, mark);
    return server;
  }

  private static void dashed(
      PDPageContentStream out, float x1, float y1, float x2, float y2, Color colour)
      throws IOException {
    out.saveGraphicsState();
    out.setStrokingColor(colour);
    out.setLineWidth(0.6f);
    out.setLineDashPattern(new float[] {4, 3}, 0);
    out.moveTo(x1, y1);
    out.lineTo(x2, y2);
    out.stroke();
    out.restoreGraphicsState();
  }

  private static void dashedRect(PDPageContentStream out, float x, float y, float w, float h)
      throws IOException {
    out.saveGraphicsState();
    out.setStrokingColor(Color.DARK_GRAY);
    out.setLineWidth(0.8f);
    out.setLineDashPattern(new float[] {4, 3}, 0);
    out.addRect(x, y, w, h);
    out.stroke();
    out.restoreGraphicsState();
  }

  private static void text(
      PDPageContentStream out,
      String line,
      PDType1Font font,
      float size,
      float x,
      float y,
      Color colour)
      throws IOException {
    out.setNonStrokingColor(colour);
    PdfDrawing.text(out, line, font, size, x, y);
    out.setNonStrokingColor(Color.BLACK);
  }

  private static void centred(
      PDPageContentStream out,
      String line,
      PDType1Font font,
      float size,
      float centre,
      float y,
      Color colour)
      throws IOException {
    String printable = printable(line, font);
    text(out, printable, font, size, centre - width(printable, font, size) / 2, y, colour);
  }

  /**
   * A text without spaces (the enrolment text) cut into lines that fit {@code width}, after a "/"
   * where one falls in the line, so server, device and token each keep together when they can.
   */
  private static List<String> wrapChars(String text, PDType1Font font, float size, float width)
      throws IOException {
    int perLine = Math.max(8, (int) (width / width("M", font, size)));
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = Math.min(text.length(), start + perLine);
      if (end < text.length()) {
        int slash = text.lastIndexOf('/', end - 1);
        if (slash >= start + perLine / 3) {
          end = slash + 1;
        }
      }
      out.add(text.substring(start, end));
      start = end;
    }
    return out;
  }
}
