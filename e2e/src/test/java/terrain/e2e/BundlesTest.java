// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every resource bundle of every module, read from the source tree: a translation has no key that
 * the French base lacks (a misspelt key would never show; a key it leaves out falls back to the
 * French text, which is meant for names like "English" and for the staff's screens), and the web
 * pages' texts (hub, server, claim pages, which are all MessageFormat patterns) write their
 * apostrophes twice, so that none vanishes or shows doubled.
 */
class BundlesTest {
  private static final Pattern LONE_APOSTROPHE = Pattern.compile("(?<!')'(?!')");
  private static final List<String> WEB_BUNDLES =
      List.of(
          "terrain/hub/status/",
          "terrain/hub/results/",
          "terrain/server/http/",
          "terrain/server/claim/",
          "terrain/server/moderation/",
          "terrain/server/results/",
          "terrain/server/followup/",
          "terrain/server/representativeness/",
          "terrain/core/results/",
          "terrain/hub/workshop/",
          "terrain/server/workshop/",
          // Not web pages, but the same MessageFormat patterns: the command lines' messages.
          "terrain/provisioning/text/",
          "terrain/server/cli/",
          "terrain/hub/cli/",
          "terrain/dist/cli/");

  @Test
  void bundles_whenTranslated_haveNoKeyTheFrenchBaseLacks() throws IOException {
    List<Path> bases = bases();
    assertTrue(bases.size() >= 5, "bundles found: " + bases);
    List<String> problems = new ArrayList<>();
    for (Path base : bases) {
      TreeSet<String> keys = new TreeSet<>(load(base).stringPropertyNames());
      for (Path translation : translations(base)) {
        TreeSet<String> other = new TreeSet<>(load(translation).stringPropertyNames());
        TreeSet<String> extra = new TreeSet<>(other);
        extra.removeAll(keys);
        if (!extra.isEmpty()) {
          problems.add(translation + " has keys the French base lacks: " + extra);
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void webBundles_whenRead_areMessageFormatPatternsWithDoubledApostrophes() throws IOException {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path base : bases()) {
      String path = base.toString().replace('\\', '/');
      if (WEB_BUNDLES.stream().noneMatch(path::contains)) {
        continue;
      }
      List<Path> files = new ArrayList<>(translations(base));
      files.add(base);
      for (Path file : files) {
        Properties texts = load(file);
        for (String key : texts.stringPropertyNames()) {
          String text = texts.getProperty(key);
          checked++;
          if (LONE_APOSTROPHE.matcher(text).find()) {
            problems.add(file + ": " + key + " has a single apostrophe; write '' (two)");
          }
          try {
            new MessageFormat(text);
          } catch (IllegalArgumentException e) {
            problems.add(file + ": " + key + " is not a MessageFormat pattern: " + e.getMessage());
          }
        }
      }
    }
    assertFalse(checked == 0, "no web bundle found");
    assertEquals(List.of(), problems);
  }

  private static List<Path> bases() throws IOException {
    try (var walk = Files.walk(Apps.root())) {
      return walk.filter(p -> p.toString().contains("src" + java.io.File.separator + "main"))
          .filter(p -> p.getFileName().toString().equals("messages.properties"))
          .filter(p -> !p.toString().contains(java.io.File.separator + "target"))
          .sorted()
          .toList();
    }
  }

  private static List<Path> translations(Path base) throws IOException {
    try (var list = Files.list(base.getParent())) {
      return list.filter(p -> p.getFileName().toString().matches("messages_[a-z]{2}\\.properties"))
          .sorted()
          .toList();
    }
  }

  private static Properties load(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    }
    return properties;
  }
}
