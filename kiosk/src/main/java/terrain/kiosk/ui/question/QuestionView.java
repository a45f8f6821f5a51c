// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.question;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.property.SimpleStringProperty;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import terrain.core.event.QuestionKind;
import terrain.kiosk.ui.KioskFlowModel;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.ScreenParts;
import terrain.kiosk.ui.TextWrap;

/**
 * One question on its screen: progress, the question, how to answer, the choices as large buttons
 * with a pictogram beside the words (a tick, a box, bars for a scale: never colour alone), and the
 * back and next buttons.
 */
public final class QuestionView extends VBox {
  private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");

  /** Above this many options, the choices of a question stand in two columns. */
  static final int TWO_COLUMNS_FROM = 4;

  public QuestionView(KioskFlowModel flow, QuestionModel model) {
    Messages texts = flow.messages();
    getStyleClass().addAll("screen", "question-screen");
    int number = flow.questionIndex() + 1;
    int count = flow.questionCount();
    boolean last = number == count;

    Label progressText = new Label(texts.format("progress", number, count));
    progressText.setId("progress");
    progressText.getStyleClass().add("progress-text");
    HBox steps = new HBox();
    steps.getStyleClass().add("steps");
    for (int i = 1; i <= count; i++) {
      Region step = new Region();
      step.getStyleClass().add(i < number ? "step-done" : i == number ? "step-current" : "step");
      HBox.setHgrow(step, Priority.ALWAYS);
      step.setMaxWidth(Double.MAX_VALUE);
      steps.getChildren().add(step);
    }
    VBox progress = new VBox(progressText, steps);
    progress.getStyleClass().add("progress");

    Label question = new Label();
    question.setMinHeight(Region.USE_PREF_SIZE);
    question.setId("question-text");
    question.getStyleClass().add("question-text");
    question.setWrapText(true);
    Label hint = new Label();
    hint.getStyleClass().add("hint");
    hint.setWrapText(true);
    hint.setMinHeight(Region.USE_PREF_SIZE);
    hint.setId("hint");
    if (model.kind() == QuestionKind.TEXT) {
      hint.setText(model.hint());
    } else {
      hint.textProperty()
          .bind(
              Bindings.when(model.limitReachedProperty())
                  .then(
                      "⚠ "
                          + texts.text(
                              model.kind() == QuestionKind.RANKING
                                  ? "hint.limit.ranking"
                                  : "hint.limit"))
                  .otherwise(model.hint()));
    }

    List<Button> buttons = new ArrayList<>();
    for (QuestionModel.Choice choice : model.choices()) {
      buttons.add(choiceButton(model, choice, flow.language()));
    }
    Pane choices;
    switch (model.kind()) {
      case SCALE -> {
        choices = new HBox();
        choices.getStyleClass().add("scale-choices");
        for (Button button : buttons) {
          HBox.setHgrow(button, Priority.ALWAYS);
        }
        choices.getChildren().addAll(buttons);
      }
      case MAP -> choices = new MapAnswerView(model, texts, buttons);
      case TEXT -> choices = new TextAnswerView(model.keyboard(), texts);
      default -> {
        if (buttons.size() > TWO_COLUMNS_FROM) {
          // Many options go in two columns, so that five or six fit on a 1280x800 screen.
          GridPane grid = new GridPane();
          grid.getStyleClass().addAll("choices", "choices-two-columns");
          for (int c = 0; c < 2; c++) {
            ColumnConstraints column = new ColumnConstraints();
            column.setPercentWidth(50);
            column.setFillWidth(true);
            grid.getColumnConstraints().add(column);
          }
          for (int i = 0; i < buttons.size(); i++) {
            Button button = buttons.get(i);
            button.setMaxHeight(Double.MAX_VALUE);
            GridPane.setFillHeight(button, true);
            grid.add(button, i % 2, i / 2);
          }
          choices = grid;
        } else {
          choices = new VBox();
          choices.getStyleClass().add("choices");
          choices.getChildren().addAll(buttons);
        }
      }
    }
    choices.getStyleClass().add("choices-" + model.kind().yamlName());
    VBox.setVgrow(choices, Priority.ALWAYS);

    Button back = new Button(texts.text("nav.back"));
    back.setId("back");
    back.getStyleClass().add("secondary");
    back.setOnAction(e -> flow.back());
    Button next = new Button();
    next.setId("next");
    next.getStyleClass().add("primary");
    next.textProperty()
        .bind(
            Bindings.when(model.answeredProperty())
                .then(texts.text(last ? "nav.finish" : "nav.next"))
                .otherwise(texts.text(last ? "nav.finish" : "nav.skip")));
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    Label problem = ScreenParts.problem(flow);
    HBox nav = new HBox(back, gap, next);
    nav.getStyleClass().add("nav");
    nav.setAlignment(Pos.CENTER);
    next.setOnAction(e -> flow.next());

    // With a large text size on a small screen the question may not fit: it scrolls (a finger
    // drags it), while the progress and the buttons stay in place.
    VBox body = new VBox(question, hint, choices, problem);
    body.getStyleClass().add("question-body");
    TextWrap.bindInside(
        question, new SimpleStringProperty(eventText(model.text(), flow.language())), body);
    ScrollPane scroll = ScreenParts.scroll(body);
    scroll.setPannable(true);
    getChildren().addAll(progress, scroll, nav);
  }

