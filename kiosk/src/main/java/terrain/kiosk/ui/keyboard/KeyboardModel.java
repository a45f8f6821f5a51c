// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.keyboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;

/**
 * The state of an on-screen keyboard and the text it types, without the toolkit: the view only
 * binds its keys to {@link #press} and shows {@link #textProperty()}.
 *
 * <p>Like a phone keyboard, shift is on at the start of the text and after the end of a sentence,
 * and lets go after one letter; pressing it toggles it. The text never grows beyond {@link
 * #maxLength()} characters (counted as code points): a key pressed when the text is full does
 * nothing, and {@link #fullProperty()} says so. A physical keyboard types through {@link #type}.
 *
 * <p>A keyboard may have an alternate layout (Latin letters beside the Arabic ones): then its last
 * row has a {@link Key#SWITCH} key, and {@link #layoutProperty()} says which one shows.
 *
 * <p>The text it types is its own, or a field of a screen ({@link #typeInto}: the idea screen's
 * title and text); a field edited by other means (a physical keyboard in a text field) is followed.
 * The {@link Key#ENTER} key runs {@link #onEnter}.
 */
public final class KeyboardModel {
  private final KeyboardLayout primary;
  private final Optional<KeyboardLayout> alternate;
  private final ReadOnlyObjectWrapper<KeyboardLayout> layout = new ReadOnlyObjectWrapper<>();
  private final Locale locale;
  private int maxLength;
  private StringProperty target = new SimpleStringProperty(this, "text", "");
  private final ChangeListener<String> follow = (obs, was, now) -> followTarget(now);
  private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper("");
  private Runnable enter = () -> {};
  private final ReadOnlyBooleanWrapper shift = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyIntegerWrapper length = new ReadOnlyIntegerWrapper(0);
  private final ReadOnlyBooleanWrapper full = new ReadOnlyBooleanWrapper(false);

  /**
   * @param locale for capitals (French and English capitals of é, ç...)
   * @param maxLength the most characters, at least 1
   */
  public KeyboardModel(KeyboardLayout layout, Locale locale, int maxLength) {
    this(layout, Optional.empty(), locale, maxLength);
  }

  /**
   * @param alternate the layout the switch key shows, if any
   */
  public KeyboardModel(
      KeyboardLayout layout, Optional<KeyboardLayout> alternate, Locale locale, int maxLength) {
    this.primary = Objects.requireNonNull(layout, "layout must not be null");
    this.alternate = Objects.requireNonNull(alternate, "alternate must not be null");
    this.layout.set(layout);
    this.locale = Objects.requireNonNull(locale, "locale must not be null");
    this.maxLength = checkMax(maxLength);
    target.addListener(follow);
    refresh("");
  }

  /**
   * From now on the keys type into {@code field}, which holds at most {@code maxLength} characters;
   * {@link #textProperty()} follows it.
   */
  public void typeInto(StringProperty field, int maxLength) {
    Objects.requireNonNull(field, "field must not be null");
    this.maxLength = checkMax(maxLength);
    target.removeListener(follow);
    target = field;
    target.addListener(follow);
    followTarget(field.get() == null ? "" : field.get());
  }

  /** What the enter key does (the PIN pad checks the PIN); nothing by default. */
  public void onEnter(Runnable action) {
    this.enter = Objects.requireNonNull(action, "action must not be null");
  }

  private static int checkMax(int maxLength) {
    if (maxLength < 1) {
      throw new IllegalArgumentException("Keyboard maxLength [" + maxLength + "] must be >= 1");
    }
    return maxLength;
  }

  /** The layout on screen. */
  public KeyboardLayout layout() {
    return layout.get();
  }

  public ReadOnlyObjectProperty<KeyboardLayout> layoutProperty() {
    return layout.getReadOnlyProperty();
  }

  /** The layout the switch key goes to, if the keyboard has one. */
  public Optional<KeyboardLayout> otherLayout() {
    return alternate.map(a -> layout.get() == primary ? a : primary);
  }

  /**
   * The keys on screen, row by row: the layout's, with the switch key first in the row of the space
   * bar if there is an alternate layout (at the bottom left in both scripts).
   */
  public List<List<Key>> rows() {
    List<List<Key>> rows = layout.get().rows();
    if (alternate.isEmpty()) {
      return rows;
    }
    List<List<Key>> withSwitch = new ArrayList<>();
    for (List<Key> row : rows) {
      List<Key> keys = new ArrayList<>(row);
      if (keys.contains(Key.SPACE)) {
        keys.add(0, Key.SWITCH);
      }
      withSwitch.add(List.copyOf(keys));
    }
    return List.copyOf(withSwitch);
  }

