// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.workshop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import terrain.core.codec.WireException;
import terrain.core.event.EventDefinition;
import terrain.core.event.WorkshopScript;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;
import terrain.core.workshop.WorkshopState;
import terrain.hub.results.CatchUp;
import terrain.store.RecordStore;
import terrain.store.StoreException;

/**
 * The workshops running in the hub's room, as every tablet's {@code WORKSHOP} records committed in
 * the hub's store fold them (decision 0031). Only events given with {@code --event} whose file has
 * a {@code workshop:} section are followed; the records of others are stored and forwarded as
 * usual. The fold is redone only when a record arrived.
 */
public final class LiveWorkshop {
  private final CatchUp actions;
  private final Map<String, EventDefinition> workshops = new LinkedHashMap<>();
  private final Map<String, List<WorkshopState.Entry>> entries = new HashMap<>();
  private final Map<String, List<Record>> records = new HashMap<>();
  private final Map<String, WorkshopState> folded = new HashMap<>();
  private long undecodable;
  private long version;

  public LiveWorkshop(RecordStore store, List<EventDefinition> definitions) {
    this.actions = new CatchUp(store, RecordKind.WORKSHOP);
    definitions.stream()
        .filter(d -> d.workshop().isPresent())
        .forEach(d -> workshops.put(d.id(), d));
  }

  /** A workshop's state now, and the event it belongs to. */
  public record Room(EventDefinition event, WorkshopState state, long version) {
    public WorkshopScript script() {
      return event.workshop().orElseThrow();
    }
  }

  /**
   * The workshop of {@code eventId}, or when null of the first event with a workshop; empty when
   * the hub was given no such event.
   */
  public synchronized Optional<Room> room(String eventId) throws StoreException {
    actions.next(this::add);
    String chosen =
        eventId != null ? eventId : workshops.keySet().stream().findFirst().orElse(null);
    EventDefinition event = chosen == null ? null : workshops.get(chosen);
    if (event == null) {
      return Optional.empty();
    }
    WorkshopState state =
        folded.computeIfAbsent(
            chosen,
            id ->
                WorkshopState.fold(
                    event.workshop().orElseThrow(), entries.getOrDefault(id, List.of())));
    return Optional.of(new Room(event, state, version));
  }

  /** Every WORKSHOP record of an event's room the hub holds, and the version they are of. */
  public record Snapshot(String eventId, List<Record> records, long version) {}

  /**
   * The rooms, caught up with the store, whose number of records is not the one in {@code known}
   * (event id to records already relayed); rooms without a record are left out.
   */
  public synchronized List<Snapshot> changedSince(Map<String, Integer> known)
      throws StoreException {
    actions.next(this::add);
    List<Snapshot> out = new ArrayList<>();
    for (String id : workshops.keySet()) {
      List<Record> room = records.getOrDefault(id, List.of());
      if (!room.isEmpty() && known.getOrDefault(id, -1) != room.size()) {
        out.add(new Snapshot(id, List.copyOf(room), version));
      }
    }
    return out;
  }

  /** The events with a workshop this hub follows, by id. */
  public synchronized List<String> events() {
    return List.copyOf(workshops.keySet());
  }

  /** How many workshop bodies did not decode (stored, forwarded, never folded). */
  public synchronized long undecodable() {
    return undecodable;
  }

  private void add(Record record) {
    if (!workshops.containsKey(record.eventId())) {
      return;
    }
    WorkshopAction action;
    try {
      action = WorkshopAction.decode(record.body());
    } catch (WireException e) {
      undecodable++;
      return;
    }
    records.computeIfAbsent(record.eventId(), id -> new ArrayList<>()).add(record);
    entries
        .computeIfAbsent(record.eventId(), id -> new ArrayList<>())
        .add(
            new WorkshopState.Entry(
                new ItemRef(record.device(), record.seq()), record.deviceTime(), action));
    folded.remove(record.eventId());
    version++;
  }
}
