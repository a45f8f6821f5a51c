// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.results;

import java.text.MessageFormat;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import terrain.core.event.AnswerOption;
import terrain.core.event.EventDefinition;
import terrain.core.event.Poll;
import terrain.core.event.Population;
import terrain.core.event.ProfileSettings;
import terrain.core.event.Question;
import terrain.core.event.QuestionKind;
import terrain.core.results.Representation;
import terrain.core.results.Tally;
import terrain.core.text.PageLanguage;

/**
 * The live results of one event in words, for the page ({@link ResultsPage}) and for {@code GET
 * /api/results}, which the page polls: one list of rows per question and per "who took part" group.
 * Every row has a key ({@code question/option}) by which the page's script finds it, the text to
 * show (already in the page's language) and the width of its bar.
 *
 * <p>Counts of who took part from 1 to 4 are never given, here nor in the JSON: {@code count} is
 * null and the text says "fewer than 5". The "did not say" line is left out, so that a hidden count
 * cannot be worked out by subtracting the others from the total.
 *
 * @param version changes whenever a response was counted (the script skips equal versions)
 * @param missing "who is missing" against the event file's population, most missing first (core's
 *     {@link Representation}, the same lines as the server's results page); empty when the file
 *     gives no population, nobody is missing or too few answered
 * @param population where the population's figures come from; empty when none is given
 */
