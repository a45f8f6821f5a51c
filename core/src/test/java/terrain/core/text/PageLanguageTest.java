// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PageLanguageTest {
  @ParameterizedTest(name = "[{0}] gives {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "null | fr",
        "'' | fr",
        "en | en",
        "en-GB | en",
        "en-US,en;q=0.9 | en",
        "fr-CA,en;q=0.9 | fr",
        "fr;q=0.8,en;q=0.8 | fr",
        "de-DE,de;q=0.9,en;q=0.8 | en",
        "de-DE,de;q=0.9,fr;q=0.8,en;q=0.7 | fr",
        "de | fr",
        "* | fr",
        "en;q=0 | fr",
        "garbage;;; | fr"
      })
  void choose_whenOnlyAcceptLanguage_prefersFrenchUnlessEnglishRanksHigher(
      String header, String expected) {
    PageLanguage language = PageLanguage.choose(null, header);

    assertEquals(expected, language.tag());
    assertFalse(language.explicit());
  }

  @ParameterizedTest(name = "?{0} with [{1}] gives {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "lang=en | fr | en",
        "lang=fr | en | fr",
        "x=1&lang=EN | null | en",
      })
  void choose_whenQueryHasLang_winsOverTheHeader(String query, String header, String expected) {
    PageLanguage language = PageLanguage.choose(query, header);

    assertEquals(expected, language.tag());
    assertTrue(language.explicit());
  }

  @ParameterizedTest(name = "?{0} is ignored")
  @CsvSource(
      delimiter = '|',
      value = {"lang=de", "lang=", "language=en", "lang=en-GB"})
  void choose_whenQueryLangUnknown_fallsBackToTheHeader(String query) {
    PageLanguage language = PageLanguage.choose(query, "en");

    assertEquals("en", language.tag());
    assertFalse(language.explicit());
  }

  @Test
  void new_whenLocaleNotSpoken_throwsNamingIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new PageLanguage(Locale.GERMAN, false));

    assertEquals("Locale [de] is not one the pages speak; use [fr, en, ar]", e.getMessage());
  }
}
