// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.reports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import terrain.core.event.AnswerOption;
import terrain.core.event.EventDefinition;
import terrain.core.event.LocalizedText;
import terrain.core.event.Poll;
import terrain.core.event.Question;
import terrain.server.results.EventCatalog;
import terrain.server.results.EventResults;

/**
 * The results with the event's own words in the report's language: the title, the questions and
 * their options, zones and idea themes as the event file gives them in English or Arabic ({@link
 * LocalizedText#in}, French when the file has no such text). The figures are untouched; ids the
 * file does not know keep the words the results have.
 */
final class LocalizedResults {
  private final String lang;
  private final LocalizedText title;
  private final Map<String, LocalizedText> questions = new HashMap<>();
  private final Map<String, LocalizedText> options = new HashMap<>();
  private final Map<String, LocalizedText> themes = new HashMap<>();

  LocalizedResults(EventDefinition definition, String lang) {
    this.lang = lang;
    this.title = definition.title();
    for (Poll poll : definition.polls()) {
      for (Question q : poll.questions()) {
        questions.putIfAbsent(q.id(), q.text());
        for (AnswerOption o : q.options()) {
          options.putIfAbsent(q.id() + "/" + o.id(), o.label());
        }
      }
    }
    for (AnswerOption theme : definition.ideas().themes()) {
      themes.put(theme.id(), theme.label());
    }
  }

  EventResults results(EventResults r) {
    List<EventResults.QuestionResult> qs = new ArrayList<>();
    for (EventResults.QuestionResult q : r.questions()) {
      qs.add(question(q));
    }
    return new EventResults(
        r.event(), title.in(lang), r.responses(), r.method(), qs, r.participation());
  }

  List<EventCatalog.Option> themes(List<EventCatalog.Option> from) {
    List<EventCatalog.Option> out = new ArrayList<>();
    for (EventCatalog.Option t : from) {
      out.add(new EventCatalog.Option(t.id(), word(themes.get(t.id()), t.label())));
    }
    return out;
  }

  private EventResults.QuestionResult question(EventResults.QuestionResult q) {
    EventResults.MapResult map = q.map();
    if (map != null) {
      map =
          new EventResults.MapResult(
              map.picture(), map.pins(), map.grid(), options(q.id(), map.zones()));
    }
    List<EventResults.RankedOption> ranking = null;
    if (q.ranking() != null) {
      ranking = new ArrayList<>();
      for (EventResults.RankedOption o : q.ranking()) {
        ranking.add(
            new EventResults.RankedOption(
                o.id(),
                word(options.get(q.id() + "/" + o.id()), o.label()),
                o.borda(),
                o.firsts(),
                o.ranked(),
                o.averageRank()));
      }
    }
    return new EventResults.QuestionResult(
        q.id(),
        q.kind(),
        word(questions.get(q.id()), q.text()),
        q.answered(),
        q.marginOfError(),
        q.options() == null ? null : options(q.id(), q.options()),
        q.mean(),
        ranking,
        map,
        q.texts(),
        q.byChannel(),
        q.bySite(),
        q.byDevice(),
        q.answeredByChannel(),
        q.answeredBySite(),
        q.answeredByDevice());
  }

  private List<EventResults.OptionResult> options(
      String question, List<EventResults.OptionResult> from) {
    List<EventResults.OptionResult> out = new ArrayList<>();
    for (EventResults.OptionResult o : from) {
      out.add(
          new EventResults.OptionResult(
              o.id(),
              word(options.get(question + "/" + o.id()), o.label()),
              o.count(),
              o.share(),
              o.low(),
              o.high()));
    }
    return out;
  }

  private String word(LocalizedText text, String otherwise) {
    return text == null ? otherwise : text.in(lang);
  }
}
