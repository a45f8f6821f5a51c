// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.workshop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.codec.WireException;
import terrain.core.event.EventDefinition;
import terrain.core.event.WorkshopScript;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.core.wire.WireCodec;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;
import terrain.core.workshop.WorkshopState;
import terrain.kiosk.session.KioskEngine;
import terrain.store.StoreException;

/**
 * One tablet's workshop room: the WORKSHOP records this tablet committed (read from its database at
 * start, then from each commit) together with every record the hub relays for the event's room
 * ({@link Topics#eventWorkshop(String)}, one retained batch of the whole room), folded into a
 * {@link WorkshopState}. Own actions show at once, relayed or not; a tablet that comes back on the
 * Wi-Fi receives the retained batch and converges with the others (decision 0033).
 *
 * <p>Thread-safe: the relay arrives on the MQTT thread, own records on the committing thread.
 * Listeners are called on either, after the change; they bring it to their own thread.
 */
public final class WorkshopRoom {
  private static final Logger log = LoggerFactory.getLogger(WorkshopRoom.class);

  /** The setting that keeps the tablet's role in the room, across restarts. */
  static final String ROLE_SETTING = "tablet.workshop";

  private static final String VOTER_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  /** A tablet heard from in the room's records: its last action, and its table if it sent ideas. */
  public record Tablet(DeviceId device, OptionalInt table, long lastTime, boolean self) {}

  private final KioskEngine engine;
  private final EventDefinition event;
  private final WorkshopScript script;
  private final RandomGenerator random;
  private final Map<ItemRef, WorkshopState.Entry> own = new LinkedHashMap<>();
  private final Map<ItemRef, WorkshopState.Entry> relayed = new HashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private WorkshopState folded;
  private long lastRelay;
  private int refused;

  /**
   * Reads this tablet's own WORKSHOP records of the event and follows its next commits.
   *
   * @param random draws the participants' anonymous vote tokens
   * @throws IllegalArgumentException if the event has no workshop
   */
  public WorkshopRoom(KioskEngine engine, EventDefinition event, RandomGenerator random)
      throws StoreException {
    this.engine = Objects.requireNonNull(engine, "engine must not be null");
    this.event = Objects.requireNonNull(event, "event must not be null");
    this.script =
        event
            .workshop()
            .orElseThrow(
                () -> new IllegalArgumentException("Event " + event.id() + " has no workshop"));
    this.random = Objects.requireNonNull(random, "random must not be null");
    for (Record record : engine.ownWorkshopRecords(event.eventId())) {
      entry(record).ifPresent(e -> own.put(e.id(), e));
    }
    engine.addCommitListener(this::committed);
  }

  /** The topic this room is relayed on. */
  public String topic() {
    return Topics.eventWorkshop(event.id());
  }

  public EventDefinition event() {
    return event;
  }

  public WorkshopScript script() {
    return script;
  }

  public DeviceId deviceId() {
    return engine.deviceId();
  }

  /** Millis of this tablet's clock (the timer's clock, like its records'). */
  public long now() {
    return engine.clock().millis();
  }

  /** Calls {@code listener} after every change of the room (any thread). */
  public void addListener(Runnable listener) {
    listeners.add(listener);
  }

  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  /** The room as this tablet knows it now. */
  public synchronized WorkshopState state() {
    if (folded == null) {
      List<WorkshopState.Entry> all = new ArrayList<>(relayed.values());
      all.addAll(own.values());
      folded = WorkshopState.fold(script, all);
    }
    return folded;
  }

  /**
   * Commits actions of this tablet (one transaction) and folds them in at once.
   *
   * @return the identities of the records, which name the idea or group an action creates
   */
  public List<ItemRef> record(List<? extends WorkshopAction> actions) throws StoreException {
    List<ItemRef> ids = new ArrayList<>();
    for (Record record : engine.recordWorkshop(event, actions)) {
      ids.add(new ItemRef(record.device(), record.seq()));
    }
    return ids;
  }

  /** {@link #record(List)} of one action. */
  public ItemRef record(WorkshopAction action) throws StoreException {
    return record(List.of(action)).get(0);
  }

