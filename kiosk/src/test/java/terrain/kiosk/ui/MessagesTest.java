// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class MessagesTest {

  @Test
  void text_whenFrench_isTheBaseBundle() {
    Messages fr = Messages.of(Language.FR);
    assertEquals("Touchez pour participer", fr.text("attract.call"));
    assertEquals("Votre ticket s'imprime…", fr.text("thanks.ticket"));
    assertEquals("Jusqu'à 2 réponses", fr.format("hint.multiple", 2));
  }

  @Test
  void text_whenDefaultLocaleIsEnglish_frenchStaysFrench() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.ENGLISH);
      assertEquals("Encore là ?", Messages.of(Language.FR).text("still.title"));
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void text_whenEnglishOrArabic_isTranslatedFromUtf8() {
    assertEquals("Touch to take part", Messages.of(Language.EN).text("attract.call"));
    assertEquals("المس الشاشة للمشاركة", Messages.of(Language.AR).text("attract.call"));
  }

  @Test
  void keys_whenEnglish_areTheFrenchKeys() {
    List<String> french = Messages.of(Language.FR).keys();
    assertEquals(french, Messages.of(Language.EN).keys());
  }

  @Test
  void keys_whenArabic_coverEveryResidentText() {
    List<String> resident =
        Messages.of(Language.FR).keys().stream()
            // Staff texts are translated too but may read the same (a figure and a unit); a
            // date pattern is not a text.
            .filter(k -> !k.startsWith("staff") && !k.endsWith("datePattern"))
            .toList();
    Messages ar = Messages.of(Language.AR);
    for (String key : resident) {
      // A missing Arabic text would silently show the French one.
      assertEquals(
          false,
          ar.text(key).equals(Messages.of(Language.FR).text(key)) && !key.equals("nav.finish"),
          "Arabic text missing for " + key);
    }
  }
}
