// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.workshop;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import terrain.core.event.WorkshopPhase;
import terrain.core.record.DeviceId;
import terrain.core.record.RecordKind;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;
import terrain.core.workshop.WorkshopState;
import terrain.store.RecordStore;
import terrain.store.StoreException;

/**
 * Dot-voting from a participant's phone on the hub's Wi-Fi (decision 0034). The hub is the author
 * of these votes: each ballot becomes {@code WORKSHOP} Vote records of the hub's own identity,
 * {@code (hubId, seq)} with the seq of the hub store's own frontier, committed with their outbox
 * entry in one transaction like a kiosk's ({@link RecordStore#appendAll}); the uplink forwards them
 * as any device's records and the server stores each identity once. A phone is one voter (the token
 * in its cookie); a new ballot replaces the previous one: dots taken off first, then the new ones,
 * so the fold (which sets, never adds) accepts every step.
 */
public final class PhoneVote {
  private final LiveWorkshop workshop;
  private final RecordStore store;
  private final DeviceId hubId;
  private final Clock clock;
  private final Runnable committed;
  private long lastTime;

  /**
   * @param committed runs after a ballot was committed: wakes the relay and the uplink
   */
  public PhoneVote(
      LiveWorkshop workshop, RecordStore store, DeviceId hubId, Clock clock, Runnable committed) {
    this.workshop = Objects.requireNonNull(workshop, "workshop must not be null");
    this.store = Objects.requireNonNull(store, "store must not be null");
    this.hubId = Objects.requireNonNull(hubId, "hubId must not be null");
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    this.committed = Objects.requireNonNull(committed, "committed must not be null");
  }