  /**
   * The hub's relay: one batch of every WORKSHOP record of the room. Records of another kind or
   * event, and actions that do not decode, are left out (and counted); what was relayed before
   * stays, since records never change.
   *
   * @throws WireException if the message is not a batch
   */
  public void relayed(String topic, byte[] payload) throws WireException {
    Batch batch = WireCodec.decodeBatch(payload);
    int added = 0;
    int bad = 0;
    synchronized (this) {
      for (Record record : batch.records()) {
        if (record.kind() != RecordKind.WORKSHOP || !record.eventId().equals(event.id())) {
          bad++;
          continue;
        }
        Optional<WorkshopState.Entry> entry = entry(record);
        if (entry.isEmpty()) {
          bad++;
        } else if (relayed.put(entry.get().id(), entry.get()) == null
            && !own.containsKey(entry.get().id())) {
          added++; // this tablet's own records coming back change nothing
        }
      }
      lastRelay = now();
      refused += bad;
      if (added > 0) {
        folded = null;
      }
    }
    if (bad > 0) {
      log.warn("Workshop relay of {}: {} records left out (not this room's)", event.id(), bad);
    }
    changed();
  }

  /** When the hub's relay last arrived (this tablet's clock), empty before the first. */
  public synchronized Optional<Long> lastRelay() {
    return lastRelay == 0 ? Optional.empty() : Optional.of(lastRelay);
  }

  /** Relayed records left out because they were not this room's workshop actions. */
  public synchronized int refused() {
    return refused;
  }

  /** The tablets heard from in the room's records, this one included once it acted. */
  public synchronized List<Tablet> tablets() {
    Map<DeviceId, Long> last = new TreeMap<>();
    Map<DeviceId, Integer> tables = new HashMap<>();
    List<WorkshopState.Entry> all = new ArrayList<>(relayed.values());
    all.addAll(own.values());
    for (WorkshopState.Entry e : all) {
      last.merge(e.id().device(), e.deviceTime(), Math::max);
      if (e.action() instanceof WorkshopAction.Idea idea) {
        tables.put(e.id().device(), idea.table());
      }
    }
    List<Tablet> tablets = new ArrayList<>();
    last.forEach(
        (device, time) ->
            tablets.add(
                new Tablet(
                    device,
                    tables.containsKey(device)
                        ? OptionalInt.of(tables.get(device))
                        : OptionalInt.empty(),
                    time,
                    device.equals(engine.deviceId()))));
    return tablets;
  }

  /** How many participants voted on this tablet in a phase (the next one is this plus one). */
  public synchronized int ownVoters(String phaseId) {
    Set<String> voters = new HashSet<>();
    for (WorkshopState.Entry e : own.values()) {
      if (e.action() instanceof WorkshopAction.Vote vote && vote.phaseId().equals(phaseId)) {
        voters.add(vote.voter());
      }
    }
    return voters.size();
  }

  /** A fresh anonymous token for a participant's dots: {@code p-} and 12 random characters. */
  public String newVoter() {
    StringBuilder voter = new StringBuilder("p-");
    synchronized (random) {
      for (int i = 0; i < 12; i++) {
        voter.append(VOTER_ALPHABET.charAt(random.nextInt(VOTER_ALPHABET.length())));
      }
    }
    return voter.toString();
  }

  /** The role and language kept for this event ({@link #keepRole}), empty if none. */
  public Optional<String> keptRole() throws StoreException {
    return engine
        .setting(ROLE_SETTING)
        .filter(v -> v.startsWith(event.id() + " "))
        .map(v -> v.substring(event.id().length() + 1));
  }

  /** Keeps the tablet's role in the room (and its language) for the next start; empty: none. */
  public void keepRole(String role) throws StoreException {
    engine.setSetting(ROLE_SETTING, role.isEmpty() ? "" : event.id() + " " + role);
  }

  private void committed(Record record) {
    if (record.kind() != RecordKind.WORKSHOP || !record.eventId().equals(event.id())) {
      return;
    }
    Optional<WorkshopState.Entry> entry = entry(record);
    if (entry.isEmpty()) {
      return;
    }
    synchronized (this) {
      own.put(entry.get().id(), entry.get());
      folded = null;
    }
    changed();
  }

  private void changed() {
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        log.warn("A workshop listener failed: {}", e.toString(), e);
      }
    }
  }

  private static Optional<WorkshopState.Entry> entry(Record record) {
    try {
      return Optional.of(
          new WorkshopState.Entry(
              new ItemRef(record.device(), record.seq()),
              record.deviceTime(),
              WorkshopAction.decode(record.body())));
    } catch (WireException | IllegalArgumentException e) {
      log.warn("Workshop record {}:{} left out: {}", record.device(), record.seq(), e.getMessage());
      return Optional.empty();
    }
  }
}
