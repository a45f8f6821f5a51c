// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ResourceBundle;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code terrain provision} speaks French first: without a language in the environment, with {@code
 * LANG=fr_FR.UTF-8} or {@code --lang fr}; English with an English environment or {@code --lang en}.
 * Its own messages, picocli's parse errors and the help all follow.
 */
class LanguageTest {

  private static final String[] NO_TOKEN = {"device", "list", "--server", "http://127.0.0.1:9"};

  @Test
  void missingToken_saidInFrenchByDefault_inEnglishWithAnEnglishEnvironment() {
    Cli.Result fr = Cli.run(Map.of(), NO_TOKEN);
    assertEquals(2, fr.code(), fr.toString());
    assertEquals(Cli.FR.get("server.noToken", "TERRAIN_ADMIN_TOKEN"), fr.err().strip());
    assertTrue(fr.err().startsWith("pas de jeton d’administration : passez --token"), fr.err());

    Cli.Result en = Cli.run(Map.of("LANG", "en_GB.UTF-8"), NO_TOKEN);
    assertEquals(2, en.code(), en.toString());
    assertEquals(Cli.EN.get("server.noToken", "TERRAIN_ADMIN_TOKEN"), en.err().strip());
    assertTrue(en.err().startsWith("no admin token: pass --token"), en.err());
  }

  @Test
  void language_lcAllBeforeLcMessagesBeforeLang_andLangOptionBeforeAll() {
    String fr = Cli.FR.get("server.noToken", "TERRAIN_ADMIN_TOKEN");
    String en = Cli.EN.get("server.noToken", "TERRAIN_ADMIN_TOKEN");
    assertNotEquals(fr, en);
    assertEquals(fr, Cli.run(Map.of("LANG", "fr_FR.UTF-8"), NO_TOKEN).err().strip());
    assertEquals(
        en,
        Cli.run(Map.of("LC_ALL", "en_US.UTF-8", "LANG", "fr_FR.UTF-8"), NO_TOKEN).err().strip());
    assertEquals(
        fr,
        Cli.run(Map.of("LC_MESSAGES", "fr_FR.UTF-8", "LANG", "en_US.UTF-8"), NO_TOKEN)
            .err()
            .strip());
    // C and other languages: French, the staff's.
    assertEquals(fr, Cli.run(Map.of("LANG", "C.UTF-8"), NO_TOKEN).err().strip());
    assertEquals(fr, Cli.run(Map.of("LANG", "de_DE.UTF-8"), NO_TOKEN).err().strip());

    String[] english = {"--lang", "en", "device", "list", "--server", "http://127.0.0.1:9"};
    assertEquals(en, Cli.run(Map.of("LANG", "fr_FR.UTF-8"), english).err().strip());
    String[] french = {"device", "list", "--lang=fr", "--server", "http://127.0.0.1:9"};
    assertEquals(fr, Cli.run(Map.of("LANG", "en_GB.UTF-8"), french).err().strip());
  }

  @Test
  void langOption_neitherFrNorEn_usage2_saysWhatToWrite() {
    Cli.Result r = Cli.run(Map.of(), "--lang", "de", "--help");
    assertEquals(2, r.code(), r.toString());
    assertEquals(Cli.FR.get("lang.invalid", "de"), r.err().strip());
    assertEquals("", r.out());
  }

  @Test
  void parseError_picocliSaysItInTheRunsLanguage_thenWhichHelpToRead() {
    String[] args = {"device", "enrol", "--kind", "kiosk"};
    Cli.Result fr = Cli.run(Map.of(), args);
    assertEquals(2, fr.code(), fr.toString());
    assertEquals(
        Cli.FR.get("cli.missing", "--server URL, --event ID")
            + System.lineSeparator()
            + Cli.FR.get("cli.seeHelp", "terrain provision device enrol"),
        fr.err().strip());
    assertTrue(fr.err().startsWith("il manque --server URL"), fr.err());

    Cli.Result en = Cli.run(Map.of("LANG", "en_US.UTF-8"), args);
    assertEquals(2, en.code(), en.toString());
    assertTrue(en.err().startsWith("missing --server URL, --event ID"), en.err());

    Cli.Result unknown = Cli.run(Map.of(), "devise");
    assertEquals(2, unknown.code(), unknown.toString());
    assertTrue(
        unknown.err().startsWith(Cli.FR.get("cli.unknownSuggest", "devise", "device, event")),
        unknown.err());

    Cli.Result none = Cli.run(Map.of());
    assertEquals(2, none.code(), none.toString());
    assertTrue(none.err().startsWith(Cli.FR.get("cli.noCommand", "event, population")), none.err());
  }

