// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.provisioning.Cli.EN;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.event.Population;

/**
 * {@code provision population} on a fixture in the exact layout of INSEE's IRIS base 2021
 * (src/test/resources/insee/base-ic-evol-struct-pop-2021.csv: the header of the real file, eight
 * IRIS rows). The numbers are SYNTHETIC: each row was made from made-up counts of people by single
 * year of age (decimals, as INSEE's weighted counts), its columns the sums of those counts over
 * each column's ages. The expected figures below are those single-year counts added up by the
 * band's ages (0-17, 18-29, ...), not by INSEE's columns, then rounded as decision 0046 says: they
 * check the tool's column formulas independently.
 */
class PopulationCommandTest {

  static final Path FIXTURES = Path.of("src/test/resources/insee");
  static final Path INSEE = FIXTURES.resolve("base-ic-evol-struct-pop-2021.csv");
  static final Path IRIS = FIXTURES.resolve("iris.csv");
  static final Path EXAMPLE = Path.of("../examples/events/market-day.yaml");

  /** The six Bordeaux IRIS with residents, by single year of age: 0-17 is 3034.307, ... */
  static final Map<String, Double> BORDEAUX_AGES =
      ordered(
          "moins-de-18",
          3034,
          "18-29",
          2138,
          "30-44",
          1876,
          "45-59",
          2033,
          "60-74",
          1521,
          "75-plus",
          1208);

  /** Per neighbourhood: the P21_POP of its IRIS (2301.1, 2103.55, 2597.2, 1801.9, 3006.25). */
  static final Map<String, Double> BORDEAUX_AREAS =
      ordered(
          "saint-michel",
          2301,
          "capucins",
          2104,
          "chartrons",
          2597,
          "bastide",
          1802,
          "bordeaux-sud",
          3006);

  /** The one IRIS of commune 33039 (2487.6 people): 632.656, 334.865, 486.075, ... */
  static final Map<String, Double> BEGLES_AGES =
      ordered(
          "moins-de-18",
          633,
          "18-29",
          335,
          "30-44",
          486,
          "45-59",
          476,
          "60-74",
          309,
          "75-plus",
          249);

  @TempDir Path dir;

  /**
   * The default bands and the example's neighbourhoods: the block, pasted into the example event in
   * place of its population:, passes `provision event check` and carries the expected figures.
   */
  @Test
  void neighbourhoods_defaultBands_blockPassesEventCheck() throws Exception {
    Path out = dir.resolve("population.yaml");
    Cli.Result r =
        Cli.run(
            "population",
            "--insee",
            INSEE.toString(),
            "--event",
            EXAMPLE.toString(),
            "--neighbourhoods",
            IRIS.toString(),
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.toString());
    assertEquals("", r.err());
    String block = Files.readString(out);
    assertTrue(
        block.contains(
            "  source: \"INSEE, recensement de la population 2021, base infracommunale IRIS\"\n"),
        block);
    assertTrue(block.contains("  outside: [ailleurs-metropole, hors-metropole]\n"), block);
    // 45-59 is 2032.466: the largest remainders take the 3 people the floors leave, so that both
    // margins add up to 11810, the neighbourhoods' total.
    assertTrue(block.contains("    45-59: 2033\n"), block);
    List<String> check = r.out().lines().toList();
    assertEquals(
        EN.get("check.head", 2021, "UTF-8", 8L, 7, EN.get("check.inAreas", 5)), check.get(0));
    assertTrue(check.stream().anyMatch(l -> l.matches(" +saint-michel +2301 +2 IRIS")), r.out());
    assertTrue(check.stream().anyMatch(l -> l.matches(" +bordeaux-sud +3006 +2 IRIS")), r.out());
    assertTrue(
        check.stream()
            .anyMatch(
                l ->
                    l.matches(
                        " +18-29 +2138 += P21_POP0014 \\+ P21_POP1529 - \\(P21_POP0002 \\+"
                            + " P21_POP0305 \\+ P21_POP0610 \\+ P21_POP1117\\)")),
        r.out());
    assertTrue(check.stream().anyMatch(l -> l.matches(" +30-44 +1876 += P21_POP3044")), r.out());
    assertTrue(
        r.out().contains(EN.get("check.match", 11810L, EN.get("check.wholeAreas"), 11810L)),
        r.out());
    assertTrue(
        r.out()
            .contains(
                "outside: ailleurs-metropole, hors-metropole have no IRIS in " + IRIS + ": listed"),
        r.out());

    String example = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
    int from = example.indexOf("\npopulation:\n") + 1;
    int to = example.indexOf("\n# The polls.", from) + 1;
    assertTrue(from > 0 && to > from, "the example has a population: section before its polls");
    Path event = dir.resolve("marche.yaml");
    Files.writeString(event, example.substring(0, from) + block + "\n" + example.substring(to));
    Files.copy(
        EXAMPLE.resolveSibling("quartier-saint-michel.png"),
        dir.resolve("quartier-saint-michel.png"));
    Cli.Result checked = Cli.run("event", "check", event.toString());
    assertEquals(0, checked.code(), checked.toString());

    Population population = EventLoader.load(event).population().orElseThrow();
    assertEquals(BORDEAUX_AGES, population.ageBands().values());
    assertEquals(BORDEAUX_AREAS, population.areas().values());
    assertFalse(population.ageBands().percentages());
    assertEquals(List.of("ailleurs-metropole", "hors-metropole"), population.outside());
  }

