// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.tablet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.results.ProfileCounts;
import terrain.core.wire.Topics;
import terrain.kiosk.testing.TestEvents;
import terrain.kiosk.ui.Language;

/** What the tablet says of who is missing from the hub's counts, in its three languages. */
public class WhoIsMissingTest {
  private static final Path MARKET = Path.of("../examples/events/market-day.yaml");

  /** 36 aged 45-59 and 4 aged 18-29, all from La Bastide: as the hub publishes it. */
  public static byte[] bastideCounts(String eventId) {
    Map<String, Long> ages = new LinkedHashMap<>();
    for (String id : List.of("moins-de-18", "18-29", "30-44", "45-59", "60-74", "75-plus")) {
      ages.put(id, 0L);
    }
    ages.put("18-29", 4L);
    ages.put("45-59", 36L);
    Map<String, Long> areas = new LinkedHashMap<>();
    for (String id : List.of("saint-michel", "capucins", "chartrons", "bastide", "bordeaux-sud")) {
      areas.put(id, 0L);
    }
    areas.put("bastide", 40L);
    return new ProfileCounts(eventId, ages, areas).encode();
  }

  @Test
  void lines_whenTheHubSentCounts_sayWhoIsMissingInTheTabletsLanguage() throws Exception {
    EventDefinition market = EventLoader.load(MARKET);
    WhoIsMissing missing = new WhoIsMissing(market);
    AtomicInteger told = new AtomicInteger();
    missing.addListener(told::incrementAndGet);
    assertTrue(missing.applies());
    assertEquals(Topics.eventMissing(market.id()), missing.topic());
    assertEquals(List.of(), missing.lines(Language.FR), "nothing until the hub has spoken");

    missing.relayed(missing.topic(), bastideCounts(market.id()));

    assertEquals(1, told.get());
    List<String> fr =
        missing.lines(Language.FR).stream().map(l -> l.replace('\u202f', '\u00a0')).toList();
    assertTrue(
        fr.contains(
            "Moins de 5 participants de la tranche «\u00a018 à 29 ans\u00a0», qui compte pour"
                + " 24\u00a0% de la population."),
        fr.toString());
    List<String> en = missing.lines(Language.EN);
    assertEquals(
        "No participant from \"Chartrons\", which makes up 24% of the population.",
        en.get(0), "absent groups first, the largest first");
    List<String> ar = missing.lines(Language.AR);
    assertEquals(en.size(), ar.size());
    assertTrue(ar.get(0).startsWith("لا أحد من حي «"), ar.get(0));
  }

  @Test
  void relayed_whenNotThisEventsCounts_refusesAndKeepsTheLastGoodOnes() throws Exception {
    EventDefinition market = EventLoader.load(MARKET);
    WhoIsMissing missing = new WhoIsMissing(market);
    missing.relayed(missing.topic(), bastideCounts(market.id()));
    List<String> before = missing.lines(Language.FR);

    missing.relayed(missing.topic(), bastideCounts("another-event"));
    missing.relayed(missing.topic(), "hello".getBytes(StandardCharsets.UTF_8));
    missing.relayed(
        missing.topic(), new ProfileCounts(market.id(), Map.of("90-plus", 3L), Map.of()).encode());

    assertEquals(3, missing.refused());
    assertEquals(before, missing.lines(Language.FR));
    assertFalse(before.isEmpty());
  }

  @Test
  void applies_whenTheEventGivesNoPopulation_isFalse_andSaysNothing() {
    WhoIsMissing missing = new WhoIsMissing(TestEvents.market());
    assertFalse(missing.applies());
    missing.relayed(missing.topic(), bastideCounts(TestEvents.market().id()));
    assertEquals(List.of(), missing.lines(Language.FR));
  }
}
