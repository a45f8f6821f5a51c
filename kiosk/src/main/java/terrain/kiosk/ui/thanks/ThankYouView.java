// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.thanks;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import terrain.kiosk.ui.KioskFlowModel;
import terrain.kiosk.ui.Messages;

/**
 * Thank you, and the ticket. Until the tickets issue lands, the ticket is a placeholder: the screen
 * only says it prints.
 */
public final class ThankYouView extends VBox {

  public ThankYouView(KioskFlowModel model) {
    Messages texts = model.messages();
    getStyleClass().addAll("screen", "thanks-screen");
    setAlignment(Pos.CENTER);
    Label mark = new Label("✔");
    mark.getStyleClass().add("thanks-mark");
    Label title = new Label(texts.text("thanks.title"));
    title.getStyleClass().add("screen-title");

    Label ticketText = new Label(texts.text("thanks.ticket"));
    ticketText.getStyleClass().add("ticket-text");
    ticketText.setWrapText(true);
    Label ticketHelp = new Label(texts.text("thanks.ticket.help"));
    ticketHelp.getStyleClass().add("ticket-help");
    ticketHelp.setWrapText(true);
    VBox ticket = new VBox(ticketText, ticketHelp);
    ticket.getStyleClass().add("ticket");
    ticket.setAlignment(Pos.CENTER);

    Button done = new Button(texts.text("thanks.done"));
    done.setId("done");
    done.getStyleClass().add("primary");
    done.setOnAction(e -> model.done());
    getChildren().addAll(mark, title, ticket, done);
  }
}
