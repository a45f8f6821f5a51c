// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.record.DeviceId;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.TicketCodec;
import terrain.core.ticket.TicketException;
import terrain.server.devices.DeviceRegistry;
import terrain.server.ledger.Transactions;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * Verifies synced tickets' signatures at rest, when the server is idle, and keeps the result in
 * {@code tickets.signature_checked} (decision 0054): 1 the code verifies with one of its device's
 * keys, 0 it does not (logged and counted). A claim whose code is the row's checked code then does
 * not verify again. The same verify as a claim's ({@link Claims#verify(SignedTicket,
 * DeviceRegistry.Registered)}): the same CPU, paid when no batch and no claim waits for it.
 *
 * <p>What to check: at start, every device with unchecked rows (one scan of {@code tickets}, so a
 * restart loses nothing); then the devices the {@link TicketHook} inserted rows for. A device's
 * unchecked rows are read by the primary key ({@code device_id, serial}) in chunks of {@link
 * #CHUNK}, each chunk's results written by one batched UPDATE that only sets a row still unchecked
 * with the same code (idempotent; several servers on one PostgreSQL may check the same row).
 *
 * <p>When: only after {@link #IDLE} without a committed batch, a batch in the ingest's hooks or a
 * claim; between chunks it gives way as soon as one comes. A hook's hint may be taken before its
 * batch commits (a transaction longer than {@link #IDLE} after its hook): the devices of a round
 * during or after which a batch committed are read again at the next idle time.
 */
public final class SignaturesAtRest implements TicketHook.Listener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SignaturesAtRest.class);

  /** Rows verified and written per chunk. */
  static final int CHUNK = 500;

  /** How long the server must have been idle before the checker starts. */
  static final Duration IDLE = Duration.ofSeconds(1);

  private static final Duration POLL = Duration.ofMillis(100);

  private final Database database;
  private final DeviceRegistry registry;
  private final Duration idle;
  private final AtomicLong activity = new AtomicLong();
  private final Set<DeviceId> touched = ConcurrentHashMap.newKeySet();
  private final AtomicLong verified = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong verifies = new AtomicLong();
  private volatile LongSupplier batches = () -> 0;
  private volatile boolean working = true;
  private ScheduledExecutorService thread;

  // The checker thread's own state.
  private boolean scanAll = true;
  private final ArrayDeque<DeviceId> round = new ArrayDeque<>();
  private List<DeviceId> lastRound = List.of();
  private long batchesAfterLastRound;
  private long serialAfter = Long.MIN_VALUE;
  private long lastSeen = Long.MIN_VALUE;
  private long quietSince;

  public SignaturesAtRest(Database database, DeviceRegistry registry) {
    this(database, registry, IDLE);
  }

  SignaturesAtRest(Database database, DeviceRegistry registry, Duration idle) {
    this.database = Objects.requireNonNull(database, "database");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.idle = Objects.requireNonNull(idle, "idle");
  }

  /**
   * Starts the checker's thread.
   *
   * @param committedBatches the batches the ingest has committed so far (activity, and a sign that
   *     rows may have been inserted)
   */
  public synchronized void start(LongSupplier committedBatches) {
    if (thread != null) {
      return;
    }
    this.batches = Objects.requireNonNull(committedBatches, "committedBatches");
    thread =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "ticket-signatures-at-rest");
              t.setDaemon(true);
              t.setPriority(Thread.MIN_PRIORITY);
              return t;
            });
    thread.scheduleWithFixedDelay(
        this::tick, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void inserting(Collection<DeviceId> devicesWithNewTickets) {
    activity.incrementAndGet();
    touched.addAll(devicesWithNewTickets);
  }

  /** A claim or a check of a ticket is under way: the checker waits for the next idle time. */
  public void busy() {
    activity.incrementAndGet();
  }

  /** Rows this instance found verifying and marked 1 since it started. */
  public long verified() {
    return verified.get();
  }

  /** Rows this instance found not verifying and marked 0 since it started. */
  public long failed() {
    return failed.get();
  }

  /** Signatures this checker verified (one per row checked, with a known device). */
  public long verifies() {
    return verifies.get();
  }

  /** Whether the checker knows of rows it has not read yet (false once it caught up). */
  public boolean pending() {
    return working;
  }

  @Override
  public synchronized void close() {
    if (thread != null) {
      thread.shutdownNow();
      try {
        thread.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private long seen() {
    return batches.getAsLong() + activity.get();
  }

  private void tick() {
    try {
      long now = System.nanoTime();
      long seen = seen();
      if (seen != lastSeen) {
        lastSeen = seen;
        quietSince = now;
        working = true;
        return;
      }
      if (now - quietSince < idle.toNanos()) {
        return;
      }
      while (!Thread.currentThread().isInterrupted()) {
        if (seen() != lastSeen) {
          return; // activity resumed: the next tick waits for the next idle time
        }
        if (!chunk()) {
          working = false;
          return;
        }
      }
    } catch (StoreException | RuntimeException e) {
      log.warn(
          "Checking tickets' signatures at rest failed; tried again later: {}", e.toString(), e);
      round.clear();
      scanAll = true;
      quietSince = System.nanoTime();
    }
  }

  /** Checks one chunk of rows; false when there is nothing left to check. */
  private boolean chunk() throws StoreException {
    if (round.isEmpty() && !nextRound()) {
      return false;
    }
    DeviceId device = round.peekFirst();
    Optional<DeviceRegistry.Registered> keys = registry.find(device);
    List<Row> rows =
        keys.isEmpty()
            ? List.of()
            : Transactions.run(
                database, "reading tickets to check", c -> unchecked(c, device, serialAfter));
    if (rows.size() < CHUNK) {
      round.removeFirst();
      serialAfter = Long.MIN_VALUE;
      if (round.isEmpty()) {
        endRound();
      }
    } else {
      serialAfter = rows.get(rows.size() - 1).serial();
    }
    if (rows.isEmpty()) {
      return true;
    }
    List<Boolean> good = new ArrayList<>(rows.size());
    for (Row row : rows) {
      good.add(verify(row, keys.get()));
    }
    Transactions.run(database, "noting tickets' checked signatures", c -> note(c, rows, good));
    return true;
  }

  private boolean nextRound() throws StoreException {
    Set<DeviceId> devices = new LinkedHashSet<>();
    if (scanAll) {
      scanAll = false;
      touched.clear();
      devices.addAll(
          Transactions.run(database, "finding unchecked tickets", c -> uncheckedDevices(c)));
    } else {
      for (DeviceId d : List.copyOf(touched)) {
        touched.remove(d);
        devices.add(d);
      }
      if (batches.getAsLong() != batchesAfterLastRound) {
        devices.addAll(lastRound);
        lastRound = List.of();
      }
    }
    if (devices.isEmpty()) {
      batchesAfterLastRound = batches.getAsLong();
      return false;
    }
    round.addAll(devices);
    lastRound = List.copyOf(devices);
    serialAfter = Long.MIN_VALUE;
    return true;
  }

  private void endRound() {
    batchesAfterLastRound = batches.getAsLong();
  }

  private boolean verify(Row row, DeviceRegistry.Registered keys) {
    verifies.incrementAndGet();
    try {
      SignedTicket signed = TicketCodec.parse(row.code());
      return signed.ticket().device().equals(keys.device()) && Claims.verify(signed, keys);
    } catch (TicketException e) {
      return false;
    }
  }

  /** A stored ticket to check. */
  private record Row(DeviceId device, long serial, String code) {}

  private static List<DeviceId> uncheckedDevices(Connection c) throws SQLException {
    List<DeviceId> out = new ArrayList<>();
    try (PreparedStatement select =
            c.prepareStatement(
                "SELECT DISTINCT device_id FROM tickets WHERE signature_checked IS NULL");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        out.add(DeviceId.of(rs.getString(1)));
      }
    }
    return out;
  }

  private static List<Row> unchecked(Connection c, DeviceId device, long after)
      throws SQLException {
    List<Row> out = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT serial, code FROM tickets WHERE device_id = ? AND serial > ?"
                + " AND signature_checked IS NULL ORDER BY serial")) {
      select.setMaxRows(CHUNK);
      select.setString(1, device.value());
      select.setLong(2, after);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          out.add(new Row(device, rs.getLong(1), rs.getString(2)));
        }
      }
    }
    return out;
  }

  private Void note(Connection c, List<Row> rows, List<Boolean> good) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE tickets SET signature_checked = ? WHERE device_id = ? AND serial = ?"
                + " AND code = ? AND signature_checked IS NULL")) {
      for (int i = 0; i < rows.size(); i++) {
        Row row = rows.get(i);
        update.setShort(1, (short) (good.get(i) ? 1 : 0));
        update.setString(2, row.device().value());
        update.setLong(3, row.serial());
        update.setString(4, row.code());
        update.addBatch();
      }
      int[] counts = update.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          continue; // checked by another instance, or its row changed
        }
        if (good.get(i)) {
          verified.incrementAndGet();
        } else {
          failed.incrementAndGet();
          log.warn(
              "Ticket {} of device {} does not verify with the device's keys: forged or altered;"
                  + " its claims are refused",
              rows.get(i).serial(),
              rows.get(i).device());
        }
      }
    }
    return null;
  }
}
