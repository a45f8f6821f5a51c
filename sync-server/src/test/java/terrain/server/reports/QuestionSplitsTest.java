// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import terrain.core.text.PageLanguage;
import terrain.server.results.EventResults;

/**
 * The splits of a question as the page and the report word them: one sentence for a single site, a
 * group under 5 hidden whole, shares of the group's n. The figures over HTTP are checked by {@code
 * ResultsApiTest}.
 */
class QuestionSplitsTest {
  private static Map<String, Long> counts(Object... pairs) {
    Map<String, Long> out = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], (Long) pairs[i + 1]);
    }
    return out;
  }

  private static EventResults results(EventResults.QuestionResult q) {
    EventResults.Group direct = new EventResults.Group("direct", "direct", null, null, 12L, 0L, 0L);
    EventResults.Group kiosk = new EventResults.Group("kiosk", "kiosk", null, null, 9L, 0L, 0L);
    EventResults.Group tablet =
        new EventResults.Group("tablet", "tablet", null, null, null, 0L, 0L);
    return new EventResults(
        "e",
        "E",
        12,
        new EventResults.Method("wilson-95", "95 %", "Europe/Paris", null, null, null, null, true),
        List.of(q),
        new EventResults.Participation(
            12, 0, 0, List.of(direct), List.of(), List.of(kiosk, tablet), List.of(), List.of()));
  }

  private static EventResults.QuestionResult question(String kind) {
    Map<String, Map<String, Long>> byChannel = new HashMap<>();
    byChannel.put("kiosk", counts("a", 6L, "b", null));
    byChannel.put("tablet", counts("a", null));
    Map<String, Long> nByChannel = new HashMap<>();
    nByChannel.put("kiosk", 9L);
    nByChannel.put("tablet", null);
    return new EventResults.QuestionResult(
        "q",
        kind,
        "Q ?",
        12,
        0.2,
        List.of(
            new EventResults.OptionResult("a", "A", 8, 0.67, 0.4, 0.8),
            new EventResults.OptionResult("b", "B", 4, 0.33, 0.1, 0.6)),
        null,
        null,
        null,
        null,
        byChannel,
        Map.of("direct", counts("a", 8L, "b", null)),
        Map.of(),
        nByChannel,
        Map.of("direct", 12L),
        Map.of());
  }

  @Test
  void of_singleSiteIsOneSentence_groupUnder5HiddenWhole_sharesOfTheGroupsN() {
    ResultsPage words = new ResultsPage(new PageLanguage(PageLanguage.FRENCH, false));
    EventResults r = results(question("single"));

    List<QuestionSplits.Split> splits = new QuestionSplits(words).of(r, r.questions().get(0));

    assertEquals(2, splits.size(), "no device split without devices");
    QuestionSplits.Split site = splits.get(0);
    assertEquals(
        "Toutes les réponses à cette question viennent d'un seul lieu (Envoyé directement au"
            + " serveur)\u00a0: pas de répartition par lieu.",
        site.single());
    assertNull(site.drawing());
    QuestionSplits.Split channel = splits.get(1);
    assertEquals(List.of("Réponse", "Borne", "Tablette"), channel.table().heads());
    assertEquals(
        List.of(
            List.of("Ont répondu (n)", "9", "moins de 5"),
            List.of("A", "6 (" + words.share(6 / 9.0) + ")", "moins de 5"),
            List.of("B", "moins de 5", "moins de 5")),
        channel.table().rows());
    assertNull(channel.note(), "a single choice: shares add up to 100 %");
    // kiosk: its track and A's segment, 6/9 of the width; the tablet's track alone
    assertEquals(3, channel.drawing().rects().size());
    assertEquals(QuestionSplits.WIDTH * 6 / 9.0, channel.drawing().rects().get(1).w(), 1e-9);
    assertTrue(channel.legend().get(channel.legend().size() - 1).label().startsWith("Masqué"));
  }

  @Test
  void of_severalAnswers_groupedBarsWithTheirNote() {
    ResultsPage words = new ResultsPage(new PageLanguage(PageLanguage.ENGLISH, true));
    EventResults r = results(question("multiple"));

    QuestionSplits.Split channel = new QuestionSplits(words).of(r, r.questions().get(0)).get(1);

    assertTrue(channel.note().startsWith("Several answers possible"), channel.note());
    // per group one track per option, and the kiosk's A
    assertEquals(5, channel.drawing().rects().size());
    assertEquals("Answered (n)", channel.table().rows().get(0).get(0));
  }
}
