// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.status;

import static terrain.core.text.Html.escape;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import terrain.core.text.Messages;
import terrain.core.text.PageLanguage;

/**
 * The facilitator's page at {@code /}: is the hub sending, how much waits, which kiosks are there.
 * Plain HTML that refreshes itself, readable on a phone; in French, or in English when the request
 * prefers it. Its words are in {@code messages.properties} and {@code messages_en.properties}.
 */
public final class StatusPage {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofLocalizedTime(FormatStyle.MEDIUM);

  private final ZoneId zone;

  public StatusPage(ZoneId zone) {
    this.zone = zone;
  }

  public String render(HubStatus status, PageLanguage language) {
    return render(status, null, language);
  }

  /** The page with the preflight table ({@code preflight} may be null: no table). */
  public String render(HubStatus status, Preflight preflight, PageLanguage language) {
    Messages m = new Messages("terrain.hub.status.messages", language.locale());
    DateTimeFormatter time = TIME.withLocale(language.locale()).withZone(zone);
    StringBuilder html = new StringBuilder(2048);
    html.append("<!DOCTYPE html>\n<html lang=\"")
        .append(language.tag())
        .append("\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<meta http-equiv=\"refresh\" content=\"5\">")
        .append("<title>")
        .append(m.format("title", status.hub()))
        .append("</title><style>")
        .append("body{font-family:sans-serif;margin:1em;font-size:1.1em}")
        .append(".ok{color:#1a7f37}.ko{color:#b42318}")
        .append(".lang{text-align:right;font-size:.85em}")
        .append(".scroll{overflow-x:auto}")
        .append(
            "table{border-collapse:collapse}td,th{padding:.25em .4em;border-bottom:1px solid #ddd;")
        .append("text-align:left}small{color:#666}")
        .append("</style></head><body>\n");
    html.append(languageSwitch(language, m));
    html.append("<h1>").append(m.format("title", status.hub())).append("</h1>\n");
    html.append("<p><a href=\"/results")
        .append(language.explicit() ? "?lang=" + language.tag() : "")
        .append("\">")
        .append(m.html("results"))
        .append("</a></p>\n");
    html.append("<p>").append(m.html("uplink")).append(' ');
    if (status.uplinkUp()) {
      html.append("<strong class=\"ok\">").append(m.html("uplink.up")).append("</strong>");
    } else {
      html.append("<strong class=\"ko\">").append(m.html("uplink.down")).append("</strong>");
      if (status.uplinkProblem() != null && !status.uplinkProblem().isEmpty()) {
        html.append(" <small>(").append(escape(status.uplinkProblem())).append(")</small>");
      }
    }
    html.append("</p>\n<p>")
        .append(m.html("pending"))
        .append(" <strong>")
        .append(m.number(status.pending()))
        .append("</strong>");
    if (status.lastAck() != null) {
      html.append(" · ").append(m.format("lastAck", time.format(at(status.lastAck()))));
    }
    html.append("</p>\n<p>")
        .append(m.html("received"))
        .append(' ')
        .append(m.number(status.received()))
        .append(" · ")
        .append(m.html("rejected"))
        .append(' ')
        .append(m.number(status.rejected()))
        .append(" · ")
        .append(m.html("conflicts"))
        .append(' ')
        .append(m.number(status.conflicts()))
        .append(" · ")
        .append(m.html("setAside"))
        .append(' ')
        .append(m.number(status.setAside()))
        .append(" · <a href=\"/api/rejected\">")
        .append(m.html("quarantined"))
        .append("</a> ")
        .append(m.number(status.quarantined()))
        .append("</p>\n");
    html.append("<h2>").append(m.html("devices")).append("</h2>\n");
    if (status.devices().isEmpty()) {
      html.append("<p>").append(m.html("devices.none")).append("</p>\n");
    } else {
      html.append("<div class=\"scroll\"><table><tr>");
      for (String column : new String[] {"id", "online", "received", "pending", "seen"}) {
        html.append("<th>").append(m.html("device." + column)).append("</th>");
      }
      html.append("</tr>\n");
      for (HubStatus.Device device : status.devices()) {
        html.append("<tr><td>")
            .append(escape(device.id()))
            .append("</td><td>")
            .append(
                device.online()
                    ? "<span class=\"ok\">" + m.html("device.online.yes") + "</span>"
                    : "<span class=\"ko\">" + m.html("device.online.no") + "</span>")
            .append("</td><td>")
            .append(m.number(device.committed()))
            .append("</td><td>")
            .append(m.number(device.pending()))
            .append("</td><td>")
            .append(
                device.lastSeen() > 0
                    ? escape(time.format(at(device.lastSeen())))
                    : m.html("device.seen.never"))
            .append("</td></tr>\n");
      }
      html.append("</table></div>\n");
    }
    if (status.health() != null) {
      html.append(health(status.health(), m, time));
    }
    if (preflight != null) {
      html.append(preflight(preflight, m, time));
    }
    html.append("</body></html>\n");
    return html.toString();
  }

