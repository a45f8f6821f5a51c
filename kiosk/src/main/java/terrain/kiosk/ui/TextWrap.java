// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import javafx.beans.binding.Bindings;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.value.ObservableDoubleValue;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Labeled;
import javafx.scene.layout.Region;
import javafx.scene.text.Font;
import javafx.scene.text.Text;

/**
 * Wraps right-to-left text (Arabic) into lines ourselves. JavaFX 21's own wrapping draws every
 * wrapped line of Arabic text with the rest of the paragraph running past the label's edge (seen on
 * Monocle and on X11, with DejaVu Sans and the system font), while text with explicit line breaks
 * renders right. Left-to-right text keeps JavaFX's wrapping.
 */
public final class TextWrap {
  private static final String LRM = "\u200E";

  private TextWrap() {}

  /**
   * Shows {@code text} in {@code label}, wrapped to {@code width}: by JavaFX for left-to-right
   * text, by explicit line breaks for text with right-to-left letters.
   */
  public static void bind(
      Labeled label, ObservableValue<String> text, ObservableDoubleValue width) {
    label.setWrapText(true);
    label
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () -> {
                  String value = text.getValue();
                  return value == null || !rightToLeft(value)
                      ? value
                      : fit(value, label.getFont(), width.get());
                },
                text,
                label.fontProperty(),
                width));
  }

  /**
   * As {@link #bind(Labeled, ObservableValue, ObservableDoubleValue)}, {@code label} being one of
   * the children of {@code container} laid out one under the other: lines as wide as the
   * container's content less the label's own padding.
   */
  public static void bindInside(Labeled label, ObservableValue<String> text, Region container) {
    bind(
        label,
        text,
        Bindings.createDoubleBinding(
            () ->
                container.getWidth()
                    - container.getInsets().getLeft()
                    - container.getInsets().getRight()
                    - label.getInsets().getLeft()
                    - label.getInsets().getRight(),
            container.widthProperty(),
            container.insetsProperty(),
            label.insetsProperty()));
  }

  /**
   * Shows {@code text} on {@code button}, wrapped to the room its graphic leaves beside it (none
   * taken when the graphic is above or below). Call it once the graphic is set.
   */
  public static void bindOnButton(Labeled button, String text) {
    bind(
        button,
        new SimpleStringProperty(text),
        Bindings.createDoubleBinding(
            () -> {
              double room =
                  button.getWidth() - button.getInsets().getLeft() - button.getInsets().getRight();
              Node graphic = button.getGraphic();
              boolean beside =
                  button.getContentDisplay() == ContentDisplay.LEFT
                      || button.getContentDisplay() == ContentDisplay.RIGHT;
              if (graphic != null && beside) {
                room -= graphic.prefWidth(-1) + button.getGraphicTextGap();
              }
              return room;
            },
            button.widthProperty(),
            button.insetsProperty(),
            button.graphicProperty(),
            button.graphicTextGapProperty(),
            button.contentDisplayProperty()));
  }

  /**
   * {@code text} as shown on a screen laid out right to left or not: a text without right-to-left
   * letters (an event text with no translation, so French) between left-to-right marks there, which
   * keep its punctuation in place (else "?" jumps to the other end of the line).
   */
  public static String onScreen(String text, boolean rightToLeftScreen) {
    return rightToLeftScreen && !rightToLeft(text) ? LRM + text + LRM : text;
  }

  /** Whether {@code text} has letters of a right-to-left script. */
  public static boolean rightToLeft(String text) {
    return text.codePoints()
        .anyMatch(
            c -> {
              byte d = Character.getDirectionality(c);
              return d == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                  || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
            });
  }

  /** {@code text} with line breaks between words so that no line is wider than {@code width}. */
  public static String fit(String text, Font font, double width) {
    if (!(width > 0)) {
      return text;
    }
    Text measure = new Text();
    measure.setFont(font);
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      String candidate = line.isEmpty() ? word : line + " " + word;
      measure.setText(candidate);
      if (line.isEmpty() || measure.getLayoutBounds().getWidth() <= width) {
        line.setLength(0);
        line.append(candidate);
      } else {
        out.append(line).append('\n');
        line.setLength(0);
        line.append(word);
      }
    }
    return out.append(line).toString();
  }
}
