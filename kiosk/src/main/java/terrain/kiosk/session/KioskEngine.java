// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.session;

import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.codec.WireException;
import terrain.core.event.EventDefinition;
import terrain.core.event.Poll;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;
import terrain.core.record.IdeaBody;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.rules.RecordRules;
import terrain.core.ticket.DeviceKeys;
import terrain.core.ticket.IssuingRules;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.TicketCodec;
import terrain.core.ticket.TicketException;
import terrain.core.ticket.TicketRecord;
import terrain.core.workshop.WorkshopAction;
import terrain.enrolment.TrustFiles;
import terrain.kiosk.trust.DeviceTrust;
import terrain.store.Database;
import terrain.store.RecordStore;
import terrain.store.StoreException;

/**
 * The headless participation engine of one kiosk or tablet: its Derby store in a data folder, its
 * device identity, and the sessions in which residents answer polls. The JavaFX screens and {@code
 * simulate} drive the same engine.
 *
 * <p>The device id is the enrolled one ({@link #openEnrolled}); in development it is created on
 * first start ({@code kiosk-} and 6 random characters, or the id given). It is kept in the store's
 * settings, so the data folder <em>is</em> the device: its seq continues across restarts and
 * crashes, and its records keep one identity. The signing key lives in {@code DATA/trust/}, never
 * in the database.
 */
