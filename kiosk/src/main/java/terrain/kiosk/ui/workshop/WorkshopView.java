// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.workshop;

import javafx.beans.Observable;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import terrain.core.workshop.ItemRef;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.staff.StaffExitModel;

/**
 * The workshop on a tablet: a header with the phase, its question, the timer and the language
 * switch, then the choice of role, the facilitator's screen or the table's. Redrawn when the
 * screen, the language, the room or the timer changes; the parts being typed in keep their state in
 * the models.
 */
public final class WorkshopView extends VBox {
  private final WorkshopModel model;
  private final StaffExitModel staff;
  private final VBox body = new VBox();
  private final Label phase = new Label();
  private final Label prompt = new Label();
  private final Label timer = new Label();
  private final Label problem = new Label();
  private final HBox header;

  public WorkshopView(WorkshopModel model, StaffExitModel staff) {
    this.model = model;
    this.staff = staff;
    getStyleClass().addAll("screen", "workshop");
    phase.setId("workshop-phase");
    phase.getStyleClass().add("workshop-phase");
    prompt.setId("workshop-prompt");
    prompt.getStyleClass().add("workshop-prompt");
    prompt.setWrapText(true);
    timer.setId("workshop-timer");
    timer.getStyleClass().add("workshop-timer");
    timer.setMinWidth(USE_PREF_SIZE);
    VBox words = new VBox(phase, prompt);
    words.getStyleClass().add("workshop-words");
    HBox.setHgrow(words, Priority.ALWAYS);
    header = new HBox(words, timer);
    header.getStyleClass().add("workshop-header");
    header.setAlignment(Pos.CENTER_LEFT);
    problem.setId("workshop-problem");
    problem.getStyleClass().add("problem");
    problem.setWrapText(true);
    problem.textProperty().bind(model.problemProperty());
    problem.visibleProperty().bind(model.problemProperty().isNotEmpty());
    problem.managedProperty().bind(problem.visibleProperty());
    VBox.setVgrow(body, Priority.ALWAYS);
    body.getStyleClass().add("workshop-body");
    getChildren().addAll(header, problem, body);

    model.screenProperty().addListener(this::rebuild);
    model.languageProperty().addListener(this::rebuild);
    model.stateProperty().addListener(o -> refresh());
    model.timerProperty().addListener(o -> words());
    rebuild(null);
  }

  private void rebuild(Observable changed) {
    Node screen =
        switch (model.screen()) {
          case OFF, CHOOSE -> new RoleView(model, languages());
          case FACILITATOR -> new FacilitatorView(model, model.facilitator(), languages());
          case TABLE -> new TableView(model, model.tableModel(), languages(), staff);
        };
    VBox.setVgrow(screen, Priority.ALWAYS);
    body.getChildren().setAll(screen);
    header.setVisible(model.screen() != WorkshopModel.Screen.CHOOSE);
    header.setManaged(header.isVisible());
    words();
  }

  private void refresh() {
    words();
    if (!body.getChildren().isEmpty() && body.getChildren().get(0) instanceof Refreshable part) {
      part.refresh();
    }
  }

  private void words() {
    phase.setText(model.title() + " · " + model.phaseLine());
    prompt.setText(model.prompt());
    timer.setText(model.timerText());
  }

  /** The language switch: each language in its own words. */
  private HBox languages() {
    HBox row = new HBox();
    row.getStyleClass().add("workshop-languages");
    row.setAlignment(Pos.CENTER);
    for (Language language : Language.values()) {
      Button button = new Button(language.nativeName());
      button.setId("workshop-lang-" + language.tag());
      button.getStyleClass().addAll("secondary", "workshop-small");
      if (language == model.language()) {
        button.getStyleClass().add("selected");
      }
      button.setOnAction(e -> model.chooseLanguage(language));
      row.getChildren().add(button);
    }
    return row;
  }

  /** A part of the screen that redraws itself when the room changes. */
  interface Refreshable {
    void refresh();
  }

  /** A node id for an idea or a group: letters, digits and dashes only. */
  public static String id(String prefix, ItemRef ref) {
    return prefix + (ref.device().value() + "-" + ref.seq()).replaceAll("[^A-Za-z0-9-]", "-");
  }

  static Label label(String text, String styleClass) {
    Label label = new Label(text);
    label.getStyleClass().add(styleClass);
    label.setWrapText(true);
    label.setMinHeight(USE_PREF_SIZE);
    return label;
  }

  static Button button(String id, String text, String... styleClasses) {
    Button button = new Button(text);
    button.setId(id);
    button.getStyleClass().addAll(styleClasses);
    button.setWrapText(true);
    return button;
  }

  static Messages texts(WorkshopModel model) {
    return model.texts();
  }
}
