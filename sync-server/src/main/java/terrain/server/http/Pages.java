// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.http;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
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
 * CSS. The markup is in the JTE templates of {@code src/main/jte/results} (precompiled at build
 * time, every output escaped for its place in the page, decision 0030); this class turns a {@link
 * Summary} into the plain values they show. In French, or in English when the request prefers it;
 * the words are in {@code messages.properties} and {@code messages_en.properties}.
 */
public final class Pages {
  private final Frame frame;
  private final Messages m;

  Pages(PageLanguage language) {
    this.frame =
        new Frame(language, new Messages("terrain.server.http.messages", language.locale()));
    this.m = frame.m();
  }

  /**
   * What every page of the results needs: its language and its words, not escaped (the templates
   * escape).
   */
  public record Frame(PageLanguage language, Messages m) {
    /** A text of the bundle, filled with {@code args}. */
    public String text(String key, Object... args) {
      return m.text(key, args);
    }

    /** The language's tag, {@code fr} or {@code en}. */
    public String tag() {
      return language.tag();
    }

    /** A link within the site; it carries an explicit language choice on. */
    public String link(String path) {
      return language.explicit() ? path + "?lang=" + language.tag() : path;
    }

    /** "12 participations". */
    public String participations(long n) {
      return m.text("participations", n, m.number(n));
    }
  }

  /** One event of the list: its name, where its results are, how many took part. */
  public record Listing(String name, String href, String participations) {}

  /** A labelled bar: its width in percent (0 to 100) and the count written beside it. */
  public record Bar(String label, long width, String count) {}

  /** A ranked option: its place, label, bar, points and detail line. */
  public record Ranked(int place, String label, long width, String points, String detail) {}

  /** A cell of a map's grid: its style (the shade) and its count, empty when none. */
  public record Cell(String style, String count) {}

  /** A free text or an idea's date, as shown. */
  public record Dated(String text, String when) {}

  /**
   * A question's results, one of: bars; a ranking; free texts; bars with the pins of a map.
   *
   * @param ranking the ranked options, or null when not a ranking
   * @param texts the published texts, or null when not a text question
   * @param pins how many pins, or null when not a map
   */
  public record Question(
      String heading,
      List<Bar> bars,
      List<Ranked> ranking,
      String rankingNote,
      String textCounts,
      List<Dated> texts,
      String moreTexts,
      String pins,
      List<List<Cell>> grid) {}

  /** A profile question ("who are you"): its heading and bars, the unsaid last. */
  public record Profile(String heading, List<Bar> bars) {}

  /** The published ideas of a theme, newest first. */
  public record IdeaGroup(String heading, List<Idea> ideas) {}

  /** One published idea. */
  public record Idea(String language, String title, String text, String when) {}

  /**
   * The ideas' section: its heading, the moderation counts, the "newest" note (or null) and the
   * groups by theme.
   */
  public record IdeaSection(String heading, String counts, String newest, List<IdeaGroup> groups) {}

  /** The results page's values. */
  /**
   * @param detail the link to the detailed results (charts, margins, report), null when the id
   *     cannot name an event page
   */
  public record Event(
      String title,
      String total,
      List<Question> questions,
      List<Profile> profiles,
      IdeaSection ideas,
      String detail) {}

  /** The page's language. */
  PageLanguage language() {
    return frame.language();
  }

  String home(List<Results.Listing> events) {
    List<Listing> list = new ArrayList<>();
    for (Results.Listing event : events) {
      list.add(
          new Listing(
              event.title().orElse(event.eventId()),
              frame.link("/events/" + Html.pathSegment(event.eventId())),
              frame.participations(event.responses())));
    }
    return Templates.render("results/home.jte", Map.of("f", frame, "events", list));
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
    return event(summary, ideas, ideaCount, publishedCount, List.of());
  }

  /**
   * The results page with the sections other features add ({@link EventPageSection}), after who
   * took part.
   */
  String event(
      Summary summary,
      List<Ideas.Idea> ideas,
      long ideaCount,
      long publishedCount,
      List<gg.jte.Content> sections) {
    Optional<EventCatalog.Event> definition = summary.definition();
    String title = definition.map(EventCatalog.Event::title).orElse(summary.eventId());
    List<Question> questions = new ArrayList<>();
    for (Map.Entry<String, Map<String, Long>> question : summary.byQuestion().entrySet()) {
      Optional<EventCatalog.Question> known =
          definition.flatMap(
              event -> QuestionId.ifValid(question.getKey()).flatMap(event::question));
      String text = known.map(EventCatalog.Question::text).orElse(question.getKey());
      QuestionKind kind = known.map(EventCatalog.Question::kind).orElse(QuestionKind.SINGLE);
      if (kind == QuestionKind.RANKING) {
        questions.add(ranking(text, summary, known.get(), question.getValue()));
      } else if (kind == QuestionKind.TEXT || summary.textCounts().containsKey(question.getKey())) {
        questions.add(texts(text, summary, question.getKey()));
      } else {
        List<Bar> bars = new ArrayList<>();
        for (Map.Entry<String, Long> option : question.getValue().entrySet()) {
          String label = known.flatMap(q -> label(q, option.getKey())).orElse(option.getKey());
          bars.add(bar(label, option.getValue(), summary.responses()));
        }
        String pins = null;
        List<List<Cell>> grid = List.of();
        if (kind == QuestionKind.MAP || summary.heat().containsKey(question.getKey())) {
          long pinned = summary.pinCount(question.getKey());
          pins = m.text("event.pins", pinned, m.number(pinned));
          grid = pinned == 0 ? List.of() : grid(summary, question.getKey());
        }
        questions.add(new Question(text, bars, null, null, null, null, null, pins, grid));
      }
    }
    return Templates.render(
        "results/event.jte",
        Map.of(
            "f",
            frame,
            "event",
            new Event(
                title,
                frame.participations(summary.responses()),
                questions,
                participants(summary),
                ideas(definition, ideas, ideaCount, publishedCount),
                terrain.core.id.EventId.ifValid(summary.eventId())
                    .map(id -> frame.link("/events/" + id.value() + "/results"))
                    .orElse(null)),
            "followUp",
            frame.link("/events/" + Html.pathSegment(summary.eventId()) + "/follow-up"),
            "sections",
            sections));
  }

