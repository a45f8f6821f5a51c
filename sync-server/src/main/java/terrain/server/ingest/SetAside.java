// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBodies;
import terrain.server.devices.DeviceRegistry;
import terrain.server.ledger.Transactions;
import terrain.store.Database;
import terrain.store.RecordStore;
import terrain.store.StoreException;

/**
 * Keeps aside the records of a revoked device that a trusted hop received after its revocation: a
 * hub that was offline when ops revoked a kiosk still forwards what the kiosk sent afterwards.
 *
 * <p>{@link #filter} wraps the server's insert hooks. Inside the ingest's transaction, each new
 * record whose device is revoked and whose trusted receive time is after {@code revoked_after} goes
 * to table {@code set_aside} instead of the hooks (tallies, keys, tickets, ideas): it is not
 * counted. The record stays in {@code records}, so the device's frontier moves over it and the
 * batch is acknowledged as usual: the hub's outbox drains and nothing waits behind it.
 *
 * <p>The trusted receive time is the hub's receive time when a hub stamped one (the server's {@link
 * terrain.transport.Receiver} drops the hub time a device set on its own records), else the
 * server's; the earlier of both when there are two, as tickets are checked ({@code Claims}). Never
 * the device's own clock: a stolen device backdates what it makes.
 */
public final class SetAside {
  private static final Logger log = LoggerFactory.getLogger(SetAside.class);

  /** Why a record was set aside: its device was revoked before a trusted hop received it. */
  public static final String REVOKED = "revoked";

  private static final String RECEIVED_TIMES =
      "SELECT seq, received_time FROM records WHERE device_id = ? AND seq >= ? AND seq <= ?";
  private static final String INSERT =
      "INSERT INTO set_aside (device_id, seq, kind, event_id, device_time, hub_time,"
          + " received_at, revoked_after, reason, body)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** Most rows {@link #list} returns. */
  public static final int MAX_LIST = 1000;

  /** A record kept aside, without its body. */
  public record Entry(
      DeviceId device,
      long seq,
      RecordKind kind,
      String eventId,
      long receivedAt,
      long hubTime,
      long revokedAfter,
      String reason) {}

  private final Database database;
  private final DeviceRegistry registry;