  public int maxLength() {
    return maxLength;
  }

  public ReadOnlyStringProperty textProperty() {
    return text.getReadOnlyProperty();
  }

  public String text() {
    return text.get();
  }

  /** Letters come out as capitals. */
  public ReadOnlyBooleanProperty shiftProperty() {
    return shift.getReadOnlyProperty();
  }

  public boolean isShift() {
    return shift.get();
  }

  /** How many characters the text has. */
  public ReadOnlyIntegerProperty lengthProperty() {
    return length.getReadOnlyProperty();
  }

  /** The text has {@link #maxLength()} characters: no key types any more but backspace. */
  public ReadOnlyBooleanProperty fullProperty() {
    return full.getReadOnlyProperty();
  }

  public boolean isFull() {
    return full.get();
  }

  /** What a key shows now: its character, as a capital while shift is on. */
  public String label(Key key) {
    return key.kind() == Key.Kind.CHARACTER && shift.get()
        ? key.text().toUpperCase(locale)
        : key.text();
  }

  /**
   * A key of the layout was pressed.
   *
   * @return whether the text or the shift changed
   */
  public boolean press(Key key) {
    Objects.requireNonNull(key, "key must not be null");
    return switch (key.kind()) {
      case SHIFT -> {
        if (!layout.get().hasCapitals()) {
          yield false;
        }
        shift.set(!shift.get());
        yield true;
      }
      case SWITCH -> {
        Optional<KeyboardLayout> other = otherLayout();
        other.ifPresent(
            o -> {
              layout.set(o);
              refresh(current());
            });
        yield other.isPresent();
      }
      case SPACE -> append(" ");
      case BACKSPACE -> backspace();
      case CHARACTER -> append(label(key));
      case ENTER -> {
        enter.run();
        yield true;
      }
    };
  }

  /**
   * Characters from a physical keyboard: printable ones are typed as they come (no shift applied),
   * control characters are ignored, backspace (U+0008) erases.
   *
   * @return whether the text changed
   */
  public boolean type(String typed) {
    if (typed == null || typed.isEmpty()) {
      return false;
    }
    boolean changed = false;
    for (int cp : typed.codePoints().toArray()) {
      if (cp == '\b') {
        changed |= backspace();
      } else if (!Character.isISOControl(cp)) {
        changed |= append(Character.toString(cp));
      }
    }
    return changed;
  }

  /** Puts back a text typed before (the resident came back to the question), cut to fit. */
  public void setText(String value) {
    String v = value == null ? "" : value;
    int count = v.codePointCount(0, v.length());
    if (count > maxLength) {
      v = v.substring(0, v.offsetByCodePoints(0, maxLength));
    }
    show(v);
  }

  /** Erases the whole text. */
  public void clear() {
    setText("");
  }

  private boolean append(String s) {
    String current = current();
    int count = current.codePointCount(0, current.length());
    if (count + s.codePointCount(0, s.length()) > maxLength) {
      return false;
    }
    if (s.equals(" ") && (current.isEmpty() || current.endsWith(" "))) {
      // No leading or double space: one tap too many on the long bar is common.
      return false;
    }
    show(current + s);
    return true;
  }

  private boolean backspace() {
    String current = current();
    if (current.isEmpty()) {
      return false;
    }
    show(current.substring(0, current.offsetByCodePoints(current.length(), -1)));
    return true;
  }

  private String current() {
    String value = target.get();
    return value == null ? "" : value;
  }

  /** Writes the target; {@link #followTarget} then updates the rest. */
  private void show(String value) {
    target.set(value);
  }

  /**
   * Sets the text last, so that its listeners see the length, fullness and shift of the new one.
   */
  private void followTarget(String value) {
    String v = value == null ? "" : value;
    refresh(v);
    text.set(v);
  }

  /** Length, fullness and the automatic shift at the start of a sentence. */
  private void refresh(String current) {
    int count = current.codePointCount(0, current.length());
    length.set(count);
    full.set(count >= maxLength);
    String trimmed = current.stripTrailing();
    boolean sentenceStart =
        trimmed.isEmpty()
            || (current.endsWith(" ")
                && (trimmed.endsWith(".") || trimmed.endsWith("!") || trimmed.endsWith("?")));
    shift.set(layout.get().hasCapitals() && sentenceStart);
  }
}
