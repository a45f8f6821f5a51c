// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.keyboard;

import java.util.Locale;
import java.util.Objects;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The state of an on-screen keyboard and the text it types, without the toolkit: the view only
 * binds its keys to {@link #press} and shows {@link #textProperty()}.
 *
 * <p>Like a phone keyboard, shift is on at the start of the text and after the end of a sentence,
 * and lets go after one letter; pressing it toggles it. The text never grows beyond {@link
 * #maxLength()} characters (counted as code points): a key pressed when the text is full does
 * nothing, and {@link #fullProperty()} says so. A physical keyboard types through {@link #type}.
 */
public final class KeyboardModel {
  private final KeyboardLayout layout;
  private final Locale locale;
  private final int maxLength;
  private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper("");
  private final ReadOnlyBooleanWrapper shift = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyIntegerWrapper length = new ReadOnlyIntegerWrapper(0);
  private final ReadOnlyBooleanWrapper full = new ReadOnlyBooleanWrapper(false);

  /**
   * @param locale for capitals (French and English capitals of é, ç...)
   * @param maxLength the most characters, at least 1
   */
  public KeyboardModel(KeyboardLayout layout, Locale locale, int maxLength) {
    this.layout = Objects.requireNonNull(layout, "layout must not be null");
    this.locale = Objects.requireNonNull(locale, "locale must not be null");
    if (maxLength < 1) {
      throw new IllegalArgumentException("Keyboard maxLength [" + maxLength + "] must be >= 1");
    }
    this.maxLength = maxLength;
    refresh("");
  }

  public KeyboardLayout layout() {
    return layout;
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
        if (!layout.hasCapitals()) {
          yield false;
        }
        shift.set(!shift.get());
        yield true;
      }
      case SPACE -> append(" ");
      case BACKSPACE -> backspace();
      case CHARACTER -> append(label(key));
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
    String current = text.get();
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
    String current = text.get();
    if (current.isEmpty()) {
      return false;
    }
    show(current.substring(0, current.offsetByCodePoints(current.length(), -1)));
    return true;
  }

  /**
   * Sets the text last, so that its listeners see the length, fullness and shift of the new one.
   */
  private void show(String value) {
    refresh(value);
    text.set(value);
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
    shift.set(layout.hasCapitals() && sentenceStart);
  }
}
