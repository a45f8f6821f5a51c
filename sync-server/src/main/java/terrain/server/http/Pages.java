// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.http;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import terrain.core.event.QuestionKind;
import terrain.core.id.QuestionId;
import terrain.core.text.Html;
import terrain.core.text.Messages;
import terrain.core.text.PageLanguage;
import terrain.server.ideas.Ideas;
import terrain.server.results.EventCatalog;
import terrain.server.results.Results;
import terrain.server.results.Summary;

/**
 * The public results pages: small, server-rendered, no JavaScript, bars drawn with plain HTML and
 * CSS. In French, or in English when the request prefers it; their words are in {@code
 * messages.properties} and {@code messages_en.properties}. Every text shown is escaped, whether it
 * comes from data (ids, titles, labels) or from the bundles.
 */
final class Pages {
  private static final String STYLE =
      """
      body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
      main{max-width:42em;margin:0 auto;padding:1em}
      .lang{text-align:right;font-size:.85em}
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
      .rank{font-weight:bold;min-width:1.6em;display:inline-block}
      ol.ranking{list-style:none;padding:0;margin:0}
      .detail{display:block;font-size:.85em;color:#555}
      table.heat{border-collapse:collapse;margin:.5em 0}
      table.heat td{width:2em;height:2em;border:1px solid #ccc;text-align:center;font-size:.8em}
      ul.texts li{background:#fff;border:1px solid #ddd;border-radius:.3em;padding:.4em .6em}
      ul.texts .when{display:block;font-size:.8em;color:#666}
      .ideas li{background:#fff;border:1px solid #ddd;border-radius:.3em;padding:.6em;margin:.5em 0}
      .ideas h3{font-size:1em;margin:1em 0 .3em}
      .idea-title{font-weight:bold;display:block}
      .idea-text{white-space:pre-wrap;overflow-wrap:anywhere}
      .idea-when{font-size:.85em;color:#666;display:block;margin-top:.3em}
      """;

  /** The pins of a map are counted in this many rows and columns. */
  static final int HEAT_GRID = 10;

  private final PageLanguage language;
  private final Messages m;

  Pages(PageLanguage language) {
    this.language = language;
    this.m = new Messages("terrain.server.http.messages", language.locale());
  }

  String home(List<Results.Listing> events) {
    StringBuilder body = new StringBuilder();
    body.append("<h1>").append(m.html("home.heading")).append("</h1>\n");
    if (events.isEmpty()) {
      body.append("<p class=\"muted\">").append(m.html("home.none")).append("</p>\n");
    } else {
      body.append("<ul class=\"events\">\n");
      for (Results.Listing event : events) {
        String name = event.title().orElse(event.eventId());
        body.append("<li><a href=\"")
            .append(Html.escape(link("/events/" + Html.pathSegment(event.eventId()))))
            .append("\">")
            .append(Html.escape(name))
            .append("</a> <span class=\"muted\">— ")
            .append(participations(event.responses()))
            .append("</span></li>\n");
      }
      body.append("</ul>\n");
    }
    return page(m.html("home.title"), body.toString());
  }

  String event(Summary summary) {
    return event(summary, List.of(), 0, 0);
  }

