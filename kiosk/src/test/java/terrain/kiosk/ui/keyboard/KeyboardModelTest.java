// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.keyboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class KeyboardModelTest {

  private static KeyboardModel french(int max) {
    return new KeyboardModel(KeyboardLayout.AZERTY, Locale.FRENCH, max);
  }

  private static Key key(KeyboardLayout layout, String character) {
    return layout.rows().stream()
        .flatMap(List::stream)
        .filter(k -> k.text().equals(character))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no key " + character + " in " + layout));
  }

  private static void press(KeyboardModel model, String characters) {
    for (int cp : characters.codePoints().toArray()) {
      Key k = cp == ' ' ? Key.SPACE : key(model.layout(), Character.toString(cp));
      model.press(k);
    }
  }

  @Test
  void layout_whenFrench_isAzertyWithTheAccentsAndShift() {
    List<List<Key>> rows = KeyboardLayout.forLanguage("fr").rows();

    assertEquals("azertyuiop", rows.get(1).stream().map(Key::text).reduce("", String::concat));
    for (String accent : List.of("é", "è", "à", "ç", "ù", "ê")) {
      key(KeyboardLayout.AZERTY, accent);
    }
    assertEquals(List.of(Key.SHIFT, Key.SPACE, Key.BACKSPACE), rows.get(rows.size() - 1));
  }

  @Test
  void layout_whenArabic_hasArabicLettersAndNoShift() {
    KeyboardLayout arabic = KeyboardLayout.forLanguage("ar");

    assertEquals(KeyboardLayout.ARABIC, arabic);
    assertFalse(arabic.hasCapitals());
    key(arabic, "ض");
    key(arabic, "ب");
    assertEquals(List.of(Key.SPACE, Key.BACKSPACE), arabic.rows().get(arabic.rows().size() - 1));
    KeyboardModel model = new KeyboardModel(arabic, Locale.forLanguageTag("ar"), 20);
    assertFalse(model.press(Key.SHIFT));
    press(model, "سوق");
    assertEquals("سوق", model.text());
  }

  @Test
  void press_whenTextEmpty_capitalisesTheFirstLetterOnly() {
    KeyboardModel model = french(40);

    assertTrue(model.isShift());
    assertEquals("É", model.label(key(KeyboardLayout.AZERTY, "é")));
    press(model, "été");

    assertEquals("Été", model.text());
    assertFalse(model.isShift());
  }

  @Test
  void press_whenSentenceEnds_capitalisesTheNextOne() {
    KeyboardModel model = french(40);

    press(model, "oui. merci");

    assertEquals("Oui. Merci", model.text());
  }

  @Test
  void press_whenShiftTappedTwiceAtStart_typesLowercase() {
    KeyboardModel model = french(40);

    model.press(Key.SHIFT);
    press(model, "ça");

    assertEquals("ça", model.text());
  }

  @Test
  void press_whenSpaceAtStartOrTwice_isIgnored() {
    KeyboardModel model = french(40);

    assertFalse(model.press(Key.SPACE));
    press(model, "a");
    model.press(Key.SPACE);
    assertFalse(model.press(Key.SPACE));

    assertEquals("A ", model.text());
  }

  @Test
  void press_whenFull_refusesKeysButBackspace() {
    KeyboardModel model = french(3);

    press(model, "abc");
    assertTrue(model.isFull());
    assertFalse(model.press(key(KeyboardLayout.AZERTY, "d")));
    assertEquals("Abc", model.text());
    assertTrue(model.press(Key.BACKSPACE));

    assertEquals("Ab", model.text());
    assertFalse(model.isFull());
    assertEquals(2, model.lengthProperty().get());
  }

  @Test
  void press_whenBackspaceOnEmpty_doesNothing() {
    assertFalse(french(5).press(Key.BACKSPACE));
  }

  @Test
  void type_whenPhysicalKeyboard_typesPrintableErasesWithBackspaceSkipsControls() {
    KeyboardModel model = french(10);

    assertTrue(model.type("Bonjour\t\n!"));
    model.type("\b");

    assertEquals("Bonjour", model.text());
  }

  @Test
  void setText_whenLongerThanMax_cutsByCodePoint() {
    KeyboardModel model = french(3);

    model.setText("a😀bc");

    assertEquals("a😀b", model.text());
    assertEquals(3, model.lengthProperty().get());
  }

  @Test
  void new_whenMaxLengthZero_throws() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new KeyboardModel(KeyboardLayout.QWERTY, Locale.ENGLISH, 0));
  }

  @Test
  void press_whenSwitchKey_goesToTheOtherScriptAndBack() {
    KeyboardModel model =
        new KeyboardModel(
            KeyboardLayout.ARABIC,
            java.util.Optional.of(KeyboardLayout.AZERTY),
            Locale.forLanguageTag("ar"),
            20);
    assertEquals(Key.SWITCH, model.rows().get(model.rows().size() - 1).get(0));
    press(model, "شكرا ");

    assertTrue(model.press(Key.SWITCH));
    assertEquals(KeyboardLayout.AZERTY, model.layout());
    press(model, "ok");
    model.press(Key.SWITCH);

    assertEquals("شكرا ok", model.text());
    assertEquals(KeyboardLayout.ARABIC, model.layout());
    assertFalse(french(5).press(Key.SWITCH), "no alternate, no switch");
    assertFalse(french(5).rows().stream().flatMap(List::stream).anyMatch(k -> k == Key.SWITCH));
  }

  @Test
  void keyId_isStableAndSafeForCssLookups() {
    assertEquals("key-e9", Key.character('é').id());
    assertEquals("key-backspace", Key.BACKSPACE.id());
  }

  @Test
  void layout_whenCompact_hasFourRowsOfOneCharacterKeysThatFitBesideTheFields() {
    for (String tag : List.of("fr", "en", "ar")) {
      KeyboardLayout compact = KeyboardLayout.compactFor(tag);
      assertEquals(4, compact.rows().size(), compact.name());
      assertEquals(Key.SPACE, compact.rows().get(3).get(compact.rows().get(3).size() - 2));
      for (List<Key> row : compact.rows()) {
        assertTrue(row.size() <= 11, compact + " row " + row);
        for (Key k : row) {
          assertTrue(
              k.kind() != Key.Kind.CHARACTER || k.text().codePointCount(0, k.text().length()) == 1);
          assertFalse(Character.isDigit(k.codePoint()), compact + " has no digits");
        }
      }
    }
    assertTrue(KeyboardLayout.ARABIC_COMPACT.isArabic());
    assertFalse(KeyboardLayout.ARABIC_COMPACT.hasCapitals());
  }

  @Test
  void press_whenPinPad_typesDigitsAndEnterRunsTheAction() {
    KeyboardModel pin = new KeyboardModel(KeyboardLayout.PIN, Locale.ROOT, 4);
    List<String> entered = new java.util.ArrayList<>();
    pin.onEnter(() -> entered.add(pin.text()));
    assertEquals(
        List.of(Key.BACKSPACE, Key.character('0'), Key.ENTER), KeyboardLayout.PIN.rows().get(3));

    press(pin, "24689");
    assertTrue(pin.press(Key.ENTER));

    assertEquals(List.of("2468"), entered);
    assertTrue(pin.isFull());
    assertEquals("pin-32", Key.character('2').id("pin-"));
  }

  @Test
  void typeInto_whenFieldChangesOrIsEditedElsewhere_followsIt() {
    javafx.beans.property.StringProperty title = new javafx.beans.property.SimpleStringProperty("");
    javafx.beans.property.StringProperty text =
        new javafx.beans.property.SimpleStringProperty("Déjà là.");
    KeyboardModel model = french(40);
    model.typeInto(title, 5);
    press(model, "bancs!");
    assertEquals("Bancs", title.get());
    assertTrue(model.isFull());

    model.typeInto(text, 40);
    assertFalse(model.isShift());
    text.set("Déjà là. ");
    assertTrue(model.isShift(), "a physical keyboard ended the sentence");
    press(model, "oui");

    assertEquals("Déjà là. Oui", text.get());
    assertEquals("Déjà là. Oui", model.text());
    assertEquals("Bancs", title.get());
  }
}
