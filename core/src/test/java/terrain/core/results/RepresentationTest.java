// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import terrain.core.event.Population;

/** Who is missing, against the population, with small counts hidden. */
class RepresentationTest {
  private static final Population POPULATION =
      new Population(
          "INSEE RP 2021",
          new Population.Margin(ordered("jeunes", 300.0, "adultes", 500.0, "aines", 200.0), false),
          new Population.Margin(ordered("nord", 50.0, "sud", 50.0), true),
          List.of("ailleurs"));

  @Test
  void of_whenYoungFewer_saysHowManyTimesFewerInWords() {
    Representation r =
        Representation.of(
            POPULATION,
            Map.of("jeunes", 10L, "adultes", 60L, "aines", 30L),
            Map.of("nord", 3L, "sud", 90L, "ailleurs", 40L));

    Representation.Band young = r.dimensions().get(0).bands().get(0);
    assertEquals(10L, young.respondents());
    assertEquals(0.1 / 0.3, young.ratio(), 1e-12);
    Representation.Band north = r.dimensions().get(1).bands().get(0);
    assertNull(north.respondents(), "3 is hidden");
    assertNull(north.ratio(), "its ratio would give it away");
    assertEquals(93, r.dimensions().get(1).respondents(), "outside left out of the base");

    List<String> fr = r.lines(Locale.FRENCH, m -> m.id());
    assertEquals(
        List.of(
            "Moins de 5 participants du quartier «\u00a0nord\u00a0», qui compte pour 50\u00a0% de"
                + " la population.",
            "Tranche «\u00a0jeunes\u00a0»\u00a0: 3 fois moins représentée que dans la population"
                + " (10\u00a0% des participants, 30\u00a0% de la population)."),
        fr.stream().map(s -> s.replace('\u202f', '\u00a0')).toList());
    assertEquals(
        "Age band \"jeunes\": 3 times fewer than in the population (10% of participants, 30% of"
            + " the population).",
        r.lines(Locale.ENGLISH, m -> m.id()).get(1));
  }

  @Test
  void of_whenTooFewRespondents_saysNothing() {
    Representation r = Representation.of(POPULATION, Map.of("adultes", 19L), Map.of("sud", 19L));
    assertEquals(List.of(), r.missing());
  }

  @Test
  void of_whenABandIsAbsent_itComesFirst() {
    Representation r =
        Representation.of(
            POPULATION, Map.of("adultes", 40L, "aines", 20L), Map.of("nord", 30L, "sud", 30L));
    assertEquals(Representation.Gap.ABSENT, r.missing().get(0).gap());
    assertEquals("jeunes", r.missing().get(0).id());
    assertEquals(0.0, r.dimensions().get(0).bands().get(0).ratio());
  }

  private static Map<String, Double> ordered(Object... pairs) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], (Double) pairs[i + 1]);
    }
    return out;
  }
}
