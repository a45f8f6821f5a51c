// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.application.Platform;
import javafx.geometry.NodeOrientation;
import javafx.scene.Node;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import terrain.core.event.EventDefinition;
import terrain.core.event.LocalizedText;
import terrain.core.event.Rewards;
import terrain.core.event.TicketRules;
import terrain.core.event.Timeouts;
import terrain.core.id.EventId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.ticket.TicketCodec;
import terrain.core.ticket.TicketRecord;
import terrain.hardware.printer.FilePrinter;
import terrain.hardware.printer.MemoryTicketPrinter;
import terrain.hardware.printer.TicketPdf;
import terrain.hardware.printer.TicketPrint;
import terrain.hardware.printer.TicketPrinter;
import terrain.kiosk.device.DesktopDeviceServices;
import terrain.kiosk.device.DeviceServices;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.testing.TestEvents;
import terrain.kiosk.ui.keyboard.Key;
import terrain.kiosk.ui.thanks.TicketDesk;

/**
 * Everything around the resident's questions through the real views, with real taps (TestFX,
 * headless on Monocle): the ticket on the thank-you screen and on paper (a PDF decoded back), a
 * printer that fails, the staff panel behind the PIN, and the tablet's home screen.
 */
@ExtendWith(ApplicationExtension.class)
class KioskShellFxTest {
  private static final String CLAIM_HOST = "briqs.bordeaux.fr";
  private static final String PIN = "2468";

  private final KioskFx fx = new KioskFx();
  private final ManualTime time = fx.time;
  private final AtomicInteger exits = new AtomicInteger();
  private final ExecutorService io = Executors.newSingleThreadExecutor();
  private Stage stage;
  private KioskEngine engine;
  private KioskApp app;

  @Start
  void start(Stage stage) throws Exception {
    this.stage = stage;
    engine = fx.open("kiosk-shell", "data", 5);
  }

  @AfterEach
  void close() throws Exception {
    io.shutdown();
    io.awaitTermination(5, TimeUnit.SECONDS);
    fx.close();
  }

  /** The market test event, rewarding a response with 2 briqs, at most {@code cap} tickets. */
  private static EventDefinition rewarded(int cap) {
    EventDefinition base = TestEvents.market();
    return new EventDefinition(
        base.id(),
        LocalizedText.of("Marché test"),
        base.place(),
        base.date(),
        base.polls(),
        new Rewards(Map.of("response", 2)),
        Timeouts.defaults(),
        new TicketRules(180, cap, TicketRules.GoldenOdds.never()));
  }

  private TicketDesk desk(TicketPrinter printer) {
    return new TicketDesk(
        printer, "test printer", io, Platform::runLater, CLAIM_HOST, ZoneOffset.UTC);
  }

  private void show(FxRobot robot, EventDefinition event, KioskApp.Services services) {
    robot.interact(
        () -> {
          app =
              new KioskApp(
                  engine,
                  event,
                  KioskSettings.withPin(PIN),
                  time,
                  time,
                  exits::incrementAndGet,
                  services);
          stage.setScene(app.scene(1280, 800));
          stage.show();
        });
  }

  private KioskApp.Services services(TicketDesk desk) {
    return KioskApp.Services.inMemory(engine).withTickets(desk);
  }

  /** A resident answers the first question in {@code language} and skips to the end. */
  private void participate(FxRobot robot, String language) {
    fx.tap(robot, "start");
    fx.tap(robot, "lang-" + language);
    fx.tap(robot, "choice-velo");
    for (int i = 0; i < 4; i++) {
      fx.tap(robot, "next");
    }
  }

  private void waitForPrint() throws Exception {
    WaitForAsyncUtils.waitFor(
        5,
        TimeUnit.SECONDS,
        () ->
            app.flow().printState() != KioskFlowModel.PrintState.PRINTING
                && app.flow().tickets().status().state() != TicketDesk.State.PRINTING);
    WaitForAsyncUtils.waitForFxEvents();
  }

  private void openPanel(FxRobot robot) {
    KioskFx.jumpTo(robot, "#staff-corner").press(MouseButton.PRIMARY);
    robot.interact(() -> time.advance(Duration.ofSeconds(3)));
    robot.release(MouseButton.PRIMARY);
    for (char c : PIN.toCharArray()) {
      fx.tap(robot, Key.character(c).id("pin-"));
    }
    fx.tap(robot, "pin-enter");
  }

