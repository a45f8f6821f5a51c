// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.fuzz;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import terrain.core.event.EventFileException;
import terrain.core.event.EventLoader;

/**
 * The event loader fuzzed: event files edited line by line (lines dropped, doubled, re-indented,
 * values replaced by YAML's traps: anchors and aliases, tags, merge keys, deep nesting, huge
 * numbers), and byte-level edits, give an event or an {@link EventFileException}; never another
 * exception, a hang or an out-of-memory. The files in {@code fuzz/event} seed the edits and are
 * replayed as they are every run.
 */
class EventFuzzTest {
  private static final Fuzz FUZZ = new Fuzz(Duration.ofSeconds(10));

  /** Values that have broken YAML readers. */
  static final List<String> TRAPS =
      List.of(
          "&a [*a, *a]",
          "*nowhere",
          "!!binary AAAA",
          "!!java.net.URL [\"http://x\"]",
          "!!set {a, b}",
          "<<: *a",
          "~",
          "null",
          "1e400",
          "-9223372036854775809",
          "99999999999999999999999999",
          "0x7FFFFFFF",
          "2026-02-30",
          "\"\\uD800\"",
          "'",
          "\"",
          "[",
          "{",
          "? [a, b]\n  : c",
          "|\n  text",
          ">-",
          "\t- x",
          "\u0000",
          "[".repeat(200) + "]".repeat(200),
          "{a: ".repeat(100) + "1" + "}".repeat(100),
          "x".repeat(20_000),
          "- - - - - - - - - - - - - - - - - - - -",
          "!!python/object:os.system [\"ls\"]",
          "%YAML 1.1",
          "---",
          "...",
          "{fr: \"\", en: \"\"}",
          "[]",
          "{}");

  @AfterContainer
  static void stop() {
    FUZZ.close();
  }

  /** One edit of the lines of a file; positions taken modulo the line count. */
  record LineEdit(int op, int position, int trap) {
    List<String> apply(List<String> lines) {
      List<String> out = new ArrayList<>(lines);
      if (out.isEmpty()) {
        out.add(TRAPS.get(trap % TRAPS.size()));
        return out;
      }
      int at = position % out.size();
      String line = out.get(at);
      switch (op) {
        case 0 -> out.remove(at);
        case 1 -> out.add(at, line);
        case 2 -> out.set(at, "  " + line);
        case 3 -> out.set(at, line.stripLeading());
        case 4 -> {
          int colon = line.indexOf(": ");
          String trapText = TRAPS.get(trap % TRAPS.size());
          out.set(at, colon < 0 ? trapText : line.substring(0, colon + 2) + trapText);
        }
        case 5 -> out.add(at, TRAPS.get(trap % TRAPS.size()));
        default -> out.set(at, line.substring(0, (trap % (line.length() + 1))));
      }
      return out;
    }
  }

  static List<String> seeds() throws Exception {
    List<String> out = new ArrayList<>();
    for (Path file : Fuzz.corpus("event")) {
      out.add(Files.readString(file, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Line edits or byte edits (one property, to keep CI's time: YAML parses are slow). */
  @Property(seed = Fuzz.SEED)
  void parse_whenEdited_givesAnEventOrAnEventFileException(
      @ForAll("files") String file,
      @ForAll boolean byBytes,
      @ForAll("lineEdits") List<LineEdit> lineEdits,
      @ForAll("byteEdits") List<Mutation> byteEdits) {
    if (byBytes) {
      byte[] bytes = Mutation.apply(file.getBytes(StandardCharsets.UTF_8), byteEdits);
      load(new String(bytes, StandardCharsets.UTF_8));
      return;
    }
    List<String> lines = file.lines().toList();
    for (LineEdit edit : lineEdits) {
      lines = edit.apply(lines);
    }
    load(String.join("\n", lines));
  }

  @Example
  void corpus_whenReplayed_everyFileGivesAnEventOrAnEventFileException() throws Exception {
    for (String file : seeds()) {
      load(file);
    }
    for (String trap : TRAPS) {
      load("id: " + trap + "\n");
      load(trap);
    }
  }

  @Provide
  Arbitrary<String> files() throws Exception {
    return Arbitraries.of(seeds());
  }

  @Provide
  Arbitrary<List<LineEdit>> lineEdits() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 6),
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            Arbitraries.integers().between(0, Integer.MAX_VALUE))
        .as(LineEdit::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6);
  }

  @Provide
  Arbitrary<List<Mutation>> byteEdits() {
    return Mutation.lists(6);
  }

  static void load(String yaml) {
    String shown = yaml.length() > 4000 ? yaml.substring(0, 4000) + "..." : yaml;
    FUZZ.decodes(
        "YAML:\n" + shown, EventFileException.class, () -> EventLoader.parse(yaml, "fuzz.yaml"));
  }
}
