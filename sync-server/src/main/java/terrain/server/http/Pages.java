// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import terrain.core.text.Html;
import terrain.server.results.EventCatalog;
import terrain.server.results.Results;
import terrain.server.results.Summary;

/**
 * The public results pages, in French: small, server-rendered, no JavaScript, bars drawn with plain
 * HTML and CSS. Every text that comes from data (ids, titles, labels) is escaped.
 */
final class Pages {
  private static final String STYLE =
      """
      body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
      main{max-width:42em;margin:0 auto;padding:1em}
      h1{font-size:1.5em;margin:.5em 0}
      h2{font-size:1.1em;margin:1.5em 0 .5em}
      .total{font-size:1.1em}
      ul{list-style:none;padding:0;margin:0}
      li{margin:.4em 0}
      .label{display:block}
      .row{display:flex;align-items:center;gap:.5em}
      .bar{flex:1;background:#e4e4e4;height:1.2em;border-radius:.2em;overflow:hidden}
      .fill{display:block;height:100%;background:#2f6fb0}
      .n{min-width:7em;text-align:right;font-variant-numeric:tabular-nums}
      .events li{padding:.5em 0;border-bottom:1px solid #ddd}
      .muted{color:#666}
      """;

  private Pages() {}

  static String home(List<Results.Listing> events) {
    StringBuilder body = new StringBuilder();
    body.append("<h1>Résultats des événements</h1>\n");
    if (events.isEmpty()) {
      body.append("<p class=\"muted\">Aucune participation reçue pour l'instant.</p>\n");
    } else {
      body.append("<ul class=\"events\">\n");
      for (Results.Listing event : events) {
        String name = event.title().orElse(event.eventId());
        body.append("<li><a href=\"/events/")
            .append(Html.escape(Html.pathSegment(event.eventId())))
            .append("\">")
            .append(Html.escape(name))
            .append("</a> <span class=\"muted\">— ")
            .append(participations(event.responses()))
            .append("</span></li>\n");
      }
      body.append("</ul>\n");
    }
    return page("Résultats", body.toString());
  }

  static String event(Summary summary) {
    Optional<EventCatalog.Event> definition = summary.definition();
    String title = definition.map(EventCatalog.Event::title).orElse(summary.eventId());
    StringBuilder body = new StringBuilder();
    body.append("<p><a href=\"/\">← Tous les événements</a></p>\n");
    body.append("<h1>").append(Html.escape(title)).append("</h1>\n");
    body.append("<p class=\"total\">").append(participations(summary.responses())).append("</p>\n");
    for (Map.Entry<String, Map<String, Long>> question : summary.byQuestion().entrySet()) {
      Optional<EventCatalog.Question> known =
          definition.flatMap(event -> event.question(question.getKey()));
      String text = known.map(EventCatalog.Question::text).orElse(question.getKey());
      body.append("<section>\n<h2>").append(Html.escape(text)).append("</h2>\n<ul>\n");
      for (Map.Entry<String, Long> option : question.getValue().entrySet()) {
        String label = known.flatMap(q -> label(q, option.getKey())).orElse(option.getKey());
        long count = option.getValue();
        long percent =
            summary.responses() == 0 ? 0 : Math.round(100.0 * count / summary.responses());
        long width = Math.max(0, Math.min(100, percent));
        body.append("<li><span class=\"label\">")
            .append(Html.escape(label))
            .append("</span><span class=\"row\"><span class=\"bar\"><span class=\"fill\"")
            .append(" style=\"width:")
            .append(width)
            .append("%\"></span></span><span class=\"n\">")
            .append(count)
            .append(" (")
            .append(percent)
            .append("\u00a0%)</span></span></li>\n");
      }
      body.append("</ul>\n</section>\n");
    }
    if (summary.byQuestion().isEmpty()) {
      body.append("<p class=\"muted\">Pas encore de réponse à afficher.</p>\n");
    }
    body.append(
        "<p class=\"muted\">Pourcentages rapportés au nombre de participations ; une question à"
            + " choix multiples peut dépasser 100\u00a0%.</p>\n");
    return page("Résultats — " + title, body.toString());
  }

  static String notFound(String what) {
    return page(
        "Introuvable",
        "<h1>Introuvable</h1>\n<p>"
            + Html.escape(what)
            + "</p>\n<p><a href=\"/\">Voir tous les événements</a></p>\n");
  }

  static String unavailable() {
    return page(
        "Indisponible",
        "<h1>Résultats momentanément indisponibles</h1>\n"
            + "<p>La base de données ne répond pas. Réessayez dans un instant.</p>\n");
  }

  private static Optional<String> label(EventCatalog.Question question, String optionId) {
    return question.options().stream()
        .filter(o -> o.id().equals(optionId))
        .map(EventCatalog.Option::label)
        .findFirst();
  }

  private static String participations(long n) {
    return n + (n > 1 ? " participations" : " participation");
  }

  private static String page(String title, String body) {
    return "<!doctype html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>"
        + Html.escape(title)
        + "</title>\n<style>"
        + STYLE
        + "</style>\n</head>\n<body>\n<main>\n"
        + body
        + "</main>\n</body>\n</html>\n";
  }
}
