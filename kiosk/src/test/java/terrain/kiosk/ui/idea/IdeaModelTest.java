// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.idea;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import terrain.core.event.AnswerOption;
import terrain.core.event.IdeaSettings;
import terrain.core.record.IdeaBody;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.ManualTime;
import terrain.kiosk.ui.TapFilter;
import terrain.kiosk.ui.keyboard.Key;
import terrain.kiosk.ui.keyboard.KeyboardLayout;
import terrain.kiosk.ui.keyboard.Keys;

/** The idea screen's model, without a toolkit. */
class IdeaModelTest {
  private final ManualTime time = new ManualTime();
  private final TapFilter taps = new TapFilter(time, Duration.ofMillis(300));
  private final IdeaSettings settings =
      IdeaSettings.enabled(
          List.of(
              AnswerOption.of("a", "Arbres", "Trees"), AnswerOption.of("b", "Bancs", "Benches")));

  private IdeaModel model(Language language) {
    return new IdeaModel(settings, terrain.core.id.PollId.of("avenir"), language, taps);
  }

  private static void typeEach(IdeaModel model, String letters) {
    Keys.press(model.keyboard(), letters);
  }

  @Test
  void press_whenLettersOnTheKeyboard_capitalisesEachSentenceAndKeepsDoubleLetters() {
    IdeaModel model = model(Language.FR);
    typeEach(model, "belle place");
    model.focus(IdeaModel.Field.TEXT);
    typeEach(model, "des arbres. et de l'eau !  ok");

    assertEquals("Belle place", model.titleProperty().get());
    assertEquals("Des arbres. Et de l'eau ! Ok", model.textProperty().get());
  }

  @Test
  void press_whenSpaceFirst_ignoresIt() {
    IdeaModel model = model(Language.FR);
    typeEach(model, " ");
    assertEquals("", model.titleProperty().get());
    assertFalse(model.isSendable());
  }

  @Test
  void backspace_whenEmojiOrArabic_removesOneWholeCharacter() {
    IdeaModel model = model(Language.AR);
    typeEach(model, "ف");
    model.keyboard().type("😀");
    model.keyboard().press(Key.BACKSPACE);
    assertEquals("ف", model.titleProperty().get());
    model.keyboard().press(Key.BACKSPACE);
    model.keyboard().press(Key.BACKSPACE);
    assertEquals("", model.titleProperty().get());
  }

  @Test
  void textProperty_whenKeyboardPastesTooMuch_isCutAtTheRecordLimit() {
    IdeaModel model = model(Language.FR);
    model.textProperty().set("x".repeat(IdeaBody.MAX_TEXT_CHARS + 50));
    assertEquals(IdeaBody.MAX_TEXT_CHARS, model.textProperty().get().length());
    assertEquals(0, model.textLeftProperty().get());
    model.titleProperty().set("t".repeat(200));
    assertEquals(IdeaBody.MAX_TITLE_CHARS, model.titleProperty().get().length());
  }

  @Test
  void idea_whenTypedAndThemePicked_isTheRecordToStore() {
    IdeaModel model = model(Language.EN);
    assertEquals(Optional.empty(), model.idea());
    model.focus(IdeaModel.Field.TEXT);
    typeEach(model, "more shade ");
    time.advance(Duration.ofSeconds(1));
    model.themes().tap("b");

    assertTrue(model.isSendable());
    assertEquals(Optional.of(new IdeaBody("avenir", "b", "en", "", "More shade")), model.idea());
    assertEquals("Benches", model.themes().items().get(1).label());
  }

  @Test
  void themeTap_whenSameThemeAgain_unpicksIt() {
    IdeaModel model = model(Language.FR);
    model.themes().tap("a");
    time.advance(Duration.ofSeconds(1));
    model.themes().tap("a");
    assertEquals(Optional.empty(), model.themes().selected());
    time.advance(Duration.ofSeconds(1));
    model.themes().tap("b");
    assertEquals(Optional.of("b"), model.themes().selected());
    assertTrue(model.themes().items().get(1).isSelected());
  }

  @Test
  void clear_whenSomethingTyped_forgetsEverything() {
    IdeaModel model = model(Language.FR);
    typeEach(model, "idée");
    model.themes().tap("a");
    model.focus(IdeaModel.Field.TEXT);

    model.clear();

    assertEquals("", model.titleProperty().get());
    assertEquals(Optional.empty(), model.themes().selected());
    assertEquals(IdeaModel.Field.TITLE, model.field());
    assertFalse(model.isSendable());
  }

  @Test
  void focus_whenTextField_keyboardTypesThereUpToTheTextLimit() {
    IdeaModel model = model(Language.FR);
    typeEach(model, "titre");
    model.focus(IdeaModel.Field.TEXT);
    assertTrue(model.keyboard().isShift(), "the empty text starts a sentence");
    assertEquals(IdeaBody.MAX_TEXT_CHARS, model.keyboard().maxLength());
    typeEach(model, "ok");
    model.focus(IdeaModel.Field.TITLE);
    model.keyboard().press(Key.BACKSPACE);

    assertEquals("Titr", model.titleProperty().get());
    assertEquals("Ok", model.textProperty().get());
    assertEquals(KeyboardLayout.AZERTY_COMPACT, model.keyboard().layout());
  }
}
