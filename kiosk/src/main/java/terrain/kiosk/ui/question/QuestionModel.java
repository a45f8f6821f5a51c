// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.question;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.image.Image;
import terrain.core.event.AnswerOption;
import terrain.core.event.MapSpec;
import terrain.core.event.Question;
import terrain.core.event.QuestionKind;
import terrain.core.id.QuestionId;
import terrain.core.record.ResponseBody;
import terrain.core.rules.AnswerRules;
import terrain.kiosk.session.ParticipationSession;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.TapFilter;
import terrain.kiosk.ui.keyboard.KeyboardLayout;
import terrain.kiosk.ui.keyboard.KeyboardModel;

/**
 * One question on its screen: its text and choices in the resident's language, which choices are
 * ticked, and the rule of the question (one answer, or up to a limit). Every change goes straight
 * into the participation session, which keeps the answers in memory until the end.
 *
 * <p>A ranking's choices carry their rank (tap in order of preference, tap again to take one out:
 * the ones after it move up). A map question has a pin, placed by a tap on the map or moved by the
 * arrow keys, and its zones as choices, so that a resident who cannot point can pick a place by
 * name. A text question has a {@link KeyboardModel} in the resident's script.
 */
public final class QuestionModel {

  /** One answer the resident can tick, with its label in their language. */
  public static final class Choice {
    private final AnswerOption option;
    private final String label;
    private final ReadOnlyBooleanWrapper selected = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(true);
    private final ReadOnlyIntegerWrapper rank = new ReadOnlyIntegerWrapper(0);

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

    /** In a ranking, 1 for the first choice, 2 for the next...; 0 while not ranked. */
    public ReadOnlyIntegerProperty rankProperty() {
      return rank.getReadOnlyProperty();
    }

    public int rank() {
      return rank.get();
    }
  }

  /** How far an arrow key moves the pin on the map, per mille of the map. */
  public static final int PIN_STEP = 50;

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
  private final List<String> ranked = new ArrayList<>();
  private final ReadOnlyObjectWrapper<ResponseBody.Pin> pin = new ReadOnlyObjectWrapper<>();
  private final ReadOnlyStringWrapper pinPlace = new ReadOnlyStringWrapper("");
  private final Messages messages;
  private final KeyboardModel keyboard;
  private final MapPictures maps;

  public QuestionModel(
      Question question,
      ParticipationSession session,
      Language language,
      Messages messages,
      TapFilter taps) {
    this(question, session, language, messages, taps, new MapPictures());
  }

  /**
   * @param maps reads and keeps the map pictures, shared by every question of the kiosk
   */
  public QuestionModel(
      Question question,
      ParticipationSession session,
      Language language,
      Messages messages,
      TapFilter taps,
      MapPictures maps) {
    this.maps = maps;
    this.question = question;
    this.session = session;
    this.taps = taps;
    this.text = question.text().in(language.tag());
    this.messages = messages;
    this.maxChoices = AnswerRules.maxChoices(question);
    this.hint =
        switch (question.kind()) {
          case MULTIPLE ->
              maxChoices == question.options().size()
                  ? messages.text("hint.multiple.all")
                  : messages.format("hint.multiple", maxChoices);
          case RANKING -> messages.format("hint.ranking", maxChoices);
          case MAP ->
              question.options().isEmpty()
                  ? messages.text("hint.map.nozones")
                  : messages.text("hint.map");
          case TEXT -> messages.format("hint.text", question.maxLength());
          default -> messages.text("hint.single");
        };
    for (AnswerOption option : question.options()) {
      choices.add(new Choice(option, label(option, language, messages)));
    }
    Optional<ResponseBody.Answer> before = session.fullAnswerTo(question.questionId());
    if (question.kind() == QuestionKind.TEXT) {
      keyboard =
          new KeyboardModel(
              KeyboardLayout.forLanguage(language.tag()),
              // Questions show in French for Arabic readers: they may answer in either script.
              language.rightToLeft() ? Optional.of(KeyboardLayout.AZERTY) : Optional.empty(),
              language.locale(),
              question.maxLength());
      before.flatMap(ResponseBody.Answer::text).ifPresent(keyboard::setText);
      keyboard.textProperty().addListener((obs, was, now) -> typed(now));
    } else {
      keyboard = null;
    }
    before.ifPresent(
        answer -> {
          if (question.kind() == QuestionKind.RANKING) {
            ranked.addAll(answer.optionIds());
          } else {
            answer.optionIds().forEach(this::select);
          }
          answer.pin().ifPresent(pin::set);
        });
    refresh();
  }

  private String label(AnswerOption option, Language language, Messages messages) {
    String fromEvent = option.label().in(language.tag());
    return switch (question.kind()) {
      case YES_NO -> messages.text("answer." + option.id());
      case SCALE ->
          fromEvent.equals(option.id()) || !option.label().has(language.tag())
              ? messages.text("scale." + option.id())
              : fromEvent;
      case SINGLE, MULTIPLE, RANKING, MAP, TEXT -> fromEvent;
    };
  }

