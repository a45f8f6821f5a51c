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
 */
public record Summary(
    String eventId,
    long responses,
    Map<String, Map<String, Long>> byQuestion,
    Optional<EventCatalog.Event> definition) {

  public Summary {
    Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
    byQuestion.forEach(
        (question, options) ->
            copy.put(question, Collections.unmodifiableMap(new LinkedHashMap<>(options))));
    byQuestion = Collections.unmodifiableMap(copy);
  }
}