public final class KioskEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KioskEngine.class);

  /** Store setting holding the device id. */
  public static final String DEVICE_ID_SETTING = "kiosk.device-id";

  /** Where older versions kept the device's Ed25519 private key (PKCS#8, base64): moved out. */
  static final String DEVICE_KEY_SETTING = "kiosk.device-key";

  /** Set once the DEVICE_KEY record of the key is committed to the outbox. */
  static final String DEVICE_KEY_SENT_SETTING = "kiosk.device-key-sent";

  /** The folder of the Derby database inside the data folder. */
  public static final String DATABASE_FOLDER = "db";

  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final int ID_RANDOM_CHARS = 6;

  private final Database database;
  private final RecordStore store;
  private final DeviceId deviceId;
  private final DeviceKeys keys;
  private final Clock clock;
  private final Map<EventId, Long> ticketsIssued = new HashMap<>();
  private final List<Consumer<Record>> commitListeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private KioskEngine(
      Database database, RecordStore store, DeviceId deviceId, DeviceKeys keys, Clock clock) {
    this.database = database;
    this.store = store;
    this.deviceId = deviceId;
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * The development key pair ({@code --dev}), which signs the device's tickets: kept in {@code
   * DATA/trust/device-ed25519.pk8} (owner-only), made on first start, and sent to the server as a
   * DEVICE_KEY record (a server in development mode trusts it on first use). A data folder of an
   * older version kept it in the settings table: it moves to the file once and leaves the table.
   */
  private static DeviceKeys loadOrCreateKeys(
      RecordStore store, DeviceId id, Clock clock, Path dataDir) throws StoreException {
    DeviceKeys keys;
    try {
      Optional<DeviceKeys> inFile = DeviceTrust.readKey(dataDir);
      Optional<String> inTable = store.setting(DEVICE_KEY_SETTING);
      if (inFile.isPresent()) {
        keys = inFile.get();
      } else if (inTable.isPresent()) {
        keys = fromTable(inTable.get(), id);
        DeviceTrust.writeKey(dataDir, keys);
        log.info("Moved the signing key of {} from its database to {}", id, keyFile(dataDir));
      } else {
        keys = DeviceKeys.generate(new SecureRandom());
        DeviceTrust.writeKey(dataDir, keys);
        log.warn(
            "Development identity: made a new signing key for {} (public key {}); enrol the"
                + " device before a real event",
            id,
            keys.publicKeyText());
      }
      if (inTable.isPresent()) {
        store.removeSetting(DEVICE_KEY_SETTING);
      }
    } catch (java.io.IOException e) {
      throw new StoreException(
          "The signing key of "
              + id
              + " in "
              + keyFile(dataDir)
              + " cannot be read or written ("
              + e.getMessage()
              + "); fix the folder's permissions, restore it from a backup, or enrol the device",
          e);
    }
    if (store.setting(DEVICE_KEY_SENT_SETTING).isEmpty()) {
      store.append(id, RecordKind.DEVICE_KEY, "", clock.millis(), keys.publicKeyRaw());
      store.setSetting(DEVICE_KEY_SENT_SETTING, "yes");
    }
    return keys;
  }

  private static Path keyFile(Path dataDir) {
    return new TrustFiles(dataDir).file(TrustFiles.KEY);
  }

  private static DeviceKeys fromTable(String base64, DeviceId id) throws StoreException {
    try {
      return DeviceKeys.fromPkcs8(Base64.getDecoder().decode(base64));
    } catch (InvalidKeyException | IllegalArgumentException e) {
      throw new StoreException(
          "The device key stored for "
              + id
              + " is unreadable ("
              + e.getMessage()
              + "); restore the data folder from a backup or enrol the device",
          e);
    }
  }

  /**
   * Opens (or creates) the store of a development device ({@code --dev}) in {@code dataDir} and
   * loads its identity: its id from the store, its key from {@code DATA/trust/}.
   *
   * @param requestedId the id this device must have; on first start it is persisted, later it must
   *     match the persisted one. Empty: keep the persisted id, or make a new random one.
   * @param clock the device clock, stamped on every record
   * @param random draws a new device id
   * @throws StoreException if the database cannot be opened (in use, disk full, permissions)
   * @throws IllegalArgumentException if {@code requestedId} differs from the folder's id
   */
  public static KioskEngine open(
      Path dataDir, Optional<DeviceId> requestedId, Clock clock, RandomGenerator random)
      throws StoreException {
    Database database = Database.open(Database.derbyUrl(dataDir.resolve(DATABASE_FOLDER)));
    RecordStore store = null;
    try {
      store = new RecordStore(database);
      DeviceId id = loadOrCreateId(store, requestedId, random, dataDir);
      DeviceKeys keys = loadOrCreateKeys(store, id, clock, dataDir);
      return new KioskEngine(database, store, id, keys, clock);
    } catch (StoreException | RuntimeException e) {
      if (store != null) {
        store.close();
      }
      database.close();
      throw e;
    }
  }

  /**
   * Opens (or creates) the store of an enrolled device: its id and key are those of its enrolment
   * ({@code DATA/trust/}); a new data folder takes the enrolled id. No DEVICE_KEY record is sent:
   * the server knows the key from the enrolment.
   *
   * @throws IllegalArgumentException if the folder's database belongs to another device
   */
  public static KioskEngine openEnrolled(Path dataDir, DeviceTrust trust, Clock clock)
      throws StoreException {
    Database database = Database.open(Database.derbyUrl(dataDir.resolve(DATABASE_FOLDER)));
    RecordStore store = null;
    try {
      store = new RecordStore(database);
      DeviceId id =
          loadOrCreateId(store, Optional.of(trust.deviceId()), new SecureRandom(), dataDir);
      if (store.setting(DEVICE_KEY_SETTING).isPresent()) {
        store.removeSetting(DEVICE_KEY_SETTING);
        log.info("Removed the development signing key of {} from its database", id);
      }
      if (store.setting(DEVICE_KEY_SENT_SETTING).isEmpty()) {
        store.setSetting(DEVICE_KEY_SENT_SETTING, "enrolled");
      }
      return new KioskEngine(database, store, id, trust.keys(), clock);
    } catch (StoreException | RuntimeException e) {
      if (store != null) {
        store.close();
      }
      database.close();
      throw e;
    }
  }

  /**
   * The device id kept in a data folder's database, empty when it has none (or no database yet).
   * Opens and closes the database: call it before any engine opens the folder.
   */
  public static Optional<DeviceId> storedDeviceId(Path dataDir) throws StoreException {
    if (java.nio.file.Files.notExists(dataDir.resolve(DATABASE_FOLDER))) {
      return Optional.empty();
    }
    Database database = Database.open(Database.derbyUrl(dataDir.resolve(DATABASE_FOLDER)));
    try (RecordStore store = new RecordStore(database)) {
      return store.setting(DEVICE_ID_SETTING).map(DeviceId::of);
    } finally {
      database.close();
    }
  }

  private static DeviceId loadOrCreateId(
      RecordStore store, Optional<DeviceId> requested, RandomGenerator random, Path dataDir)
      throws StoreException {
    Optional<String> kept = store.setting(DEVICE_ID_SETTING);
    if (kept.isPresent()) {
      DeviceId id = DeviceId.of(kept.get());
      if (requested.isPresent() && !requested.get().equals(id)) {
        throw new IllegalArgumentException(
            "Device id ["
                + requested.get()
                + "] does not match the data folder "
                + dataDir
                + ", which belongs to device ["
                + id
                + "]. Pass that id, leave the id out, or use another data folder.");
      }
      return id;
    }
    DeviceId id = requested.orElseGet(() -> newKioskId(random));
    store.setSetting(DEVICE_ID_SETTING, id.value());
    log.info("New device identity {} in {}", id, dataDir);
    return id;
  }

  /** A fresh {@code kiosk-xxxxxx} id, x among lowercase letters and digits. */
  public static DeviceId newKioskId(RandomGenerator random) {
    StringBuilder id = new StringBuilder("kiosk-");
    for (int i = 0; i < ID_RANDOM_CHARS; i++) {
      id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
    }
    return DeviceId.of(id.toString());
  }

  public DeviceId deviceId() {
    return deviceId;
  }

  /** The device's store, e.g. for the sync agent and a staff panel. */
  public RecordStore store() {
    return store;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Calls {@code listener} with every record committed by a session, after the commit (e.g. to wake
   * the sync agent or refresh a counter). A listener that throws is logged and ignored: the record
   * is committed whatever it does.
   */
  public void addCommitListener(Consumer<Record> listener) {
    commitListeners.add(listener);
  }

  public void removeCommitListener(Consumer<Record> listener) {
    commitListeners.remove(listener);
  }

  /**
   * Starts a resident's participation in {@code poll}.
   *
   * @throws IllegalArgumentException if the poll is not one of the event's polls
   * @throws IllegalStateException if the engine is closed
   */
  public ParticipationSession start(EventDefinition event, Poll poll) {
    if (closed) {
      throw new IllegalStateException("Kiosk engine of " + deviceId + " is closed");
    }
    if (!event.poll(poll.pollId()).map(poll::equals).orElse(false)) {
      throw new IllegalArgumentException(
          "Poll [" + poll.id() + "] is not a poll of event [" + event.id() + "]");
    }
    return new ParticipationSession(this, event, poll, clock.instant());
  }

  /** The number of RESPONSE records this device made for an event, pruned ones included. */
  public long responseCount(EventId eventId) throws StoreException {
    return store.count(deviceId, eventId.value(), RecordKind.RESPONSE);
  }

  /**
   * The RESPONSE records this device made for an event on the day of its clock, in the clock's zone
   * (the tablet home's "today" figure).
   */
  public long responsesToday(EventId eventId) throws StoreException {
    ZoneId zone = clock.getZone();
    LocalDate day = LocalDate.now(clock);
    long count = 0;
    for (Record record : store.records(eventId.value(), RecordKind.RESPONSE)) {
      if (record.device().equals(deviceId)
          && Instant.ofEpochMilli(record.deviceTime()).atZone(zone).toLocalDate().equals(day)) {
        count++;
      }
    }
    return count;
  }

  /** Records waiting in the outbox to be sent to the hub. */
  public long pendingCount() throws StoreException {
    return store.pendingCount();
  }

  /**
   * The last ticket issued on this device for an event, read back from its database (staff may
   * reprint it after a restart); empty when there is none.
   *
   * @throws WireException if the stored ticket record is not one
   * @throws TicketException if its code does not parse
   */
  public Optional<SignedTicket> lastTicket(EventId eventId)
      throws StoreException, WireException, TicketException {
    List<Record> tickets = store.records(eventId.value(), RecordKind.TICKET);
    if (tickets.isEmpty()) {
      return Optional.empty();
    }
    Record last = tickets.get(tickets.size() - 1);
    return Optional.of(TicketCodec.parse(TicketRecord.decode(last.body()).code()));
  }

  /** The highest seq this device has committed, 0 before its first record. */
  public long lastSeq() throws StoreException {
    return store.devices().stream()
        .filter(d -> d.device().equals(deviceId))
        .mapToLong(RecordStore.DeviceProgress::upto)
        .findFirst()
        .orElse(0);
  }

  /**
   * A committed participation, the idea left with it if any, and the ticket it earned, if the event
   * gives one.
   */
  record Committed(Record response, Optional<Record> idea, Optional<SignedTicket> ticket) {}

  /**
   * Commits a response and, when the event rewards it, the signed ticket it earns, in one
   * transaction. The ticket's serial is the response's seq, so it is unique on this device.
   */
  synchronized Committed commitResponse(EventDefinition event, ResponseBody body)
      throws StoreException {
    return commitResponse(event, body, Optional.empty(), true);
  }

  /**
   * Commits one participation in one transaction: the RESPONSE record, then the IDEA record if the
   * resident left one, then the one ticket it earns, whose briqs are the event's reward for the
   * response (when {@code answered}) plus its reward for an idea (when there is one).
   *
   * @param answered whether the response holds an answer to a question of the poll (not only the
   *     profile): only then does it earn the response's briqs
   */
  synchronized Committed commitResponse(
      EventDefinition event, ResponseBody body, Optional<IdeaBody> idea, boolean answered)
      throws StoreException {
    if (closed) {
      throw new IllegalStateException("Kiosk engine of " + deviceId + " is closed");
    }
    long now = clock.millis();
    long serial = lastSeq() + 1;
    long issued = ticketsIssued(event.eventId());
    List<String> actions = new ArrayList<>();
    if (answered || idea.isEmpty()) {
      actions.add("response");
    }
    if (idea.isPresent()) {
      actions.add("idea");
    }
    IssuingRules.Issuance issuance =
        new IssuingRules(event)
            .issue(keys, deviceId, serial, issued, actions, Instant.ofEpochMilli(now));
    List<RecordStore.Draft> drafts = new ArrayList<>();
    drafts.add(new RecordStore.Draft(RecordKind.RESPONSE, event.id(), body.encode()));
    idea.ifPresent(i -> drafts.add(new RecordStore.Draft(RecordKind.IDEA, event.id(), i.encode())));
    Optional<SignedTicket> ticket = Optional.empty();
    if (issuance instanceof IssuingRules.Issued granted) {
      SignedTicket signed = TicketCodec.sign(granted.ticket(), keys.privateKey());
      ticket = Optional.of(signed);
      drafts.add(
          new RecordStore.Draft(
              RecordKind.TICKET,
              event.id(),
              new TicketRecord(signed.code(), granted.goldenProof()).encode()));
    } else if (issuance instanceof IssuingRules.NotIssued refused
        && refused.why() == IssuingRules.Why.CAP_REACHED) {
      log.info("No ticket for this participation: {}", refused.message());
    }
    checkRules(drafts, "participation");
    List<Record> records = store.appendAll(deviceId, drafts, now);
    if (ticket.isPresent()) {
      ticketsIssued.put(event.eventId(), issued + 1);
    }
    return new Committed(
        records.get(0), idea.isPresent() ? Optional.of(records.get(1)) : Optional.empty(), ticket);
  }

  /** The most participation tickets one {@link #issueAttendanceTickets} call issues. */
  public static final int MAX_ATTENDANCE_TICKETS = 400;

  /**
   * Pre-issues {@code count} attendance tickets for a workshop's door (decision 0039): each is
   * issued as a participation's ticket is (the same rules, signature and golden draw; its briqs the
   * event's {@code rewards: attendance:}), committed as a TICKET record with its outbox entry, all
   * of them in one transaction. A ticket's serial is its record's seq.
   *
   * @throws IllegalArgumentException if {@code count} is not 1 to {@link #MAX_ATTENDANCE_TICKETS},
   *     the event gives no briq for attendance, or the tickets would pass the per-device cap
   */
  public synchronized List<SignedTicket> issueAttendanceTickets(EventDefinition event, int count)
      throws StoreException {
    if (closed) {
      throw new IllegalStateException("Kiosk engine of " + deviceId + " is closed");
    }
    if (count < 1 || count > MAX_ATTENDANCE_TICKETS) {
      throw new IllegalArgumentException(
          "the number of tickets ["
              + count
              + "] must be 1 to "
              + MAX_ATTENDANCE_TICKETS
              + " (100 A4 sheets of 4)");
    }
    if (event.rewards().briqsFor("attendance") <= 0) {
      throw new IllegalArgumentException(
          "event "
              + event.id()
              + " gives no briq for attendance: add 'rewards: attendance: N' to its event file");
    }
    long issued = ticketsIssued(event.eventId());
    long cap = event.tickets().perDeviceCap();
    if (issued + count > cap) {
      throw new IllegalArgumentException(
          "device "
              + deviceId
              + " has issued "
              + issued
              + " tickets for event "
              + event.id()
              + " and may issue "
              + cap
              + " in all: "
              + Math.max(0, cap - issued)
              + " more at most");
    }
    long now = clock.millis();
    long first = lastSeq() + 1;
    IssuingRules rules = new IssuingRules(event);
    List<SignedTicket> tickets = new ArrayList<>();
    List<RecordStore.Draft> drafts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      IssuingRules.Issuance issuance =
          rules.issue(
              keys, deviceId, first + i, issued + i, "attendance", Instant.ofEpochMilli(now));
      if (!(issuance instanceof IssuingRules.Issued granted)) {
        throw new IllegalStateException("attendance ticket refused: " + issuance);
      }
      SignedTicket signed = TicketCodec.sign(granted.ticket(), keys.privateKey());
      tickets.add(signed);
      drafts.add(
          new RecordStore.Draft(
              RecordKind.TICKET,
              event.id(),
              new TicketRecord(signed.code(), granted.goldenProof()).encode()));
    }
    checkRules(drafts, "sheet of tickets");
    List<Record> records = store.appendAll(deviceId, drafts, now);
    ticketsIssued.put(event.eventId(), issued + count);
    records.forEach(this::committed);
    return tickets;
  }

  /**
   * The same rules as the hub's and the server's (decision 0016): what they would quarantine is not
   * committed, and nobody is thanked for it.
   */
  private static void checkRules(List<RecordStore.Draft> drafts, String what)
      throws StoreException {
    for (RecordStore.Draft draft : drafts) {
      Optional<String> problem = RecordRules.problem(draft.kind(), draft.eventId(), draft.body());
      if (problem.isPresent()) {
        throw new StoreException(
            "This "
                + what
                + " breaks the record rules and is not saved ("
                + draft.kind()
                + ": "
                + problem.get()
                + "). It is a bug of the kiosk or of the event file: report it with this line.");
      }
    }
  }

  /**
   * Commits what this tablet did in a workshop as a WORKSHOP record (decision 0031), with its
   * outbox entry; its identity names the idea or group the action creates.
   */
  public synchronized Record recordWorkshop(EventDefinition event, WorkshopAction action)
      throws StoreException {
    return recordWorkshop(event, List.of(action)).get(0);
  }

  /**
   * Commits several workshop actions in one transaction, in order (a participant's dots on several
   * items: all of them or none), each its own WORKSHOP record with its outbox entry.
   *
   * @throws IllegalArgumentException if there is no action, or one names no phase of the script
   */
  public synchronized List<Record> recordWorkshop(
      EventDefinition event, List<? extends WorkshopAction> actions) throws StoreException {
    if (closed) {
      throw new IllegalStateException("Kiosk engine of " + deviceId + " is closed");
    }
    if (actions.isEmpty()) {
      throw new IllegalArgumentException("No workshop action to record");
    }
    List<RecordStore.Draft> drafts = new ArrayList<>();
    for (WorkshopAction action : actions) {
      if (event.workshop().flatMap(w -> w.phase(action.phaseId())).isEmpty()) {
        throw new IllegalArgumentException(
            "Event " + event.id() + " has no workshop phase " + action.phaseId());
      }
      drafts.add(new RecordStore.Draft(RecordKind.WORKSHOP, event.id(), action.encode()));
    }
    checkRules(drafts, "workshop action");
    List<Record> records = store.appendAll(deviceId, drafts, clock.millis());
    records.forEach(this::committed);
    return records;
  }

  /** The WORKSHOP records this device made for an event, oldest first. */
  public List<Record> ownWorkshopRecords(EventId eventId) throws StoreException {
    return store.records(eventId.value(), RecordKind.WORKSHOP).stream()
        .filter(r -> r.device().equals(deviceId))
        .toList();
  }

  /** A setting of this device kept in its database (e.g. the tablet's workshop role). */
  public Optional<String> setting(String name) throws StoreException {
    return store.setting(name);
  }

  /** Keeps a setting of this device in its database, across restarts. */
  public void setSetting(String name, String value) throws StoreException {
    store.setSetting(name, value);
  }

  private long ticketsIssued(EventId eventId) throws StoreException {
    Long known = ticketsIssued.get(eventId);
    if (known == null) {
      // Pruned tickets count too: the cap holds for the whole event (decision 0024).
      known = store.count(deviceId, eventId.value(), RecordKind.TICKET);
      ticketsIssued.put(eventId, known);
    }
    return known;
  }

  /** The public half of the device's signing key (what the server registers). */
  public java.security.PublicKey publicKey() {
    return keys.publicKey();
  }

  void committed(Record record) {
    for (Consumer<Record> listener : commitListeners) {
      try {
        listener.accept(record);
      } catch (RuntimeException e) {
        log.warn("A commit listener failed on {}: {}", record, e.toString(), e);
      }
    }
  }

  /** Closes the store and shuts its Derby database down. Close the sync agent first. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    store.close();
    database.close();
  }
}