  /**
   * A ranking, best first: each option's Borda points (a bar), its average rank and how many
   * residents ranked it.
   */
  private Question ranking(
      String heading, Summary summary, EventCatalog.Question question, Map<String, Long> counts) {
    int max = question.maxChoices();
    List<String> options = new ArrayList<>(counts.keySet());
    options.sort(
        Comparator.comparingLong((String o) -> -summary.bordaPoints(question.id(), o, max))
            .thenComparing(options::indexOf));
    long best =
        options.isEmpty()
            ? 0
            : Math.max(1, summary.bordaPoints(question.id(), options.get(0), max));
    List<Ranked> rows = new ArrayList<>();
    int place = 0;
    for (String option : options) {
      place++;
      long points = summary.bordaPoints(question.id(), option, max);
      long count = counts.getOrDefault(option, 0L);
      String detail =
          summary
              .averageRank(question.id(), option)
              .map(a -> m.text("event.ranking.detail", a, count))
              .orElse(m.text("event.ranking.unranked"));
      long width = Math.round(100.0 * points / best);
      rows.add(
          new Ranked(
              place,
              label(question, option).orElse(option),
              Math.max(0, Math.min(100, width)),
              m.text("event.ranking.points", points),
              detail));
    }
    return new Question(
        heading,
        List.of(),
        rows,
        m.text("event.ranking.note", max),
        null,
        null,
        null,
        null,
        List.of());
  }

  /** The pins of a map counted in a 10 x 10 grid, darker where there are more. */
  private List<List<Cell>> grid(Summary summary, String questionId) {
    long[][] grid = summary.heatGrid(questionId);
    long most = 1;
    for (long[] row : grid) {
      for (long n : row) {
        most = Math.max(most, n);
      }
    }
    List<List<Cell>> rows = new ArrayList<>();
    for (long[] row : grid) {
      List<Cell> cells = new ArrayList<>();
      for (long n : row) {
        // The count is written in the cell: the shade is never the only sign.
        int alpha = n == 0 ? 0 : (int) Math.round(15 + 85.0 * n / most);
        cells.add(
            new Cell(
                "background:rgba(192,24,42,"
                    + (alpha / 100.0)
                    + (alpha > 55 ? ");color:#fff" : ")"),
                n == 0 ? "" : m.number(n)));
      }
      rows.add(cells);
    }
    return rows;
  }

