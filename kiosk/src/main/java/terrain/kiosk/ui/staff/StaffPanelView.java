// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.staff;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Subscription;
import terrain.core.event.Poll;
import terrain.kiosk.ui.Messages;

/** The staff panel over the kiosk while it is open; it only shows the model and calls it. */
public final class StaffPanelView extends StackPane {
  private final StaffPanelModel model;
  private final VBox card = new VBox();
  private final java.util.List<Subscription> marks = new java.util.ArrayList<>();

  public StaffPanelView(StaffPanelModel model) {
    this.model = model;
    getStyleClass().addAll("overlay", "staff-panel");
    visibleProperty().bind(model.openProperty());
    managedProperty().bind(visibleProperty());
    addEventFilter(MouseEvent.MOUSE_PRESSED, e -> model.touched());
    card.getStyleClass().addAll("card", "staff-card");
    card.setMaxSize(USE_PREF_SIZE, USE_PREF_SIZE);
    getChildren().add(card);
    // The texts follow the kiosk's language; rebuilt when the panel opens.
    model
        .openProperty()
        .subscribe(
            isOpen -> {
              if (isOpen) {
                build();
              }
            });
  }

  private void build() {
    marks.forEach(Subscription::unsubscribe);
    marks.clear();
    Messages t = model.texts();
    Label title = new Label(t.text("staffpanel.title"));
    title.getStyleClass().add("screen-title");
    Label device = new Label(model.deviceText());
    device.getStyleClass().add("staff-device");

    GridPane rows = new GridPane();
    rows.getStyleClass().add("staff-rows");
    int row = 0;

    Label sync = value("staff-sync");
    sync.textProperty().bind(model.syncTextProperty());
    rows.addRow(row++, name(t.text("staffpanel.sync")), sync);

    Label printer = value("staff-printer");
    printer.textProperty().bind(model.printerTextProperty());
    Label last = value("staff-last-ticket");
    last.textProperty().bind(model.lastTicketTextProperty());
    Button test = button("staff-test-print", t.text("staffpanel.testPrint"));
    test.setOnAction(e -> model.testPrint());
    Button reprint = button("staff-reprint", t.text("staffpanel.reprint"));
    reprint.disableProperty().bind(model.canReprintProperty().not());
    reprint.setOnAction(e -> model.reprintLast());
    Label unprinted = value("staff-unprinted");
    unprinted.textProperty().bind(model.unprintedTextProperty());
    Button printWaiting = button("staff-print-unprinted", t.text("staffpanel.reprintUnprinted"));
    printWaiting.disableProperty().bind(model.canPrintUnprintedProperty().not());
    printWaiting.setOnAction(e -> model.printUnprinted());
    HBox printButtons = new HBox(test, reprint, printWaiting);
    printButtons.getStyleClass().add("staff-buttons");
    rows.addRow(
        row++,
        name(t.text("staffpanel.printer")),
        new VBox(printer, last, unprinted, printButtons));

    FlowPane polls = new FlowPane();
    polls.getStyleClass().add("staff-buttons");
    for (Poll poll : model.polls()) {
      Button choose = button("staff-poll-" + poll.id(), model.pollTitle(poll));
      choose.getStyleClass().add("choice");
      marks.add(
          model
              .pollIdProperty()
              .subscribe(
                  id -> {
                    choose.getStyleClass().remove("selected");
                    choose.setText((poll.id().equals(id) ? "✔ " : "") + model.pollTitle(poll));
                    if (poll.id().equals(id)) {
                      choose.getStyleClass().add("selected");
                    }
                  }));
      choose.setOnAction(e -> model.choosePoll(poll.id()));
      polls.getChildren().add(choose);
    }
    rows.addRow(row++, name(t.text("staffpanel.poll")), polls);

    Label battery = value("staff-battery");
    battery.textProperty().bind(model.batteryTextProperty());
    rows.addRow(row++, name(t.text("staffpanel.battery")), battery);
    Label screen = value("staff-screen");
    screen.textProperty().bind(model.screenTextProperty());
    rows.addRow(row++, name(t.text("staffpanel.screen")), screen);

    Button textSize = button("staff-text-size", "A⁺ " + t.text("staffpanel.textSize"));
    textSize.setOnAction(e -> model.switchTextSize());
    Button quit = button("staff-quit", t.text("staffpanel.quit"));
    quit.setOnAction(e -> model.quit());
    Button back = button("staff-back", t.text("staffpanel.back"));
    back.getStyleClass().add("primary");
    back.setOnAction(e -> model.close());
    Button role = button("staff-workshop-role", t.text("staffpanel.workshopRole"));
    role.visibleProperty().bind(model.workshopRoleProperty());
    role.managedProperty().bind(role.visibleProperty());
    role.setOnAction(e -> model.workshopRole());
    HBox actions = new HBox(role, textSize, quit, back);
    actions.getStyleClass().add("staff-buttons");
    actions.setAlignment(Pos.CENTER_RIGHT);

    card.getChildren().setAll(title, device, rows, actions);
  }

  private static Label name(String text) {
    Label name = new Label(text);
    name.getStyleClass().add("staff-name");
    return name;
  }

  private static Label value(String id) {
    Label value = new Label();
    value.setId(id);
    value.setWrapText(true);
    value.getStyleClass().add("staff-value");
    return value;
  }

  private static Button button(String id, String text) {
    Button button = new Button(text);
    button.setId(id);
    button.getStyleClass().add("secondary");
    return button;
  }
}
