// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
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
import terrain.server.ledger.Statements;
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
      String code,
      Long receivedAt,
      Long hubTime,
      byte[] goldenProof,
      boolean signatureChecked,
      long issuedBefore) {
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
  private volatile Runnable activity = () -> {};
  private final java.util.concurrent.atomic.LongAdder verifies =
      new java.util.concurrent.atomic.LongAdder();

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
    activity.run();
    return Transactions.run(database, "checking a ticket", c -> checkIn(c, input).outcome());
  }

  /**
   * What checking a ticket found: the outcome and, for a {@link Valid} one, whether its row is in
   * {@code tickets} (its record synced, or an earlier claim), so that the claim writes it without
   * reading it again.
   */
  private record Checked(Outcome outcome, boolean rowKnown) {}

  /** Checks a ticket in the caller's transaction: every read of the check on one connection. */
  private Checked checkIn(Connection c, String input) throws SQLException {
    SignedTicket signed;
    try {
      Optional<SignedTicket> found = resolve(c, input);
      if (found.isEmpty()) {
        return new Checked(
            new Invalid(
                "UNKNOWN_SHORT_CODE",
                "no ticket has this short code yet: a ticket is known by its short code once its"
                    + " kiosk has synced; scan the QR code, or try again later"),
            false);
      }
      signed = found.get();
    } catch (TicketException e) {
      return new Checked(new Invalid(e.reason().name(), e.getMessage()), false);
    }
    var ticket = signed.ticket();
    Optional<DeviceRegistry.Registered> device = registry.findIn(c, ticket.device());
    if (device.isEmpty()) {
      return new Checked(new UnknownDevice(ticket.device()), false);
    }
    Known known = null;
    Optional<EventDefinition> event = catalog.definition(ticket.eventId());
    if (event.isPresent()) {
      known = known(c, signed, event.get().tickets().perDeviceCap());
    }
    // A synced ticket whose code the checker at rest verified (decision 0054) is not verified
    // again: the same code, the same device, whose keys only grow.
    boolean checkedAtRest =
        known != null && known.signatureChecked() && signed.code().equals(known.code());
    if (!checkedAtRest) {
      verifies.increment();
      if (!verify(signed, device.get())) {
        return new Checked(
            new Invalid(
                TicketException.Reason.BAD_SIGNATURE.name(),
                "the signature does not match device "
                    + ticket.device()
                    + ": the code was altered or forged"),
            false);
      }
    }
    Optional<Outcome> refused = checkContent(signed, device.get(), event, known);
    if (refused.isPresent()) {
      return new Checked(refused.get(), false);
    }
    if (clock.instant().getEpochSecond() >= ticket.expiresAtEpochSecond()) {
      return new Checked(new Expired(signed), false);
    }
    return new Checked(new Valid(signed), known.code() != null);
  }

  /**
   * What a signature does not prove: the event exists, the briqs follow its rule, the device's cap
   * holds, the golden draw verifies, the issue time is not after the record's arrival, and the
   * record reached a hop before any revocation.
   */
  private Optional<Outcome> checkContent(
      SignedTicket signed,
      DeviceRegistry.Registered device,
      Optional<EventDefinition> found,
      Known known) {
    var ticket = signed.ticket();
    EventId eventId = ticket.eventId();
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
      if (firstReceived.isEmpty() && device.revokedAfter().isPresent()) {
        // Its record reached no hop and its device is revoked: it never will be accepted, so
        // "try again later" would be a lie.
        return Optional.of(new Revoked(signed));
      }
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

  /**
   * The ticket's row (from its record or an earlier claim) and, for a cap, how many of the device's
   * tickets of the event count before it: at most {@code cap} rows are read, the check only needs
   * to know whether the cap is reached.
   */
  private static Known known(Connection c, SignedTicket signed, int cap) throws SQLException {
    var ticket = signed.ticket();
    String code = null;
    Long receivedAt = null;
    Long hubTime = null;
    byte[] proof = null;
    boolean checked = false;
    PreparedStatement row =
        Statements.prepared(
            c,
            "SELECT code, record_received_at, record_hub_time, golden_proof, signature_checked"
                + " FROM tickets WHERE device_id = ? AND serial = ?");
    row.setString(1, ticket.device().value());
    row.setLong(2, ticket.serial());
    try (ResultSet rs = row.executeQuery()) {
      if (rs.next()) {
        code = rs.getString(1);
        receivedAt = rs.getObject(2) == null ? null : rs.getLong(2);
        hubTime = rs.getObject(3) == null ? null : rs.getLong(3);
        proof = rs.getBytes(4);
        checked = rs.getInt(5) == 1;
      }
    }
    long before = 0;
    if (cap != TicketRules.NO_CAP) {
      // Tickets of lower serials; once the cap is known, a ticket the server never saw (a higher
      // serial claimed earlier or one made up) counts after all of them. The index
      // tickets_device_event (device_id, event_id, serial) is read for at most cap rows.
      try (PreparedStatement select =
          c.prepareStatement(
              code == null
                  ? "SELECT serial FROM tickets WHERE device_id = ? AND event_id = ?"
                  : "SELECT serial FROM tickets WHERE device_id = ? AND event_id = ?"
                      + " AND serial < ?")) {
        select.setMaxRows(cap);
        select.setString(1, ticket.device().value());
        select.setString(2, ticket.eventId().value());
        if (code != null) {
          select.setLong(3, ticket.serial());
        }
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            before++;
          }
        }
      }
    }
    return new Known(code, receivedAt, hubTime, proof, checked, before);
  }

  /**
   * Bouncy Castle's RFC 8032 Ed25519, about four times as fast as the JDK's, on the exact bytes
   * {@link TicketCodec#verify} checks (ClaimApiTest refuses forged and altered tickets with it). A
   * key is decoded and fully validated once (as the raw-key verify does on every call), then kept
   * by its bytes: {@link #KEYS_KEPT} keys at most.
   */
  static boolean verify(SignedTicket signed, byte[] rawKey) {
    Ed25519.PublicPoint key = publicPoint(rawKey);
    if (key == null) {
      return false;
    }
    byte[] message = TicketCodec.signedMessage(signed);
    return Ed25519.verify(signed.signature(), 0, key, message, 0, message.length);
  }

  /** Devices' decoded keys kept; past it the map is emptied (keys decode again in microseconds). */
  static final int KEYS_KEPT = 10_000;

  private static final ConcurrentHashMap<ByteBuffer, Ed25519.PublicPoint> KEYS =
      new ConcurrentHashMap<>();

  /** The decoded key, null when the bytes are not a valid Ed25519 public key. */
  private static Ed25519.PublicPoint publicPoint(byte[] rawKey) {
    if (rawKey.length != Ed25519.PUBLIC_KEY_SIZE) {
      return null;
    }
    Ed25519.PublicPoint point = KEYS.get(ByteBuffer.wrap(rawKey));
    if (point == null) {
      point = Ed25519.validatePublicKeyFullExport(rawKey, 0);
      if (point == null) {
        return null;
      }
      if (KEYS.size() >= KEYS_KEPT) {
        KEYS.clear();
      }
      KEYS.put(ByteBuffer.wrap(rawKey.clone()), point);
    }
    return point;
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

  /** Runs {@code busy} at every check and claim (the checker at rest waits for idle times). */
  public void onActivity(Runnable busy) {
    this.activity = Objects.requireNonNull(busy, "busy");
  }

  /** Signatures verified by checks and claims since the start (those checked at rest are not). */
  public long verifies() {
    return verifies.sum();
  }

  /** Tells {@code observer} the outcome of every claim (for the metrics); replaces the last one. */
  public void observe(java.util.function.Consumer<Outcome> observer) {
    this.claimed = Objects.requireNonNull(observer, "observer");
  }

  /** Claims a ticket into a wallet: {@link Claimed} once, {@link AlreadyClaimed} after. */
  public Outcome claim(WalletId walletId, String input) throws StoreException {
    Objects.requireNonNull(walletId, "walletId");
    return claim(c -> Optional.of(walletId), input);
  }

  /**
   * Claims a ticket into the wallet {@code wallet} finds, in one transaction: the wallet, the
   * ticket's row and its checks are read on the connection that writes the claim. {@link NoWallet}
   * when it finds none (nothing else is checked then).
   */
  public Outcome claim(WalletLookup wallet, String input) throws StoreException {
    Objects.requireNonNull(wallet, "wallet");
    Objects.requireNonNull(input, "input must not be null");
    activity.run();
    Outcome outcome =
        Transactions.run(database, "claiming a ticket", c -> claimIn(c, wallet, input));
    if (!(outcome instanceof NoWallet)) {
      claimed.accept(outcome);
    }
    return outcome;
  }

  /** Finds the claiming wallet inside the claim's transaction (e.g. by its bearer token). */
  @FunctionalInterface
  public interface WalletLookup {
    Optional<WalletId> find(Connection connection) throws SQLException;
  }

  /** The wallet lookup of a claim found no wallet: nothing was checked or claimed. */
  public record NoWallet() implements Outcome {}

  /**
   * The claim's statements, all on one connection: the wallet, the ticket's row (and the device's
   * count under a cap), then the claim row, the wallet's balance and the pool's entries (one
   * multi-row insert), the balance read back, and the ticket's row inserted when the check did not
   * find it (its QR code came before its kiosk synced). A ticket row inserted concurrently by the
   * ticket hook fails the insert with 23505, and the whole transaction is run again, which then
   * finds the row.
   */
  private Outcome claimIn(Connection c, WalletLookup wallet, String input) throws SQLException {
    Optional<WalletId> found = wallet.find(c);
    if (found.isEmpty()) {
      return new NoWallet();
    }
    WalletId walletId = found.get();
    Checked checked = checkIn(c, input);
    if (!(checked.outcome() instanceof Valid valid)) {
      return checked.outcome();
    }
    SignedTicket signed = valid.ticket();
    var ticket = signed.ticket();
    TicketRef ref = new TicketRef(ticket.device(), ticket.serial());
    Ledger.ClaimResult result =
        ledger.claim(c, walletId, ref, ticket.briqs(), ticket.expiresAtEpochSecond());
    if (!(result instanceof Ledger.Credited credited)) {
      return new AlreadyClaimed(signed);
    }
    if (!checked.rowKnown()) {
      // The QR code came before its kiosk synced the ticket record: the ticket's row is made here
      // (the ticket hook leaves a known row as it is). The claim itself is the ticket_claims row
      // the ledger just inserted, nowhere else (decision 0050).
      TicketHook.insertClaimed(c, signed, shortCode(signed));
    }
    return new Claimed(signed, credited.briqs(), credited.balance());
  }

  private static String shortCode(SignedTicket signed) {
    try {
      return TicketCodec.normalizeShortCode(TicketCodec.shortCode(signed.code()));
    } catch (TicketException e) {
      throw new IllegalStateException("a parsed ticket has no short code: " + e.getMessage(), e);
    }
  }

  /** The ticket a typed short code names (once synced), or the ticket of a code or address. */
  private static Optional<SignedTicket> resolve(Connection c, String input)
      throws TicketException, SQLException {
    String shortCode;
    try {
      shortCode = TicketCodec.normalizeShortCode(input.strip());
    } catch (TicketException notShort) {
      return Optional.of(TicketCodec.parse(input));
    }
    try (PreparedStatement select =
        c.prepareStatement("SELECT code FROM tickets WHERE short_code = ?")) {
      select.setString(1, shortCode);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(TicketCodec.parse(rs.getString(1))) : Optional.empty();
      }
    }
  }
}
