// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.dist.proc.Child;
import terrain.dist.proc.Commands;
import terrain.dist.proc.Ports;

/**
 * The hub's live results in a real browser (headless Chromium), as on the TV of a market stall:
 * the page is opened once, kiosks send responses, and the figures move without anyone reloading.
 * Until the page's content security policy named its script's hash, the browser blocked the
 * script and the page showed the figures of its load forever; a test reading the HTML alone
 * could not see it.
 */
class HubLiveResultsIT {
  private static final Duration START = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void results_whenKiosksSendResponses_theOpenPageUpdatesItselfInTheBrowser() throws Exception {
    Path eventFile = Apps.root().resolve("examples/events/market-day.yaml");
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
      String page = "http://127.0.0.1:" + hubHttp + "/results";

      // A first participation, so that the page lists every answer row from its load on.
      simulate(apps, "kiosks-1", hubMqtt, eventFile, 5, "1");

      try (Browser browser = Browser.start(dir.resolve("browser"))) {
        browser.open(page);
        String before = browser.text("#total");
        double widthsBefore = fills(browser);
        // Marks this very page: a reload (the script's fallback when the rows change) would drop
        // it, so the figures seen later were moved in place by the script.
        browser.execute("document.body.setAttribute('data-probe', 'this-load'); return true;");

        simulate(apps, "kiosks-2", hubMqtt, eventFile, 40, "2");

        String after = browser.awaitText("#total", t -> !t.equals(before));
        assertTrue(
            browser.execute("return document.body.getAttribute('data-probe');").asText()
                .equals("this-load"),
            "the page was reloaded instead of updated in place");
        assertTrue(
            number(after) > number(before),
            "the total grew from [" + before + "] to [" + after + "]");
        assertTrue(
            fills(browser) != widthsBefore, "the bars moved (sum of widths " + widthsBefore + ")");
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
            Commands.simulate(
                hubMqtt, eventFile, 2, responses, dir.resolve(name), "--seed", seed));
    assertEquals(0, kiosks.waitFor(START), name + "'s exit code");
  }

  /** The sum of the bars' widths, in percent: what a person sees move. */
  private static double fills(Browser browser) throws Exception {
    return browser
        .execute(
            "var s=0;document.querySelectorAll('#live .fill').forEach(function(f){"
                + "s+=parseFloat(f.style.width)||0;});return s;")
        .asDouble();
  }

  /** The first number in a text such as "45 réponses". */
  private static long number(String text) {
    String digits = text.replaceAll("^\\D*(\\d[\\d\\s\u202f\u00a0]*).*$", "$1").replaceAll("\\D", "");
    if (digits.isEmpty()) {
      throw new AssertionError("no number in [" + text + "]");
    }
    return Long.parseLong(digits);
  }
}
