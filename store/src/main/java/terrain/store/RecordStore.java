// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import terrain.core.codec.WireException;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBodies;
import terrain.core.rules.QuarantineNotice;
import terrain.core.rules.RecordRules;

/**
 * The durable record store of a node, shared by kiosk, hub and server.
 *
 * <p>For each device it keeps two marks in table {@code frontier}: {@code upto}, the highest seq
 * such that every record 1..upto is committed here, and {@code forwarded}, the highest seq the next
 * hop has acknowledged. The <em>outbox</em> of a node is therefore the records with {@code
 * forwarded < seq <= upto}: a kiosk's {@link #append} commits the record and moves {@code upto} in
 * one transaction (record and outbox entry together), and {@link #acknowledged} marks entries done
 * only on the next hop's application ack.
 *
 * <p>One connection, used under this object's lock: Derby embedded is fastest with a single writer,
 * and a node writes from one thread at a time anyway.
 */
public final class RecordStore implements AutoCloseable {
  /** Called inside the accepting transaction with the records that were new, to derive data. */
  @FunctionalInterface
  public interface InsertHook {
    void inserted(Connection connection, List<Record> inserted) throws SQLException;

    /**
     * As {@link #inserted(Connection, List)}, with the batch's response bodies as the record rules
     * decoded them: a hook that reads bodies decodes them through {@code bodies}, once per batch
     * for all hooks (decision 0044). By default, the bodies are not used.
     */
    default void inserted(Connection connection, List<Record> inserted, ResponseBodies bodies)
        throws SQLException {
      inserted(connection, inserted);
    }

    /**
     * The SQL this hook runs in {@link #inserted}, each text exactly as the hook prepares it, so
     * that {@link RecordStore#prepareAccept} compiles them before the first batch. A text missing
     * here is compiled by the first batch that needs it, as before.
     */
    default List<String> statements() {
      return List.of();
    }

    InsertHook NONE = (connection, inserted) -> {};

    /**
     * {@code hooks} one after the other in the same transaction, given the same decoded bodies (a
     * hook that does not read them ignores them); their statements together.
     */
    static InsertHook all(List<InsertHook> hooks) {
      List<InsertHook> each = List.copyOf(hooks);
      return new BodiesHook() {
        @Override
        public void inserted(Connection connection, List<Record> inserted, ResponseBodies bodies)
            throws SQLException {
          for (InsertHook hook : each) {
            hook.inserted(connection, inserted, bodies);
          }
        }

        @Override
        public List<String> statements() {
          return each.stream().flatMap(hook -> hook.statements().stream()).toList();
        }
      };
    }
  }

  /**
   * A hook that reads the batch's response bodies: called without them (outside an accept), it
   * decodes them itself.
   */
  public interface BodiesHook extends InsertHook {
    @Override
    default void inserted(Connection connection, List<Record> inserted) throws SQLException {
      inserted(connection, inserted, new ResponseBodies());
    }

    @Override
    void inserted(Connection connection, List<Record> inserted, ResponseBodies bodies)
        throws SQLException;
  }

  /**
   * What one {@link #accept} did. {@code upTo} is what to acknowledge to the sender; {@code
   * quarantined} are the records this call put in {@code rejected_records} (decision 0016), each
   * counted in {@code inserted} through the notice that stands in for it.
   */
  public record AcceptResult(
      Map<DeviceId, Long> upTo,
      int inserted,
      int duplicates,
      int conflicts,
      List<Rejected> quarantined) {
    public AcceptResult {
      quarantined = List.copyOf(quarantined);
    }

    /** A result without quarantined records. */
    public AcceptResult(Map<DeviceId, Long> upTo, int inserted, int duplicates, int conflicts) {
      this(upTo, inserted, duplicates, conflicts, List.of());
    }
  }

  /**
   * How a hop screens the records it receives (decision 0016): a record that fails {@code rules},
   * or that the database refuses (a data or constraint error, found by storing the batch record by
   * record), is quarantined under the name {@code hop}: kept with its reason in {@code
   * rejected_records} (a table of the hub's and the server's migrations), replaced in {@code
   * records} by a {@link RecordKind#QUARANTINED} notice so that the device's frontier moves over
   * it, and acknowledged. The notice travels on; the record never does.
   *
   * @param rules why a record cannot be stored, or empty; {@link RecordRules#problem} at every hop
   */
  public record Quarantine(DeviceId hop, Function<Record, Optional<String>> rules) {
    public Quarantine {
      Objects.requireNonNull(hop, "Quarantine hop must not be null");
      Objects.requireNonNull(rules, "Quarantine rules must not be null");
    }

    /** The rules every hop applies. */
    public static Quarantine of(DeviceId hop) {
      return new Quarantine(hop, RULES);
    }

    /** The rules every hop applies, as {@link #of} gives them. */
    private static final Function<Record, Optional<String>> RULES = RecordRules::problem;

    /** Why {@code record} fails the rules; {@link #of}'s rules decode through {@code bodies}. */
    Optional<String> problem(Record record, ResponseBodies bodies) {
      return rules == RULES ? RecordRules.problem(record, bodies) : rules.apply(record);
    }
  }

  /**
   * A record quarantined by a hop: this one ({@code hop} is this node) or an earlier one (its
   * notice arrived in place of the record, whose body stayed there).
   *
   * @param receivedTime when this node received it (or its notice)
   */
  public record Rejected(
      DeviceId device,
      long seq,
      RecordKind kind,
      String eventId,
      DeviceId hop,
      String reason,
      long receivedTime) {}

  /** What stands in for the record {@code original} that {@code hop} quarantined, and why. */
  private record Rejection(Record original, Record notice, String reason, DeviceId hop) {}

  private record Identity(DeviceId device, long seq) {
    static Identity of(Record record) {
      return new Identity(record.device(), record.seq());
    }
  }

  /** How far a device's records got: committed here, acknowledged by the next hop. */
  public record DeviceProgress(DeviceId device, long upto, long forwarded, long lastSeen) {
    public long pending() {
      return upto - forwarded;
    }
  }

  /** A record that arrived with the identity of a kept record but different content. */
  public record Conflict(
      DeviceId device,
      long seq,
      RecordKind kind,
      String eventId,
      long keptHash,
      long receivedHash,
      long receivedTime) {}

  private static final int MAX_ATTEMPTS = 5;

  private final Database database;
  private final Connection connection;
  private final OutboxTail tail;

  /** A store that reads its outbox from the database alone: a server, which forwards nothing. */
  public RecordStore(Database database) throws StoreException {
    this(database, 0);
  }