  /**
   * A text of the event file: where the event has no translation it is French, and in a
   * right-to-left screen left-to-right marks keep its punctuation in place (else "?" jumps to the
   * other end of the line).
   */
  private static String eventText(String text, Language language) {
    return TextWrap.onScreen(keepPunctuation(text), language.rightToLeft());
  }

  /**
   * French puts a space before ? ! : ; and inside « »; made non-breaking, the sign never starts a
   * line on its own.
   */
  static String keepPunctuation(String text) {
    return text.replaceAll(" ([?!:;»])", "\u00A0$1").replace("« ", "«\u00A0");
  }

  private static Button choiceButton(
      QuestionModel model, QuestionModel.Choice choice, Language language) {
    boolean fromEvent = model.kind() != QuestionKind.SCALE && model.kind() != QuestionKind.YES_NO;
    String words = fromEvent ? eventText(choice.label(), language) : choice.label();
    Button button = new Button(words);
    button.setMinHeight(Region.USE_PREF_SIZE);
    button.setId("choice-" + choice.id());
    button.getStyleClass().add("choice");
    button.setWrapText(true);
    button.setMaxWidth(Double.MAX_VALUE);
    button.setGraphic(pictogram(model, choice));
    if (model.kind() == QuestionKind.SCALE) {
      button.getStyleClass().add("scale-choice");
      button.setContentDisplay(ContentDisplay.TOP);
      // Equal widths: the row shares its width out evenly, whatever the labels.
      button.setPrefWidth(1);
    }
    TextWrap.bindOnButton(button, words);
    button.pseudoClassStateChanged(SELECTED, choice.isSelected());
    choice
        .selectedProperty()
        .addListener((obs, was, now) -> button.pseudoClassStateChanged(SELECTED, now));
    button.disableProperty().bind(choice.availableProperty().not());
    button.setOnAction(e -> model.tap(choice.id()));
    return button;
  }

  /** The sign beside the words: its shape, not its colour, tells the state. */
  private static Node pictogram(QuestionModel model, QuestionModel.Choice choice) {
    return switch (model.kind()) {
      case SCALE -> scaleBars(Integer.parseInt(choice.id()), choice);
      case YES_NO -> {
        Label sign = new Label("yes".equals(choice.id()) ? "✔" : "✘");
        sign.getStyleClass().addAll("pictogram", "yes".equals(choice.id()) ? "yes" : "no");
        yield withTick(sign, choice, "●", "○");
      }
      case SINGLE, MAP -> tickOnly(choice, "●", "○");
      case MULTIPLE -> tickOnly(choice, "☑", "☐");
      case RANKING -> rankBadge(choice);
      case TEXT -> throw new IllegalStateException("a text question has no choice");
    };
  }

  /** The rank in a circle once chosen ("1", "2"...), an empty dashed circle before. */
  private static Node rankBadge(QuestionModel.Choice choice) {
    Label badge = new Label();
    badge.getStyleClass().add("rank-badge");
    badge.setMinSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
    badge
        .textProperty()
        .bind(
            Bindings.when(choice.rankProperty().greaterThan(0))
                .then(choice.rankProperty().asString())
                .otherwise(" "));
    badge.pseudoClassStateChanged(SELECTED, choice.rank() > 0);
    choice
        .rankProperty()
        .addListener(
            (obs, was, now) -> badge.pseudoClassStateChanged(SELECTED, now.intValue() > 0));
    return badge;
  }

  private static Node tickOnly(QuestionModel.Choice choice, String on, String off) {
    Label tick = new Label();
    tick.getStyleClass().add("tick");
    tick.textProperty().bind(Bindings.when(choice.selectedProperty()).then(on).otherwise(off));
    return tick;
  }

  private static Node withTick(Label sign, QuestionModel.Choice choice, String on, String off) {
    HBox box = new HBox(tickOnly(choice, on, off), sign);
    box.getStyleClass().add("pictograms");
    box.setAlignment(Pos.CENTER_LEFT);
    return box;
  }

  /** Five bars rising left to right, the first {@code point} filled. */
  private static Node scaleBars(int point, QuestionModel.Choice choice) {
    HBox bars = new HBox();
    bars.getStyleClass().add("scale-bars");
    bars.setAlignment(Pos.BOTTOM_CENTER);
    for (int i = 1; i <= 5; i++) {
      Region bar = new Region();
      bar.getStyleClass().addAll("scale-bar", "scale-bar-" + i, i <= point ? "filled" : "empty");
      bars.getChildren().add(bar);
    }
    Label number = new Label(Integer.toString(point));
    number.getStyleClass().add("scale-number");
    VBox box = new VBox(number, bars, tickOnly(choice, "●", "○"));
    box.getStyleClass().add("scale-pictogram");
    box.setAlignment(Pos.CENTER);
    return box;
  }
}