  private List<Record> tickets() throws Exception {
    return engine.store().records(TestEvents.EVENT_ID, RecordKind.TICKET);
  }

  @Test
  void thankYou_whenTicketEarned_showsItsCodeAndPrintsAPdfWhoseQrIsTheSignedTicket(FxRobot robot)
      throws Exception {
    Path folder = fx.dir().resolve("tickets");
    show(
        robot,
        rewarded(TicketRules.NO_CAP),
        services(desk(new FilePrinter(folder, new TicketPdf()))));

    participate(robot, "fr");
    waitForPrint();

    List<Record> issued = tickets();
    assertEquals(1, issued.size());
    String code = TicketRecord.decode(issued.get(0).body()).code();
    String shortCode = TicketCodec.shortCode(code);
    assertEquals(shortCode, fx.text(robot, "ticket-code"));
    assertEquals("Vous gagnez 2 briqs", fx.text(robot, "ticket-briqs"));
    LocalDate lastDay = time.instant().atZone(ZoneOffset.UTC).toLocalDate().plusDays(180);
    assertTrue(
        fx.text(robot, "ticket-expires").startsWith("Valable jusqu'au "),
        fx.text(robot, "ticket-expires"));
    assertTrue(
        fx.text(robot, "ticket-expires").contains(Integer.toString(lastDay.getYear())),
        fx.text(robot, "ticket-expires"));
    assertEquals("✔ Ticket imprimé : pensez à le prendre.", fx.text(robot, "ticket-printing"));
    // On screen and on paper: the same QR code, the claim address of the signed ticket.
    String url = TicketCodec.url(CLAIM_HOST, code);
    assertEquals(url, decode(frames(screenQr(robot))));
    Path pdf = folder.resolve("ticket-" + shortCode + ".pdf");
    assertTrue(Files.isRegularFile(pdf), pdf + " is missing");
    assertEquals(url, decode(render(Files.readAllBytes(pdf))));
    assertEquals(TicketDesk.State.OK, app.flow().tickets().status().state());
  }

  @Test
  void thankYou_whenArabic_keepsTheQrCodeAndTheShortCodeLeftToRight(FxRobot robot)
      throws Exception {
    show(robot, rewarded(TicketRules.NO_CAP), services(desk(new MemoryTicketPrinter())));

    participate(robot, "ar");
    waitForPrint();

    Node qr = robot.lookup("#ticket-qr").query();
    assertEquals(NodeOrientation.RIGHT_TO_LEFT, qr.getParent().getEffectiveNodeOrientation());
    assertEquals(NodeOrientation.LEFT_TO_RIGHT, qr.getEffectiveNodeOrientation());
    assertEquals(
        NodeOrientation.LEFT_TO_RIGHT,
        robot.lookup("#ticket-code").query().getEffectiveNodeOrientation());
    assertEquals("تربح 2 بريك", fx.text(robot, "ticket-briqs"));
  }

  @Test
  void thankYou_whenPrinterFails_asksKindlyToPhotographTheCodeAndStaffReprintIt(FxRobot robot)
      throws Exception {
    MemoryTicketPrinter printer = new MemoryTicketPrinter();
    printer.failWith("no paper");
    show(robot, rewarded(TicketRules.NO_CAP), services(desk(printer)));

    participate(robot, "fr");
    waitForPrint();

    assertTrue(fx.text(robot, "ticket-printing").startsWith("⚠ L'imprimante ne répond pas."));
    assertTrue(fx.showing(robot, "ticket-code"));
    assertEquals(1, tickets().size(), "the ticket stays in the database");
    assertEquals(TicketDesk.State.FAILED, app.flow().tickets().status().state());
    String shortCode = fx.text(robot, "ticket-code");

    fx.tap(robot, "done");
    openPanel(robot);
    WaitForAsyncUtils.waitForFxEvents();
    assertTrue(
        fx.text(robot, "staff-printer").contains("no paper"), fx.text(robot, "staff-printer"));
    assertEquals("Dernier ticket : " + shortCode, fx.text(robot, "staff-last-ticket"));
    printer.failWith(null);
    fx.tap(robot, "staff-reprint");
    waitForPrint();

    List<TicketPrint> printed = printer.printed();
    assertEquals(1, printed.size());
    assertEquals(shortCode, printed.get(0).shortCode());
    assertTrue(fx.text(robot, "staff-printer").startsWith("✔"), fx.text(robot, "staff-printer"));
  }