  public QuestionId id() {
    return question.questionId();
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

  /** The ids of the ticked choices, in display order; for a ranking, in rank order. */
  public List<String> selectedIds() {
    if (question.kind() == QuestionKind.RANKING) {
      return List.copyOf(ranked);
    }
    return choices.stream().filter(Choice::isSelected).map(Choice::id).toList();
  }

  /** The picture file of a map question. */
  public Optional<Path> mapImage() {
    return question.map().map(MapSpec::image);
  }

  /**
   * The decoded picture of a map question (read from its file the first time on this kiosk).
   *
   * @throws IllegalStateException if the question has no map
   */
  public Image mapPicture() {
    return maps.picture(
        mapImage()
            .orElseThrow(
                () -> new IllegalStateException("Question [" + id() + "] has no map picture")));
  }

  /** Where the pin is on the map, per mille; null while there is none. */
  public ReadOnlyObjectProperty<ResponseBody.Pin> pinProperty() {
    return pin.getReadOnlyProperty();
  }

  public ResponseBody.Pin pin() {
    return pin.get();
  }

  /** In words, where the pin or the chosen zone is ("Your pin: The park"); empty when none. */
  public ReadOnlyStringProperty pinPlaceProperty() {
    return pinPlace.getReadOnlyProperty();
  }

  /** The keyboard of a text question; null for the other kinds. */
  public KeyboardModel keyboard() {
    return keyboard;
  }

  /**
   * A tap on the map of a map question, at {@code x}, {@code y} per mille of its width and height
   * (clamped to the map): the pin goes there, and the zone under it becomes the answer's zone. A
   * repeated tap within the tap window is ignored.
   *
   * @return whether the pin moved
   */
  public boolean tapMap(int x, int y) {
    requireKind(QuestionKind.MAP, "tapMap");
    if (!taps.accept("map:" + question.id())) {
      return false;
    }
    return placePin(x, y);
  }

  /**
   * Moves the pin by whole steps of {@link #PIN_STEP} (arrow keys); a first move puts it in the
   * middle of the map.
   */
  public boolean movePin(int stepsRight, int stepsDown) {
    requireKind(QuestionKind.MAP, "movePin");
    ResponseBody.Pin at = pin.get();
    if (at == null) {
      return placePin(ResponseBody.Pin.SCALE / 2, ResponseBody.Pin.SCALE / 2);
    }
    return placePin(at.x() + stepsRight * PIN_STEP, at.y() + stepsDown * PIN_STEP);
  }

  private boolean placePin(int x, int y) {
    int cx = Math.max(0, Math.min(ResponseBody.Pin.SCALE, x));
    int cy = Math.max(0, Math.min(ResponseBody.Pin.SCALE, y));
    ResponseBody.Pin at = new ResponseBody.Pin(cx, cy);
    if (at.equals(pin.get())) {
      return false;
    }
    ResponseBody.Answer answer =
        session.answer(AnswerRules.pin(session.poll(), question.questionId(), at));
    pin.set(at);
    choices.forEach(c -> c.selected.set(answer.optionIds().contains(c.id())));
    refresh();
    return true;
  }

  private void typed(String text) {
    String tidy = AnswerRules.tidyText(text);
    if (tidy.isEmpty()) {
      session.clear(question.questionId());
    } else {
      session.answer(ResponseBody.Answer.text(question.id(), tidy));
    }
    refresh();
  }

  private void requireKind(QuestionKind kind, String action) {
    if (question.kind() != kind) {
      throw new IllegalStateException(
          action
              + " is for a "
              + kind.yamlName()
              + " question; question ["
              + question.id()
              + "] is "
              + question.kind().yamlName());
    }
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
    if (question.kind() == QuestionKind.RANKING) {
      if (ranked.contains(optionId)) {
        ranked.remove(optionId);
      } else if (ranked.size() >= maxChoices) {
        return false;
      } else {
        ranked.add(optionId);
      }
    } else if (maxChoices == 1) {
      if (choice.isSelected() && pin.get() == null) {
        return false;
      }
      // On a map, a zone picked from the list takes the place of a pin.
      pin.set(null);
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
      session.clear(question.questionId());
    } else {
      session.answer(question.questionId(), ids);
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
    if (question.kind() == QuestionKind.RANKING) {
      for (Choice c : choices) {
        int index = ranked.indexOf(c.id());
        c.rank.set(index + 1);
        c.selected.set(index >= 0);
      }
    }
    int count = selectedIds().size();
    selectedCount.set(count);
    answered.set(
        question.kind() == QuestionKind.TEXT
            ? !AnswerRules.tidyText(keyboard.text()).isEmpty()
            : count > 0 || pin.get() != null);
    if (question.kind() == QuestionKind.MAP) {
      String zone =
          choices.stream().filter(Choice::isSelected).map(Choice::label).findFirst().orElse(null);
      pinPlace.set(
          zone != null
              ? messages.format("map.place", zone)
              : pin.get() != null ? messages.text("map.placed") : "");
    }
    boolean full =
        question.kind() == QuestionKind.TEXT
            ? keyboard.isFull()
            : maxChoices > 1 && count >= maxChoices;
    limitReached.set(full);
    for (Choice c : choices) {
      c.available.set(!full || c.isSelected());
    }
  }
}
