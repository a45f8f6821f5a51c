// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.dist.proc.Child;
import terrain.dist.proc.Commands;
import terrain.dist.proc.Ports;

/**
 * The hub's live results in a real browser (headless Chromium), as on the TV of a market stall: the
 * page is opened once, kiosks send responses, and the figures move without anyone reloading. Until
 * the page's content security policy named its script's hash, the browser blocked the script and
 * the page showed the figures of its load forever; a test reading the HTML alone could not see it.
 */
class HubLiveResultsIT {
  private static final Duration START = Duration.ofSeconds(90);

  @TempDir Path dir;

  /**
   * An event whose answer rows are known from the start (no "who are you", whose rows appear with
   * the answers), so that the script must move the figures in place; its ranking's rows follow the
   * points, so that they must also change places without a reload (with {@code market-day.yaml} the
   * stall's TV reloaded at nearly every update while the order moved).
   */
  private static final String EVENT =
      """
      id: marche-live
      title: "Marché : résultats en direct"
      place: "Place du marché"
      date: 2026-11-28
      polls:
        - id: direct
          title: "En direct"
          questions:
            - id: venue
              kind: single
              text: "Comment venez-vous au marché ?"
              options:
                - {id: pied, fr: "À pied"}
                - {id: velo, fr: "À vélo"}
                - {id: bus, fr: "En bus"}
            - id: ombre
              kind: yesno
              text: "Faut-il plus d'arbres sur la place ?"
            - id: priorite
              kind: ranking
              max: 3
              text: "Classez vos priorités pour le marché"
              options:
                - {id: proprete, fr: "La propreté"}
                - {id: ombrage, fr: "L'ombre"}
                - {id: bancs, fr: "Des bancs"}
                - {id: horaires, fr: "Les horaires"}
      """;

  @Test
  void results_whenKiosksSendResponses_theOpenPageMovesItsFiguresInPlace() throws Exception {
    Path eventFile = dir.resolve("marche-live.yaml");
    Files.writeString(eventFile, EVENT);
    int hubMqtt = Ports.free();
    int hubHttp = Ports.free();
    String hubId = "hub-live-" + UUID.randomUUID().toString().substring(0, 8);
    try (Apps apps = new Apps(dir.resolve("logs"))) {
      Child hub =
          apps.start(
              "hub",
              Commands.hub(
                  dir.resolve("hub"),
                  hubMqtt,
                  hubHttp,
                  // No server: the results are the hub's own, as at a market without a network.
                  "tcp://127.0.0.1:" + Ports.free(),
                  hubId,
                  "--event",
                  eventFile.toString()));
      Apps.await(hub, Apps.HTTP_LISTENING, START);
      simulate(apps, "kiosks-1", hubMqtt, eventFile, 4, "1");

      try (Browser browser = Browser.start(dir.resolve("browser"))) {
        browser.open("http://127.0.0.1:" + hubHttp + "/results");
        String before = browser.text("#total");
        String countsBefore = counts(browser);
        assertEquals(9, countsBefore.split("\\|").length, "the rows: " + countsBefore);
        String rankingBefore = ranking(browser);
        // A mark on this very page: a reload would drop it.
        browser.execute("document.body.setAttribute('data-probe', 'this-load'); return true;");

        simulate(apps, "kiosks-2", hubMqtt, eventFile, 30, "2");

        String after = browser.awaitText("#total", t -> !t.equals(before));
        assertTrue(number(after) > number(before), before + " then " + after);
        assertEquals(
            "this-load",
            browser.execute("return document.body.getAttribute('data-probe');").asText(),
            "the page was reloaded instead of updated in place");
        String countsAfter = counts(browser);
        assertTrue(
            !countsAfter.equals(countsBefore),
            "the rows' figures moved: " + countsBefore + " then " + countsAfter);
        // The hub may still be counting the last responses: the page follows within a poll or two.
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    assertEquals(
                        keys(api(browser, hubHttp)),
                        keys(ranking(browser)),
                        "the ranking's rows in the page's order are the hub's"));
        String rankingAfter = ranking(browser);
        // The seeds are chosen so that the second round of responses reorders the ranking.
        assertTrue(
            !keys(rankingAfter).equals(keys(rankingBefore)),
            "the ranking's order should have changed (else choose other seeds): "
                + rankingBefore
                + " then "
                + rankingAfter);
        assertEquals(
            "this-load",
            browser.execute("return document.body.getAttribute('data-probe');").asText(),
            "the page was reloaded when the ranking's rows changed places");
        assertEquals(
            "1. |2. |3. |4. ",
            Arrays.stream(rankingAfter.split("\\|"))
                .map(row -> row.split("=")[1].substring(0, 3))
                .collect(Collectors.joining("|")),
            "the places follow the rows: " + rankingAfter);
        Files.createDirectories(dir.resolve("shots"));
        browser.screenshot(dir.resolve("shots").resolve("hub-live-results.png"));
      }
    }
  }

  private void simulate(
      Apps apps, String name, int hubMqtt, Path eventFile, int responses, String seed)
      throws Exception {
    Child kiosks =
        apps.start(
            name,
            Commands.simulate(hubMqtt, eventFile, 2, responses, dir.resolve(name), "--seed", seed));
    assertEquals(0, kiosks.waitFor(START), name + "'s exit code");
  }

  /** Every answer row's figures as shown, in order. */
  private static String counts(Browser browser) throws Exception {
    return browser
        .execute(
            "return Array.prototype.map.call(document.querySelectorAll('#live li[data-k] .n'),"
                + " function(n){return n.textContent;}).join('|');")
        .asText();
  }

  /** The ranking's rows as shown, in order: {@code key=label} joined by {@code |}. */
  private static String ranking(Browser browser) throws Exception {
    return browser
        .execute(
            "return Array.prototype.map.call("
                + "document.querySelectorAll('#live section[data-kind=ranking] li[data-k]'),"
                + " function(li){return li.getAttribute('data-k')+'='"
                + "+li.querySelector('.label').textContent;}).join('|');")
        .asText();
  }

  /** The ranking's row keys in the order {@code /api/results} gives them, as {@code key=} pairs. */
  private static String api(Browser browser, int hubHttp) throws Exception {
    return browser
        .execute(
            "var r=new XMLHttpRequest();r.open('GET','http://127.0.0.1:"
                + hubHttp
                + "/api/results',false);r.send();var v=JSON.parse(r.responseText);"
                + "return v.questions.filter(function(b){return b.kind==='ranking';})[0].rows"
                + ".map(function(x){return x.key+'='+x.label;}).join('|');")
        .asText();
  }

  private static String keys(String rows) {
    return Arrays.stream(rows.split("\\|"))
        .map(row -> row.substring(0, row.indexOf('=')))
        .collect(Collectors.joining("|"));
  }

  /** The first number in a text such as "45 réponses". */
  private static long number(String text) {
    String digits =
        text.replaceAll("^\\D*(\\d[\\d\\s\u202f\u00a0]*).*$", "$1").replaceAll("\\D", "");
    if (digits.isEmpty()) {
      throw new AssertionError("no number in [" + text + "]");
    }
    return Long.parseLong(digits);
  }
}
