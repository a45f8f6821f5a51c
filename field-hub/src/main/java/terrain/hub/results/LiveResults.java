// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import terrain.core.codec.WireException;
import terrain.core.event.EventDefinition;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.results.Tally;
import terrain.store.RecordStore;
import terrain.store.StoreException;

/**
 * The hub's live results: every event's responses tallied in memory from the hub's own store, as
 * they arrive, with no server.
 *
 * <p>Each read first catches up: per device, the records between what was tallied and the store's
 * frontier ({@code upto}: every record up to it is committed, and never changes) are read and
 * decoded once, in chunks. A refresh with nothing new costs one small query; a 20-kiosk day of
 * 20,000 records is decoded once in all, not at every refresh. Records above a gap in a device's
 * sequence wait until the gap fills, as the frontier does. After a restart the first read tallies
 * the store again from the start.
 */
public final class LiveResults {
  private final CatchUp responses;
  private final Map<String, EventDefinition> definitions;
  private final Map<String, Tally> tallies = new TreeMap<>();
  private long undecodable;
  private long version;
  private Map<String, Tally.Counts> snapshot = Map.of();
  private long snapshotVersion = -1;

  /**
   * @param definitions the events the hub was given files for, for titles and labels
   */
  public LiveResults(RecordStore store, List<EventDefinition> definitions) {
    this.responses = new CatchUp(store, RecordKind.RESPONSE);
    Map<String, EventDefinition> byId = new LinkedHashMap<>();
    definitions.forEach(d -> byId.put(d.id(), d));
    this.definitions = byId;
  }

  /** One event's counts and definition, as of {@code version}. */
  public record Event(
      String eventId,
      Optional<EventDefinition> definition,
      Tally.Counts counts,
      long version,
      List<String> events) {}

  /**
   * The results of {@code eventId}, or when null of the first event given with {@code --event},
   * else of the event with the most responses; empty when the hub knows no event at all.
   */
  public synchronized Optional<Event> event(String eventId) throws StoreException {
    Map<String, Tally.Counts> counts = current();
    List<String> events = new ArrayList<>(definitions.keySet());
    counts.keySet().stream().filter(id -> !definitions.containsKey(id)).forEach(events::add);
    String chosen = eventId;
    if (chosen == null) {
      chosen =
          definitions.keySet().stream()
              .findFirst()
              .or(
                  () ->
                      counts.entrySet().stream()
                          .max(Comparator.comparingLong(e -> e.getValue().responses()))
                          .map(Map.Entry::getKey))
              .orElse(null);
    }
    if (chosen == null || !events.contains(chosen)) {
      return Optional.empty();
    }
    return Optional.of(
        new Event(
            chosen,
            Optional.ofNullable(definitions.get(chosen)),
            counts.getOrDefault(chosen, Tally.Counts.empty()),
            version,
            List.copyOf(events)));
  }

  /** The events given with {@code --event}, by id. */
  public Map<String, EventDefinition> definitions() {
    return java.util.Collections.unmodifiableMap(definitions);
  }

  /** How many response bodies did not decode (stored, forwarded, never counted). */
  public synchronized long undecodable() {
    return undecodable;
  }

  /** The counts of every event, caught up with the store. */
  private Map<String, Tally.Counts> current() throws StoreException {
    responses.next(this::add);
    if (snapshotVersion != version) {
      Map<String, Tally.Counts> next = new LinkedHashMap<>();
      tallies.forEach((id, tally) -> next.put(id, tally.snapshot()));
      snapshot = next;
      snapshotVersion = version;
    }
    return snapshot;
  }

  private void add(Record record) {
    ResponseBody body;
    try {
      body = ResponseBody.decode(record.body());
    } catch (WireException | RuntimeException e) {
      undecodable++;
      return;
    }
    tallies.computeIfAbsent(record.eventId(), id -> new Tally()).add(body);
    version++;
  }
}
