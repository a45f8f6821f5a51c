// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import terrain.core.id.WalletId;
import terrain.core.record.DeviceId;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.TicketCodec;
import terrain.core.ticket.TicketException;
import terrain.server.devices.DeviceRegistry;
import terrain.server.ledger.Ledger;
import terrain.server.ledger.TicketRef;
import terrain.server.ledger.Transactions;
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

  /** Issued after its device was revoked. */
  public record Revoked(SignedTicket ticket) implements Outcome {}

  private final Database database;
  private final DeviceRegistry registry;
  private final Ledger ledger;
  private final Clock clock;

  public Claims(Database database, DeviceRegistry registry, Ledger ledger, Clock clock) {
    this.database = Objects.requireNonNull(database, "database");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
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
    if (device.get().revokes(ticket.issuedAtEpochSecond())) {
      return new Revoked(signed);
    }
    if (clock.instant().getEpochSecond() >= ticket.expiresAtEpochSecond()) {
      return new Expired(signed);
    }
    return new Valid(signed);
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

  /** Claims a ticket into a wallet: {@link Claimed} once, {@link AlreadyClaimed} after. */
  public Outcome claim(WalletId walletId, String input) throws StoreException {
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
                try (PreparedStatement update =
                    c.prepareStatement(
                        "UPDATE tickets SET claimed_by_wallet = ?, claimed_at = ?"
                            + " WHERE device_id = ? AND serial = ?")) {
                  update.setString(1, walletId.value());
                  update.setLong(2, clock.instant().getEpochSecond());
                  update.setString(3, ticket.device().value());
                  update.setLong(4, ticket.serial());
                  if (update.executeUpdate() == 0) {
                    // The QR code came before its kiosk synced the ticket record: the claim row
                    // written above makes insertIfAbsent record it as claimed.
                    TicketHook.insertIfAbsent(c, signed, shortCode);
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