  public SetAside(Database database, DeviceRegistry registry) {
    this.database = Objects.requireNonNull(database, "database");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** {@code counted} with the records to keep aside taken out first, in the same transaction. */
  public RecordStore.InsertHook filter(RecordStore.InsertHook counted) {
    Objects.requireNonNull(counted, "counted");
    return new RecordStore.BodiesHook() {
      @Override
      public void inserted(Connection connection, List<Record> inserted, ResponseBodies bodies)
          throws SQLException {
        counted.inserted(connection, divert(connection, inserted), bodies);
      }

      @Override
      public List<String> statements() {
        List<String> out = new ArrayList<>(DeviceRegistry.INGEST_STATEMENTS);
        out.add(RECEIVED_TIMES);
        out.add(INSERT);
        out.addAll(counted.statements());
        return out;
      }
    };
  }

  /** Moves the records to keep aside into {@code set_aside}; returns the others. */
  private List<Record> divert(Connection c, List<Record> inserted) throws SQLException {
    if (inserted.isEmpty()) {
      return inserted;
    }
    Map<DeviceId, Optional<DeviceRegistry.Registered>> devices = new LinkedHashMap<>();
    for (Record record : inserted) {
      if (!devices.containsKey(record.device())) {
        devices.put(
            record.device(),
            registry.findIn(c, record.device()).filter(d -> d.revokedAfter().isPresent()));
      }
    }
    if (devices.values().stream().allMatch(Optional::isEmpty)) {
      return inserted;
    }
    Map<DeviceId, Map<Long, Long>> receivedTimes = receivedTimes(c, inserted, devices);
    List<Record> counted = new ArrayList<>(inserted.size());
    Map<DeviceId, Integer> asideByDevice = new LinkedHashMap<>();
    try (PreparedStatement insert = c.prepareStatement(INSERT)) {
      for (Record record : inserted) {
        Optional<DeviceRegistry.Registered> revoked = devices.get(record.device());
        if (revoked.isEmpty()) {
          counted.add(record);
          continue;
        }
        Long serverTime = receivedTimes.get(record.device()).get(record.seq());
        if (serverTime == null) {
          throw new SQLException(
              "record " + record + " was inserted in this transaction but cannot be read back");
        }
        long trusted = record.hubTime() > 0 ? Math.min(record.hubTime(), serverTime) : serverTime;
        // revoked_after is in seconds: what arrived within its last second is still counted.
        if (!revoked.get().revokes(Math.floorDiv(trusted - 1, 1000) + 1)) {
          counted.add(record);
          continue;
        }
        insert.setString(1, record.device().value());
        insert.setLong(2, record.seq());
        insert.setShort(3, (short) record.kind().code());
        insert.setString(4, record.eventId());
        insert.setLong(5, record.deviceTime());
        insert.setLong(6, record.hubTime());
        insert.setLong(7, trusted);
        insert.setLong(8, revoked.get().revokedAfter().getAsLong());
        insert.setString(9, REVOKED);
        insert.setBytes(10, record.body());
        insert.addBatch();
        asideByDevice.merge(record.device(), 1, Integer::sum);
      }
      if (!asideByDevice.isEmpty()) {
        insert.executeBatch();
      }
    }
    for (Map.Entry<DeviceId, Integer> entry : asideByDevice.entrySet()) {
      log.warn(
          "Set aside {} record(s) of revoked device {}: received after its revocation ({}), they"
              + " are acknowledged but not counted. They are listed by GET /api/admin/set-aside"
              + " and kept whole in table set_aside; check the revocation time with GET"
              + " /api/admin/devices.",
          entry.getValue(),
          entry.getKey(),
          Instant.ofEpochSecond(
              devices.get(entry.getKey()).orElseThrow().revokedAfter().getAsLong()));
    }
    return counted;
  }

  /**
   * When this server committed the records of the revoked devices (epoch milliseconds), by device
   * and seq: one range query per revoked device of the batch, in the current transaction.
   */
  private static Map<DeviceId, Map<Long, Long>> receivedTimes(
      Connection c,
      List<Record> inserted,
      Map<DeviceId, Optional<DeviceRegistry.Registered>> devices)
      throws SQLException {
    Map<DeviceId, long[]> ranges = new LinkedHashMap<>();
    for (Record record : inserted) {
      if (devices.get(record.device()).isPresent()) {
        long[] range =
            ranges.computeIfAbsent(record.device(), d -> new long[] {record.seq(), record.seq()});
        range[0] = Math.min(range[0], record.seq());
        range[1] = Math.max(range[1], record.seq());
      }
    }
    Map<DeviceId, Map<Long, Long>> out = new HashMap<>();
    try (PreparedStatement select = c.prepareStatement(RECEIVED_TIMES)) {
      for (Map.Entry<DeviceId, long[]> entry : ranges.entrySet()) {
        Map<Long, Long> times = new HashMap<>();
        select.setString(1, entry.getKey().value());
        select.setLong(2, entry.getValue()[0]);
        select.setLong(3, entry.getValue()[1]);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            times.put(rs.getLong(1), rs.getLong(2));
          }
        }
        out.put(entry.getKey(), times);
      }
    }
    return out;
  }

  /** How many records are kept aside. */
  public long count() throws StoreException {
    return Transactions.run(
        database,
        "counting the records set aside",
        c -> {
          try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM set_aside");
              ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** The records kept aside, newest first, at most {@code limit} (1 to {@link #MAX_LIST}). */
  public List<Entry> list(int limit) throws StoreException {
    if (limit < 1 || limit > MAX_LIST) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIST + ", not " + limit);
    }
    return Transactions.run(
        database,
        "listing the records set aside",
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT device_id, seq, kind, event_id, received_at, hub_time, revoked_after,"
                      + " reason FROM set_aside ORDER BY received_at DESC, device_id, seq")) {
            select.setMaxRows(limit);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                short code = rs.getShort(3);
                out.add(
                    new Entry(
                        DeviceId.of(rs.getString(1)),
                        rs.getLong(2),
                        RecordKind.fromCode(code)
                            .orElseThrow(
                                () ->
                                    new SQLException(
                                        "unknown record kind " + code + " in set_aside")),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        rs.getString(8)));
              }
            }
            return out;
          }
        });
  }
}