  @Test
  void thankYou_whenCapReached_thanksWithoutATicket(FxRobot robot) throws Exception {
    MemoryTicketPrinter printer = new MemoryTicketPrinter();
    show(robot, rewarded(1), services(desk(printer)));
    participate(robot, "fr");
    waitForPrint();
    fx.tap(robot, "done");

    participate(robot, "fr");

    assertTrue(fx.showing(robot, "thanks-saved"));
    assertFalse(fx.showing(robot, "ticket"));
    assertEquals(1, printer.printed().size());
    assertEquals(1, tickets().size());
    assertEquals(2, engine.responseCount(EventId.of(TestEvents.EVENT_ID)));
  }

  @Test
  void staffPanel_whenPinRight_testPrintsSwitchesPollAndQuits(FxRobot robot) throws Exception {
    MemoryTicketPrinter printer = new MemoryTicketPrinter();
    show(robot, rewarded(TicketRules.NO_CAP), services(desk(printer)));

    openPanel(robot);
    WaitForAsyncUtils.waitForFxEvents();

    assertTrue(fx.showing(robot, "staff-back"));
    assertTrue(
        fx.text(robot, "staff-sync").contains("Pas de boîtier terrain"),
        fx.text(robot, "staff-sync"));
    assertTrue(
        fx.text(robot, "staff-sync").contains("1 enregistrement(s)"), fx.text(robot, "staff-sync"));
    assertEquals("non disponible", fx.text(robot, "staff-battery"));
    assertEquals("Aucun ticket à réimprimer", fx.text(robot, "staff-last-ticket"));
    assertTrue(robot.lookup("#staff-reprint").query().isDisabled());

    fx.tap(robot, "staff-test-print");
    waitForPrint();
    assertEquals(1, printer.printed().size());
    assertEquals(0, printer.printed().get(0).briqs());

    fx.tap(robot, "staff-poll-atelier");
    assertEquals("atelier", app.flow().poll().id());
    fx.tap(robot, "staff-back");
    assertFalse(fx.showing(robot, "staff-back"));
    fx.tap(robot, "start");
    fx.tap(robot, "lang-fr");
    assertTrue(fx.showing(robot, "choice-a"), "the workshop poll is asked");

    openPanel(robot);
    assertEquals(0, exits.get());
    fx.tap(robot, "staff-quit");
    assertEquals(1, exits.get());
  }

  @Test
  void staffPanel_whenBatteryReported_showsItsCharge(FxRobot robot) throws Exception {
    Path power = fx.dir().resolve("power_supply/BAT0");
    Files.createDirectories(power);
    Files.writeString(power.resolve("type"), "Battery\n");
    Files.writeString(power.resolve("capacity"), "73\n");
    Files.writeString(power.resolve("status"), "Discharging\n");
    DeviceServices device = new DesktopDeviceServices(power.getParent(), Optional::empty);
    KioskApp.Services base = services(desk(new MemoryTicketPrinter()));
    show(
        robot,
        rewarded(TicketRules.NO_CAP),
        new KioskApp.Services(
            KioskApp.Mode.KIOSK, base.tickets(), base.sync(), device, io, Platform::runLater));

    openPanel(robot);
    WaitForAsyncUtils.waitFor(
        5, TimeUnit.SECONDS, () -> fx.text(robot, "staff-battery").startsWith("73"));

    assertEquals("73 %", fx.text(robot, "staff-battery"));
  }

  @Test
  void tablet_whenSurveyRunFromHome_commitsAndComesBackHomeCounted(FxRobot robot) throws Exception {
    show(
        robot,
        rewarded(TicketRules.NO_CAP),
        services(desk(new MemoryTicketPrinter())).withMode(KioskApp.Mode.TABLET));

    assertTrue(fx.showing(robot, "tablet-event"));
    assertEquals(
        "Participations aujourd'hui sur cette tablette : 0", fx.text(robot, "tablet-today"));
    fx.tap(robot, "tablet-poll-atelier");
    fx.tap(robot, "tablet-poll-avenir");
    participate(robot, "fr");
    waitForPrint();
    assertTrue(fx.showing(robot, "ticket-code"));
    fx.tap(robot, "done");

    assertTrue(fx.showing(robot, "tablet-event"));
    assertEquals(
        "Participations aujourd'hui sur cette tablette : 1", fx.text(robot, "tablet-today"));
    assertEquals(1, engine.responseCount(EventId.of(TestEvents.EVENT_ID)));
    assertTrue(robot.lookup(".attract-ring").tryQuery().isEmpty(), "no attract animation");
  }

