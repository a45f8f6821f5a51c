// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.status;

import static terrain.core.text.Html.escape;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The facilitator's page at {@code /}: is the hub sending, how much waits, which kiosks are there.
 * Plain HTML that refreshes itself, readable on a phone; French first, English after.
 */
public final class StatusPage {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final ZoneId zone;

  public StatusPage(ZoneId zone) {
    this.zone = zone;
  }

  public String render(HubStatus status) {
    StringBuilder html = new StringBuilder(2048);
    html.append("<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<meta http-equiv=\"refresh\" content=\"5\">")
        .append("<title>Boîtier terrain ")
        .append(escape(status.hub()))
        .append("</title><style>")
        .append("body{font-family:sans-serif;margin:1em;font-size:1.1em}")
        .append(".ok{color:#1a7f37}.ko{color:#b42318}")
        .append(
            "table{border-collapse:collapse}td,th{padding:.3em .6em;border-bottom:1px solid #ddd;")
        .append("text-align:left}small{color:#666}")
        .append("</style></head><body>\n");
    html.append("<h1>Boîtier terrain <small>Field hub</small> ")
        .append(escape(status.hub()))
        .append("</h1>\n");
    html.append("<p>Liaison montante <small>(uplink)</small> : ");
    if (status.uplinkUp()) {
      html.append("<strong class=\"ok\">OK</strong>");
    } else {
      html.append("<strong class=\"ko\">coupée</strong> <small>(down");
      if (status.uplinkProblem() != null && !status.uplinkProblem().isEmpty()) {
        html.append(": ").append(escape(status.uplinkProblem()));
      }
      html.append(")</small>");
    }
    html.append("</p>\n<p>En attente d'envoi <small>(pending)</small> : <strong>")
        .append(status.pending())
        .append("</strong>");
    if (status.lastAck() != null) {
      html.append(" · dernier envoi confirmé <small>(last ack)</small> ")
          .append(time(status.lastAck()));
    }
    html.append("</p>\n<p>Reçus depuis le démarrage <small>(received)</small> : ")
        .append(status.received())
        .append(" · rejetés <small>(rejected)</small> : ")
        .append(status.rejected())
        .append(" · conflits <small>(conflicts)</small> : ")
        .append(status.conflicts())
        .append("</p>\n");
    html.append("<h2>Appareils <small>(devices)</small></h2>\n");
    if (status.devices().isEmpty()) {
      html.append("<p>Aucun appareil pour l'instant <small>(none yet)</small>.</p>\n");
    } else {
      html.append("<table><tr><th>Appareil</th><th>Connecté</th><th>Reçus</th>")
          .append("<th>En attente</th><th>Vu à</th></tr>\n");
      for (HubStatus.Device device : status.devices()) {
        html.append("<tr><td>")
            .append(escape(device.id()))
            .append("</td><td>")
            .append(
                device.online() ? "<span class=\"ok\">oui</span>" : "<span class=\"ko\">non</span>")
            .append("</td><td>")
            .append(device.committed())
            .append("</td><td>")
            .append(device.pending())
            .append("</td><td>")
            .append(device.lastSeen() > 0 ? time(device.lastSeen()) : "—")
            .append("</td></tr>\n");
      }
      html.append("</table>\n");
    }
    html.append("</body></html>\n");
    return html.toString();
  }

  private String time(long epochMillis) {
    return TIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
  }
}
