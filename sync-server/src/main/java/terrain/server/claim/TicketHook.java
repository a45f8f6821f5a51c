// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.codec.WireException;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.TicketCodec;
import terrain.core.ticket.TicketException;
import terrain.core.ticket.TicketRecord;
import terrain.store.RecordStore;

/**
 * Stores the tickets of synced TICKET records in {@code tickets}, inside the transaction that
 * commits them, so that a typed short code finds its ticket. A ticket already there (claimed by its
 * QR code before the record arrived) is left as it is. Whether and by whom a ticket was claimed is
 * {@code ticket_claims}' alone (decision 0050): nothing of it is copied here.
 *
 * <p>Set-wise per batch: the tickets already known are read with one range query per device, the
 * new tickets go in one JDBC batch, and the receive times one batched UPDATE: a handful of
 * statements per batch, not three per ticket.
 *
 * <p>A body that does not decode, or a ticket that names another device than the record's, is left
 * out with a log line; the record itself is still committed and acknowledged.
 */
public final class TicketHook implements RecordStore.InsertHook {
  private static final Logger log = LoggerFactory.getLogger(TicketHook.class);

  /** Told of every batch the hook sees, with the devices whose new tickets it inserted. */
  @FunctionalInterface
  public interface Listener {
    /**
     * Called inside the batch's transaction, before it commits (the rows may not be visible yet).
     */
    void inserting(Collection<DeviceId> devicesWithNewTickets);

    Listener NONE = devices -> {};
  }

  private final Listener listener;

  public TicketHook() {
    this(Listener.NONE);
  }

  public TicketHook(Listener listener) {
    this.listener = java.util.Objects.requireNonNull(listener, "listener");
  }

  private static final String SELECT_KNOWN =
      "SELECT serial FROM tickets WHERE device_id = ? AND serial >= ? AND serial <= ?";
  private static final String NOTE_RECORDS =
      "UPDATE tickets SET record_received_at = (SELECT r.received_time FROM records r"
          + " WHERE r.device_id = ? AND r.seq = ?), record_hub_time = ?, golden_proof = ?"
          + " WHERE device_id = ? AND serial = ? AND code = ? AND record_received_at IS NULL";
  private static final String INSERT =
      "INSERT INTO tickets (device_id, serial, code, short_code, event_id, briqs, golden,"
          + " issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** A decoded TICKET record of the batch. */
  private record Item(Record record, SignedTicket ticket, String shortCode, TicketRecord body) {
    long serial() {
      return ticket.ticket().serial();
    }
  }

  @Override
  public List<String> statements() {
    return List.of(SELECT_KNOWN, INSERT, NOTE_RECORDS);
  }

  @Override
  public void inserted(Connection connection, List<Record> inserted) throws SQLException {
    // By device, then serial: a fixed order, so that two instances do not deadlock each other.
    Map<DeviceId, TreeMap<Long, Item>> byDevice = new TreeMap<>();
    List<Item> items = new ArrayList<>();
    // The loop over the batch in a method of its own, without the statements below (decision 0066).
    collect(inserted, items, byDevice);
    if (items.isEmpty()) {
      listener.inserting(List.of());
      return;
    }
    List<DeviceId> withNew = new ArrayList<>();
    try (PreparedStatement known = connection.prepareStatement(SELECT_KNOWN);
        PreparedStatement insert = connection.prepareStatement(INSERT)) {
      int batched = 0;
      for (Map.Entry<DeviceId, TreeMap<Long, Item>> entry : byDevice.entrySet()) {
        TreeMap<Long, Item> serials = entry.getValue();
        Set<Long> there = new HashSet<>();
        bindRange(known, entry.getKey(), serials);
        try (ResultSet rs = known.executeQuery()) {
          while (rs.next()) {
            if (serials.containsKey(rs.getLong(1))) {
              there.add(rs.getLong(1));
            }
          }
        }
        if (there.size() == serials.size()) {
          continue;
        }
        withNew.add(entry.getKey());
        for (Item item : serials.values()) {
          if (!there.contains(item.serial())) {
            bindInsert(insert, item.ticket(), item.shortCode());
            insert.addBatch();
            batched++;
          }
        }
      }
      if (batched > 0) {
        insert.executeBatch();
      }
    }
    listener.inserting(withNew);
    noteRecords(connection, items);
  }

