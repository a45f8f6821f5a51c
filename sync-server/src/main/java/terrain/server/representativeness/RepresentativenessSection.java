// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.representativeness;

import gg.jte.Content;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import terrain.core.results.Representation;
import terrain.core.results.Tally;
import terrain.core.text.Messages;
import terrain.core.text.PageLanguage;
import terrain.server.http.EventPageSection;
import terrain.server.http.Templates;
import terrain.server.results.EventCatalog;
import terrain.store.StoreException;

/**
 * The representativeness section of an event's results page ({@code
 * src/main/jte/results/representativeness.jte}): per dimension a table of respondents against the
 * population with the ratio, the "who is missing" lines, and each choice question raw and weighted
 * side by side as a table (readable on a phone, no chart needed). Words from {@code
 * terrain/server/representativeness/messages}, the lines from core's.
 */
public final class RepresentativenessSection implements EventPageSection {
  private final Representativeness representativeness;

  public RepresentativenessSection(Representativeness representativeness) {
    this.representativeness = representativeness;
  }

  /** A row of a dimension's table; {@code missing} marks a band the lines name. */
  public record Row(
      String label,
      String respondents,
      String share,
      String population,
      String ratio,
      boolean missing) {}

  /** A dimension's table. */
  public record Table(String caption, String base, List<Row> rows) {}

  /** An option of a question, raw and weighted. */
  public record Option(String label, String raw, String weighted) {}

  /** A choice question raw and weighted. */
  public record Question(String heading, List<Option> options) {}

  /** The section's values, every text ready to show (the template escapes). */
  public record View(
      String heading,
      String intro,
      String source,
      List<Table> tables,
      String outside,
      String tooFew,
      List<String> missing,
      String weightedIntro,
      List<String> weightingNotes,
      List<Question> questions,
      Messages m) {
    /** A text of the section's bundle. */
    public String text(String key, Object... args) {
      return m.text(key, args);
    }
  }

  @Override
  public Optional<Content> render(String eventId, PageLanguage language) throws StoreException {
    Optional<Representativeness.Report> report = representativeness.report(eventId);
    if (report.isEmpty()) {
      return Optional.empty();
    }
    View view = view(report.get(), language);
    return Optional.of(Templates.content("results/representativeness.jte", Map.of("s", view)));
  }

  static View view(Representativeness.Report report, PageLanguage language) {
    Messages m = new Messages("terrain.server.representativeness.messages", language.locale());
    String tag = language.tag();
    NumberFormat ratio = NumberFormat.getNumberInstance(language.locale());
    ratio.setMinimumFractionDigits(2);
    ratio.setMaximumFractionDigits(2);
    List<Table> tables = new ArrayList<>();
    boolean compared = false;
    for (Representation.Comparison comparison : report.representation().dimensions()) {
      compared |= comparison.compared();
      List<Row> rows = new ArrayList<>();
      for (Representation.Band band : comparison.bands()) {
        boolean missing =
            report.representation().missing().stream()
                .anyMatch(x -> x.dimension() == comparison.dimension() && x.id().equals(band.id()));
        rows.add(
            new Row(
                Labels.label(report.event(), comparison.dimension(), band.id(), tag),
                band.respondents() == null
                    ? m.text("hidden", Tally.SMALL_CELL)
                    : m.number(band.respondents()),
                band.respondentShare() == null ? "–" : percent(m, band.respondentShare()),
                percent(m, band.populationShare()),
                band.ratio() == null ? "–" : ratio.format(band.ratio()),
                missing));
      }
      tables.add(
          new Table(
              m.text("dimension." + comparison.dimension().json()),
              m.text("base", comparison.respondents(), m.number(comparison.respondents())),
              rows));
    }
    String outside =
        report.population().outside().isEmpty()
            ? null
            : m.text(
                "outside",
                String.join(
                    ", ",
                    report.population().outside().stream()
                        .map(
                            id ->
                                Labels.label(
                                    report.event(),
                                    Representation.Dimension.NEIGHBOURHOOD,
                                    id,
                                    tag))
                        .toList()));
    List<String> missing =
        report.representation().lines(language.locale(), x -> Labels.label(report.event(), x, tag));
    List<String> notes = new ArrayList<>();
    String weightedIntro;
    List<Question> questions = new ArrayList<>();
    if (report.weighting().isEmpty() || report.weighting().get().base() == 0) {
      weightedIntro = m.text("weighted.none");
    } else {
      Representativeness.Weighting w = report.weighting().get();
      weightedIntro = m.text("weighted.intro", m.number(w.base()));
      NumberFormat bound = NumberFormat.getNumberInstance(language.locale());
      notes.add(
          m.text(
              "weighted.bounds",
              bound.format(w.settings().maxWeight()),
              bound.format(w.settings().minWeight())));
      NumberFormat gap = NumberFormat.getPercentInstance(language.locale());
      gap.setMaximumFractionDigits(1);
      notes.add(
          w.converged()
              ? m.text("weighted.converged", gap.format(w.settings().tolerance()), w.cycles())
              : m.text("weighted.notConverged", gap.format(w.largestGap())));
      List<String> leftOut = new ArrayList<>();
      w.leftOut()
          .forEach(
              (d, ids) -> ids.forEach(id -> leftOut.add(Labels.label(report.event(), d, id, tag))));
      if (!leftOut.isEmpty()) {
        notes.add(m.text("weighted.leftOut", String.join(", ", leftOut)));
      }
      notes.add(m.text("weighted.hidden", Tally.SMALL_CELL));
      for (Representativeness.Shares shares : w.questions()) {
        Optional<EventCatalog.Question> question =
            report.view().questions().stream()
                .filter(q -> q.id().equals(shares.questionId()))
                .findFirst();
        List<Option> options = new ArrayList<>();
        for (Map.Entry<String, Double> raw : shares.raw().entrySet()) {
          String label =
              question
                  .flatMap(
                      q ->
                          q.options().stream()
                              .filter(o -> o.id().equals(raw.getKey()))
                              .map(EventCatalog.Option::label)
                              .findFirst())
                  .orElse(raw.getKey());
          Double weighted = shares.weighted().get(raw.getKey());
          options.add(
              new Option(
                  localized(report, shares.questionId(), raw.getKey(), tag).orElse(label),
                  raw.getValue() == null ? "–" : percent(m, raw.getValue()),
                  weighted == null ? "–" : percent(m, weighted)));
        }
        questions.add(
            new Question(
                questionText(report, shares.questionId(), tag)
                    .orElse(question.map(EventCatalog.Question::text).orElse(shares.questionId())),
                options));
      }
    }
    return new View(
        m.text("heading"),
        m.text("intro"),
        m.text("source", report.population().source()),
        tables,
        outside,
        compared ? null : m.text("tooFew", Representation.MIN_RESPONDENTS),
        missing,
        weightedIntro,
        notes,
        questions,
        m);
  }

  private static String percent(Messages m, double share) {
    return m.percent(Math.round(share * 100));
  }

  private static Optional<String> questionText(
      Representativeness.Report report, String questionId, String tag) {
    return report.event().polls().stream()
        .flatMap(p -> p.questions().stream())
        .filter(q -> q.id().equals(questionId))
        .map(q -> q.text().in(tag))
        .findFirst();
  }

  private static Optional<String> localized(
      Representativeness.Report report, String questionId, String optionId, String tag) {
    return report.event().polls().stream()
        .flatMap(p -> p.questions().stream())
        .filter(q -> q.id().equals(questionId))
        .flatMap(q -> q.options().stream())
        .filter(o -> o.id().equals(optionId))
        .map(o -> o.label().in(tag))
        .findFirst();
  }
}
