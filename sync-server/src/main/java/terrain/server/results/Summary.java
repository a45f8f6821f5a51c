// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The results of one event: how many responses were counted, and per question how many times each
 * option was chosen.
 *
 * @param byQuestion question id to option id to count, in event-file order when the event is
 *     defined (with every option, 0 where nobody chose it), otherwise in id order
 * @param definition the event's definition when the server was given its file
 * @param ageBands who took part: participations per age band (from the "who are you" screen), in
 *     event-file order when defined, with 0 for bands nobody chose; empty when nobody answered
 * @param areas the same per neighbourhood
 */
public record Summary(
    String eventId,
    long responses,
    Map<String, Map<String, Long>> byQuestion,
    Optional<EventCatalog.Event> definition,
    Map<String, Long> ageBands,
    Map<String, Long> areas) {

  public Summary {
    Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
    byQuestion.forEach(
        (question, options) ->
            copy.put(question, Collections.unmodifiableMap(new LinkedHashMap<>(options))));
    byQuestion = Collections.unmodifiableMap(copy);
    ageBands = Collections.unmodifiableMap(new LinkedHashMap<>(ageBands));
    areas = Collections.unmodifiableMap(new LinkedHashMap<>(areas));
  }

  /** Results without any "who are you" answer. */
  public Summary(
      String eventId,
      long responses,
      Map<String, Map<String, Long>> byQuestion,
      Optional<EventCatalog.Event> definition) {
    this(eventId, responses, byQuestion, definition, Map.of(), Map.of());
  }

  /** How many participations gave an age band. */
  public long withAgeBand() {
    return ageBands.values().stream().mapToLong(Long::longValue).sum();
  }

  /** How many participations gave a neighbourhood. */
  public long withArea() {
    return areas.values().stream().mapToLong(Long::longValue).sum();
  }
}
