// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import terrain.core.event.EventFileException.Problem;
import terrain.core.event.WorkshopPhase.Kind;

/** The {@code workshop:} section of an event file: the facilitator's script. */
class WorkshopSectionTest {
  private static final Path EXAMPLE = Path.of("../examples/events/atelier-parc.yaml");

  /** The lines before the workshop (5 lines, so the section starts at line 6). */
  private static final String HEAD =
      """
      id: e
      title: T
      place: P
      date: 2026-11-28
      polls: [{id: p, title: T, questions: [{id: q, kind: yesno, text: Q}]}]
      """;

  @Test
  void load_whenExampleFile_hasFivePhasesAndAnAnonymousVote() throws Exception {
    WorkshopScript script = EventLoader.load(EXAMPLE).workshop().orElseThrow();

    assertEquals("The park of tomorrow", script.title().en());
    assertEquals(6, script.tables());
    assertEquals(
        List.of(Kind.WELCOME, Kind.IDEAS, Kind.GROUPING, Kind.VOTE, Kind.RESULTS),
        script.phases().stream().map(WorkshopPhase::kind).toList());
    WorkshopPhase ideas = script.phase("idees").orElseThrow();
    assertEquals(Duration.ofMinutes(20), ideas.duration());
    assertEquals("ماذا تودّ أن تفعل في الحديقة؟", ideas.prompt().orElseThrow().ar());
    assertEquals(
        Optional.of(new WorkshopPhase.Vote(3, 2, true)), script.phase("vote").orElseThrow().vote());
  }

  @Test
  void parse_whenNoWorkshop_theEventHasNone() throws Exception {
    assertEquals(Optional.empty(), EventLoader.parse(HEAD, "test.yaml").workshop());
  }

  @Test
  void parse_whenVoteHasDotsOnly_capIsTheDotsAndItIsAnonymous() throws Exception {
    WorkshopScript script =
        EventLoader.parse(
                HEAD
                    + """
                    workshop:
                      title: Atelier
                      phases:
                        - {id: i, kind: ideas, duration: 5m, question: "Vos idées ?"}
                        - {id: v, kind: vote, duration: 5m, dots: 4}
                    """,
                "test.yaml")
            .workshop()
            .orElseThrow();
    assertEquals(8, script.tables());
    assertEquals(Optional.of(new WorkshopPhase.Vote(4, 4, true)), script.phases().get(1).vote());
  }

  @Test
  void parse_whenWorkshopMistakes_reportsEachWithItsPlace() {
    List<Problem> problems =
        problems(
            HEAD
                + """
                workshop:
                  title: Atelier
                  tables: 40
                  phases:
                    - {id: i, kind: idea, duration: 5m}
                    - {id: j, kind: ideas, duration: 5}
                    - {id: j, kind: grouping, duration: 5m}
                    - {id: v, kind: vote, duration: 5m, dots: 3, cap: 4}
                    - {id: r, kind: results, duration: 5m, anonymous: peut-etre}
                """);
    assertEquals(
        List.of(
            "test.yaml:8:11: workshop: tables is 40; write 1 to 30",
            "test.yaml:10:21: workshop phase \"i\": kind \"idea\" is not one of welcome, ideas,"
                + " grouping, vote, results",
            "test.yaml:11:38: workshop phase \"j\": duration \"5\" is not a duration; write it"
                + " like 15m or 1m30s",
            "test.yaml:12:12: workshop phase \"j\": phase id \"j\" is used twice (first at line"
                + " 11); give each phase its own id",
            "test.yaml:13:7: workshop phase \"v\": cap is 4; the dots one participant may put on"
                + " one item must be 1 to dots (3)",
            "test.yaml:14:44: workshop phase \"r\": dots, cap and anonymous belong to a vote"
                + " phase; remove them or write kind: vote"),
        messages(problems));
  }

  @Test
  void parse_whenVoteComesBeforeIdeas_saysToPutAnIdeasPhaseFirst() {
    List<Problem> problems =
        problems(
            HEAD
                + """
                workshop:
                  title: Atelier
                  phases:
                    - {id: v, kind: vote, duration: 5m, dots: 3}
                    - {id: i, kind: ideas, duration: 5m, question: Q}
                """);
    assertEquals(
        List.of(
            "test.yaml:7:3: workshop: phase v is a vote before any ideas phase; put an ideas"
                + " phase first"),
        messages(problems));
  }

  private static List<Problem> problems(String yaml) {
    return assertThrows(EventFileException.class, () -> EventLoader.parse(yaml, "test.yaml"))
        .problems();
  }

  private static List<String> messages(List<Problem> problems) {
    return problems.stream().map(Problem::toString).toList();
  }
}
