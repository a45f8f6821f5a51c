// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import terrain.core.event.EventDefinition;
import terrain.core.event.Rewards;
import terrain.core.event.TicketRules;
import terrain.core.id.EventId;
import terrain.core.id.WalletId;
import terrain.core.record.DeviceId;
import terrain.core.ticket.IssuingRules;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.TicketCodec;
import terrain.core.ticket.TicketException;
import terrain.server.devices.DeviceRegistry;
import terrain.server.ledger.Ledger;
import terrain.server.ledger.TicketRef;
import terrain.server.ledger.Transactions;
import terrain.server.results.EventCatalog;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * Claims tickets into wallets: reads what the citizen scanned or typed (a ticket address, a code or
 * a short code), checks the ticket with its device's key, and credits the wallet once.
 */
public final class Claims {

  /** What came of checking or claiming a ticket. */
  public sealed interface Outcome {}

  /** The ticket is genuine, unexpired and not revoked (it may have been claimed). */
  public record Valid(SignedTicket ticket) implements Outcome {}

  /** The ticket's briqs are now in the wallet. */
  public record Claimed(SignedTicket ticket, long briqs, long balance) implements Outcome {}

  /** The ticket was claimed before. */
  public record AlreadyClaimed(SignedTicket ticket) implements Outcome {}

  /**
   * Not a ticket, altered, forged, or an unknown short code.
   *
   * @param reason a stable word for programs ({@link TicketException.Reason} names, {@code
   *     UNKNOWN_SHORT_CODE})
   */
  public record Invalid(String reason, String message) implements Outcome {}

  /** The device that signed it is not registered. */
  public record UnknownDevice(DeviceId device) implements Outcome {}

  /** Past its expiry. */
  public record Expired(SignedTicket ticket) implements Outcome {}

  /**
   * Its device was revoked and its TICKET record did not reach a hop (the hub or the server) by the
   * revocation time, or has not arrived at all.
   */
  public record Revoked(SignedTicket ticket) implements Outcome {}

  /** Why a genuinely signed ticket is refused: what it claims does not hold. */
  public enum Refusal {
    /** Its event is not known to the server (neither an --event file nor published). */
    UNKNOWN_EVENT,
    /** Its briqs are not what the event gives for its action. */
    BRIQS_MISMATCH,
    /** Its device had already issued the event's per-device cap of tickets. */
    CAP_EXCEEDED,
    /** It says golden, and its draw proof does not verify or does not win at the event's odds. */
    GOLDEN_UNPROVEN,
    /** Its issue time is later than its record was received (or than now) plus the skew. */
    ISSUED_IN_FUTURE,
    /** Another ticket of the same device and serial is known: one of them is forged. */
    SERIAL_REUSED
  }

  /**
   * A ticket signed by its device's key whose content the server does not accept.
   *
   * @param message for programs and logs, in English; pages show their own text per refusal
   */
  public record Refused(SignedTicket ticket, Refusal refusal, String message) implements Outcome {}

  /**
   * A ticket that cannot be checked before its TICKET record arrives (a golden ticket's proof is in
   * it): not a final refusal, the citizen tries again later.
   */
  public record NotYetSynced(SignedTicket ticket, String message) implements Outcome {}

  /**
   * How far a ticket's issue time may be after its record was first received by a hop (or after
   * now, without a record): devices' clocks drift.
   */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

  /** What the server knows of a ticket from the {@code tickets} table. */
  private record Known(
      String code, Long receivedAt, Long hubTime, byte[] goldenProof, long issuedBefore) {
    /** The earliest trusted receive time of its TICKET record, epoch milliseconds. */
    OptionalLong firstReceived() {
      if (receivedAt == null) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(hubTime == null ? receivedAt : Math.min(receivedAt, hubTime));
    }
  }

  private final Database database;
  private final DeviceRegistry registry;
  private final Ledger ledger;
  private final Clock clock;
  private final EventCatalog catalog;
  private volatile java.util.function.Consumer<Outcome> claimed = outcome -> {};

