// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import terrain.core.event.AnswerOption;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventFileException;
import terrain.core.event.EventLoader;
import terrain.core.event.Poll;
import terrain.core.event.QuestionKind;
import terrain.core.id.EventId;
import terrain.core.id.QuestionId;

/**
 * The event definitions the server knows: those it was started with ({@code --event FILE}) and
 * those published since ({@code POST /api/admin/events}, the latest version of each wins), reduced
 * to what the results need: the title, and the text and options of each question in file order.
 * Without any, results show the ids recorded in the responses. The full definitions are kept too,
 * for the checks of a ticket's briqs, cap and golden draw.
 *
 * <p>Safe to read from any thread while events are published.
 */
public final class EventCatalog {
  /** An answer option of a question. */
  public record Option(String id, String label) {}

  /**
   * A question, with its options in the order of the event file.
   *
   * @param kind how it is answered; the results of a ranking, a map and a text show differently
   * @param maxChoices for a ranking, how many options a resident ranks (for Borda points)
   */
  public record Question(
      String id, String text, List<Option> options, QuestionKind kind, int maxChoices) {
    public Question {
      options = List.copyOf(options);
    }

    /** A question of options counted one by one (single, multiple, scale, yes/no). */
    public Question(String id, String text, List<Option> options) {
      this(id, text, options, QuestionKind.SINGLE, 1);
    }
  }

  /**
   * An event: its id, title and every question of every poll, in file order; the themes of its
   * ideas and the age bands and neighbourhoods of its "who are you" screen (empty when it has
   * none).
   */
  public record Event(
      String id,
      String title,
      List<Question> questions,
      List<Option> themes,
      List<Option> ageBands,
      List<Option> areas) {
    public Event {
      questions = List.copyOf(questions);
      themes = List.copyOf(themes);
      ageBands = List.copyOf(ageBands);
      areas = List.copyOf(areas);
    }

    /** An event without idea themes nor profile. */
    public Event(String id, String title, List<Question> questions) {
      this(id, title, questions, List.of(), List.of(), List.of());
    }

    /** The label of an option among {@code options}, if there. */
    public static Optional<String> label(List<Option> options, String id) {
      return options.stream().filter(o -> o.id().equals(id)).map(Option::label).findFirst();
    }

    /** The question with this id, if the event has one. */
    public Optional<Question> question(QuestionId questionId) {
      return questions.stream().filter(q -> q.id().equals(questionId.value())).findFirst();
    }
  }

  /** Replaced whole (copy on write) when an event is published; read without a lock. */
  private volatile Map<String, Event> events;

  private volatile Map<String, EventDefinition> definitions = Map.of();

  public EventCatalog(List<Event> events) {
    Map<String, Event> byId = new LinkedHashMap<>();
    for (Event event : events) {
      if (byId.putIfAbsent(event.id(), event) != null) {
        throw new IllegalArgumentException(
            "Event id [" + event.id() + "] is defined twice: pass each event file once");
      }
    }
    this.events = byId;
  }

  /** Loads event files; the exception lists every problem of the first bad file. */
  public static EventCatalog load(List<Path> files) throws EventFileException {
    List<EventDefinition> definitions = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    for (Path file : files) {
      EventDefinition definition = EventLoader.load(file);
      definitions.add(definition);
      events.add(of(definition));
    }
    EventCatalog catalog = new EventCatalog(events);
    Map<String, EventDefinition> byId = new LinkedHashMap<>();
    definitions.forEach(d -> byId.put(d.id(), d));
    catalog.definitions = byId;
    return catalog;
  }

  /** Adds an event, or replaces the one with its id (a newer published version). */
  public synchronized void put(EventDefinition definition) {
    Map<String, Event> nextEvents = new LinkedHashMap<>(events);
    nextEvents.put(definition.id(), of(definition));
    Map<String, EventDefinition> nextDefinitions = new LinkedHashMap<>(definitions);
    nextDefinitions.put(definition.id(), definition);
    definitions = nextDefinitions;
    events = nextEvents;
  }

  /** Every full definition the server has, from files or published. */
  public List<EventDefinition> definitions() {
    return List.copyOf(definitions.values());
  }

  /** The full definition of an event from a file or published; empty when unknown. */
  public Optional<EventDefinition> definition(EventId eventId) {
    return Optional.ofNullable(definitions.get(eventId.value()));
  }

  /**
   * The results view of an event definition, in French. Question ids are unique per poll only,
   * while the results count by question id: a question id used again in a later poll shares the
   * counts of the first, which is shown.
   */
  public static Event of(EventDefinition definition) {
    List<Question> questions = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Poll poll : definition.polls()) {
      for (terrain.core.event.Question question : poll.questions()) {
        if (!seen.add(question.id())) {
          continue;
        }
        List<Option> options = new ArrayList<>();
        for (AnswerOption option : question.options()) {
          options.add(new Option(option.id(), option.label().fr()));
        }
        questions.add(
            new Question(
                question.id(),
                question.text().fr(),
                options,
                question.kind(),
                question.maxChoices()));
      }
    }
    return new Event(
        definition.id(),
        definition.title().fr(),
        questions,
        options(definition.ideas().themes()),
        definition.profile().map(p -> options(p.ageBands())).orElse(List.of()),
        definition.profile().map(p -> options(p.areas())).orElse(List.of()));
  }

  private static List<Option> options(List<AnswerOption> from) {
    List<Option> out = new ArrayList<>();
    for (AnswerOption option : from) {
      out.add(new Option(option.id(), option.label().fr()));
    }
    return out;
  }

  public static EventCatalog empty() {
    return new EventCatalog(List.of());
  }

  /** The results view of an event, if the server knows it. */
  public Optional<Event> event(EventId eventId) {
    return Optional.ofNullable(events.get(eventId.value()));
  }

  public List<Event> events() {
    return new ArrayList<>(events.values());
  }
}