  /**
   * A store that also keeps its outbox's records committed by this process, until they are
   * acknowledged, in memory (decision 0071): {@link #pending} serves them without reading rows
   * back.
   *
   * @param outboxMemory the bytes of records held at most ({@link #outboxHeld}); 0 holds none
   */
  public RecordStore(Database database, long outboxMemory) throws StoreException {
    this.database = database;
    this.tail = new OutboxTail(outboxMemory);
    try {
      // Kept for the store's life: outside the pool, where it would count as a leak.
      this.connection = database.connectDedicated();
    } catch (SQLException e) {
      throw StoreException.of("connecting to " + database.url(), e);
    }
  }

  public Database database() {
    return database;
  }

  /** The outbox's records held in memory ({@link #RecordStore(Database, long)}), and their cost. */
  public record OutboxHeld(long records, long bytes) {}

  public synchronized OutboxHeld outboxHeld() {
    return new OutboxHeld(tail.records(), tail.bytes());
  }

  /**
   * Compiles what {@link #accept} and {@code hook} run, before the first batch arrives (decision
   * 0062). Derby turns a statement into a Java class the first time it is prepared and keeps it in
   * a statement cache that every connection to the database shares: without this, a server's first
   * batch after a start compiled some twenty-five statements while its sender waited. On PostgreSQL
   * a prepare is the driver's own and costs next to nothing. Returns how many distinct texts were
   * prepared.
   *
   * @throws StoreException a statement does not compile: the schema and the code disagree, and
   *     every batch would fail on it
   */
  public synchronized int prepareAccept(InsertHook hook) throws StoreException {
    Set<String> texts = new LinkedHashSet<>(ACCEPT_STATEMENTS);
    texts.addAll(hook.statements());
    try {
      for (String sql : texts) {
        connection.prepareStatement(sql).close();
      }
      connection.commit();
    } catch (SQLException e) {
      throw failed("compiling the statements batches are stored with", e);
    }
    return texts.size();
  }

