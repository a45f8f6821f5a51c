// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.idea;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.IntegerBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import terrain.core.event.AnswerOption;
import terrain.core.event.IdeaSettings;
import terrain.core.id.PollId;
import terrain.core.record.IdeaBody;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.TapFilter;
import terrain.kiosk.ui.keyboard.KeyboardLayout;
import terrain.kiosk.ui.keyboard.KeyboardModel;
import terrain.kiosk.ui.pick.SinglePick;

/**
 * The optional idea screen: a title, a few lines and a theme, typed on the kiosk's on-screen
 * keyboard in its compact form (or a physical keyboard). Holds what the resident typed until they
 * send it ({@link #idea()}) or skip it; the flow puts it in the participation session. Lengths are
 * capped at what an IDEA record holds.
 */
public final class IdeaModel {

  /** The field the on-screen keyboard types into. */
  public enum Field {
    TITLE,
    TEXT
  }

  private final PollId pollId;
  private final Language language;
  private final StringProperty title = new SimpleStringProperty(this, "title", "");
  private final StringProperty text = new SimpleStringProperty(this, "text", "");
  private final ReadOnlyObjectWrapper<Field> field = new ReadOnlyObjectWrapper<>(Field.TITLE);
  private final SinglePick themes;
  private final KeyboardModel keyboard;
  private final BooleanBinding sendable;
  private final IntegerBinding textLeft;

  public IdeaModel(IdeaSettings settings, PollId pollId, Language language, TapFilter taps) {
    this.pollId = pollId;
    this.language = language;
    List<SinglePick.Offer> offers = new ArrayList<>();
    for (AnswerOption theme : settings.themes()) {
      offers.add(new SinglePick.Offer(theme.id(), theme.label().in(language.tag()), true));
    }
    this.themes = new SinglePick("theme", offers, taps);
    this.keyboard =
        new KeyboardModel(
            KeyboardLayout.compactFor(language.tag()),
            Optional.empty(),
            language.locale(),
            IdeaBody.MAX_TITLE_CHARS);
    // A keyboard types straight into the bound fields: hold them to the record's limits.
    title.addListener((obs, was, now) -> clamp(title, now, IdeaBody.MAX_TITLE_CHARS));
    text.addListener((obs, was, now) -> clamp(text, now, IdeaBody.MAX_TEXT_CHARS));
    sendable =
        Bindings.createBooleanBinding(
            () -> !title.get().isBlank() || !text.get().isBlank(), title, text);
    textLeft =
        Bindings.createIntegerBinding(
            () -> IdeaBody.MAX_TEXT_CHARS - text.get().codePointCount(0, text.get().length()),
            text);
    keyboard.typeInto(title, IdeaBody.MAX_TITLE_CHARS);
  }

  /** The title as typed; a view binds a text field to it both ways. */
  public StringProperty titleProperty() {
    return title;
  }

  /** The idea's text as typed; a view binds a text area to it both ways. */
  public StringProperty textProperty() {
    return text;
  }

  /** The on-screen keyboard; it types into the field of {@link #fieldProperty()}. */
  public KeyboardModel keyboard() {
    return keyboard;
  }

  /** Where the on-screen keyboard types. */
  public ReadOnlyObjectProperty<Field> fieldProperty() {
    return field.getReadOnlyProperty();
  }

  public Field field() {
    return field.get();
  }

  /** The themes to file the idea under; empty when the event has none. */
  public SinglePick themes() {
    return themes;
  }

  /** Something was typed: the idea can be sent. */
  public BooleanBinding sendableProperty() {
    return sendable;
  }

  public boolean isSendable() {
    return sendable.get();
  }

  /** Characters the text may still take. */
  public IntegerBinding textLeftProperty() {
    return textLeft;
  }

  public Language language() {
    return language;
  }

  /** The on-screen keyboard now types into {@code target} (the resident touched that field). */
  public void focus(Field target) {
    field.set(target);
    if (target == Field.TITLE) {
      keyboard.typeInto(title, IdeaBody.MAX_TITLE_CHARS);
    } else {
      keyboard.typeInto(text, IdeaBody.MAX_TEXT_CHARS);
    }
  }

  /** Everything typed and picked is forgotten (skipping the idea, or a new resident). */
  public void clear() {
    title.set("");
    text.set("");
    themes.clear();
    focus(Field.TITLE);
  }

  /** The idea as it would be stored, empty when nothing was typed. */
  public Optional<IdeaBody> idea() {
    if (!isSendable()) {
      return Optional.empty();
    }
    return Optional.of(
        new IdeaBody(
            pollId.value(),
            themes.selected().orElse(""),
            language.tag(),
            title.get().strip(),
            text.get().strip()));
  }

  private static void clamp(StringProperty property, String value, int maxChars) {
    if (value != null && value.codePointCount(0, value.length()) > maxChars) {
      property.set(value.substring(0, value.offsetByCodePoints(0, maxChars)));
    }
  }
}