  /** The machine: clock, uptime, disk, memory, and temperature and power where reported. */
  private static String health(HubHealth health, Messages m, DateTimeFormatter time) {
    StringBuilder html = new StringBuilder(512);
    html.append("<h2>").append(m.html("health")).append("</h2>\n<p class=\"health\">");
    html.append(m.format("health.clock", time.format(Instant.parse(health.clock())), health.zone()))
        .append("<br>")
        .append(
            m.format(
                "health.uptime", health.uptimeSeconds() / 3600, health.uptimeSeconds() / 60 % 60));
    if (health.diskFreeBytes() != null && health.diskTotalBytes() != null) {
      html.append("<br>")
          .append(
              m.format(
                  "health.disk",
                  m.number(health.diskFreeBytes() / MIB),
                  m.number(health.diskTotalBytes() / MIB)));
    }
    html.append("<br>")
        .append(
            m.format(
                "health.memory",
                m.number(health.heapUsedBytes() / MIB),
                m.number(health.heapMaxBytes() / MIB)));
    if (health.processRssBytes() != null) {
      html.append(", ").append(m.format("health.rss", m.number(health.processRssBytes() / MIB)));
    }
    if (health.cpuTemperatureCelsius() != null) {
      html.append("<br>").append(m.format("health.temperature", health.cpuTemperatureCelsius()));
    }
    HubHealth.Throttled throttled = health.throttled();
    if (throttled != null) {
      boolean now =
          throttled.underVoltage()
              || throttled.throttled()
              || throttled.frequencyCapped()
              || throttled.softTemperatureLimit();
      String key =
          now ? "health.power.now" : throttled.any() ? "health.power.past" : "health.power.ok";
      html.append("<br>")
          .append(throttled.any() ? "<strong class=\"ko\">" : "<span class=\"ok\">")
          .append(m.format(key, throttled.raw()))
          .append(throttled.any() ? "</strong>" : "</span>");
    }
    html.append("</p>\n");
    return html.toString();
  }

  private static final long MIB = 1024 * 1024;

  /** The same table as {@code GET /api/preflight}: one line per device, green or red. */
  private static String preflight(Preflight preflight, Messages m, DateTimeFormatter time) {
    StringBuilder html = new StringBuilder(1024);
    Preflight.Hub hub = preflight.hub();
    html.append("<h2>").append(m.html("preflight")).append("</h2>\n<p>");
    String free =
        hub.diskFreeBytes() == null
            ? m.html("preflight.unknown")
            : m.number(hub.diskFreeBytes() / (1024 * 1024)) + "\u00a0Mo";
    html.append(
            hub.enrolled()
                ? m.format("preflight.hub", hub.bundleSequence(), free)
                : m.format("preflight.hub.dev", free))
        .append(' ')
        .append(state(hub.ok(), m));
    problems(html, hub.problems());
    html.append("</p>\n");
    if (preflight.devices().isEmpty()) {
      html.append("<p>").append(m.html("preflight.none")).append("</p>\n");
      return html.toString();
    }
    html.append("<div class=\"scroll\"><table class=\"preflight\"><tr>");
    for (String column :
        new String[] {
          "id", "name", "contact", "pending", "clock", "bundle", "printer", "battery", "state"
        }) {
      html.append("<th>").append(m.html("preflight.col." + column)).append("</th>");
    }
    html.append("</tr>\n");
    for (Preflight.Device d : preflight.devices()) {
      html.append("<tr><td>")
          .append(escape(d.id()))
          .append("</td><td>")
          .append(escape(d.name()))
          .append("</td><td>")
          .append(
              d.lastContact() == null
                  ? m.html("device.seen.never")
                  : escape(time.format(java.time.Instant.parse(d.lastContact()))))
          .append("</td><td>")
          .append(m.number(d.pending()))
          .append("</td><td>")
          .append(d.clockSkewSeconds() == null ? "" : signed(d.clockSkewSeconds()) + "\u00a0s")
          .append("</td><td>")
          .append(d.bundleSequence() == null ? "" : m.number(d.bundleSequence()))
          .append("</td><td>")
          .append(d.printer() == null ? "" : escape(d.printer()))
          .append("</td><td>")
          .append(d.battery() == null ? "" : m.percent(d.battery()))
          .append("</td><td>")
          .append(state(d.ok(), m));
      problems(html, d.problems());
      html.append("</td></tr>\n");
    }
    html.append("</table></div>\n");
    return html.toString();
  }

  private static String state(boolean ok, Messages m) {
    return ok
        ? "<strong class=\"ok\">" + m.html("preflight.ok") + "</strong>"
        : "<strong class=\"ko\">" + m.html("preflight.ko") + "</strong>";
  }

  private static void problems(StringBuilder html, java.util.List<String> problems) {
    for (String problem : problems) {
      html.append("<br><small>").append(escape(problem)).append("</small>");
    }
  }

  private static String signed(long seconds) {
    return seconds > 0 ? "+" + seconds : Long.toString(seconds);
  }

  /** "English / Français": the language shown is bold, the other a link to this page in it. */
  private static String languageSwitch(PageLanguage language, Messages m) {
    return "<nav class=\"lang\" aria-label=\""
        + m.html("language")
        + "\">"
        + languageChoice("en", language, m)
        + " / "
        + languageChoice("fr", language, m)
        + "</nav>\n";
  }

  private static String languageChoice(String tag, PageLanguage language, Messages m) {
    String name = m.html("language." + tag);
    if (tag.equals(language.tag())) {
      return "<strong lang=\"" + tag + "\">" + name + "</strong>";
    }
    return "<a href=\"?lang="
        + tag
        + "\" hreflang=\""
        + tag
        + "\" lang=\""
        + tag
        + "\">"
        + name
        + "</a>";
  }

  private static Instant at(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis);
  }
}
