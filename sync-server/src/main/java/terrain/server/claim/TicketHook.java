// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.codec.WireException;
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
 * QR code before the record arrived) is left as it is.
 *
 * <p>A body that does not decode, or a ticket that names another device than the record's, is left
 * out with a log line; the record itself is still committed and acknowledged.
 */
public final class TicketHook implements RecordStore.InsertHook {
  private static final Logger log = LoggerFactory.getLogger(TicketHook.class);

  @Override
  public void inserted(Connection connection, List<Record> inserted) throws SQLException {
    for (Record record : inserted) {
      if (record.kind() != RecordKind.TICKET) {
        continue;
      }
      SignedTicket ticket;
      String shortCode;
      TicketRecord body;
      try {
        body = TicketRecord.decode(record.body());
        ticket = TicketCodec.parse(body.code());
        shortCode = TicketCodec.normalizeShortCode(TicketCodec.shortCode(ticket.code()));
      } catch (WireException | TicketException | RuntimeException e) {
        log.warn("Ticket record {} is stored but its ticket is not: {}", record, e.getMessage(), e);
        continue;
      }
      if (!ticket.ticket().device().equals(record.device())) {
        log.warn(
            "Ticket record {} holds a ticket of device {}: not stored",
            record,
            ticket.ticket().device());
        continue;
      }
      insertIfAbsent(connection, ticket, shortCode);
      noteRecord(connection, record, ticket, body);
    }
  }

  /**
   * Keeps with the ticket what the server trusts about it: when its record was received here and by
   * its hub, and the golden draw proof. The first record wins; a record whose code differs from the
   * ticket already known under its serial (claimed first) is left out.
   */
  private static void noteRecord(
      Connection c, Record record, SignedTicket ticket, TicketRecord body) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE tickets SET record_received_at = (SELECT r.received_time FROM records r"
                + " WHERE r.device_id = ? AND r.seq = ?), record_hub_time = ?, golden_proof = ?"
                + " WHERE device_id = ? AND serial = ? AND code = ? AND record_received_at IS NULL")) {
      update.setString(1, record.device().value());
      update.setLong(2, record.seq());
      if (record.hubTime() > 0) {
        update.setLong(3, record.hubTime());
      } else {
        update.setNull(3, java.sql.Types.BIGINT);
      }
      update.setBytes(4, body.goldenProof());
      update.setString(5, record.device().value());
      update.setLong(6, ticket.ticket().serial());
      update.setString(7, ticket.code());
      if (update.executeUpdate() == 0) {
        log.warn(
            "Ticket record {} names serial {} whose ticket the server knew with another code, or"
                + " a second time: its receive time and golden proof are not kept",
            record,
            ticket.ticket().serial());
      }
    }
  }

  /** Inserts the ticket unless it is there; a concurrent insert fails with 23505 and is retried. */
  static void insertIfAbsent(Connection c, SignedTicket signed, String shortCode)
      throws SQLException {
    var ticket = signed.ticket();
    try (PreparedStatement select =
        c.prepareStatement("SELECT 1 FROM tickets WHERE device_id = ? AND serial = ?")) {
      select.setString(1, ticket.device().value());
      select.setLong(2, ticket.serial());
      try (ResultSet rs = select.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
    }
    String claimedBy = null;
    long claimedAt = 0;
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT wallet_id, claimed_at FROM ticket_claims WHERE device_id = ? AND serial = ?")) {
      select.setString(1, ticket.device().value());
      select.setLong(2, ticket.serial());
      try (ResultSet rs = select.executeQuery()) {
        if (rs.next()) {
          claimedBy = rs.getString(1);
          claimedAt = rs.getLong(2);
        }
      }
    }
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO tickets (device_id, serial, code, short_code, event_id, briqs, golden,"
                + " issued_at, expires_at, claimed_by_wallet, claimed_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, ticket.device().value());
      insert.setLong(2, ticket.serial());
      insert.setString(3, signed.code());
      insert.setString(4, shortCode);
      insert.setString(5, ticket.eventId().value());
      insert.setInt(6, ticket.briqs());
      insert.setShort(7, (short) (ticket.golden() ? 1 : 0));
      insert.setLong(8, ticket.issuedAtEpochSecond());
      insert.setLong(9, ticket.expiresAtEpochSecond());
      insert.setString(10, claimedBy);
      if (claimedBy == null) {
        insert.setNull(11, java.sql.Types.BIGINT);
      } else {
        insert.setLong(11, claimedAt);
      }
      insert.executeUpdate();
    }
  }
}
