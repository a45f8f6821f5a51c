// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.event.ProfileSettings;
import terrain.core.record.ResponseBody;
import terrain.core.results.Tally;
import terrain.core.text.PageLanguage;
import terrain.hub.results.LiveResults;
import terrain.hub.results.LiveView;
import terrain.hub.results.ResultsPage;

/**
 * "Who is missing" on the hub's live page, from the hub's own counts against the example event's
 * population: the same lines as the server's results page (core's Representation).
 */
class LiveMissingTest {
  private static final Path MARKET = Path.of("../examples/events/market-day.yaml");

  @Test
  void liveView_whenYoungAdultsAreFew_saysSoAtTheTopOfThePage() throws Exception {
    EventDefinition market = EventLoader.load(MARKET);
    Tally tally = new Tally();
    // 40 residents: 36 aged 45-59, 4 aged 18-29 (a count under 5); all from La Bastide.
    for (int i = 0; i < 40; i++) {
      tally.add(
          new ResponseBody(
              "avenir-du-marche",
              List.of(
                  new ResponseBody.Answer("venue", List.of("pied")),
                  new ResponseBody.Answer(
                      ProfileSettings.AGE_ANSWER, List.of(i < 4 ? "18-29" : "45-59")),
                  new ResponseBody.Answer(ProfileSettings.AREA_ANSWER, List.of("bastide")))));
    }
    LiveResults.Event event =
        new LiveResults.Event(
            market.id(), Optional.of(market), tally.snapshot(), 1, List.of(market.id()));

    LiveView fr =
        LiveView.of(event, Map.of(market.id(), market), new PageLanguage(Locale.FRENCH, true));
    LiveView en =
        LiveView.of(event, Map.of(market.id(), market), new PageLanguage(Locale.ENGLISH, true));

    List<String> lines = fr.missing().stream().map(l -> l.replace('\u202f', '\u00a0')).toList();
    assertTrue(
        lines.contains(
            "Moins de 5 participants de la tranche «\u00a018 à 29 ans\u00a0», qui compte pour"
                + " 24\u00a0% de la population."),
        lines.toString());
    assertTrue(
        lines.contains(
            "Aucun participant du quartier «\u00a0Chartrons\u00a0», qui compte pour 24\u00a0% de"
                + " la population."),
        lines.toString());
    assertTrue(
        en.missing()
            .contains("No participant aged \"Under 18\", who make up 16% of the population."),
        en.missing().toString());
    assertEquals(
        "No participant from \"Chartrons\", which makes up 24% of the population.",
        en.missing().get(0), "absent groups first, the largest first");
    String page = new ResultsPage().render(fr, new PageLanguage(Locale.FRENCH, true), false);
    assertTrue(page.contains("<section id=\"missing\"><h2>Qui manque</h2>"), page);
    assertTrue(page.indexOf("id=\"missing\"") < page.indexOf("data-kind="), "before the results");
  }

  @Test
  void liveView_whenFewerThan20GaveTheirProfile_saysNothingYet() throws Exception {
    EventDefinition market = EventLoader.load(MARKET);
    Tally tally = new Tally();
    tally.add(
        new ResponseBody(
            "avenir-du-marche",
            List.of(new ResponseBody.Answer(ProfileSettings.AGE_ANSWER, List.of("18-29")))));
    LiveView view =
        LiveView.of(
            new LiveResults.Event(
                market.id(), Optional.of(market), tally.snapshot(), 1, List.of(market.id())),
            Map.of(market.id(), market),
            new PageLanguage(Locale.FRENCH, true));

    assertEquals(List.of(), view.missing());
    String page = new ResultsPage().render(view, new PageLanguage(Locale.FRENCH, true), false);
    assertTrue(page.contains("<section id=\"missing\" hidden>"), page);
  }
}
