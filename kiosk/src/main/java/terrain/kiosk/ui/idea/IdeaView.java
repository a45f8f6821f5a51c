// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.idea;

import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import terrain.kiosk.ui.KioskFlowModel;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.ScreenParts;
import terrain.kiosk.ui.keyboard.KeyboardView;
import terrain.kiosk.ui.pick.PickGrid;

/**
 * The optional idea screen: the prompt, a title field and a text field typed on the on-screen
 * keyboard (or a physical one), the themes, and back, "Passer" and "Envoyer mon idée".
 */
public final class IdeaView extends VBox {

  public IdeaView(KioskFlowModel flow, IdeaModel model) {
    Messages texts = flow.messages();
    Language language = flow.language();
    getStyleClass().addAll("screen", "idea-screen");

    // The event's prompt where it is written in the resident's language, else the kiosk's own.
    String prompt =
        flow.event()
            .ideas()
            .prompt()
            .filter(p -> p.has(language.tag()))
            .map(p -> p.in(language.tag()))
            .orElse(null);
    HBox heading =
        ScreenParts.heading("✎", prompt != null ? prompt : texts.text("idea.title"), "idea-prompt");
    Label subtitle = new Label(texts.text("idea.subtitle"));
    subtitle.getStyleClass().add("hint");
    subtitle.setWrapText(true);
    subtitle.setMinHeight(Region.USE_PREF_SIZE);

    Label titleLabel = new Label(texts.text("idea.field.title"));
    titleLabel.getStyleClass().add("field-label");
    TextField titleField = new TextField();
    titleField.setId("idea-title");
    titleField.getStyleClass().add("idea-field");
    titleField.textProperty().bindBidirectional(model.titleProperty());
    titleLabel.setLabelFor(titleField);
    Label textLabel = new Label(texts.text("idea.field.text"));
    textLabel.getStyleClass().add("field-label");
    Label left = new Label();
    left.getStyleClass().add("field-count");
    left.textProperty()
        .bind(model.textLeftProperty().map(n -> texts.format("idea.left", n.intValue())));
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    HBox textHeading = new HBox(textLabel, gap, left);
    textHeading.setAlignment(Pos.BOTTOM_LEFT);
    TextArea textField = new TextArea();
    textField.setId("idea-text");
    textField.getStyleClass().add("idea-field");
    textField.setWrapText(true);
    textField.setPrefRowCount(3);
    // The keyboard sets the width of the column; the fields follow it.
    textField.setPrefColumnCount(8);
    titleField.setPrefColumnCount(8);
    textField.textProperty().bindBidirectional(model.textProperty());
    textLabel.setLabelFor(textField);
    // The keyboard types into the field the resident touched last (or tabbed to).
    titleField.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> model.focus(IdeaModel.Field.TITLE));
    textField.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> model.focus(IdeaModel.Field.TEXT));
    titleField
        .focusedProperty()
        .addListener((obs, was, now) -> focusWhen(now, model, IdeaModel.Field.TITLE));
    textField
        .focusedProperty()
        .addListener((obs, was, now) -> focusWhen(now, model, IdeaModel.Field.TEXT));
    markFocus(titleField, textField, model.field());
    model.fieldProperty().addListener((obs, was, now) -> markFocus(titleField, textField, now));
    // Typed on the on-screen keyboard: the caret follows to the end.
    model.titleProperty().addListener((obs, was, now) -> titleField.end());
    model.textProperty().addListener((obs, was, now) -> textField.end());
    KeyboardView pad = new KeyboardView(model.keyboard(), texts, KeyboardView.Placement.FIELDS);
    VBox fields = new VBox(titleLabel, titleField, textHeading, textField, pad);
    fields.getStyleClass().add("idea-fields");

    // The fields and the keyboard on one side, the themes on the other: everything in one screen.
    // With a larger text the themes go under the keyboard (the screen scrolls), not squeezed.
    FlowPane middle = new FlowPane(fields);
    middle.getStyleClass().add("idea-middle");
    if (!model.themes().isEmpty()) {
      Label themesLabel = new Label(texts.text("idea.themes"));
      themesLabel.getStyleClass().add("field-label");
      PickGrid themes = new PickGrid(model.themes(), 1, "theme-", language);
      themes.getStyleClass().add("theme-grid");
      VBox themeBox = new VBox(themesLabel, themes);
      themeBox.getStyleClass().add("idea-themes");
      middle.getChildren().add(themeBox);
    }

    Label problem = ScreenParts.problem(flow);

    VBox body = new VBox(heading, subtitle, middle, problem);
    body.getStyleClass().add("question-body");
    ScrollPane scroll = ScreenParts.scroll(body);

    HBox nav =
        ScreenParts.backSkipConfirm(
            flow,
            new ScreenParts.NavButton("idea-skip", "idea.skip", flow::skipIdea),
            new ScreenParts.NavButton("idea-send", "idea.send", flow::sendIdea),
            model.sendableProperty());

    getChildren().addAll(scroll, nav);
    Platform.runLater(
        () -> (model.field() == IdeaModel.Field.TITLE ? titleField : textField).requestFocus());
  }

  private static void focusWhen(boolean focused, IdeaModel model, IdeaModel.Field field) {
    if (focused) {
      model.focus(field);
    }
  }

  /** The field the on-screen keyboard types into wears a thick frame. */
  private static void markFocus(TextField title, TextArea text, IdeaModel.Field field) {
    title.pseudoClassStateChanged(TYPING, field == IdeaModel.Field.TITLE);
    text.pseudoClassStateChanged(TYPING, field == IdeaModel.Field.TEXT);
  }

  private static final javafx.css.PseudoClass TYPING =
      javafx.css.PseudoClass.getPseudoClass("typing");
}