  /** Without --out the block alone goes to the standard output, the check to the error output. */
  @Test
  void commune_ageBandsOnly_blockOnStdout() throws Exception {
    Path event = event("profile: {}\n");
    Cli.Result r =
        Cli.run(
            "population",
            "--insee",
            INSEE.toString(),
            "--event",
            event.toString(),
            "--commune",
            "33039");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().startsWith("population:\n"), r.toString());
    assertFalse(r.out().contains("neighbourhoods"), r.toString());
    assertTrue(r.err().contains("1 IRIS" + EN.get("check.ofCommunes", 1, "33039")), r.toString());
    assertTrue(
        r.err().contains("total: age bands 2488, commune (P21_POP) 2488: they match"), r.err());
    assertEquals(BEGLES_AGES, pasted(event, r.out()).ageBands().values());

    // Several communes add up (Paris, Lyon, Marseille are in the file by arrondissement).
    r = commune(INSEE, event, "33039,33063");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.err().contains("8 IRIS" + EN.get("check.ofCommunes", 2, "33039, 33063")), r.err());
    assertTrue(
        r.err()
            .contains(
                EN.get("check.match", 14298L, EN.get("check.wholeCommune", "P21_POP"), 14298L)),
        r.err());

    r = commune(INSEE, event, "33000");
    assertEquals(1, r.code(), r.toString());
    assertEquals(EN.get("population.communeNotFound", INSEE, "33000", 8L), r.err().strip());
  }

  private static Cli.Result commune(Path insee, Path event, String codes) {
    return Cli.run(
        "population", "--insee", insee.toString(), "--event", event.toString(), "--commune", codes);
  }

  /** An older edition (P19_, names of commune and IRIS), re-saved in Latin-1. */
  @Test
  void latin1_otherYear_prefixDetected() throws Exception {
    Path insee = dir.resolve("base-ic-evol-struct-pop-2019.csv");
    Files.writeString(insee, olderEdition(), StandardCharsets.ISO_8859_1);
    Path event = event("profile: {}\n");
    Cli.Result r =
        Cli.run(
            "population",
            "--insee",
            insee.toString(),
            "--event",
            event.toString(),
            "--commune",
            "33039");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.err().startsWith("Check: INSEE 2019 (Latin-1, 8 rows read)"), r.err());
    assertTrue(r.out().contains("recensement de la population 2019, base"), r.out());
    assertTrue(r.err().contains("= P19_POP0002 + P19_POP0305"), r.err());
    assertEquals(BEGLES_AGES, pasted(event, r.out()).ageBands().values());
  }

  /** The same in UTF-8 with a byte order mark (as a spreadsheet saves "CSV UTF-8"). */
  @Test
  void utf8WithBom_read() throws Exception {
    Path insee = dir.resolve("bom.csv");
    Files.writeString(insee, "\ufeff" + olderEdition(), StandardCharsets.UTF_8);
    Path event = event("profile: {}\n");
    Cli.Result r =
        Cli.run(
            "population",
            "--insee",
            insee.toString(),
            "--event",
            event.toString(),
            "--commune",
            "33039");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.err().startsWith("Check: INSEE 2019 (UTF-8, 8 rows read)"), r.err());
    assertEquals(BEGLES_AGES, pasted(event, r.out()).ageBands().values());
  }

  @Test
  void missingColumn_orBadValue_fileLine_exit1() throws Exception {
    List<String> lines = Files.readAllLines(INSEE);
    int col = List.of(lines.get(0).split(";")).indexOf("P21_POP1529");
    List<String> cut = new ArrayList<>();
    for (String line : lines) {
      List<String> values = new ArrayList<>(List.of(line.split(";", -1)));
      values.remove(col);
      cut.add(String.join(";", values));
    }
    Path insee = dir.resolve("cut.csv");
    Files.write(insee, cut);
    Cli.Result r = run(insee, EXAMPLE, IRIS);
    assertEquals(1, r.code(), r.toString());
    assertEquals("", r.out());
    assertEquals(EN.get("insee.missingColumns", insee, 1, "P21_POP1529"), r.err().strip());

    List<String> bad = new ArrayList<>(lines);
    bad.set(2, bad.get(2).replaceFirst("^((?:[^;]*;){6})[^;]*", "$1abc"));
    Files.write(insee, bad);
    r = run(insee, EXAMPLE, IRIS);
    assertEquals(1, r.code(), r.toString());
    assertEquals(EN.get("insee.notNumber", insee, 3L, "P21_POP0305", "abc"), r.err().strip());
  }

  @Test
  void unknownIris_orNeighbourhoodNotInEvent_mappingFileLine_exit1() throws Exception {
    Path iris = dir.resolve("iris.csv");
    Files.writeString(iris, "330630101;saint-michel\n# a comment\n330630999;bastide\n");
    Cli.Result r = run(INSEE, EXAMPLE, iris);
    assertEquals(1, r.code(), r.toString());
    assertEquals("", r.out());
    assertTrue(
        r.err()
            .startsWith(
                EN.get("population.irisNotFound", iris, 3, "330630999", "bastide", INSEE, 2021)),
        r.err());

    Files.writeString(iris, "iris;neighbourhood\n330630101;centre-ville\n30630102;saint-michel\n");
    r = run(INSEE, EXAMPLE, iris);
    assertEquals(1, r.code(), r.toString());
    assertTrue(
        r.err()
            .startsWith(
                iris
                    + ":2: "
                    + EN.get(
                        "population.unknownNeighbourhood",
                        "centre-ville",
                        "saint-michel, capucins,")),
        r.err());
    // 8 digits: a spreadsheet dropped the leading 0; read as 030630102, then not in the file.
    assertTrue(r.err().contains(EN.get("population.mistakes", 1, iris)), r.err());
  }

  /** Bands of the event's own: derived when INSEE's columns cut at their ages, else refused. */
  @Test
  void customBands_derivedOrRefusedByName() throws Exception {
    Path event =
        event(
            "profile:\n"
                + "  ageBands:\n"
                + "    - {id: moins-de-20, fr: \"Moins de 20 ans\"}\n"
                + "    - {id: 20-64, fr: \"20 à 64 ans\"}\n"
                + "    - {id: 65-plus, fr: \"65 ans et plus\"}\n");
    Cli.Result r =
        Cli.run(
            "population",
            "--insee",
            INSEE.toString(),
            "--event",
            event.toString(),
            "--commune",
            "33063");
    assertEquals(0, r.code(), r.toString());
    assertEquals(
        ordered("moins-de-20", 3445, "20-64", 6196, "65-plus", 2169),
        pasted(event, r.out()).ageBands().values());

    event =
        event(
            "profile:\n"
                + "  ageBands:\n"
                + "    - {id: jeunes, fr: \"Jeunes\"}\n"
                + "    - {id: 18-34, fr: \"18 à 34 ans\"}\n"
                + "    - {id: 35-plus, fr: \"35 ans et plus\"}\n");
    r =
        Cli.run(
            "population",
            "--insee",
            INSEE.toString(),
            "--event",
            event.toString(),
            "--commune",
            "33063");
    assertEquals(1, r.code(), r.toString());
    String cuts = String.join(", ", InseeAgeBands.cuts().stream().map(String::valueOf).toList());
    assertEquals(
        EN.get(
            "population.bandsNotDerived",
            3,
            EN.get("population.bandNoAges", "jeunes")
                + ", "
                + EN.get("population.bandNoCut", "18-34", "35")
                + ", "
                + EN.get("population.bandNoCut", "35-plus", "35"),
            cuts),
        r.err().strip());
    assertTrue(r.err().contains("write the population: block by hand"), r.err());
  }

  private Cli.Result run(Path insee, Path event, Path iris) {
    return Cli.run(
        "population",
        "--insee",
        insee.toString(),
        "--event",
        event.toString(),
        "--neighbourhoods",
        iris.toString());
  }

  /** The fixture as an older edition: prefix P19_, and LIBCOM, LIBIRIS with accents after COM. */
  private static String olderEdition() throws IOException {
    StringBuilder b = new StringBuilder();
    List<String> lines = Files.readAllLines(INSEE);
    for (int i = 0; i < lines.size(); i++) {
      String[] values = lines.get(i).split(";", 3);
      String names = i == 0 ? "LIBCOM;LIBIRIS" : "Bègles;Église " + i;
      String rest = i == 0 ? values[2].replace("P21_", "P19_").replace("C21_", "C19_") : values[2];
      b.append(values[0]).append(';').append(values[1]).append(';').append(names).append(';');
      b.append(rest).append("\r\n");
    }
    return b.toString();
  }

  private Path event(String profile) throws IOException {
    Path file = dir.resolve("event-" + profile.hashCode() + ".yaml");
    Files.writeString(file, EventCheckTest.GOOD + profile, StandardCharsets.UTF_8);
    return file;
  }

  /** The event with the block appended, read by core's parser as kiosks do. */
  private Population pasted(Path event, String block) throws Exception {
    Path file = dir.resolve("pasted.yaml");
    Files.writeString(file, Files.readString(event) + block);
    Cli.Result checked = Cli.run("event", "check", file.toString());
    assertEquals(0, checked.code(), checked.toString());
    EventDefinition definition = EventLoader.load(file);
    return definition.population().orElseThrow();
  }

  private static Map<String, Double> ordered(Object... pairs) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], ((Integer) pairs[i + 1]).doubleValue());
    }
    return out;
  }
}
