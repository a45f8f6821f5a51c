// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.thanks;

import com.google.zxing.common.BitMatrix;
import java.time.format.DateTimeFormatter;
import javafx.beans.property.SimpleStringProperty;
import javafx.geometry.NodeOrientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.util.Subscription;
import terrain.core.ticket.QrCodes;
import terrain.hardware.printer.TicketPrint;
import terrain.kiosk.ui.KioskFlowModel;
import terrain.kiosk.ui.KioskFlowModel.PrintState;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.Subscriptions;
import terrain.kiosk.ui.TextWrap;

/**
 * Thank you, and the ticket the resident earned: its QR code (the same as on paper), the briqs, the
 * short code for people without a phone, what to do at home and until when. A line under it says
 * whether the paper ticket is out; when the printer fails it asks the resident to photograph the
 * code or ask the stand's team, who can reprint it. Without a ticket, only thank you.
 */
public final class ThankYouView extends VBox {
  /** About how wide the QR code is on screen, in pixels (a whole number of pixels per module). */
  private static final int QR_PIXELS = 300;

  public ThankYouView(KioskFlowModel model) {
    Messages texts = model.messages();
    getStyleClass().addAll("screen", "thanks-screen");
    setAlignment(Pos.CENTER);
    // The mark beside the title, not above it: at the largest text size the ticket needs the room.
    Label title = new Label("✔ " + texts.text("thanks.title"));
    title.setId("thanks-title");
    title.getStyleClass().add("screen-title");
    getChildren().add(title);

    TicketPrint ticket = model.ticket().orElse(null);
    if (ticket == null) {
      Label saved = new Label(texts.text("thanks.saved"));
      saved.setId("thanks-saved");
      saved.getStyleClass().add("ticket-help");
      saved.setWrapText(true);
      getChildren().add(saved);
    } else {
      getChildren().add(ticketCard(model, texts, ticket));
    }

    Button done = new Button(texts.text("thanks.done"));
    done.setId("done");
    done.getStyleClass().add("primary");
    done.setOnAction(e -> model.done());
    getChildren().add(done);
  }

  private static HBox ticketCard(KioskFlowModel model, Messages texts, TicketPrint ticket) {
    ImageView qr = new ImageView(qrImage(ticket.qrContent()));
    qr.setId("ticket-qr");
    qr.setSmooth(false);
    qr.getStyleClass().add("ticket-qr");
    // Never mirrored in a right-to-left layout: a mirrored QR code does not scan.
    qr.setNodeOrientation(NodeOrientation.LEFT_TO_RIGHT);

    Label briqs =
        new Label(
            ticket.briqs() == 1
                ? texts.text("thanks.briqs.one")
                : texts.format("thanks.briqs", ticket.briqs()));
    briqs.setId("ticket-briqs");
    briqs.getStyleClass().add("ticket-text");
    Label golden = new Label("★ " + texts.text("thanks.golden"));
    golden.getStyleClass().add("ticket-golden");
    golden.setVisible(ticket.golden());
    golden.setManaged(ticket.golden());
    Label home = new Label();
    home.getStyleClass().add("ticket-help");
    Label code = new Label(ticket.shortCode());
    code.setId("ticket-code");
    code.getStyleClass().add("ticket-code");
    // A code is read left to right in every language.
    code.setNodeOrientation(NodeOrientation.LEFT_TO_RIGHT);
    Label expires =
        new Label(
            texts.format(
                "thanks.expires",
                DateTimeFormatter.ofPattern(
                        texts.text("thanks.datePattern"), texts.language().locale())
                    .format(ticket.expiresOn())));
    expires.setId("ticket-expires");
    expires.getStyleClass().add("ticket-help");
    Label printing = new Label();
    printing.setId("ticket-printing");
    Subscription styled =
        model
            .printStateProperty()
            .subscribe(
                state -> {
                  printing.getStyleClass().remove("problem");
                  if (state == PrintState.FAILED) {
                    printing.getStyleClass().add("problem");
                  }
                });
    Subscriptions.untilRemoved(printing, styled);
    printing.getStyleClass().add("ticket-printing");

    VBox words = new VBox(briqs, golden, home, code, expires, printing);
    words.getStyleClass().add("ticket-words");
    // Never cut short at a large text size: the card grows instead.
    home.setMinHeight(Region.USE_PREF_SIZE);
    printing.setMinHeight(Region.USE_PREF_SIZE);
    TextWrap.bind(
        home,
        new SimpleStringProperty(texts.format("thanks.home", host(ticket.qrContent()))),
        words.widthProperty());
    TextWrap.bind(
        printing,
        model.printStateProperty().map(state -> printText(texts, state)),
        words.widthProperty());
    HBox card = new HBox(qr, words);
    card.setId("ticket");
    card.getStyleClass().add("ticket");
    card.setAlignment(Pos.CENTER_LEFT);
    return card;
  }

  private static String printText(Messages texts, PrintState state) {
    return switch (state) {
      case PRINTING -> "⎙ " + texts.text("thanks.printing");
      case PRINTED -> "✔ " + texts.text("thanks.printed");
      case FAILED -> "⚠ " + texts.text("thanks.printFailed");
      case NONE -> "";
    };
  }

  /** The QR code with its quiet zone, black on white, one square of pixels per module. */
  static WritableImage qrImage(String content) {
    BitMatrix matrix = QrCodes.encode(content);
    int modules = matrix.getWidth() + 2 * QrCodes.QUIET_ZONE;
    int perModule = Math.max(3, QR_PIXELS / modules);
    int size = modules * perModule;
    WritableImage image = new WritableImage(size, size);
    PixelWriter pixels = image.getPixelWriter();
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int mx = x / perModule - QrCodes.QUIET_ZONE;
        int my = y / perModule - QrCodes.QUIET_ZONE;
        boolean black =
            mx >= 0
                && my >= 0
                && mx < matrix.getWidth()
                && my < matrix.getHeight()
                && matrix.get(mx, my);
        pixels.setColor(x, y, black ? Color.BLACK : Color.WHITE);
      }
    }
    return image;
  }

  /** {@code briqs.bordeaux.fr} of {@code HTTPS://BRIQS.BORDEAUX.FR/T/...}. */
  private static String host(String url) {
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int end = url.indexOf('/', start);
    return url.substring(start, end < 0 ? url.length() : end).toLowerCase(java.util.Locale.ROOT);
  }
}
