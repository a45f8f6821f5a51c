// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.testkit.TextAssertions.assertContainsAll;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import terrain.core.text.PageLanguage;
import terrain.hub.status.HubStatus;
import terrain.hub.status.StatusPage;

class StatusPageTest {
  private static final PageLanguage FRENCH = PageLanguage.choose(null, null);
  private static final PageLanguage ENGLISH = PageLanguage.choose("lang=en", null);

  /** 13:05:07 UTC on 1 January 1970. */
  private static final long AFTERNOON = ((13 * 60 + 5) * 60 + 7) * 1000L;

  private final StatusPage page = new StatusPage(ZoneOffset.UTC);

  @Test
  void render_whenUplinkDown_showsFrenchAndEscapesTheProblem() {
    String html = page.render(down(), FRENCH);

    assertContainsAll(
        html,
        "<html lang=\"fr\">",
        "<title>Boîtier terrain hub-1</title>",
        "coupée",
        "Liaison montante\u00a0:",
        "<strong>42</strong>",
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co");
    assertFalse(html.contains("<script>"), html);
    assertTrue(html.contains("<td>kiosk-1</td>"), html);
    assertTrue(html.contains("<td>42</td>"), "pending of the kiosk: " + html);
    assertContainsAll(html, "<td>01:00:00</td>", "<span class=\"ok\">oui</span>");
    assertFalse(html.contains("Devices"), "no English on the French page: " + html);
  }

  @Test
  void render_whenUplinkUpAndNoDevice_saysOkAndNone() {
    HubStatus status =
        new HubStatus("hub-1", HubStatus.UP, null, 0, 1_000L, 0, 0, 0, 0, 0, List.of(), 0, 0, null);

    String html = page.render(status, FRENCH);

    assertContainsAll(
        html, ">OK<", "Aucun appareil pour l&#39;instant.", "dernier envoi confirmé à 00:00:01");
  }

  @Test
  void render_whenEnglish_speaksEnglishAndStillEscapes() {
    String html = page.render(down(), ENGLISH);

    assertContainsAll(
        html,
        "<html lang=\"en\">",
        "<title>Field hub hub-1</title>",
        "Uplink: <strong class=\"ko\">down</strong>",
        "<th>Device</th><th>Connected</th>",
        "<span class=\"ok\">yes</span>",
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co");
    assertFalse(html.contains("<script>"), html);
    assertFalse(html.contains("Boîtier"), "no French on the English page: " + html);
  }

  @Test
  void render_whenBigNumbersAndAfternoon_formatsThemPerLanguage() {
    HubStatus status =
        new HubStatus(
            "hub-1",
            HubStatus.UP,
            null,
            1234,
            AFTERNOON,
            1_234_567,
            0,
            0,
            0,
            0,
            List.of(new HubStatus.Device("kiosk-1", 2000, 0, AFTERNOON, false)),
            0,
            0,
            null);

    String french = page.render(status, FRENCH);
    String english = page.render(status, ENGLISH);

    // French groups digits with a narrow no-break space (U+202F, CLDR) and counts 24 hours.
    assertContainsAll(
        french,
        "<strong>1\u202f234</strong>",
        " 1\u202f234\u202f567 ",
        "<td>2\u202f000</td>",
        "à 13:05:07",
        "<td>13:05:07</td>");
    assertContainsAll(english, "<strong>1,234</strong>", " 1,234,567 ", "at 1:05:07", "PM</td>");
  }

  @Test
  void render_whenEitherLanguage_offersTheOtherAsALink() {
    String french = page.render(down(), FRENCH);
    String english = page.render(down(), ENGLISH);

    assertContainsAll(
        french,
        "<a href=\"?lang=en\" hreflang=\"en\" lang=\"en\">English</a>",
        "<strong lang=\"fr\">Français</strong>");
    assertContainsAll(
        english,
        "<strong lang=\"en\">English</strong>",
        "<a href=\"?lang=fr\" hreflang=\"fr\" lang=\"fr\">Français</a>");
  }

  @Test
  void render_whenDevices_putsTheTableInAScrollingBoxForPhones() {
    String html = page.render(down(), FRENCH);

    assertContainsAll(
        html, ".scroll{overflow-x:auto}", "<div class=\"scroll\"><table>", "</table></div>");
  }

  @Test
  void render_whenJvmDefaultLocaleIsEnglish_staysFrench() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.US);
      String html = page.render(down(), FRENCH);

      assertContainsAll(html, "Boîtier terrain", "Appareils");
    } finally {
      Locale.setDefault(before);
    }
  }

  private static HubStatus down() {
    return new HubStatus(
        "hub-1",
        HubStatus.DOWN,
        "refused <script>alert('x')</script> & co",
        42,
        null,
        5,
        1,
        0,
        0,
        0,
        List.of(new HubStatus.Device("kiosk-1", 50, 8, 3_600_000L, true)),
        0,
        0,
        null);
  }
}
