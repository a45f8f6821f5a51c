// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventCheckTest {

  static final String GOOD =
      """
      id: marche-2026
      title:
        fr: "Marché Saint-Michel"
      place: "Place Saint-Michel, Bordeaux"
      date: 2026-11-28
      polls:
        - id: venue
          title:
            fr: "Le marché"
          questions:
            - id: often
              kind: yesno
              text:
                fr: "Venez-vous souvent ?"
            - id: better
              kind: text
              text:
                fr: "Qu'améliorer ?"
      """;

  @TempDir Path dir;

  /** The example of the repository, as shipped: a good file. */
  @Test
  void check_exampleEvent_summary_exit0() {
    Path example = Path.of("../examples/events/market-day.yaml");
    Cli.Result r = Cli.run("event", "check", example.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().matches("marche-2026-11-28: \\d+ polls?, \\d+ questions?\\R"), r.toString());
    assertEquals("", r.err());
  }

  @Test
  void check_goodFile_oneLineSummary() throws IOException {
    Path file = write("good.yaml", GOOD);
    Cli.Result r = Cli.run("event", "check", file.toString());
    assertEquals(0, r.code(), r.toString());
    assertEquals(
        Cli.EN.get("event.summary", "marche-2026", 1, 2) + System.lineSeparator(), r.out());
    assertTrue(r.out().contains("1 poll, 2 questions"), r.out());
  }

  @Test
  void check_brokenFile_everyMistakeWithLineAndColumn_exit1() throws IOException {
    String broken =
        GOOD.replace("kind: yesno", "kind: yesnon").replace("id: better", "id: Better Idea");
    Path file = write("broken.yaml", broken);
    Cli.Result r = Cli.run("event", "check", file.toString());
    assertEquals(1, r.code(), r.toString());
    assertEquals("", r.out());
    List<String> lines = r.err().lines().toList();
    // Both mistakes, each as FILE:line:column: what to fix, at the place they are in the file.
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(file + ":12:15: ")), r.toString());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(file + ":15:13: ")), r.toString());
    assertTrue(
        lines.stream().allMatch(l -> l.matches(".*:\\d+:\\d+: .+|\\d+ mistakes? .*")),
        r.toString());
    assertTrue(r.err().contains(Cli.EN.get("event.mistakes", 2, file)), r.toString());
  }

  /**
   * The results count answers by question id: two polls sharing one would add up each other's
   * answers. A rule for new files (decision 0072): the loader still reads such a file.
   */
  @Test
  void check_questionIdInTwoPolls_namesItAndThePolls_exit1() throws IOException {
    String evening =
        """
          - id: soir
            title:
              fr: "Le soir"
            questions:
              - id: QUESTION
                kind: yesno
                text:
                  fr: "Venez-vous le soir ?"
        """;
    Path file = write("shared.yaml", GOOD + evening.replace("QUESTION", "often"));
    Path renamed = write("renamed.yaml", GOOD + evening.replace("QUESTION", "evening"));

    Cli.Result r = Cli.run("event", "check", file.toString());
    Cli.Result fixed = Cli.run("event", "check", renamed.toString());

    assertEquals(1, r.code(), r.toString());
    assertEquals("", r.out());
    assertEquals(
        Cli.EN.get("event.sharedQuestion", file, "often", "\"venue\", \"soir\""),
        r.err().lines().findFirst().orElse(""));
    assertTrue(r.err().contains(Cli.EN.get("event.mistakes", 1, file)), r.toString());
    assertTrue(r.err().contains("question \"often\" is in the polls \"venue\", \"soir\""), r.err());
    assertEquals(0, fixed.code(), fixed.toString());
    assertEquals(
        Cli.EN.get("event.summary", "marche-2026", 2, 3) + System.lineSeparator(), fixed.out());
  }

  @Test
  void check_yamlSyntaxError_lineAndColumn_exit1() throws IOException {
    Path file = write("syntax.yaml", "id: x\ntitle: [unclosed\n");
    Cli.Result r = Cli.run("event", "check", file.toString());
    assertEquals(1, r.code(), r.toString());
    assertTrue(
        r.err().lines().anyMatch(l -> l.matches(".*syntax\\.yaml:\\d+:\\d+: .+")), r.toString());
  }

  @Test
  void check_missingFile_saysSo_exit1() {
    Cli.Result r = Cli.run("event", "check", dir.resolve("nope.yaml").toString());
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains("there is no such file"), r.toString());
  }

  @Test
  void check_withoutFile_isUsage_exit2() {
    Cli.Result r = Cli.run("event", "check");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("FILE"), r.toString());
  }

  @Test
  void noSubcommand_isUsage_exit2() {
    assertEquals(2, Cli.run().code());
    assertEquals(2, Cli.run("event").code());
    assertEquals(2, Cli.run("device").code());
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }
}