public record LiveView(
    String eventId,
    String title,
    long responses,
    String responsesText,
    long version,
    List<Choice> events,
    List<Block> questions,
    List<Block> participants,
    List<String> missing,
    String population) {

  /** Another event this hub holds responses for, or was given a file for. */
  public record Choice(String id, String title) {}

  /**
   * A question, or a "who took part" group.
   *
   * @param kind the question kind's file name ({@code single}, {@code ranking}, {@code map}...);
   *     {@code profile} for a group
   * @param note a line under the rows (ranking points, pins, texts), may be empty
   */
  public record Block(String id, String title, String kind, List<Row> rows, String note) {
    public Block {
      rows = List.copyOf(rows);
    }
  }

  /**
   * One bar.
   *
   * @param count null when hidden (a small count of who took part)
   * @param width the bar's length, 0 to 100
   */
  public record Row(String key, String label, Long count, int width, String text) {}

  public LiveView {
    events = List.copyOf(events);
    questions = List.copyOf(questions);
    participants = List.copyOf(participants);
    missing = List.copyOf(missing);
  }

  /** The view of an event's counts in the page's language. */
  public static LiveView of(
      LiveResults.Event event, Map<String, EventDefinition> definitions, PageLanguage language) {
    Words m = new Words(language);
    String lang = language.tag();
    Tally.Counts counts = event.counts();
    Optional<EventDefinition> definition = event.definition();
    List<Block> questions = new ArrayList<>();
    Map<String, Question> known = new LinkedHashMap<>();
    definition.ifPresent(
        d -> {
          for (Poll poll : d.polls()) {
            for (Question q : poll.questions()) {
              known.putIfAbsent(q.id(), q);
            }
          }
        });
    List<String> ids = new ArrayList<>(known.keySet());
    counts.counts().keySet().stream().filter(id -> !known.containsKey(id)).forEach(ids::add);
    counts.textCounts().keySet().stream().filter(id -> !ids.contains(id)).forEach(ids::add);
    for (String id : ids) {
      Question question = known.get(id);
      questions.add(question(id, question, counts, m, lang));
    }
    List<Block> participants = new ArrayList<>();
    Optional<ProfileSettings> profile = definition.flatMap(EventDefinition::profile);
    if (!counts.ageBands().isEmpty()) {
      participants.add(
          profile(
              ProfileSettings.AGE_ANSWER,
              m.text("participants.age"),
              counts.ageBands(),
              profile.map(ProfileSettings::ageBands).orElse(List.of()),
              counts.responses(),
              m,
              lang));
    }
    if (!counts.areas().isEmpty()) {
      participants.add(
          profile(
              ProfileSettings.AREA_ANSWER,
              m.text("participants.area"),
              counts.areas(),
              profile.map(ProfileSettings::areas).orElse(List.of()),
              counts.responses(),
              m,
              lang));
    }
    List<Choice> events = new ArrayList<>();
    for (String id : event.events()) {
      EventDefinition d = definitions.get(id);
      events.add(new Choice(id, d == null ? id : d.title().in(lang)));
    }
    List<String> missing = new ArrayList<>();
    String population = "";
    if (definition.isPresent() && definition.get().population().isPresent()) {
      Population margins = definition.get().population().get();
      population = margins.source();
      missing.addAll(
          Representation.of(margins, counts.ageBands(), counts.areas())
              .lines(
                  language.locale(),
                  x ->
                      profile
                          .map(
                              p ->
                                  x.dimension() == Representation.Dimension.AGE_BAND
                                      ? p.ageBands()
                                      : p.areas())
                          .orElse(List.of())
                          .stream()
                          .filter(o -> o.id().equals(x.id()))
                          .map(o -> o.label().in(lang))
                          .findFirst()
                          .orElse(x.id())));
    }
    return new LiveView(
        event.eventId(),
        definition.map(d -> d.title().in(lang)).orElse(event.eventId()),
        counts.responses(),
        m.text("total", counts.responses(), m.number(counts.responses())),
        event.version(),
        events,
        questions,
        participants,
        missing,
        population);
  }

  private static Block question(
      String id, Question question, Tally.Counts counts, Words m, String lang) {
    QuestionKind kind = question == null ? QuestionKind.SINGLE : question.kind();
    Map<String, Long> counted = counts.counts().getOrDefault(id, Map.of());
    Map<String, String> labels = new LinkedHashMap<>();
    if (question != null) {
      for (AnswerOption option : question.options()) {
        labels.put(option.id(), option.label().in(lang));
      }
    }
    counted.keySet().forEach(o -> labels.putIfAbsent(o, o));
    String title = question == null ? id : question.text().in(lang);
    List<Row> rows = new ArrayList<>();
    String note = "";
    long responses = counts.responses();
    if (kind == QuestionKind.RANKING) {
      int max = question.maxChoices();
      List<String> options = new ArrayList<>(labels.keySet());
      options.sort(
          Comparator.comparingLong((String o) -> -counts.bordaPoints(id, o, max))
              .thenComparing(options::indexOf));
      long best = options.isEmpty() ? 1 : Math.max(1, counts.bordaPoints(id, options.get(0), max));
      int place = 0;
      for (String option : options) {
        place++;
        long points = counts.bordaPoints(id, option, max);
        rows.add(
            new Row(
                id + "/" + option,
                place + ". " + labels.get(option),
                points,
                width(points, best),
                m.text("ranking.points", points)));
      }
      note = m.text("ranking.note", max);
    } else if (kind == QuestionKind.TEXT) {
      long texts = counts.textCounts().getOrDefault(id, 0L);
      note = m.text("texts", texts, m.number(texts));
    } else {
      for (Map.Entry<String, String> option : labels.entrySet()) {
        long n = counted.getOrDefault(option.getKey(), 0L);
        long percent = responses == 0 ? 0 : Math.round(100.0 * n / responses);
        rows.add(
            new Row(
                id + "/" + option.getKey(),
                option.getValue(),
                n,
                (int) Math.min(100, percent),
                m.text("count", m.number(n), m.percent(percent))));
      }
      if (kind == QuestionKind.MAP || counts.heat().containsKey(id)) {
        long pins = counts.pins(id);
        note = m.text("pins", pins, m.number(pins));
      }
    }
    return new Block(id, title, kind.yamlName(), rows, note);
  }

  private static Block profile(
      String id,
      String title,
      Map<String, Long> counted,
      List<AnswerOption> known,
      long responses,
      Words m,
      String lang) {
    Map<String, String> labels = new LinkedHashMap<>();
    known.forEach(o -> labels.put(o.id(), o.label().in(lang)));
    counted.keySet().forEach(o -> labels.putIfAbsent(o, o));
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, String> option : labels.entrySet()) {
      long n = counted.getOrDefault(option.getKey(), 0L);
      String key = id + "/" + option.getKey();
      if (Tally.hidden(n)) {
        rows.add(new Row(key, option.getValue(), null, 0, m.text("hidden", Tally.SMALL_CELL)));
        continue;
      }
      long percent = responses == 0 ? 0 : Math.round(100.0 * n / responses);
      rows.add(
          new Row(
              key,
              option.getValue(),
              n,
              (int) Math.min(100, percent),
              m.text("count", m.number(n), m.percent(percent))));
    }
    return new Block(id, title, "profile", rows, "");
  }

  private static int width(long value, long of) {
    return (int) Math.max(0, Math.min(100, Math.round(100.0 * value / of)));
  }

  /** The bundle's words as plain text (the page escapes them; the script sets text, not HTML). */
  static final class Words {
    private final ResourceBundle bundle;
    private final PageLanguage language;
    private final NumberFormat integers;
    private final NumberFormat percents;

    Words(PageLanguage language) {
      this.language = language;
      this.bundle =
          ResourceBundle.getBundle(
              "terrain.hub.results.messages",
              language.locale(),
              ResourceBundle.Control.getNoFallbackControl(
                  ResourceBundle.Control.FORMAT_PROPERTIES));
      this.integers = NumberFormat.getIntegerInstance(language.locale());
      this.percents = NumberFormat.getPercentInstance(language.locale());
    }

    String text(String key, Object... args) {
      return new MessageFormat(bundle.getString(key), language.locale()).format(args);
    }

    String number(long value) {
      return integers.format(value);
    }

    String percent(long percent) {
      return percents.format(percent / 100.0);
    }
  }
}