  @Test
  void help_inFrenchAndInEnglish_fromTheUsageBundle() {
    ResourceBundle fr = Texts.bundle(Texts.USAGE, Locale.FRENCH);
    ResourceBundle en = Texts.bundle(Texts.USAGE, Locale.ENGLISH);

    Cli.Result r = Cli.run(Map.of(), "--help");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().startsWith("Utilisation : terrain provision"), r.out());
    assertTrue(r.out().contains("Commandes :"), r.out());
    assertTrue(r.out().contains(fr.getString("usage.footer.2").substring(0, 40)), r.out());
    assertTrue(r.out().contains(fr.getString("mixinStandardHelpOptions.help")), r.out());

    r = Cli.run(Map.of(), "--lang", "en", "device", "revoke", "--help");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().startsWith("Usage: terrain provision device revoke"), r.out());
    assertTrue(r.out().contains(en.getString("deviceId")), r.out());
    assertTrue(r.out().contains("Default: now."), r.out());
    assertFalse(r.out().contains("Utilisation"), r.out());
  }

  @Test
  void numbers_inMessages_areNotGrouped_countsChooseSingularOrPlural() {
    Path file = Path.of("base.csv");
    assertEquals(
        "base.csv:12345: P21_POP vaut \"x\", ce n’est pas un nombre d’habitants ; donnez le"
            + " fichier de l’INSEE tel que téléchargé",
        Cli.FR.get("insee.notNumber", file, 12345L, "P21_POP", "x"));
    assertTrue(Cli.EN.get("event.summary", "e", 1, 2).endsWith("1 poll, 2 questions"));
    assertTrue(Cli.EN.get("event.summary", "e", 0, 1).endsWith("0 polls, 1 question"));
    assertTrue(Cli.FR.get("event.summary", "e", 3, 1).endsWith("3 sondages, 1 question"));
  }

  @Test
  void consoleCharset_utf8WhenTheLocaleNamesIt() {
    assertEquals(StandardCharsets.UTF_8, Texts.consoleCharset(Map.of("LANG", "fr_FR.UTF-8")));
    assertEquals(StandardCharsets.UTF_8, Texts.consoleCharset(Map.of("LC_ALL", "fr_FR.utf8")));
    assertEquals(
        Charset.defaultCharset(),
        Texts.consoleCharset(Map.of("LC_ALL", "C", "LANG", "fr_FR.UTF-8")));
    assertEquals(Charset.defaultCharset(), Texts.consoleCharset(Map.of()));
  }

  /** An English run never falls back to a French sentence: both languages have every key. */
  @Test
  void bundles_frenchAndEnglish_haveTheSameKeys() throws IOException {
    for (String name : new String[] {Texts.MESSAGES, Texts.USAGE}) {
      String path = "/" + name.replace('.', '/');
      TreeSet<String> fr = keys(path + ".properties");
      TreeSet<String> en = keys(path + "_en.properties");
      assertTrue(fr.size() > 20, name + ": " + fr);
      assertEquals(fr, en, name);
    }
  }

  private static TreeSet<String> keys(String resource) throws IOException {
    Properties properties = new Properties();
    try (InputStream in = LanguageTest.class.getResourceAsStream(resource)) {
      assertNotNull(in, resource);
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return new TreeSet<>(properties.stringPropertyNames());
  }
}