  @Test
  void tablet_whenTheHubSaysWhoIsMissing_showsTheLinesOnTheHome(FxRobot robot) throws Exception {
    EventDefinition market =
        terrain.core.event.EventLoader.load(Path.of("../examples/events/market-day.yaml"));
    terrain.kiosk.ui.tablet.WhoIsMissing missing = new terrain.kiosk.ui.tablet.WhoIsMissing(market);
    show(
        robot,
        market,
        services(desk(new MemoryTicketPrinter()))
            .withMode(KioskApp.Mode.TABLET)
            .withUi(Platform::runLater)
            .withMissing(missing));
    assertTrue(fx.showing(robot, "tablet-event"));
    assertFalse(fx.showing(robot, "tablet-missing"), "hidden until the hub has spoken");

    missing.relayed(
        missing.topic(), terrain.kiosk.ui.tablet.WhoIsMissingTest.bastideCounts(market.id()));
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> fx.showing(robot, "tablet-missing"));

    String shown =
        robot.lookup(".tablet-missing-line").queryAllAs(javafx.scene.control.Label.class).stream()
            .map(javafx.scene.control.Label::getText)
            .collect(java.util.stream.Collectors.joining("\n"));
    assertTrue(shown.contains("Aucun participant du quartier «\u00a0Chartrons\u00a0»"), shown);
    int all = missing.lines(Language.FR).size();
    assertTrue(all > 3, "the sample names more groups than the home shows: " + all);
    String[] lines = shown.split("\n");
    assertEquals(4, lines.length, "the 3 most missing, then how many more: " + shown);
    assertTrue(lines[0].startsWith("• Aucun participant du quartier «\u00a0Chartrons"), shown);
    assertEquals(
        "… et d'autres groupes ("
            + (all - 3)
            + ") : voir la page des résultats du boîtier terrain.",
        lines[3]);
  }

  private static BufferedImage screenQr(FxRobot robot) {
    ImageView view = robot.lookup("#ticket-qr").queryAs(ImageView.class);
    int w = (int) view.getImage().getWidth();
    int h = (int) view.getImage().getHeight();
    int[] pixels = new int[w * h];
    view.getImage()
        .getPixelReader()
        .getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), pixels, 0, w);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, w, h, pixels, 0, w);
    return image;
  }

  /** The PDF's first page at a thermal printer's 203 dpi, then at a phone's other frame sizes. */
  private static List<BufferedImage> render(byte[] pdf) throws Exception {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      PDFRenderer renderer = new PDFRenderer(document);
      List<BufferedImage> frames = new ArrayList<>();
      for (int dpi : new int[] {203, 150, 300}) {
        frames.add(renderer.renderImageWithDPI(0, dpi, ImageType.RGB));
      }
      return frames;
    }
  }

  /** The on-screen image as it is, then scaled up and down like a phone's camera frames. */
  private static List<BufferedImage> frames(BufferedImage image) {
    List<BufferedImage> frames = new ArrayList<>(List.of(image));
    for (double scale : new double[] {1.6, 0.8}) {
      int w = (int) (image.getWidth() * scale);
      int h = (int) (image.getHeight() * scale);
      BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = scaled.createGraphics();
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, w, h, null);
      g.dispose();
      frames.add(scaled);
    }
    return frames;
  }

  /**
   * The text of the QR code in the first frame that reads, as a phone's camera tries frame after
   * frame. ZXing's single-QR reader misses about one clean image in a hundred at a given size (the
   * CI run of 2026-12-01 failed on one at 203 dpi); a code no frame reads fails the test.
   */
  private static String decode(List<BufferedImage> frames) throws Exception {
    ReaderException missed = null;
    for (BufferedImage image : frames) {
      int[] pixels =
          image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
      BinaryBitmap bitmap =
          new BinaryBitmap(
              new HybridBinarizer(
                  new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)));
      try {
        return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, true)).getText();
      } catch (ReaderException notInThisFrame) {
        missed = notInThisFrame;
      }
    }
    throw new AssertionError("no QR code read in " + frames.size() + " frames", missed);
  }
}
