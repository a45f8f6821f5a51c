// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.testkit;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.ticket.DeviceKeys;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.Ticket;
import terrain.core.ticket.TicketCodec;
import terrain.core.ticket.TicketRecord;

/** A kiosk that signs tickets with its own key, as a real one does offline. */
public final class Tickets {
  private final DeviceId device;
  private final DeviceKeys keys;
  private final AtomicLong serial = new AtomicLong();

  public Tickets(DeviceId device, long seed) {
    this.device = device;
    byte[] bytes = new byte[32];
    new java.util.SplittableRandom(seed).nextBytes(bytes);
    this.keys = DeviceKeys.fromSeed(bytes);
  }

  public DeviceId device() {
    return device;
  }

  public DeviceKeys keys() {
    return keys;
  }

  /** A ticket issued now, valid 180 days. */
  public SignedTicket issue(String eventId, int briqs) {
    return issue(eventId, briqs, Instant.now(), 180);
  }

  /**
   * A ticket of {@code briqs} under the action for which {@link TestEnv#TICKET_REWARDS} gives them
   * (idea for 2 and 6, attendance for 4, response otherwise).
   */
  public SignedTicket issue(String eventId, int briqs, Instant at, int validityDays) {
    String action = briqs == 2 || briqs == 6 ? "idea" : briqs == 4 ? "attendance" : "response";
    return issue(eventId, action, briqs, at, validityDays, false);
  }

  /** Any ticket this device's key signs, as a kiosk (or a thief holding its key) would. */
  public SignedTicket issue(
      String eventId, String action, int briqs, Instant at, int validityDays, boolean golden) {
    Ticket ticket =
        Ticket.of(
            device,
            serial.incrementAndGet(),
            EventId.of(eventId),
            action,
            briqs,
            at.getEpochSecond(),
            validityDays,
            golden);
    return TicketCodec.sign(ticket, keys.privateKey());
  }

  /** The next serial this device signs, without using it. */
  public long nextSerial() {
    return serial.get() + 1;
  }

  /** The TICKET record a kiosk syncs for {@code ticket}, as its record number {@code seq}. */
  public Record record(SignedTicket ticket, long seq) {
    return record(ticket, seq, new byte[64], 0);
  }

  /** The TICKET record of {@code ticket} with its golden draw proof, as a hub stamped it. */
  public Record record(SignedTicket ticket, long seq, byte[] goldenProof, long hubTime) {
    return new Record(
        device,
        seq,
        RecordKind.TICKET,
        ticket.ticket().eventId().value(),
        ticket.ticket().issuedAtEpochSecond() * 1000,
        hubTime,
        new TicketRecord(ticket.code(), goldenProof).encode());
  }
}