  /** The batch's tickets, in batch order and by device and serial. */
  private static void collect(
      List<Record> inserted, List<Item> items, Map<DeviceId, TreeMap<Long, Item>> byDevice) {
    for (Record record : inserted) {
      if (record.kind() != RecordKind.TICKET) {
        continue;
      }
      Item item = decode(record);
      if (item != null) {
        items.add(item);
        // Two records naming one serial: the first makes the row, as when they come apart.
        byDevice
            .computeIfAbsent(record.device(), d -> new TreeMap<>())
            .putIfAbsent(item.serial(), item);
      }
    }
  }

  /** The ticket of a TICKET record, or null (logged) when it cannot be stored. */
  private static Item decode(Record record) {
    try {
      TicketRecord body = TicketRecord.decode(record.body());
      SignedTicket ticket = TicketCodec.parse(body.code());
      String shortCode = TicketCodec.normalizeShortCode(TicketCodec.shortCode(ticket.code()));
      if (!ticket.ticket().device().equals(record.device())) {
        log.warn(
            "Ticket record {} holds a ticket of device {}: not stored",
            record,
            ticket.ticket().device());
        return null;
      }
      return new Item(record, ticket, shortCode, body);
    } catch (WireException | TicketException | RuntimeException e) {
      log.warn("Ticket record {} is stored but its ticket is not: {}", record, e.getMessage(), e);
      return null;
    }
  }

  private static void bindRange(
      PreparedStatement select, DeviceId device, TreeMap<Long, Item> serials) throws SQLException {
    select.setString(1, device.value());
    select.setLong(2, serials.firstKey());
    select.setLong(3, serials.lastKey());
  }

  /**
   * Keeps with the ticket what the server trusts about it: when its record was received here and by
   * its hub, and the golden draw proof. The first record wins; a record whose code differs from the
   * ticket already known under its serial (claimed first) is left out. One batched UPDATE; its
   * receive time is the record's row, inserted in this transaction.
   */
  private static void noteRecords(Connection c, List<Item> items) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(NOTE_RECORDS)) {
      for (Item item : items) {
        Record record = item.record();
        update.setString(1, record.device().value());
        update.setLong(2, record.seq());
        if (record.hubTime() > 0) {
          update.setLong(3, record.hubTime());
        } else {
          update.setNull(3, java.sql.Types.BIGINT);
        }
        update.setBytes(4, item.body().goldenProof());
        update.setString(5, record.device().value());
        update.setLong(6, item.serial());
        update.setString(7, item.ticket().code());
        update.addBatch();
      }
      int[] counts = update.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          log.warn(
              "Ticket record {} names serial {} whose ticket the server knew with another code,"
                  + " or a second time: its receive time and golden proof are not kept",
              items.get(i).record(),
              items.get(i).serial());
        }
      }
    }
  }

  /**
   * Inserts the row of a ticket claimed before its record arrived (the claim is the caller's {@code
   * ticket_claims} row), its signature noted as checked: one statement, nothing read back. A
   * concurrent insert by this hook fails with 23505, and the claim's transaction is retried.
   */
  static void insertClaimed(Connection c, SignedTicket signed, String shortCode)
      throws SQLException {
    // The claim has just verified its signature: the checker at rest need not (decision 0054).
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO tickets (device_id, serial, code, short_code, event_id, briqs, golden,"
                + " issued_at, expires_at, signature_checked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " 1)")) {
      bindInsert(insert, signed, shortCode);
      insert.executeUpdate();
    }
  }

  private static void bindInsert(PreparedStatement insert, SignedTicket signed, String shortCode)
      throws SQLException {
    var ticket = signed.ticket();
    insert.setString(1, ticket.device().value());
    insert.setLong(2, ticket.serial());
    insert.setString(3, signed.code());
    insert.setString(4, shortCode);
    insert.setString(5, ticket.eventId().value());
    insert.setInt(6, ticket.briqs());
    insert.setShort(7, (short) (ticket.golden() ? 1 : 0));
    insert.setLong(8, ticket.issuedAtEpochSecond());
    insert.setLong(9, ticket.expiresAtEpochSecond());
  }
}
