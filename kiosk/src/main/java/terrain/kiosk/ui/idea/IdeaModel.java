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
import terrain.core.record.IdeaBody;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.TapFilter;
import terrain.kiosk.ui.pick.SinglePick;

/**
 * The optional idea screen: a title, a few lines and a theme, typed on the on-screen letter pad (or
 * a keyboard). Holds what the resident typed until they send it ({@link #idea()}) or skip it; the
 * flow puts it in the participation session. Lengths are capped at what an IDEA record holds.
 */
public final class IdeaModel implements TextEntry {

  /** The field the letter pad types into. */
  public enum Field {
    TITLE,
    TEXT
  }

  private final String pollId;
  private final Language language;
  private final StringProperty title = new SimpleStringProperty(this, "title", "");
  private final StringProperty text = new SimpleStringProperty(this, "text", "");
  private final ReadOnlyObjectWrapper<Field> field = new ReadOnlyObjectWrapper<>(Field.TITLE);
  private final SinglePick themes;
  private final BooleanBinding sendable;
  private final IntegerBinding textLeft;

  public IdeaModel(IdeaSettings settings, String pollId, Language language, TapFilter taps) {
    this.pollId = pollId;
    this.language = language;
    List<SinglePick.Offer> offers = new ArrayList<>();
    for (AnswerOption theme : settings.themes()) {
      offers.add(new SinglePick.Offer(theme.id(), theme.label().in(language.tag()), true));
    }
    this.themes = new SinglePick("theme", offers, taps);
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
  }

  /** The title as typed; a view binds a text field to it both ways. */
  public StringProperty titleProperty() {
    return title;
  }

  /** The idea's text as typed; a view binds a text area to it both ways. */
  public StringProperty textProperty() {
    return text;
  }

  /** Where the letter pad types. */
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

  /** The letter pad now types into {@code target} (the resident touched that field). */
  public void focus(Field target) {
    field.set(target);
  }

  @Override
  public void type(String keys) {
    StringProperty target = target();
    String now = target.get();
    String typed = startsSentence(now) && !keys.isEmpty() ? capitalized(keys) : keys;
    if (" ".equals(keys) && (now.isEmpty() || now.endsWith(" "))) {
      return;
    }
    target.set(now + typed);
  }

  @Override
  public void backspace() {
    StringProperty target = target();
    String now = target.get();
    if (!now.isEmpty()) {
      target.set(now.substring(0, now.offsetByCodePoints(now.length(), -1)));
    }
  }

  /** Everything typed and picked is forgotten (skipping the idea, or a new resident). */
  public void clear() {
    title.set("");
    text.set("");
    themes.clear();
    field.set(Field.TITLE);
  }

  /** The idea as it would be stored, empty when nothing was typed. */
  public Optional<IdeaBody> idea() {
    if (!isSendable()) {
      return Optional.empty();
    }
    return Optional.of(
        new IdeaBody(
            pollId,
            themes.selected().orElse(""),
            language.tag(),
            title.get().strip(),
            text.get().strip()));
  }

  private StringProperty target() {
    return field.get() == Field.TITLE ? title : text;
  }

  private String capitalized(String keys) {
    int first = keys.offsetByCodePoints(0, 1);
    return keys.substring(0, first).toUpperCase(language.locale()) + keys.substring(first);
  }

  /** A capital letter starts the field and each sentence. */
  private static boolean startsSentence(String before) {
    String trimmed = before.stripTrailing();
    return trimmed.isEmpty()
        || (before.endsWith(" ")
            && (trimmed.endsWith(".") || trimmed.endsWith("!") || trimmed.endsWith("?")));
  }

  private static void clamp(StringProperty property, String value, int maxChars) {
    if (value != null && value.codePointCount(0, value.length()) > maxChars) {
      property.set(value.substring(0, value.offsetByCodePoints(0, maxChars)));
    }
  }
}
