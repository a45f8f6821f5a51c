// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import terrain.hub.status.HubStatus;
import terrain.hub.status.StatusPage;

class StatusPageTest {
  private final StatusPage page = new StatusPage(ZoneOffset.UTC);

  @Test
  void render_whenUplinkDown_showsFrenchFirstAndEscapesTheProblem() {
    HubStatus status =
        new HubStatus(
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
            List.of(new HubStatus.Device("kiosk-1", 50, 8, 3_600_000L, true)));

    String html = page.render(status);

    assertTrue(html.contains("Boîtier terrain"), html);
    assertTrue(html.contains("coupée"), html);
    assertTrue(html.contains("<strong>42</strong>"), html);
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"), html);
    assertFalse(html.contains("<script>"), html);
    assertTrue(html.contains("<td>kiosk-1</td>"), html);
    assertTrue(html.contains("<td>42</td>"), "pending of the kiosk: " + html);
    assertTrue(html.contains("01:00:00"), html);
  }

  @Test
  void render_whenUplinkUpAndNoDevice_saysOkAndNone() {
    HubStatus status =
        new HubStatus("hub-1", HubStatus.UP, null, 0, 1_000L, 0, 0, 0, 0, 0, List.of());

    String html = page.render(status);

    assertTrue(html.contains(">OK<"), html);
    assertTrue(html.contains("Aucun appareil"), html);
  }
}
