// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import terrain.core.event.EventFileException.Problem;

/** The {@code population:} section: census margins matching the "who are you" codes. */
class PopulationSectionTest {
  private static final Path EXAMPLE = Path.of("../examples/events/market-day.yaml");

  /** The lines before the population (8 lines, so the section starts at line 9). */
  private static final String HEAD =
      """
      id: e
      title: T
      place: P
      date: 2026-11-28
      polls: [{id: p, title: T, questions: [{id: q, kind: yesno, text: Q}]}]
      profile:
        ageBands: [{id: jeunes, fr: Jeunes}, {id: aines, fr: Aînés}]
        neighbourhoods: [{id: nord, fr: Nord}, {id: sud, fr: Sud}, {id: ailleurs, fr: Ailleurs}]
      """;

  @Test
  void load_whenExampleFile_hasTheCensusMarginsOfEveryProfileCode() throws Exception {
    EventDefinition event = EventLoader.load(EXAMPLE);
    Population population = event.population().orElseThrow();
    ProfileSettings profile = event.profile().orElseThrow();

    assertTrue(population.source().contains("INSEE"), population.source());
    assertEquals(
        profile.ageBands().stream().map(AnswerOption::id).toList(),
        List.copyOf(population.ageBands().values().keySet()));
    for (AnswerOption area : profile.areas()) {
      assertTrue(
          population.areas().values().containsKey(area.id())
              || population.outside().contains(area.id()),
          area.id());
    }
  }

  @Test
  void parse_whenCountsAndPercentages_readsBothInProfileOrder() throws Exception {
    Population population =
        EventLoader.parse(
                HEAD
                    + """
                    population:
                      source: "INSEE RP 2021"
                      ageBands: {aines: 1_200, jeunes: 800}
                      neighbourhoods: {sud: "60,5 %", nord: 39.5%}
                      outside: [ailleurs]
                    """,
                "test.yaml")
            .population()
            .orElseThrow();
    assertEquals(List.of("jeunes", "aines"), List.copyOf(population.ageBands().values().keySet()));
    assertEquals(0.4, population.ageBands().shares().get("jeunes"), 1e-12);
    assertTrue(population.areas().percentages());
    assertEquals(60.5, population.areas().values().get("sud"));
    assertEquals(List.of("ailleurs"), population.outside());
  }

  @Test
  void parse_whenNoPopulation_theEventHasNone() throws Exception {
    assertEquals(Optional.empty(), EventLoader.parse(HEAD, "test.yaml").population());
  }

  @Test
  void parse_whenPopulationMistakes_reportsEachWithItsPlaceAndWhatToWrite() {
    List<Problem> problems =
        problems(
            HEAD
                + """
                population:
                  ageBands: {jeunes: 800, vieux: 10, aines: 0}
                  neighbourhoods: {nord: 40%, sud: 50%}
                  outside: [loin]
                """);
    assertEquals(
        List.of(
            "10:3 population: missing \"source\"; add source: \"INSEE, recensement 2021,"
                + " Bordeaux\"",
            "10:27 population ageBands: \"vieux\" is not an age band of profile; write one of"
                + " jeunes, aines",
            "10:45 population ageBands: age band \"aines\" is 0; write its population (more than"
                + " 0) from the census table",
            "11:19 population neighbourhoods: lacks ailleurs (in profile); add ailleurs: followed"
                + " by its population, or list it under outside: if it is not part of this"
                + " population",
            "12:13 population: outside \"loin\" is not a neighbourhood of profile; write one of"
                + " nord, sud, ailleurs"),
        problems.stream().map(p -> p.line() + ":" + p.column() + " " + p.message()).toList());
  }

  @Test
  void parse_whenPercentagesDoNotAddUp_saysTheirSum() {
    List<Problem> problems =
        problems(
            HEAD
                + """
                population:
                  source: INSEE
                  neighbourhoods: {nord: 40%, sud: 50%, ailleurs: 5%}
                """);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems.get(0).message().contains("add up to 95.0%, not 100%"), problems.toString());
  }

  @Test
  void parse_whenNoProfile_saysToAddOne() {
    List<Problem> problems =
        problems(
            """
            id: e
            title: T
            place: P
            date: 2026-11-28
            polls: [{id: p, title: T, questions: [{id: q, kind: yesno, text: Q}]}]
            population: {source: INSEE, ageBands: {jeunes: 3}}
            """);
    assertEquals(1, problems.size(), problems.toString());
    assertEquals(6, problems.get(0).line());
    assertTrue(
        problems.get(0).message().contains("has no \"profile\" section"), problems.toString());
  }

  private static List<Problem> problems(String yaml) {
    return assertThrows(EventFileException.class, () -> EventLoader.parse(yaml, "test.yaml"))
        .problems();
  }
}
