// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.workshop;

import static terrain.kiosk.ui.workshop.WorkshopView.button;
import static terrain.kiosk.ui.workshop.WorkshopView.label;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import terrain.kiosk.ui.Messages;

/** Who uses this tablet: the facilitator, or one of the script's tables. */
final class RoleView extends VBox {

  RoleView(WorkshopModel model, HBox languages) {
    Messages t = model.texts();
    getStyleClass().add("workshop-role");
    setAlignment(Pos.CENTER);
    var kind = label(t.text("workshop.kind"), "tablet-kind");
    var title = label(model.title(), "screen-title");
    title.setId("workshop-title");
    var ask = label(t.text("workshop.role.ask"), "workshop-ask");
    Button facilitator =
        button("workshop-facilitator", "★ " + t.text("workshop.role.facilitator"), "primary");
    facilitator.getStyleClass().add("workshop-big");
    facilitator.setOnAction(e -> model.chooseFacilitator());
    FlowPane tables = new FlowPane();
    tables.getStyleClass().add("workshop-tables");
    tables.setAlignment(Pos.CENTER);
    for (int n = 1; n <= model.script().tables(); n++) {
      int table = n;
      Button b =
          button("workshop-table-" + n, t.format("workshop.role.table", n), "choice", "secondary");
      b.getStyleClass().add("workshop-table-button");
      b.setOnAction(e -> model.chooseTable(table));
      tables.getChildren().add(b);
    }
    var hint = label(t.text("workshop.role.hint"), "tablet-hint");
    Button back = button("workshop-leave", t.text("workshop.back"), "secondary");
    back.setOnAction(e -> model.leave());
    getChildren().addAll(kind, title, languages, ask, facilitator, tables, hint, back);
  }
}