  public synchronized Optional<String> setting(String name) throws StoreException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT setting_value FROM settings WHERE name = ?")) {
      select.setString(1, name);
      try (ResultSet rs = select.executeQuery()) {
        Optional<String> value = rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        connection.commit();
        return value;
      }
    } catch (SQLException e) {
      throw failed("reading setting " + name, e);
    }
  }

  public synchronized void setSetting(String name, String value) throws StoreException {
    try (PreparedStatement update =
            connection.prepareStatement("UPDATE settings SET setting_value = ? WHERE name = ?");
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO settings (name, setting_value) VALUES (?, ?)")) {
      update.setString(1, value);
      update.setString(2, name);
      if (update.executeUpdate() == 0) {
        insert.setString(1, name);
        insert.setString(2, value);
        insert.executeUpdate();
      }
      connection.commit();
    } catch (SQLException e) {
      throw failed("writing setting " + name, e);
    }
  }

  /** Deletes a setting; nothing happens when there is none. */
  public synchronized void removeSetting(String name) throws StoreException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM settings WHERE name = ?")) {
      delete.setString(1, name);
      delete.executeUpdate();
      connection.commit();
    } catch (SQLException e) {
      throw failed("deleting setting " + name, e);
    }
  }

  /** The content of a record this device is about to create; {@link #appendAll} gives it a seq. */
  public record Draft(RecordKind kind, String eventId, byte[] body) {}

  /**
   * Commits a new record of this device with the next seq, and its outbox entry, in one
   * transaction. When this returns, a power cut loses nothing.
   */
  public Record append(DeviceId self, RecordKind kind, String eventId, long deviceTime, byte[] body)
      throws StoreException {
    return appendAll(self, List.of(new Draft(kind, eventId, body)), deviceTime).get(0);
  }

  /**
   * Commits several new records of this device (e.g. a response and the ticket it earned) with
   * consecutive seqs in one transaction: all of them or none.
   */
  public synchronized List<Record> appendAll(DeviceId self, List<Draft> drafts, long deviceTime)
      throws StoreException {
    if (drafts.isEmpty()) {
      return List.of();
    }
    try {
      try (PreparedStatement bump =
          connection.prepareStatement(
              "UPDATE frontier SET upto = upto + ?, last_seen = ? WHERE device_id = ?")) {
        bump.setLong(1, drafts.size());
        bump.setLong(2, deviceTime);
        bump.setString(3, self.value());
        if (bump.executeUpdate() == 0) {
          insertFrontier(self, drafts.size(), deviceTime);
        }
      }
      long seq = upto(self) - drafts.size();
      List<Record> records = new ArrayList<>(drafts.size());
      try (PreparedStatement insert = connection.prepareStatement(INSERT_RECORD)) {
        for (Draft draft : drafts) {
          Record record =
              new Record(self, ++seq, draft.kind(), draft.eventId(), deviceTime, 0, draft.body());
          bindRecord(insert, record, deviceTime);
          insert.addBatch();
          records.add(record);
        }
        insert.executeBatch();
      }
      connection.commit();
      tail.add(records);
      return records;
    } catch (SQLException e) {
      throw failed("saving " + drafts.size() + " new record(s)", e);
    }
  }

  /**
   * Stores records received from the previous hop, idempotently, in one transaction: a record
   * already here with the same content is skipped, one with different content is kept aside as a
   * conflict. Returns, per device, the seq up to which everything is now committed here.
   *
   * @param stampHubTime true on a field hub: records get {@code receivedTime} as their hub time
   */
  public synchronized AcceptResult accept(
      List<Record> records, long receivedTime, boolean stampHubTime, InsertHook hook)
      throws StoreException {
    try {
      return commit(records, receivedTime, stampHubTime, hook, Map.of(), new ResponseBodies());
    } catch (SQLException e) {
      throw StoreException.of("storing " + records.size() + " received records", e);
    }
  }

  /**
   * As {@link #accept(List, long, boolean, InsertHook)}, and no record can stall the batch: those
   * that fail the rules, and those the database refuses, are quarantined (see {@link Quarantine})
   * and acknowledged with the others. When the whole batch fails with a data or constraint error,
   * it is stored again record by record, each in its own transaction, to find the culprits. Any
   * other failure (the database gone, the disk full) quarantines nothing: nothing is acknowledged
   * and the sender sends again, as without a quarantine.
   */
  public AcceptResult accept(
      List<Record> records,
      long receivedTime,
      boolean stampHubTime,
      InsertHook hook,
      Quarantine quarantine)
      throws StoreException {
    return accept(screen(records, quarantine), receivedTime, stampHubTime, hook);
  }

  /**
   * A batch screened by a {@link Quarantine}'s rules ({@link #screen}), ready for {@link
   * #accept(Screened, long, boolean, InsertHook)}: the records with those that failed replaced by
   * their notices, and the bodies the rules decoded.
   */
  public static final class Screened {
    private final List<Record> records;
    private final List<Record> screened;
    private final Map<Identity, Rejection> rejections;
    private final ResponseBodies bodies;
    private final Quarantine quarantine;

    private Screened(
        List<Record> records,
        List<Record> screened,
        Map<Identity, Rejection> rejections,
        ResponseBodies bodies,
        Quarantine quarantine) {
      this.records = records;
      this.screened = screened;
      this.rejections = rejections;
      this.bodies = bodies;
      this.quarantine = quarantine;
    }

    /** The records as received, before screening. */
    public List<Record> records() {
      return records;
    }
  }

  /**
   * Screens {@code records} by {@code quarantine}'s rules, decoding their bodies once for the rules
   * and the hooks. Touches no database and takes no lock: a receiver screens the next batch while
   * the store commits the one before (decision 0056).
   */
  public static Screened screen(List<Record> records, Quarantine quarantine) {
    Map<Identity, Rejection> rejections = new HashMap<>();
    List<Record> screened = new ArrayList<>(records.size());
    // Decoded once for the rules and every hook, whichever attempt or path commits the batch.
    ResponseBodies bodies = new ResponseBodies(records.size());
    for (Record record : records) {
      Optional<String> problem;
      try {
        problem = quarantine.problem(record, bodies);
      } catch (RuntimeException e) {
        problem = Optional.of("the record rules failed on it: " + e);
      }
      if (problem.isPresent()) {
        Rejection rejection = rejection(record, problem.get(), quarantine.hop());
        rejections.putIfAbsent(Identity.of(record), rejection);
        screened.add(rejection.notice());
      } else {
        screened.add(record);
      }
    }
    return new Screened(records, screened, rejections, bodies, quarantine);
  }

  /**
   * As {@link #accept(List, long, boolean, InsertHook, Quarantine)}, on a batch already {@link
   * #screen}ed.
   */
  public synchronized AcceptResult accept(
      Screened batch, long receivedTime, boolean stampHubTime, InsertHook hook)
      throws StoreException {
    try {
      return commit(
          batch.screened, receivedTime, stampHubTime, hook, batch.rejections, batch.bodies);
    } catch (SQLException e) {
      if (!recordsAtFault(e)) {
        throw StoreException.of("storing " + batch.records.size() + " received records", e);
      }
      return oneByOne(
          batch.screened,
          receivedTime,
          stampHubTime,
          hook,
          batch.quarantine,
          batch.rejections,
          batch.bodies);
    }
  }

  /**
   * Stores each record in its own transaction, in (device, seq) order; one the database refuses
   * with a data or constraint error is replaced by its notice.
   */
  private AcceptResult oneByOne(
      List<Record> screened,
      long receivedTime,
      boolean stampHubTime,
      InsertHook hook,
      Quarantine quarantine,
      Map<Identity, Rejection> rejections,
      ResponseBodies bodies)
      throws StoreException {
    TreeMap<DeviceId, TreeMap<Long, Record>> ordered = new TreeMap<>();
    for (Record record : screened) {
      ordered
          .computeIfAbsent(record.device(), d -> new TreeMap<>())
          .putIfAbsent(record.seq(), record);
    }
    Map<DeviceId, Long> upTo = new TreeMap<>();
    int inserted = 0;
    int duplicates = 0;
    int conflicts = 0;
    List<Rejected> quarantined = new ArrayList<>();
    for (TreeMap<Long, Record> device : ordered.values()) {
      for (Record record : device.values()) {
        AcceptResult one;
        try {
          one = commit(List.of(record), receivedTime, stampHubTime, hook, rejections, bodies);
        } catch (SQLException e) {
          if (!recordsAtFault(e)) {
            throw StoreException.of("storing the received record " + record, e);
          }
          Rejection earlier = rejections.get(Identity.of(record));
          Record original = earlier == null ? record : earlier.original();
          Rejection rejection =
              rejection(original, "the database refused it: " + describe(e), quarantine.hop());
          try {
            one =
                commit(
                    List.of(rejection.notice()),
                    receivedTime,
                    stampHubTime,
                    hook,
                    Map.of(Identity.of(record), rejection),
                    bodies);
          } catch (SQLException again) {
            again.addSuppressed(e);
            throw StoreException.of("quarantining the received record " + record, again);
          }
        }
        upTo.putAll(one.upTo());
        inserted += one.inserted();
        duplicates += one.duplicates();
        conflicts += one.conflicts();
        quarantined.addAll(one.quarantined());
      }
    }
    return new AcceptResult(upTo, inserted, duplicates, conflicts, quarantined);
  }

  /** Runs {@link #acceptOnce} and commits, again after a transient failure (up to 5 times). */
  private AcceptResult commit(
      List<Record> records,
      long receivedTime,
      boolean stampHubTime,
      InsertHook hook,
      Map<Identity, Rejection> rejections,
      ResponseBodies bodies)
      throws SQLException {
    SQLException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        Accepted accepted =
            acceptOnce(records, receivedTime, stampHubTime, hook, rejections, bodies);
        connection.commit();
        tail.add(accepted.inserted());
        return accepted.result();
      } catch (SQLException e) {
        rollbackQuietly();
        if (!isTransient(e)) {
          throw e;
        }
        last = e;
      } catch (RuntimeException e) {
        // A hook's bug: the batch's rows must not stay in the connection's open transaction, where
        // the next batch's commit would keep them without what the hooks derive from them.
        rollbackQuietly();
        throw e;
      }
    }
    throw last;
  }

  /**
   * The notice that stands in for {@code record}: same identity and times, the event id made
   * printable (it goes into a text column), the hop and the reason as body.
   */
  private static Rejection rejection(Record record, String reason, DeviceId hop) {
    QuarantineNotice notice = new QuarantineNotice(hop, record.kind(), reason);
    Record stand =
        new Record(
            record.device(),
            record.seq(),
            RecordKind.QUARANTINED,
            RecordRules.printable(record.eventId(), 64),
            record.deviceTime(),
            record.hubTime(),
            notice.encode());
    return new Rejection(record, stand, notice.reason(), hop);
  }

  /** What {@link #acceptOnce} did, and the rows it inserted: held once the transaction commits. */
  private record Accepted(AcceptResult result, List<Record> inserted) {}

  private Accepted acceptOnce(
      List<Record> records,
      long receivedTime,
      boolean stampHubTime,
      InsertHook hook,
      Map<Identity, Rejection> rejections,
      ResponseBodies bodies)
      throws SQLException {
    Map<DeviceId, TreeMap<Long, Record>> byDevice = byDevice(records, stampHubTime, receivedTime);
    Sorted sorted = new Sorted();
    Map<DeviceId, Long> upTo = new TreeMap<>();
    try (PreparedStatement existing = connection.prepareStatement(SELECT_STORED)) {
      for (Map.Entry<DeviceId, TreeMap<Long, Record>> entry : byDevice.entrySet()) {
        sortOut(existing, entry.getKey(), entry.getValue(), rejections, receivedTime, sorted);
      }
    }
    List<Record> inserted = sorted.inserted;
    insertRecords(inserted, sorted.hashes, receivedTime);
    for (Map.Entry<DeviceId, TreeMap<Long, Record>> entry : byDevice.entrySet()) {
      upTo.put(
          entry.getKey(),
          advance(entry.getKey(), entry.getValue().navigableKeySet(), receivedTime));
    }
    List<Rejected> quarantined = new ArrayList<>();
    List<Record> stored = stored(inserted, rejections, receivedTime, quarantined);
    hook.inserted(connection, stored, bodies);
    return new Accepted(
        new AcceptResult(upTo, inserted.size(), sorted.duplicates, sorted.conflicts, quarantined),
        inserted);
  }

  /** The batch's records by device and seq, stamped with the hub's time when asked. */
  private static Map<DeviceId, TreeMap<Long, Record>> byDevice(
      List<Record> records, boolean stampHubTime, long receivedTime) {
    Map<DeviceId, TreeMap<Long, Record>> byDevice = new LinkedHashMap<>();
    for (Record record : records) {
      Record stamped =
          stampHubTime && record.hubTime() == 0 ? record.withHubTime(receivedTime) : record;
      byDevice
          .computeIfAbsent(record.device(), d -> new TreeMap<>())
          .putIfAbsent(record.seq(), stamped);
    }
    return byDevice;
  }

  /**
   * The records just inserted that the hooks see; each notice among them is kept in {@code
   * rejected_records} and added to {@code quarantined} instead.
   */
  private List<Record> stored(
      List<Record> inserted,
      Map<Identity, Rejection> rejections,
      long receivedTime,
      List<Rejected> quarantined)
      throws SQLException {
    List<Record> stored = new ArrayList<>(inserted.size());
    for (Record record : inserted) {
      if (record.kind() != RecordKind.QUARANTINED) {
        stored.add(record);
      } else {
        quarantined.add(keepRejected(record, rejections.get(Identity.of(record)), receivedTime));
      }
    }
    return stored;
  }

  /**
   * What a batch's records are against what is stored: new (to insert, with the content hash each
   * is kept under; a notice's is its record's), duplicates, conflicts.
   */
  private static final class Sorted {
    final List<Record> inserted = new ArrayList<>();
    final List<Long> hashes = new ArrayList<>();
    int duplicates;
    int conflicts;
  }

  /**
   * Sorts one device's records of the batch against the ones stored in their seq range.
   *
   * <p>The batch's loops are methods of their own, here and in {@link #insertRecords} and {@link
   * #advance}: a loop over a batch's 5,000 records in a method called once a batch made the JIT
   * compile that whole method from the loop (an on-stack replacement), with the JDBC calls before
   * and after it, during a drain (decision 0066).
   */
  private void sortOut(
      PreparedStatement existing,
      DeviceId device,
      TreeMap<Long, Record> incoming,
      Map<Identity, Rejection> rejections,
      long receivedTime,
      Sorted sorted)
      throws SQLException {
    Map<Long, Long> kept = new HashMap<>();
    existing.setString(1, device.value());
    existing.setLong(2, incoming.firstKey());
    existing.setLong(3, incoming.lastKey());
    try (ResultSet rs = existing.executeQuery()) {
      while (rs.next()) {
        kept.put(rs.getLong(1), rs.getLong(2));
      }
    }
    for (Record record : incoming.values()) {
      Long keptHash = kept.get(record.seq());
      // A notice made here is kept under its record's hash: the same record sent again is a
      // duplicate, another one with the same identity a conflict, as for any record.
      Rejection rejection = rejections.get(new Identity(device, record.seq()));
      Record compared = rejection == null ? record : rejection.original();
      if (keptHash == null) {
        sorted.inserted.add(record);
        sorted.hashes.add(compared.contentHash());
      } else if (keptHash == compared.contentHash()) {
        sorted.duplicates++;
      } else if (keepConflict(compared, keptHash, receivedTime)) {
        sorted.conflicts++;
      } else {
        sorted.duplicates++;
      }
    }
  }

  /**
   * Rows a multi-row insert of {@link #insertRecords} carries. Derby clones a batched statement's
   * parameters on every {@code addBatch} and runs the statement once per row; one statement for
   * many rows does neither (decision 0056).
   */
  static final int ROWS_PER_INSERT = Integer.getInteger("terrain.rowsPerInsert", 100);

  private static final String INSERT_RECORDS = insertRecords(ROWS_PER_INSERT);

  /** {@link #INSERT_RECORD} for {@code rows} rows in one statement. */
  private static String insertRecords(int rows) {
    StringBuilder sql = new StringBuilder(INSERT_RECORD);
    String row = INSERT_RECORD.substring(INSERT_RECORD.lastIndexOf(" ("));
    for (int i = 1; i < rows; i++) {
      sql.append(',').append(row);
    }
    return sql.toString();
  }

  /**
   * Inserts {@code records} into {@code records}, each kept under its hash in {@code hashes}: full
   * chunks of {@link #ROWS_PER_INSERT} rows by one multi-row statement each, the rest as a JDBC
   * batch of single-row inserts.
   */
  private void insertRecords(List<Record> records, List<Long> hashes, long receivedTime)
      throws SQLException {
    int full = ROWS_PER_INSERT > 1 ? records.size() / ROWS_PER_INSERT * ROWS_PER_INSERT : 0;
    if (full > 0) {
      try (PreparedStatement insert = connection.prepareStatement(INSERT_RECORDS)) {
        for (int chunk = 0; chunk < full; chunk += ROWS_PER_INSERT) {
          bindChunk(insert, records, hashes, chunk, receivedTime);
          insert.executeUpdate();
        }
      }
    }
    if (full < records.size()) {
      try (PreparedStatement insert = connection.prepareStatement(INSERT_RECORD)) {
        addRecords(insert, records, hashes, full, receivedTime);
        insert.executeBatch();
      }
    }
  }

  /** Binds the {@link #ROWS_PER_INSERT} records from {@code first} to one multi-row insert. */
  private static void bindChunk(
      PreparedStatement insert, List<Record> records, List<Long> hashes, int first, long received)
      throws SQLException {
    for (int row = 0; row < ROWS_PER_INSERT; row++) {
      int i = first + row;
      bindRecord(insert, row * RECORD_COLUMNS, records.get(i), received, hashes.get(i));
    }
  }

  /** Adds the records from {@code first} to the end to a batch of single-row inserts. */
  private static void addRecords(
      PreparedStatement insert, List<Record> records, List<Long> hashes, int first, long received)
      throws SQLException {
    for (int i = first; i < records.size(); i++) {
      bindRecord(insert, 0, records.get(i), received, hashes.get(i));
      insert.addBatch();
    }
  }

  /**
   * Adds a row to {@code rejected_records} for a notice just stored: with the record's own kind and
   * body when this hop quarantined it, with the kind and reason its notice gives when an earlier
   * hop did (the body stayed there).
   */
  private Rejected keepRejected(Record notice, Rejection here, long receivedTime)
      throws SQLException {
    Rejected rejected;
    byte[] body;
    if (here != null) {
      Record original = here.original();
      rejected =
          new Rejected(
              original.device(),
              original.seq(),
              original.kind(),
              notice.eventId(),
              here.hop(),
              here.reason(),
              receivedTime);
      body = original.body();
    } else {
      QuarantineNotice upstream;
      try {
        upstream = QuarantineNotice.decode(notice.body());
      } catch (WireException e) {
        // Only with rules that let a bad notice through (tests); kept, with what is known.
        upstream = new QuarantineNotice(notice.device(), RecordKind.QUARANTINED, e.getMessage());
      }
      rejected =
          new Rejected(
              notice.device(),
              notice.seq(),
              upstream.kind(),
              notice.eventId(),
              upstream.hop(),
              upstream.reason(),
              receivedTime);
      body = new byte[0];
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_REJECTED)) {
      insert.setString(1, rejected.device().value());
      insert.setLong(2, rejected.seq());
      insert.setShort(3, (short) rejected.kind().code());
      insert.setString(4, rejected.eventId());
      insert.setLong(5, notice.deviceTime());
      insert.setLong(6, receivedTime);
      insert.setString(7, rejected.hop().value());
      insert.setString(8, rejected.reason());
      insert.setBytes(9, body);
      insert.executeUpdate();
    }
    return rejected;
  }

  private boolean keepConflict(Record record, long keptHash, long receivedTime)
      throws SQLException {
    try (PreparedStatement seen = connection.prepareStatement(SELECT_CONFLICT)) {
      seen.setString(1, record.device().value());
      seen.setLong(2, record.seq());
      seen.setLong(3, record.contentHash());
      try (ResultSet rs = seen.executeQuery()) {
        if (rs.next()) {
          return false;
        }
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_CONFLICT)) {
      insert.setString(1, record.device().value());
      insert.setLong(2, record.seq());
      insert.setShort(3, (short) record.kind().code());
      // Printable: a quarantined record's event id may hold what a text column refuses.
      insert.setString(4, RecordRules.printable(record.eventId(), 64));
      insert.setLong(5, record.deviceTime());
      insert.setLong(6, record.hubTime());
      insert.setLong(7, receivedTime);
      insert.setLong(8, record.contentHash());
      insert.setLong(9, keptHash);
      insert.setBytes(10, record.body());
      insert.executeUpdate();
    }
    return true;
  }

  /**
   * Moves the device's {@code upto} over every contiguous record now present. The seqs of the batch
   * just stored are known, so the walk in the database starts after them: usually it reads nothing.
   */
  private long advance(DeviceId device, java.util.NavigableSet<Long> batch, long now)
      throws SQLException {
    long upto;
    try (PreparedStatement select = connection.prepareStatement(SELECT_UPTO)) {
      select.setString(1, device.value());
      try (ResultSet rs = select.executeQuery()) {
        if (rs.next()) {
          upto = rs.getLong(1);
        } else {
          insertFrontier(device, 0, now);
          upto = 0;
        }
      }
    }
    long next = contiguousEnd(batch, upto);
    try (PreparedStatement walk = connection.prepareStatement(SELECT_FOLLOWING)) {
      walk.setString(1, device.value());
      walk.setLong(2, next);
      try (ResultSet rs = walk.executeQuery()) {
        while (rs.next() && rs.getLong(1) == next + 1) {
          next++;
        }
      }
    }
    if (next != upto) {
      try (PreparedStatement update = connection.prepareStatement(UPDATE_UPTO)) {
        update.setLong(1, next);
        update.setLong(2, now);
        update.setString(3, device.value());
        update.executeUpdate();
      }
    }
    return next;
  }

  /** The highest seq reached from {@code upto} through the batch's seqs without a gap. */
  private static long contiguousEnd(java.util.NavigableSet<Long> batch, long upto) {
    long next = upto;
    for (long seq : batch.tailSet(upto, false)) {
      if (seq != next + 1) {
        break;
      }
      next = seq;
    }
    return next;
  }

  /**
   * The records waiting for the next hop's ack, device by device in seq order.
   *
   * @param after per device, records up to this seq are already in flight and are skipped
   */
  public synchronized List<Record> pending(Map<DeviceId, Long> after, int limit)
      throws StoreException {
    List<Record> out = new ArrayList<>();
    try {
      List<DeviceProgress> waiting = new ArrayList<>();
      try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT device_id, upto, forwarded, last_seen FROM frontier"
                      + " WHERE upto > forwarded ORDER BY device_id");
          ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          waiting.add(progress(rs));
        }
      }
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT seq, kind, event_id, device_time, hub_time, body FROM records"
                  + " WHERE device_id = ? AND seq > ? AND seq <= ? ORDER BY seq")) {
        for (DeviceProgress device : waiting) {
          long from = Math.max(device.forwarded(), after.getOrDefault(device.device(), 0L));
          long to = Math.min(device.upto(), from + (limit - out.size()));
          if (from >= to) {
            continue;
          }
          // What this process committed is served from memory; the database gives the rest.
          from = tail.read(device.device(), from, to, out);
          if (from < to) {
            select.setString(1, device.device().value());
            select.setLong(2, from);
            select.setLong(3, to);
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Record(
                        device.device(),
                        rs.getLong(1),
                        kind(rs.getShort(2)),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getBytes(6)));
              }
            }
          }
          if (out.size() >= limit) {
            break;
          }
        }
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw failed("reading the records to forward", e);
    }
  }

  /** The next hop has committed these records: they leave the outbox. */
  public synchronized void acknowledged(Map<DeviceId, Long> upTo) throws StoreException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE frontier SET forwarded = CASE WHEN ? < upto THEN ? ELSE upto END"
                + " WHERE device_id = ? AND forwarded < ?")) {
      for (Map.Entry<DeviceId, Long> entry : upTo.entrySet()) {
        update.setLong(1, entry.getValue());
        update.setLong(2, entry.getValue());
        update.setString(3, entry.getKey().value());
        update.setLong(4, entry.getValue());
        update.addBatch();
      }
      update.executeBatch();
      connection.commit();
      upTo.forEach(tail::acknowledged);
    } catch (SQLException e) {
      throw failed("recording an acknowledgement", e);
    }
  }

  /** Each device's frontier, in device order; a status read ({@link #read}). */
  public List<DeviceProgress> devices() throws StoreException {
    try {
      return read(
          c -> {
            try (PreparedStatement select =
                    c.prepareStatement(
                        "SELECT device_id, upto, forwarded, last_seen FROM frontier"
                            + " ORDER BY device_id");
                ResultSet rs = select.executeQuery()) {
              List<DeviceProgress> out = new ArrayList<>();
              while (rs.next()) {
                out.add(progress(rs));
              }
              return out;
            }
          });
    } catch (SQLException e) {
      throw failed("listing devices", e);
    }
  }

  /** One device's records of a day: how many, and how many the server has not acknowledged. */
  public record DayCount(DeviceId device, long records, long pending) {}

  /**
   * The records the hub received with {@code fromHubTime <= hub_time < toHubTime} (epoch ms), in
   * (device, seq) order, each given to {@code each} as it is read (a market day does not sit in
   * memory); returns the count per device, pending meaning above the device's forwarded frontier.
   */
  public List<DayCount> forEachRecord(
      long fromHubTime, long toHubTime, java.util.function.Consumer<Record> each)
      throws StoreException {
    try {
      return read(
          c -> {
            java.util.Map<String, Long> forwarded = new java.util.HashMap<>();
            try (PreparedStatement select =
                    c.prepareStatement("SELECT device_id, forwarded FROM frontier");
                ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                forwarded.put(rs.getString(1), rs.getLong(2));
              }
            }
            List<DayCount> counts = new ArrayList<>();
            try (PreparedStatement select =
                c.prepareStatement(
                    "SELECT device_id, seq, kind, event_id, device_time, hub_time, body"
                        + " FROM records WHERE hub_time >= ? AND hub_time < ?"
                        + " ORDER BY device_id, seq")) {
              select.setLong(1, fromHubTime);
              select.setLong(2, toHubTime);
              try (ResultSet rs = select.executeQuery()) {
                String current = null;
                long records = 0;
                long pending = 0;
                while (rs.next()) {
                  String device = rs.getString(1);
                  if (!device.equals(current)) {
                    if (current != null) {
                      counts.add(new DayCount(DeviceId.of(current), records, pending));
                    }
                    current = device;
                    records = 0;
                    pending = 0;
                  }
                  long seq = rs.getLong(2);
                  records++;
                  if (seq > forwarded.getOrDefault(device, 0L)) {
                    pending++;
                  }
                  each.accept(
                      new Record(
                          DeviceId.of(device),
                          seq,
                          RecordKind.fromCode(rs.getShort(3)).orElseThrow(),
                          rs.getString(4),
                          rs.getLong(5),
                          rs.getLong(6),
                          rs.getBytes(7)));
                }
                if (current != null) {
                  counts.add(new DayCount(DeviceId.of(current), records, pending));
                }
              }
            }
            return counts;
          });
    } catch (SQLException e) {
      throw failed("reading the day's records", e);
    }
  }

  /** A read-only query of the status pages. */
  private interface Read<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs a status read. With a pool (the server, the hub) on a pooled connection, so that status
   * pages and probes neither wait behind the ingest's writes on the store's own connection nor
   * delay them; without one (a kiosk) on that connection under the store's lock.
   */
  private <T> T read(Read<T> work) throws SQLException {
    if (database.pooled()) {
      try (Connection pooled = database.connect()) {
        T out = work.run(pooled);
        pooled.commit();
        return out;
      }
    }
    synchronized (this) {
      T out = work.run(connection);
      connection.commit();
      return out;
    }
  }

  /**
   * How many records of {@code kind} from {@code device} the next hop has acknowledged, pruned ones
   * included.
   */
  public synchronized long forwardedCount(DeviceId device, RecordKind kind) throws StoreException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT COUNT(*) FROM records r JOIN frontier f ON r.device_id = f.device_id"
                + " WHERE r.device_id = ? AND r.kind = ? AND r.seq <= f.forwarded")) {
      select.setString(1, device.value());
      select.setShort(2, (short) kind.code());
      long count;
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        count = rs.getLong(1);
      }
      try (PreparedStatement pruned =
          connection.prepareStatement(
              "SELECT COALESCE(SUM(records), 0) FROM pruned WHERE device_id = ? AND kind = ?")) {
        pruned.setString(1, device.value());
        pruned.setShort(2, (short) kind.code());
        try (ResultSet rs = pruned.executeQuery()) {
          rs.next();
          count += rs.getLong(1);
        }
      }
      connection.commit();
      return count;
    } catch (SQLException e) {
      throw failed("counting acknowledged records", e);
    }
  }

  /** What one {@link #prune} removed: records deleted, over how many devices. */
  public record Pruned(long records, int devices) {}

  /** Records deleted per transaction by {@link #prune}, so that ingest never waits long. */
  private static final int PRUNE_CHUNK = 2000;

  /**
   * Deletes the records the next hop has acknowledged ({@code seq <= forwarded}) that arrived here
   * (or were made here) before {@code receivedBefore} (epoch millis), and tallies them in table
   * {@code pruned} so that {@link #count} and {@link #forwardedCount} stay what they were. Never
   * touched: unacknowledged records, the frontier's {@code upto} and {@code forwarded} (so a seq is
   * never reused), DEVICE_KEY records, and each device's last TICKET record of each event (a kiosk
   * reprints it after a restart).
   */
  public synchronized Pruned prune(long receivedBefore) throws StoreException {
    long total = 0;
    int devices = 0;
    try {
      List<DeviceProgress> acked = new ArrayList<>();
      try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT device_id, upto, forwarded, last_seen FROM frontier WHERE forwarded > 0"
                      + " ORDER BY device_id");
          ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          acked.add(progress(rs));
        }
      }
      connection.commit();
      for (DeviceProgress device : acked) {
        long deleted = 0;
        long chunk;
        do {
          chunk = pruneChunk(device.device(), device.forwarded(), receivedBefore);
          connection.commit();
          deleted += chunk;
        } while (chunk == PRUNE_CHUNK);
        if (deleted > 0) {
          total += deleted;
          devices++;
        }
      }
      return new Pruned(total, devices);
    } catch (SQLException e) {
      throw failed("pruning acknowledged records received before " + receivedBefore, e);
    }
  }

  private long pruneChunk(DeviceId device, long forwarded, long receivedBefore)
      throws SQLException {
    java.util.Set<Long> keep = new java.util.HashSet<>();
    try (PreparedStatement last =
        connection.prepareStatement(
            "SELECT MAX(seq) FROM records WHERE device_id = ? AND kind = ? GROUP BY event_id")) {
      last.setString(1, device.value());
      last.setShort(2, (short) RecordKind.TICKET.code());
      try (ResultSet rs = last.executeQuery()) {
        while (rs.next()) {
          keep.add(rs.getLong(1));
        }
      }
    }
    List<Long> seqs = new ArrayList<>();
    Map<List<Object>, Long> tally = new LinkedHashMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT seq, event_id, kind FROM records WHERE device_id = ? AND seq <= ?"
                + " AND received_time < ? AND kind <> ? ORDER BY seq")) {
      select.setString(1, device.value());
      select.setLong(2, forwarded);
      select.setLong(3, receivedBefore);
      select.setShort(4, (short) RecordKind.DEVICE_KEY.code());
      select.setMaxRows(PRUNE_CHUNK + keep.size());
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next() && seqs.size() < PRUNE_CHUNK) {
          long seq = rs.getLong(1);
          if (!keep.contains(seq)) {
            seqs.add(seq);
            tally.merge(List.of(rs.getString(2), rs.getShort(3)), 1L, Long::sum);
          }
        }
      }
    }
    if (seqs.isEmpty()) {
      return 0;
    }
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM records WHERE device_id = ? AND seq = ?")) {
      for (long seq : seqs) {
        delete.setString(1, device.value());
        delete.setLong(2, seq);
        delete.addBatch();
      }
      delete.executeBatch();
    }
    try (PreparedStatement update =
            connection.prepareStatement(
                "UPDATE pruned SET records = records + ?"
                    + " WHERE device_id = ? AND event_id = ? AND kind = ?");
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO pruned (device_id, event_id, kind, records) VALUES (?, ?, ?, ?)")) {
      for (Map.Entry<List<Object>, Long> entry : tally.entrySet()) {
        String eventId = (String) entry.getKey().get(0);
        short kind = (Short) entry.getKey().get(1);
        update.setLong(1, entry.getValue());
        update.setString(2, device.value());
        update.setString(3, eventId);
        update.setShort(4, kind);
        if (update.executeUpdate() == 0) {
          insert.setString(1, device.value());
          insert.setString(2, eventId);
          insert.setShort(3, kind);
          insert.setLong(4, entry.getValue());
          insert.executeUpdate();
        }
      }
    }
    return seqs.size();
  }

  /**
   * How many records of {@code kind} from {@code device} for an event this node has held: those
   * still here plus those pruned ({@link #prune}). What caps and counters read.
   */
  public synchronized long count(DeviceId device, String eventId, RecordKind kind)
      throws StoreException {
    try (PreparedStatement held =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM records WHERE device_id = ? AND event_id = ? AND kind = ?");
        PreparedStatement pruned =
            connection.prepareStatement(
                "SELECT records FROM pruned WHERE device_id = ? AND event_id = ? AND kind = ?")) {
      long count = 0;
      for (PreparedStatement select : List.of(held, pruned)) {
        select.setString(1, device.value());
        select.setString(2, eventId);
        select.setShort(3, (short) kind.code());
        try (ResultSet rs = select.executeQuery()) {
          if (rs.next()) {
            count += rs.getLong(1);
          }
        }
      }
      connection.commit();
      return count;
    } catch (SQLException e) {
      throw failed("counting records of " + device + " for " + eventId, e);
    }
  }

  /** Records committed here that the next hop has not acknowledged yet. */
  public long pendingCount() throws StoreException {
    return devices().stream().mapToLong(DeviceProgress::pending).sum();
  }

  /**
   * How many conflicts are recorded; a status read ({@link #read}). The status pages count them on
   * every poll, and a hub that met a misbehaving device may hold thousands: they are counted, not
   * read.
   */
  public long conflictCount() throws StoreException {
    try {
      return read(
          c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM conflicts");
                ResultSet rs = select.executeQuery()) {
              return rs.next() ? rs.getLong(1) : 0L;
            }
          });
    } catch (SQLException e) {
      throw failed("counting conflicts", e);
    }
  }

  /** The conflicts recorded, in (device, seq) order; a status read ({@link #read}). */
  public List<Conflict> conflicts() throws StoreException {
    try {
      return read(
          c -> {
            try (PreparedStatement select =
                    c.prepareStatement(
                        "SELECT device_id, seq, kind, event_id, kept_hash, content_hash,"
                            + " received_time FROM conflicts ORDER BY device_id, seq");
                ResultSet rs = select.executeQuery()) {
              List<Conflict> out = new ArrayList<>();
              while (rs.next()) {
                out.add(
                    new Conflict(
                        DeviceId.of(rs.getString(1)),
                        rs.getLong(2),
                        kind(rs.getShort(3)),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getLong(7)));
              }
              return out;
            }
          });
    } catch (SQLException e) {
      throw failed("listing conflicts", e);
    }
  }

  /**
   * A device's records of a kind with {@code after < seq <= upTo}, in seq order: what a reader that
   * has seen everything up to {@code after} reads next (the hub's live results).
   */
  public synchronized List<Record> records(DeviceId device, long after, long upTo, RecordKind kind)
      throws StoreException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT seq, event_id, device_time, hub_time, body FROM records"
                + " WHERE device_id = ? AND seq > ? AND seq <= ? AND kind = ? ORDER BY seq")) {
      select.setString(1, device.value());
      select.setLong(2, after);
      select.setLong(3, upTo);
      select.setShort(4, (short) kind.code());
      List<Record> out = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Record(
                  device,
                  rs.getLong(1),
                  kind,
                  rs.getString(2),
                  rs.getLong(3),
                  rs.getLong(4),
                  rs.getBytes(5)));
        }
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw failed("reading records " + after + " to " + upTo + " of " + device, e);
    }
  }

  /** Every record of a kind for an event, in (device, seq) order; for results and checks. */
  public synchronized List<Record> records(String eventId, RecordKind kind) throws StoreException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT device_id, seq, device_time, hub_time, body FROM records"
                + " WHERE event_id = ? AND kind = ? ORDER BY device_id, seq")) {
      select.setString(1, eventId);
      select.setShort(2, (short) kind.code());
      List<Record> out = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Record(
                  DeviceId.of(rs.getString(1)),
                  rs.getLong(2),
                  kind,
                  eventId,
                  rs.getLong(3),
                  rs.getLong(4),
                  rs.getBytes(5)));
        }
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw failed("reading records of " + eventId, e);
    }
  }

  private long upto(DeviceId device) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_UPTO)) {
      select.setString(1, device.value());
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("frontier row of " + device + " vanished");
        }
        return rs.getLong(1);
      }
    }
  }

  private void insertFrontier(DeviceId device, long upto, long now) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT_FRONTIER)) {
      insert.setString(1, device.value());
      insert.setLong(2, upto);
      insert.setLong(3, now);
      insert.executeUpdate();
    }
  }

  private static final String INSERT_RECORD =
      "INSERT INTO records (device_id, seq, kind, event_id, device_time, hub_time,"
          + " received_time, content_hash, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String SELECT_STORED =
      "SELECT seq, content_hash FROM records WHERE device_id = ? AND seq >= ? AND seq <= ?";
  private static final String SELECT_UPTO = "SELECT upto FROM frontier WHERE device_id = ?";
  private static final String INSERT_FRONTIER =
      "INSERT INTO frontier (device_id, upto, forwarded, last_seen) VALUES (?, ?, 0, ?)";
  private static final String SELECT_FOLLOWING =
      "SELECT seq FROM records WHERE device_id = ? AND seq > ? ORDER BY seq";
  private static final String UPDATE_UPTO =
      "UPDATE frontier SET upto = ?, last_seen = ? WHERE device_id = ?";
  private static final String SELECT_CONFLICT =
      "SELECT 1 FROM conflicts WHERE device_id = ? AND seq = ? AND content_hash = ?";
  private static final String INSERT_CONFLICT =
      "INSERT INTO conflicts (device_id, seq, kind, event_id, device_time, hub_time,"
          + " received_time, content_hash, kept_hash, body)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_REJECTED =
      "INSERT INTO rejected_records (device_id, seq, kind, event_id, device_time,"
          + " received_time, hop, reason, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** What {@link #accept} itself runs, hooks aside: {@link #prepareAccept} compiles them. */
  static final List<String> ACCEPT_STATEMENTS =
      List.of(
          SELECT_STORED,
          INSERT_RECORDS,
          INSERT_RECORD,
          SELECT_UPTO,
          INSERT_FRONTIER,
          SELECT_FOLLOWING,
          UPDATE_UPTO,
          SELECT_CONFLICT,
          INSERT_CONFLICT,
          INSERT_REJECTED);

  /** The columns of a row of {@link #INSERT_RECORD}. */
  private static final int RECORD_COLUMNS = 9;

  private static void bindRecord(PreparedStatement insert, Record record, long receivedTime)
      throws SQLException {
    bindRecord(insert, 0, record, receivedTime, record.contentHash());
  }

  /** Binds a row of {@link #INSERT_RECORD} at parameters {@code at + 1} to {@code at + 9}. */
  private static void bindRecord(
      PreparedStatement insert, int at, Record record, long receivedTime, long contentHash)
      throws SQLException {
    insert.setString(at + 1, record.device().value());
    insert.setLong(at + 2, record.seq());
    insert.setShort(at + 3, (short) record.kind().code());
    insert.setString(at + 4, record.eventId());
    insert.setLong(at + 5, record.deviceTime());
    insert.setLong(at + 6, record.hubTime());
    insert.setLong(at + 7, receivedTime);
    insert.setLong(at + 8, contentHash);
    insert.setBytes(at + 9, record.body());
  }

  private static DeviceProgress progress(ResultSet rs) throws SQLException {
    return new DeviceProgress(
        DeviceId.of(rs.getString(1)), rs.getLong(2), rs.getLong(3), rs.getLong(4));
  }

  private static RecordKind kind(short code) throws SQLException {
    return RecordKind.fromCode(code)
        .orElseThrow(() -> new SQLException("unknown record kind " + code + " in the database"));
  }

  private static boolean isTransient(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      String state = s.getSQLState();
      if (state != null
          && (state.equals("23505") // unique violation: another instance inserted first
              || state.equals("40001") // serialization failure / Derby deadlock
              || state.equals("40P01") // PostgreSQL deadlock
              || state.equals("40XL1") // Derby lock timeout
              || state.equals("40XL2"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a failure comes from the records' content rather than from the database: a data
   * exception (SQLState class 22, e.g. U+0000 in a PostgreSQL text, a value too long) or an
   * integrity constraint (class 23, e.g. a primary key a hook hits), anywhere in the chain.
   */
  static boolean recordsAtFault(SQLException e) {
    java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
    java.util.Set<Throwable> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    todo.add(e);
    while (!todo.isEmpty()) {
      Throwable t = todo.poll();
      if (t == null || !seen.add(t)) {
        continue;
      }
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
          return true;
        }
        if (s.getNextException() != null) {
          todo.add(s.getNextException());
        }
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
    }
    return false;
  }

  /** The SQLState and message of the deepest SQL failure, printable. */
  private static String describe(SQLException e) {
    SQLException deepest = e;
    while (deepest.getNextException() != null && deepest.getNextException() != deepest) {
      deepest = deepest.getNextException();
    }
    return RecordRules.printable(
        "SQLState " + deepest.getSQLState() + ", " + deepest.getMessage(), 300);
  }

  private StoreException failed(String action, SQLException e) {
    rollbackQuietly();
    return StoreException.of(action, e);
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the next call reports it.
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Closing a broken connection: nothing left to save.
    }
  }
}