  /** What a phone may vote on now: the vote phase, its rules, the items and this voter's dots. */
  public record Ballot(
      LiveWorkshop.Room room,
      WorkshopPhase phase,
      WorkshopPhase.Vote rules,
      List<WorkshopState.Ranked> items,
      Map<ItemRef, List<String>> contents,
      Map<ItemRef, Integer> mine) {
    public int placed() {
      return mine.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /** Why a phone cannot vote now, or what its ballot did. */
  public sealed interface Outcome {
    /** The hub follows no such workshop. */
    record NoWorkshop() implements Outcome {}

    /** No vote phase is running: the phase that is (empty before the start), finished or not. */
    record Closed(Optional<WorkshopPhase> phase) implements Outcome {}

    /** The vote is open: what the phone may show. */
    record Open(Ballot ballot) implements Outcome {}

    /** The ballot breaks a rule: more dots than given, more than the cap on one item. */
    record TooMany(Ballot ballot, int placed, Map<ItemRef, Integer> wanted) implements Outcome {}

    /** The ballot names an item that is not in the vote (groups changed since the page). */
    record Stale(Ballot ballot) implements Outcome {}

    /** Recorded: {@code records} new Vote records (0 when the ballot was already this). */
    record Recorded(Ballot ballot, int records) implements Outcome {}
  }

  /** What {@code voter} sees now in the workshop of {@code eventId} (null: the hub's first). */
  public synchronized Outcome ballot(String eventId, String voter) throws StoreException {
    Optional<LiveWorkshop.Room> room = workshop.room(eventId);
    if (room.isEmpty()) {
      return new Outcome.NoWorkshop();
    }
    return open(room.get(), voter).<Outcome>map(Outcome.Open::new).orElse(closed(room.get()));
  }

  /**
   * Records {@code wanted} (item to dots, items left out have none) as {@code voter}'s ballot in
   * the vote phase {@code phaseId}, replacing any earlier one.
   */
  public synchronized Outcome vote(
      String eventId, String voter, String phaseId, Map<ItemRef, Integer> wanted)
      throws StoreException {
    Optional<LiveWorkshop.Room> found = workshop.room(eventId);
    if (found.isEmpty()) {
      return new Outcome.NoWorkshop();
    }
    Optional<Ballot> open = open(found.get(), voter);
    if (open.isEmpty() || !open.get().phase().id().equals(phaseId)) {
      return open.isEmpty() ? closed(found.get()) : new Outcome.Stale(open.get());
    }
    Ballot ballot = open.get();
    List<ItemRef> items = ballot.items().stream().map(WorkshopState.Ranked::id).toList();
    int placed = 0;
    for (Map.Entry<ItemRef, Integer> dot : wanted.entrySet()) {
      if (!items.contains(dot.getKey())) {
        return new Outcome.Stale(ballot);
      }
      if (dot.getValue() < 0 || dot.getValue() > ballot.rules().capPerItem()) {
        return new Outcome.TooMany(ballot, placed + dot.getValue(), wanted);
      }
      placed += dot.getValue();
    }
    if (placed > ballot.rules().dots()) {
      return new Outcome.TooMany(ballot, placed, wanted);
    }
    // Dots taken off first, then those added: at every step the voter holds at most their dots.
    List<RecordStore.Draft> down = new ArrayList<>();
    List<RecordStore.Draft> up = new ArrayList<>();
    String event = found.get().event().id();
    for (Map.Entry<ItemRef, Integer> had : ballot.mine().entrySet()) {
      int now = wanted.getOrDefault(had.getKey(), 0);
      if (now < had.getValue()) {
        down.add(draft(event, phaseId, voter, had.getKey(), now));
      }
    }
    for (Map.Entry<ItemRef, Integer> dot : wanted.entrySet()) {
      if (dot.getValue() > ballot.mine().getOrDefault(dot.getKey(), 0)) {
        up.add(draft(event, phaseId, voter, dot.getKey(), dot.getValue()));
      }
    }
    down.addAll(up);
    if (down.isEmpty()) {
      return new Outcome.Recorded(ballot, 0);
    }
    // The fold orders by time then seq: one time for the ballot, never before the previous one.
    lastTime = Math.max(clock.millis(), lastTime + 1);
    store.appendAll(hubId, down, lastTime);
    committed.run();
    Ballot after = open(workshop.room(eventId).orElseThrow(), voter).orElse(ballot);
    return new Outcome.Recorded(after, down.size());
  }

  private static RecordStore.Draft draft(
      String event, String phaseId, String voter, ItemRef item, int dots) {
    return new RecordStore.Draft(
        RecordKind.WORKSHOP, event, new WorkshopAction.Vote(phaseId, voter, item, dots).encode());
  }

  private Optional<Ballot> open(LiveWorkshop.Room room, String voter) {
    WorkshopState state = room.state();
    WorkshopState.Clock timer = state.clock(clock.millis());
    Optional<WorkshopPhase> phase = timer.phaseId().flatMap(room.script()::phase);
    if (phase.isEmpty() || phase.get().vote().isEmpty() || timer.finished()) {
      return Optional.empty();
    }
    String id = phase.get().id();
    List<WorkshopState.Ranked> items = new ArrayList<>();
    Map<ItemRef, List<String>> contents = new LinkedHashMap<>();
    for (WorkshopState.Group group : state.groups()) {
      items.add(new WorkshopState.Ranked(group.id(), group.title(), true, 0));
      contents.put(group.id(), group.ideas().stream().map(WorkshopState.Idea::text).toList());
    }
    for (WorkshopState.Idea idea : state.ungrouped()) {
      items.add(new WorkshopState.Ranked(idea.id(), idea.text(), false, 0));
    }
    return Optional.of(
        new Ballot(
            room,
            phase.get(),
            phase.get().vote().orElseThrow(),
            List.copyOf(items),
            contents,
            new LinkedHashMap<>(state.dotsOf(id, voter))));
  }

  private static Outcome closed(LiveWorkshop.Room room) {
    WorkshopState.Clock timer = room.state().clock(0);
    return new Outcome.Closed(timer.phaseId().flatMap(room.script()::phase));
  }
}