  /**
   * The results page: the answers, who took part (age bands and neighbourhoods, for reading the
   * results against the population), and the ideas, newest first, grouped by theme.
   *
   * @param ideas the newest published ideas, newest first
   * @param ideaCount how many ideas the event received in all, published or not
   * @param publishedCount how many of them staff published (more than shown when many)
   */
  String event(Summary summary, List<Ideas.Idea> ideas, long ideaCount, long publishedCount) {
    Optional<EventCatalog.Event> definition = summary.definition();
    String title = definition.map(EventCatalog.Event::title).orElse(summary.eventId());
    StringBuilder body = new StringBuilder();
    body.append(backToAll("event.back"));
    body.append("<h1>").append(Html.escape(title)).append("</h1>\n");
    body.append("<p class=\"total\">").append(participations(summary.responses())).append("</p>\n");
    for (Map.Entry<String, Map<String, Long>> question : summary.byQuestion().entrySet()) {
      Optional<EventCatalog.Question> known =
          definition.flatMap(
              event -> QuestionId.ifValid(question.getKey()).flatMap(event::question));
      String text = known.map(EventCatalog.Question::text).orElse(question.getKey());
      body.append("<section>\n<h2>").append(Html.escape(text)).append("</h2>\n");
      QuestionKind kind = known.map(EventCatalog.Question::kind).orElse(QuestionKind.SINGLE);
      if (kind == QuestionKind.RANKING) {
        ranking(body, summary, known.get(), question.getValue());
        body.append("</section>\n");
        continue;
      }
      if (kind == QuestionKind.TEXT || summary.textCounts().containsKey(question.getKey())) {
        texts(body, summary, question.getKey());
        body.append("</section>\n");
        continue;
      }
      body.append("<ul>\n");
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
            .append(m.format("event.count", m.number(count), m.percent(percent)))
            .append("</span></span></li>\n");
      }
      body.append("</ul>\n");
      if (kind == QuestionKind.MAP || summary.pins().containsKey(question.getKey())) {
        pins(body, summary, question.getKey());
      }
      body.append("</section>\n");
    }
    if (summary.byQuestion().isEmpty()) {
      body.append("<p class=\"muted\">").append(m.html("event.none")).append("</p>\n");
    }
    body.append("<p class=\"muted\">")
        .append(m.format("event.note", m.percent(100)))
        .append("</p>\n");
    participants(summary, body);
    ideas(definition, ideas, ideaCount, publishedCount, body);
    return page(m.format("event.title", title), body.toString());
  }

  /**
   * A ranking, best first: each option's Borda points (a bar), its average rank and how many
   * residents ranked it.
   */
  private void ranking(
      StringBuilder body,
      Summary summary,
      EventCatalog.Question question,
      Map<String, Long> counts) {
    int max = question.maxChoices();
    List<String> options = new ArrayList<>(counts.keySet());
    options.sort(
        Comparator.comparingLong((String o) -> -summary.bordaPoints(question.id(), o, max))
            .thenComparing(options::indexOf));
    long best =
        options.isEmpty()
            ? 0
            : Math.max(1, summary.bordaPoints(question.id(), options.get(0), max));
    body.append("<ol class=\"ranking\">\n");
    int place = 0;
    for (String option : options) {
      place++;
      long points = summary.bordaPoints(question.id(), option, max);
      long count = counts.getOrDefault(option, 0L);
      String detail =
          summary
              .averageRank(question.id(), option)
              .map(a -> m.format("event.ranking.detail", a, count))
              .orElse(m.html("event.ranking.unranked"));
      long width = Math.round(100.0 * points / best);
      body.append("<li><span class=\"label\"><span class=\"rank\">")
          .append(place)
          .append(".</span> ")
          .append(Html.escape(label(question, option).orElse(option)))
          .append("</span><span class=\"row\"><span class=\"bar\"><span class=\"fill\"")
          .append(" style=\"width:")
          .append(Math.max(0, Math.min(100, width)))
          .append("%\"></span></span><span class=\"n\">")
          .append(m.format("event.ranking.points", points))
          .append("</span></span><span class=\"detail\">")
          .append(detail)
          .append("</span></li>\n");
    }
    body.append("</ol>\n<p class=\"muted\">")
        .append(m.format("event.ranking.note", max))
        .append("</p>\n");
  }

  /** The pins of a map: how many, and a 10 x 10 grid of counts, darker where there are more. */
  private void pins(StringBuilder body, Summary summary, String questionId) {
    List<Summary.Pin> pins = summary.pins().getOrDefault(questionId, List.of());
    body.append("<p>").append(m.format("event.pins", pins.size(), m.number(pins.size())));
    body.append("</p>\n");
    if (pins.isEmpty()) {
      return;
    }
    long[][] grid = summary.heatGrid(questionId, HEAT_GRID);
    long most = 1;
    for (long[] row : grid) {
      for (long n : row) {
        most = Math.max(most, n);
      }
    }
    body.append("<table class=\"heat\" aria-label=\"")
        .append(m.html("event.pins.grid"))
        .append("\">\n<caption class=\"muted\">")
        .append(m.html("event.pins.grid"))
        .append("</caption>\n");
    for (long[] row : grid) {
      body.append("<tr>");
      for (long n : row) {
        // The count is written in the cell: the shade is never the only sign.
        int alpha = n == 0 ? 0 : (int) Math.round(15 + 85.0 * n / most);
        body.append("<td style=\"background:rgba(192,24,42,")
            .append(alpha / 100.0)
            .append(alpha > 55 ? ");color:#fff\">" : ")\">")
            .append(n == 0 ? "" : m.number(n))
            .append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</table>\n");
  }

  /**
   * The published free texts, newest first, each escaped, with how many came and how many are
   * published.
   */
  private void texts(StringBuilder body, Summary summary, String questionId) {
    long received = summary.textCounts().getOrDefault(questionId, 0L);
    long count = summary.publishedTextCounts().getOrDefault(questionId, 0L);
    List<Summary.Text> texts = summary.texts().getOrDefault(questionId, List.of());
    body.append("<p class=\"moderated\">")
        .append(
            m.format(
                "moderation.texts.counts", received, m.number(received), count, m.number(count)))
        .append(' ')
        .append(m.html("moderation.texts.rule"))
        .append("</p>\n");
    if (texts.isEmpty()) {
      return;
    }
    body.append("<ul class=\"texts\">\n");
    DateTimeFormatter when =
        DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT)
            .withLocale(language.locale())
            .withZone(ZoneId.of("Europe/Paris"));
    for (Summary.Text text : texts) {
      body.append("<li>")
          .append(Html.escape(text.text()))
          .append("<span class=\"when\">")
          .append(Html.escape(when.format(Instant.ofEpochMilli(text.deviceTime()))))
          .append("</span></li>\n");
    }
    body.append("</ul>\n");
    if (count > texts.size()) {
      body.append("<p class=\"muted\">")
          .append(m.format("event.texts.more", count - texts.size()))
          .append("</p>\n");
    }
  }

  /** Who took part: a list per profile question, with those who did not say. */
  private void participants(Summary summary, StringBuilder body) {
    if (summary.ageBands().isEmpty() && summary.areas().isEmpty()) {
      return;
    }
    Optional<EventCatalog.Event> definition = summary.definition();
    body.append("<section id=\"participants\">\n<h2>")
        .append(m.html("participants.heading"))
        .append("</h2>\n<p class=\"muted\">")
        .append(m.html("participants.why"))
        .append("</p>\n");
    profileList(
        m.html("participants.age"),
        summary.ageBands(),
        summary.responses() - summary.withAgeBand(),
        summary.responses(),
        id -> definition.flatMap(e -> EventCatalog.Event.label(e.ageBands(), id)),
        body);
    profileList(
        m.html("participants.area"),
        summary.areas(),
        summary.responses() - summary.withArea(),
        summary.responses(),
        id -> definition.flatMap(e -> EventCatalog.Event.label(e.areas(), id)),
        body);
    body.append("</section>\n");
  }

  private void profileList(
      String escapedHeading,
      Map<String, Long> counts,
      long unsaid,
      long responses,
      java.util.function.Function<String, Optional<String>> label,
      StringBuilder body) {
    if (counts.isEmpty()) {
      return;
    }
    body.append("<h3>").append(escapedHeading).append("</h3>\n<ul>\n");
    for (Map.Entry<String, Long> entry : counts.entrySet()) {
      bar(label.apply(entry.getKey()).orElse(entry.getKey()), entry.getValue(), responses, body);
    }
    barEscaped(m.html("participants.unsaid"), Math.max(0, unsaid), responses, body);
    body.append("</ul>\n");
  }

  private void bar(String label, long count, long total, StringBuilder body) {
    barEscaped(Html.escape(label), count, total, body);
  }

  private void barEscaped(String escapedLabel, long count, long total, StringBuilder body) {
    long percent = total == 0 ? 0 : Math.round(100.0 * count / total);
    long width = Math.max(0, Math.min(100, percent));
    body.append("<li><span class=\"label\">")
        .append(escapedLabel)
        .append("</span><span class=\"row\"><span class=\"bar\"><span class=\"fill\"")
        .append(" style=\"width:")
        .append(width)
        .append("%\"></span></span><span class=\"n\">")
        .append(m.format("event.count", m.number(count), m.percent(percent)))
        .append("</span></span></li>\n");
  }

  /** The ideas, newest first within each theme; themes in the order of the event file. */
  private void ideas(
      Optional<EventCatalog.Event> definition,
      List<Ideas.Idea> ideas,
      long ideaCount,
      long publishedCount,
      StringBuilder body) {
    if (ideaCount == 0) {
      return;
    }
    body.append("<section id=\"ideas\" class=\"ideas\">\n<h2>")
        .append(m.format("ideas.heading", publishedCount, m.number(publishedCount)))
        .append("</h2>\n<p class=\"moderated\">")
        .append(
            m.format(
                "moderation.ideas.counts",
                ideaCount,
                m.number(ideaCount),
                publishedCount,
                m.number(publishedCount)))
        .append(' ')
        .append(m.html("moderation.ideas.rule"))
        .append("</p>\n");
    if (ideas.size() < publishedCount) {
      body.append("<p class=\"muted\">")
          .append(m.format("ideas.newest", m.number(ideas.size())))
          .append("</p>\n");
    }
    Map<String, List<Ideas.Idea>> byTheme = new java.util.LinkedHashMap<>();
    definition.ifPresent(
        e -> e.themes().forEach(t -> byTheme.put(t.id(), new java.util.ArrayList<>())));
    for (Ideas.Idea idea : ideas) {
      if (!idea.themeId().isEmpty()) {
        byTheme.computeIfAbsent(idea.themeId(), t -> new java.util.ArrayList<>()).add(idea);
      }
    }
    List<Ideas.Idea> none = ideas.stream().filter(i -> i.themeId().isEmpty()).toList();
    java.time.format.DateTimeFormatter when =
        java.time.format.DateTimeFormatter.ofLocalizedDateTime(
                java.time.format.FormatStyle.MEDIUM, java.time.format.FormatStyle.SHORT)
            .withLocale(language.locale())
            .withZone(java.time.ZoneId.systemDefault());
    for (Map.Entry<String, List<Ideas.Idea>> theme : byTheme.entrySet()) {
      if (theme.getValue().isEmpty()) {
        continue;
      }
      String name =
          definition
              .flatMap(e -> EventCatalog.Event.label(e.themes(), theme.getKey()))
              .orElse(theme.getKey());
      ideaList(Html.escape(name), theme.getValue(), when, body);
    }
    if (!none.isEmpty()) {
      ideaList(m.html("ideas.noTheme"), none, when, body);
    }
  }

  private void ideaList(
      String escapedHeading,
      List<Ideas.Idea> ideas,
      java.time.format.DateTimeFormatter when,
      StringBuilder body) {
    body.append("<h3>").append(escapedHeading).append("</h3>\n<ul>\n");
    for (Ideas.Idea idea : ideas) {
      String lang = Html.escape(idea.language());
      body.append("<li lang=\"").append(lang).append("\" dir=\"auto\">");
      if (!idea.title().isBlank()) {
        body.append("<span class=\"idea-title\">")
            .append(Html.escape(idea.title()))
            .append("</span>");
      }
      if (!idea.text().isBlank()) {
        body.append("<span class=\"idea-text\">")
            .append(Html.escape(idea.text()))
            .append("</span>");
      }
      body.append("<span class=\"idea-when\">")
          .append(Html.escape(when.format(java.time.Instant.ofEpochMilli(idea.deviceTime()))))
          .append("</span></li>\n");
    }
    body.append("</ul>\n");
  }

  /** 404 for an event without any response yet. */
  String noSuchEvent(String eventId) {
    return notFound(m.format("notFound.event", eventId));
  }

  /** 404 for any other path. */
  String noSuchPage() {
    return notFound(m.html("notFound.page"));
  }

  /** 405: pages are only read. */
  String methodNotAllowed() {
    return page(
        m.html("methodNotAllowed.title"),
        "<h1>"
            + m.html("methodNotAllowed.title")
            + "</h1>\n<p>"
            + m.html("methodNotAllowed.text")
            + "</p>\n"
            + backToAll("notFound.back"));
  }

  /** 503: the database does not answer. */
  String unavailable() {
    return page(
        m.html("unavailable.title"),
        "<h1>"
            + m.html("unavailable.heading")
            + "</h1>\n<p>"
            + m.html("unavailable.text")
            + "</p>\n");
  }

  private String notFound(String escapedText) {
    return page(
        m.html("notFound.title"),
        "<h1>"
            + m.html("notFound.title")
            + "</h1>\n<p>"
            + escapedText
            + "</p>\n"
            + backToAll("notFound.back"));
  }

  private String backToAll(String key) {
    return "<p><a href=\"" + Html.escape(link("/")) + "\">" + m.html(key) + "</a></p>\n";
  }

  /** A link within the site; it carries an explicit language choice on. */
  private String link(String path) {
    return language.explicit() ? path + "?lang=" + language.tag() : path;
  }

  private static Optional<String> label(EventCatalog.Question question, String optionId) {
    return question.options().stream()
        .filter(o -> o.id().equals(optionId))
        .map(EventCatalog.Option::label)
        .findFirst();
  }

  private String participations(long n) {
    return m.format("participations", n, m.number(n));
  }

  /** "English / Français": the language shown is bold, the other a link to this page in it. */
  private String languageSwitch() {
    return "<nav class=\"lang\" aria-label=\""
        + m.html("language")
        + "\">"
        + languageChoice("en")
        + " / "
        + languageChoice("fr")
        + "</nav>\n";
  }

  private String languageChoice(String tag) {
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

  private String page(String escapedTitle, String body) {
    return "<!doctype html>\n<html lang=\""
        + language.tag()
        + "\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>"
        + escapedTitle
        + "</title>\n<style>"
        + STYLE
        + "</style>\n</head>\n<body>\n<main>\n"
        + languageSwitch()
        + body
        + "</main>\n</body>\n</html>\n";
  }
}