  /**
   * @param catalog the events the server knows, whose rules a ticket must follow
   */
  public Claims(
      Database database,
      DeviceRegistry registry,
      Ledger ledger,
      Clock clock,
      EventCatalog catalog) {
    this.database = Objects.requireNonNull(database, "database");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  /** Checks a ticket without claiming it: {@link Valid} or why not. */
  public Outcome check(String input) throws StoreException {
    Objects.requireNonNull(input, "input must not be null");
    SignedTicket signed;
    try {
      Optional<SignedTicket> found = resolve(input);
      if (found.isEmpty()) {
        return new Invalid(
            "UNKNOWN_SHORT_CODE",
            "no ticket has this short code yet: a ticket is known by its short code once its"
                + " kiosk has synced; scan the QR code, or try again later");
      }
      signed = found.get();
    } catch (TicketException e) {
      return new Invalid(e.reason().name(), e.getMessage());
    }
    var ticket = signed.ticket();
    Optional<DeviceRegistry.Registered> device = registry.find(ticket.device());
    if (device.isEmpty()) {
      return new UnknownDevice(ticket.device());
    }
    if (!verify(signed, device.get())) {
      return new Invalid(
          TicketException.Reason.BAD_SIGNATURE.name(),
          "the signature does not match device "
              + ticket.device()
              + ": the code was altered or forged");
    }
    Optional<Outcome> refused = checkContent(signed, device.get());
    if (refused.isPresent()) {
      return refused.get();
    }
    if (clock.instant().getEpochSecond() >= ticket.expiresAtEpochSecond()) {
      return new Expired(signed);
    }
    return new Valid(signed);
  }

  /**
   * What a signature does not prove: the event exists, the briqs follow its rule, the device's cap
   * holds, the golden draw verifies, the issue time is not after the record's arrival, and the
   * record reached a hop before any revocation.
   */
  private Optional<Outcome> checkContent(SignedTicket signed, DeviceRegistry.Registered device)
      throws StoreException {
    var ticket = signed.ticket();
    EventId eventId = ticket.eventId();
    Optional<EventDefinition> found = catalog.definition(eventId);
    if (found.isEmpty()) {
      return refuse(
          signed,
          Refusal.UNKNOWN_EVENT,
          "event " + eventId + " is not known to this server: publish its event file first");
    }
    EventDefinition event = found.get();
    Set<Integer> allowed = allowedBriqs(event.rewards(), ticket.action());
    if (!allowed.contains(ticket.briqs())) {
      return refuse(
          signed,
          Refusal.BRIQS_MISMATCH,
          "the ticket gives "
              + ticket.briqs()
              + " briqs for "
              + ticket.action()
              + " but event "
              + eventId
              + " gives "
              + (allowed.isEmpty() ? "none" : allowed.toString())
              + " for it");
    }
    TicketRules rules = event.tickets();
    Known known = known(signed, rules.perDeviceCap() != TicketRules.NO_CAP);
    if (known.code() != null && !known.code().equals(signed.code())) {
      return refuse(
          signed,
          Refusal.SERIAL_REUSED,
          "device "
              + ticket.device()
              + " issued another ticket with serial "
              + ticket.serial()
              + ": this one is forged");
    }
    if (known.issuedBefore() >= rules.perDeviceCap()) {
      return refuse(
          signed,
          Refusal.CAP_EXCEEDED,
          "device "
              + ticket.device()
              + " had already issued "
              + rules.perDeviceCap()
              + " tickets for event "
              + eventId
              + ", its cap");
    }
    OptionalLong firstReceived = known.firstReceived();
    if (ticket.golden()) {
      if (firstReceived.isEmpty()) {
        return Optional.of(
            new NotYetSynced(
                signed,
                "the record of this golden ticket has not reached the server yet; try again"
                    + " later"));
      }
      if (!IssuingRules.verifyGolden(
          device.publicKey(),
          ticket.device(),
          ticket.serial(),
          rules.goldenOdds(),
          known.goldenProof())) {
        return refuse(
            signed,
            Refusal.GOLDEN_UNPROVEN,
            "the golden draw proof of device "
                + ticket.device()
                + " for serial "
                + ticket.serial()
                + " does not verify at odds "
                + rules.goldenOdds());
      }
    }
    long latestIssue =
        (firstReceived.isPresent() ? firstReceived.getAsLong() : clock.millis())
            + CLOCK_SKEW.toMillis();
    if (ticket.issuedAtEpochSecond() * 1000 > latestIssue) {
      return refuse(
          signed,
          Refusal.ISSUED_IN_FUTURE,
          "the ticket says it was issued at "
              + Instant.ofEpochSecond(ticket.issuedAtEpochSecond())
              + ", more than "
              + CLOCK_SKEW.toMinutes()
              + " minutes after "
              + (firstReceived.isPresent() ? "its record was received" : "now"));
    }
    if (device.revokedAfter().isPresent()
        && (firstReceived.isEmpty()
            || device.revokes(Math.floorDiv(firstReceived.getAsLong() - 1, 1000) + 1))) {
      return Optional.of(new Revoked(signed));
    }
    return Optional.empty();
  }

  private static Optional<Outcome> refuse(SignedTicket signed, Refusal refusal, String message) {
    return Optional.of(new Refused(signed, refusal, message));
  }

  /**
   * Every number of briqs a device following the event's rewards prints for a ticket of {@code
   * action}: {@link IssuingRules} sums the rewards of the actions of one participation and names
   * the first that gives any, so the action's own reward plus any of the later actions' rewards. A
   * golden ticket gives the same briqs.
   */
  static Set<Integer> allowedBriqs(Rewards rewards, String action) {
    Set<Integer> allowed = new TreeSet<>();
    int at = Rewards.ACTIONS.indexOf(action);
    int own = rewards.briqsFor(action);
    if (at < 0 || own <= 0) {
      return allowed;
    }
    List<String> later = Rewards.ACTIONS.subList(at + 1, Rewards.ACTIONS.size());
    for (int mask = 0; mask < (1 << later.size()); mask++) {
      int sum = own;
      for (int i = 0; i < later.size(); i++) {
        if ((mask & (1 << i)) != 0) {
          sum += rewards.briqsFor(later.get(i));
        }
      }
      allowed.add(sum);
    }
    return allowed;
  }

  /** The ticket's row (from its record or an earlier claim) and, for a cap, the device's count. */
  private Known known(SignedTicket signed, boolean count) throws StoreException {
    var ticket = signed.ticket();
    return Transactions.run(
        database,
        "reading what is known of ticket " + ticket.device() + "#" + ticket.serial(),
        c -> {
          String code = null;
          Long receivedAt = null;
          Long hubTime = null;
          byte[] proof = null;
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT code, record_received_at, record_hub_time, golden_proof FROM tickets"
                      + " WHERE device_id = ? AND serial = ?")) {
            select.setString(1, ticket.device().value());
            select.setLong(2, ticket.serial());
            try (ResultSet rs = select.executeQuery()) {
              if (rs.next()) {
                code = rs.getString(1);
                receivedAt = rs.getObject(2) == null ? null : rs.getLong(2);
                hubTime = rs.getObject(3) == null ? null : rs.getLong(3);
                proof = rs.getBytes(4);
              }
            }
          }
          long before = 0;
          if (count) {
            // Tickets of lower serials; once the cap is known, a ticket the server never saw
            // (a higher serial claimed earlier or one made up) counts after all of them.
            try (PreparedStatement select =
                c.prepareStatement(
                    "SELECT COUNT(*), SUM(CASE WHEN serial < ? THEN 1 ELSE 0 END) FROM tickets"
                        + " WHERE device_id = ? AND event_id = ?")) {
              select.setLong(1, ticket.serial());
              select.setString(2, ticket.device().value());
              select.setString(3, ticket.eventId().value());
              try (ResultSet rs = select.executeQuery()) {
                rs.next();
                before = code == null ? rs.getLong(1) : rs.getLong(2);
              }
            }
          }
          return new Known(code, receivedAt, hubTime, proof, before);
        });
  }

  /**
   * Bouncy Castle's RFC 8032 Ed25519, about four times as fast as the JDK's, on the exact bytes
   * {@link TicketCodec#verify} checks (ClaimApiTest refuses forged and altered tickets with it).
   */
  static boolean verify(SignedTicket signed, byte[] rawKey) {
    byte[] message = TicketCodec.signedMessage(signed);
    return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
        signed.signature(), 0, rawKey, 0, message, 0, message.length);
  }

  /**
   * Whether the device's current key signed the ticket, or else one of the keys it had before it
   * rolled (a ticket printed before a roll stays valid).
   */
  static boolean verify(SignedTicket signed, DeviceRegistry.Registered device) {
    if (verify(signed, device.rawKey())) {
      return true;
    }
    for (byte[] earlier : device.earlierKeys()) {
      if (verify(signed, earlier)) {
        return true;
      }
    }
    return false;
  }

  /** Tells {@code observer} the outcome of every claim (for the metrics); replaces the last one. */
  public void observe(java.util.function.Consumer<Outcome> observer) {
    this.claimed = Objects.requireNonNull(observer, "observer");
  }

  /** Claims a ticket into a wallet: {@link Claimed} once, {@link AlreadyClaimed} after. */
  public Outcome claim(WalletId walletId, String input) throws StoreException {
    Outcome outcome = claimOnce(walletId, input);
    claimed.accept(outcome);
    return outcome;
  }

  private Outcome claimOnce(WalletId walletId, String input) throws StoreException {
    Outcome checked = check(input);
    if (!(checked instanceof Valid valid)) {
      return checked;
    }
    SignedTicket signed = valid.ticket();
    var ticket = signed.ticket();
    TicketRef ref = new TicketRef(ticket.device(), ticket.serial());
    String shortCode;
    try {
      shortCode = TicketCodec.normalizeShortCode(TicketCodec.shortCode(signed.code()));
    } catch (TicketException e) {
      throw new IllegalStateException("a parsed ticket has no short code: " + e.getMessage(), e);
    }
    Ledger.ClaimResult result =
        Transactions.run(
            database,
            "claiming ticket " + ref,
            c -> {
              Ledger.ClaimResult claimed =
                  ledger.claim(c, walletId, ref, ticket.briqs(), ticket.expiresAtEpochSecond());
              if (claimed instanceof Ledger.Credited) {
                long now = clock.instant().getEpochSecond();
                try (PreparedStatement update =
                    c.prepareStatement(
                        "UPDATE tickets SET claimed_by_wallet = ?, claimed_at = ?"
                            + " WHERE device_id = ? AND serial = ?")) {
                  update.setString(1, walletId.value());
                  update.setLong(2, now);
                  update.setString(3, ticket.device().value());
                  update.setLong(4, ticket.serial());
                  if (update.executeUpdate() == 0) {
                    // The QR code came before its kiosk synced the ticket record: the row is
                    // made here, claimed (the ticket hook leaves a known row as it is).
                    TicketHook.insertClaimed(c, signed, shortCode, walletId.value(), now);
                  }
                }
              }
              return claimed;
            });
    if (result instanceof Ledger.Credited credited) {
      return new Claimed(signed, credited.briqs(), credited.balance());
    }
    return new AlreadyClaimed(signed);
  }

  /** The ticket a typed short code names (once synced), or the ticket of a code or address. */
  private Optional<SignedTicket> resolve(String input) throws TicketException, StoreException {
    String shortCode;
    try {
      shortCode = TicketCodec.normalizeShortCode(input.strip());
    } catch (TicketException notShort) {
      return Optional.of(TicketCodec.parse(input));
    }
    Optional<String> code =
        Transactions.run(
            database,
            "looking up a short code",
            c -> {
              try (PreparedStatement select =
                  c.prepareStatement("SELECT code FROM tickets WHERE short_code = ?")) {
                select.setString(1, shortCode);
                try (ResultSet rs = select.executeQuery()) {
                  return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
              }
            });
    if (code.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(TicketCodec.parse(code.get()));
  }
}