  /** The published free texts, newest first, with how many came and how many are published. */
  private Question texts(String heading, Summary summary, String questionId) {
    long received = summary.textCounts().getOrDefault(questionId, 0L);
    long count = summary.publishedTextCounts().getOrDefault(questionId, 0L);
    List<Summary.Text> texts = summary.texts().getOrDefault(questionId, List.of());
    String counts =
        m.text("moderation.texts.counts", received, m.number(received), count, m.number(count))
            + ' '
            + m.text("moderation.texts.rule");
    DateTimeFormatter when =
        DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT)
            .withLocale(frame.language().locale())
            .withZone(ZoneId.of("Europe/Paris"));
    List<Dated> shown = new ArrayList<>();
    for (Summary.Text text : texts) {
      shown.add(new Dated(text.text(), when.format(Instant.ofEpochMilli(text.deviceTime()))));
    }
    String more =
        !texts.isEmpty() && count > texts.size()
            ? m.text("event.texts.more", count - texts.size())
            : null;
    return new Question(heading, List.of(), null, null, counts, shown, more, null, List.of());
  }

  /** Who took part: a list per profile question, with those who did not say. */
  private List<Profile> participants(Summary summary) {
    List<Profile> out = new ArrayList<>();
    Optional<EventCatalog.Event> definition = summary.definition();
    profile(
            m.text("participants.age"),
            summary.ageBands(),
            summary.responses() - summary.withAgeBand(),
            summary.responses(),
            id -> definition.flatMap(e -> EventCatalog.Event.label(e.ageBands(), id)))
        .ifPresent(out::add);
    profile(
            m.text("participants.area"),
            summary.areas(),
            summary.responses() - summary.withArea(),
            summary.responses(),
            id -> definition.flatMap(e -> EventCatalog.Event.label(e.areas(), id)))
        .ifPresent(out::add);
    return out;
  }

  private Optional<Profile> profile(
      String heading,
      Map<String, Long> counts,
      long unsaid,
      long responses,
      Function<String, Optional<String>> label) {
    if (counts.isEmpty()) {
      return Optional.empty();
    }
    List<Bar> bars = new ArrayList<>();
    for (Map.Entry<String, Long> entry : counts.entrySet()) {
      bars.add(
          bar(label.apply(entry.getKey()).orElse(entry.getKey()), entry.getValue(), responses));
    }
    bars.add(bar(m.text("participants.unsaid"), Math.max(0, unsaid), responses));
    return Optional.of(new Profile(heading, bars));
  }

  private Bar bar(String label, long count, long total) {
    long percent = total == 0 ? 0 : Math.round(100.0 * count / total);
    long width = Math.max(0, Math.min(100, percent));
    return new Bar(label, width, m.text("event.count", m.number(count), m.percent(percent)));
  }

  /** The ideas, newest first within each theme; themes in the order of the event file. */
  private IdeaSection ideas(
      Optional<EventCatalog.Event> definition,
      List<Ideas.Idea> ideas,
      long ideaCount,
      long publishedCount) {
    if (ideaCount == 0) {
      return null;
    }
    String heading = m.text("ideas.heading", publishedCount, m.number(publishedCount));
    String counts =
        m.text(
                "moderation.ideas.counts",
                ideaCount,
                m.number(ideaCount),
                publishedCount,
                m.number(publishedCount))
            + ' '
            + m.text("moderation.ideas.rule");
    String newest =
        ideas.size() < publishedCount ? m.text("ideas.newest", m.number(ideas.size())) : null;
    Map<String, List<Ideas.Idea>> byTheme = new LinkedHashMap<>();
    definition.ifPresent(e -> e.themes().forEach(t -> byTheme.put(t.id(), new ArrayList<>())));
    for (Ideas.Idea idea : ideas) {
      if (!idea.themeId().isEmpty()) {
        byTheme.computeIfAbsent(idea.themeId(), t -> new ArrayList<>()).add(idea);
      }
    }
    List<Ideas.Idea> none = ideas.stream().filter(i -> i.themeId().isEmpty()).toList();
    DateTimeFormatter when =
        DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
            .withLocale(frame.language().locale())
            .withZone(ZoneId.systemDefault());
    List<IdeaGroup> groups = new ArrayList<>();
    for (Map.Entry<String, List<Ideas.Idea>> theme : byTheme.entrySet()) {
      if (theme.getValue().isEmpty()) {
        continue;
      }
      String name =
          definition
              .flatMap(e -> EventCatalog.Event.label(e.themes(), theme.getKey()))
              .orElse(theme.getKey());
      groups.add(group(name, theme.getValue(), when));
    }
    if (!none.isEmpty()) {
      groups.add(group(m.text("ideas.noTheme"), none, when));
    }
    return new IdeaSection(heading, counts, newest, groups);
  }

  private static IdeaGroup group(String heading, List<Ideas.Idea> ideas, DateTimeFormatter when) {
    List<Idea> shown = new ArrayList<>();
    for (Ideas.Idea idea : ideas) {
      shown.add(
          new Idea(
              idea.language(),
              idea.title(),
              idea.text(),
              when.format(Instant.ofEpochMilli(idea.deviceTime()))));
    }
    return new IdeaGroup(heading, shown);
  }

  /** 404 for an event without any response yet. */
  String noSuchEvent(String eventId) {
    return message("notFound.title", m.text("notFound.event", eventId), true);
  }

  /** 404 for any other path. */
  String noSuchPage() {
    return message("notFound.title", m.text("notFound.page"), true);
  }

  /** 405: pages are only read. */
  String methodNotAllowed() {
    return message("methodNotAllowed.title", m.text("methodNotAllowed.text"), true);
  }

  /** 503: the database does not answer. */
  String unavailable() {
    return Templates.render(
        "results/message.jte",
        Map.of(
            "f",
            frame,
            "title",
            m.text("unavailable.title"),
            "heading",
            m.text("unavailable.heading"),
            "text",
            m.text("unavailable.text"),
            "back",
            false));
  }

  private String message(String titleKey, String text, boolean back) {
    return Templates.render(
        "results/message.jte",
        Map.of(
            "f",
            frame,
            "title",
            m.text(titleKey),
            "heading",
            m.text(titleKey),
            "text",
            text,
            "back",
            back));
  }

  private static Optional<String> label(EventCatalog.Question question, String optionId) {
    return question.options().stream()
        .filter(o -> o.id().equals(optionId))
        .map(EventCatalog.Option::label)
        .findFirst();
  }
}
