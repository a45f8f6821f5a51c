// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.question;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import terrain.core.event.AnswerOption;
import terrain.core.event.Question;
import terrain.core.event.QuestionKind;
import terrain.kiosk.session.AnswerRules;
import terrain.kiosk.session.ParticipationSession;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.TapFilter;

/**
 * One question on its screen: its text and choices in the resident's language, which choices are
 * ticked, and the rule of the question (one answer, or up to a limit). Every change goes straight
 * into the participation session, which keeps the answers in memory until the end.
 */
public final class QuestionModel {

  /** One answer the resident can tick, with its label in their language. */
  public static final class Choice {
    private final AnswerOption option;
    private final String label;
    private final ReadOnlyBooleanWrapper selected = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(true);

    Choice(AnswerOption option, String label) {
      this.option = option;
      this.label = label;
    }

    public String id() {
      return option.id();
    }

    public String label() {
      return label;
    }

    /** Ticked by the resident. */
    public ReadOnlyBooleanProperty selectedProperty() {
      return selected.getReadOnlyProperty();
    }

    public boolean isSelected() {
      return selected.get();
    }

    /** False while the limit of a multiple question is reached and this choice is not ticked. */
    public ReadOnlyBooleanProperty availableProperty() {
      return available.getReadOnlyProperty();
    }
  }

  private final Question question;
  private final ParticipationSession session;
  private final TapFilter taps;
  private final String text;
  private final String hint;
  private final List<Choice> choices = new ArrayList<>();
  private final int maxChoices;
  private final ReadOnlyIntegerWrapper selectedCount = new ReadOnlyIntegerWrapper(0);
  private final ReadOnlyBooleanWrapper answered = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyBooleanWrapper limitReached = new ReadOnlyBooleanWrapper(false);

  public QuestionModel(
      Question question,
      ParticipationSession session,
      Language language,
      Messages messages,
      TapFilter taps) {
    this.question = question;
    this.session = session;
    this.taps = taps;
    this.text = question.text().in(language.tag());
    this.maxChoices = AnswerRules.maxChoices(question);
    this.hint =
        question.kind() == QuestionKind.MULTIPLE
            ? (maxChoices == question.options().size()
                ? messages.text("hint.multiple.all")
                : messages.format("hint.multiple", maxChoices))
            : messages.text("hint.single");
    for (AnswerOption option : question.options()) {
      choices.add(new Choice(option, label(option, language, messages)));
    }
    session.answerTo(question.id()).ifPresent(ids -> ids.forEach(this::select));
    refresh();
  }

  private String label(AnswerOption option, Language language, Messages messages) {
    String fromEvent = option.label().in(language.tag());
    return switch (question.kind()) {
      case YES_NO -> messages.text("answer." + option.id());
      case SCALE ->
          fromEvent.equals(option.id()) || !language.inEventFiles()
              ? messages.text("scale." + option.id())
              : fromEvent;
      case SINGLE, MULTIPLE -> fromEvent;
    };
  }

  public String id() {
    return question.id();
  }

  public QuestionKind kind() {
    return question.kind();
  }

  /** The question in the resident's language. */
  public String text() {
    return text;
  }

  /** How to answer: "one answer", "up to 2 answers". */
  public String hint() {
    return hint;
  }

  public List<Choice> choices() {
    return List.copyOf(choices);
  }

  public int maxChoices() {
    return maxChoices;
  }

  /** At least one choice is ticked. */
  public ReadOnlyBooleanProperty answeredProperty() {
    return answered.getReadOnlyProperty();
  }

  public boolean isAnswered() {
    return answered.get();
  }

  /** A multiple question has as many ticks as it allows. */
  public ReadOnlyBooleanProperty limitReachedProperty() {
    return limitReached.getReadOnlyProperty();
  }

  public ReadOnlyIntegerProperty selectedCountProperty() {
    return selectedCount.getReadOnlyProperty();
  }

  /** The ids of the ticked choices, in display order. */
  public List<String> selectedIds() {
    return choices.stream().filter(Choice::isSelected).map(Choice::id).toList();
  }

  /**
   * A tap on a choice. For a one-answer question it becomes the answer; for a multiple question it
   * is ticked or unticked, and ignored while the limit is reached. A repeated tap within the tap
   * window is ignored.
   *
   * @return whether the tap changed something
   */
  public boolean tap(String optionId) {
    Choice choice = choice(optionId);
    if (!taps.accept("option:" + question.id() + ":" + optionId)) {
      return false;
    }
    if (maxChoices == 1) {
      if (choice.isSelected()) {
        return false;
      }
      choices.forEach(c -> c.selected.set(false));
      choice.selected.set(true);
    } else if (choice.isSelected()) {
      choice.selected.set(false);
    } else if (selectedIds().size() >= maxChoices) {
      return false;
    } else {
      choice.selected.set(true);
    }
    List<String> ids = selectedIds();
    if (ids.isEmpty()) {
      session.clear(question.id());
    } else {
      session.answer(question.id(), ids);
    }
    refresh();
    return true;
  }

  private void select(String optionId) {
    choices.stream().filter(c -> c.id().equals(optionId)).forEach(c -> c.selected.set(true));
  }

  private Choice choice(String optionId) {
    return choices.stream()
        .filter(c -> c.id().equals(optionId))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Option id ["
                        + optionId
                        + "] is not an option of question ["
                        + question.id()
                        + "]"));
  }

  private void refresh() {
    int count = selectedIds().size();
    selectedCount.set(count);
    answered.set(count > 0);
    boolean full = maxChoices > 1 && count >= maxChoices;
    limitReached.set(full);
    for (Choice c : choices) {
      c.available.set(!full || c.isSelected());
    }
  }
}
