// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.ticket;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import terrain.core.event.EventDefinition;
import terrain.core.event.Rewards;
import terrain.core.event.TicketRules;
import terrain.core.event.TicketRules.GoldenOdds;
import terrain.core.record.DeviceId;

/**
 * Decides the ticket a device prints for one action at an event: the briqs from the event's
 * rewards, the expiry and the per-device cap from its {@code tickets:} section, and whether it is
 * golden.
 *
 * <p>The golden draw is the device's own Ed25519 signature of {@code (device, serial)}: its first
 * 64 bits, read as a number, are below the odds' share of 2<sup>64</sup>. Ed25519 signatures are
 * deterministic, so the device cannot draw again for the same serial, nobody can predict the draw
 * without the private key, and anyone with the public key can check it with {@link #verifyGolden}
 * given the signature (the draw proof), which the device keeps with its TICKET record. A seeded
 * random generator would give none of that: whoever knows the seed knows every golden serial in
 * advance.
 */
public final class IssuingRules {

  private static final byte[] GOLDEN_DOMAIN =
      "terrain/golden\n".getBytes(StandardCharsets.US_ASCII);

  /** What {@link #issue} decided. */
  public sealed interface Issuance {}

  /**
   * A ticket to sign and print.
   *
   * @param goldenProof the device's signature of the golden draw, 64 bytes
   */
  public record Issued(Ticket ticket, byte[] goldenProof) implements Issuance {
    public Issued {
      Objects.requireNonNull(ticket, "Issued ticket must not be null");
      goldenProof = goldenProof.clone();
    }

    @Override
    public byte[] goldenProof() {
      return goldenProof.clone();
    }
  }

  /** No ticket this time, and why. */
  public record NotIssued(Why why, String message) implements Issuance {
    public NotIssued {
      Objects.requireNonNull(why, "NotIssued why must not be null");
      Objects.requireNonNull(message, "NotIssued message must not be null");
    }
  }

  /** Why no ticket is printed. */
  public enum Why {
    /** The event gives no briq for this action. */
    NO_REWARD,
    /** The device has printed the event's per-device cap of tickets. */
    CAP_REACHED
  }

  private final EventDefinition event;

  public IssuingRules(EventDefinition event) {
    this.event = Objects.requireNonNull(event, "event must not be null");
  }

  /**
   * The ticket for one completed {@code action}.
   *
   * @param keys the device's key pair, for the golden draw
   * @param serial the device's next ticket serial, from 1
   * @param alreadyIssued how many tickets this device has issued for this event so far
   * @param now the device's clock
   * @throws IllegalArgumentException if {@code action} is not one of {@link Rewards#ACTIONS}
   */
  public Issuance issue(
      DeviceKeys keys,
      DeviceId device,
      long serial,
      long alreadyIssued,
      String action,
      Instant now) {
    return issue(keys, device, serial, alreadyIssued, List.of(action), now);
  }

  /**
   * The one ticket for several actions of one participation (answering the poll and leaving an
   * idea): its briqs are the sum of the actions' rewards, its action the first one that gives any.
   *
   * @throws IllegalArgumentException if {@code actions} is empty or holds an action that is not one
   *     of {@link Rewards#ACTIONS}
   */
  public Issuance issue(
      DeviceKeys keys,
      DeviceId device,
      long serial,
      long alreadyIssued,
      List<String> actions,
      Instant now) {
    Objects.requireNonNull(keys, "keys must not be null");
    Objects.requireNonNull(device, "device must not be null");
    Objects.requireNonNull(now, "now must not be null");
    if (actions.isEmpty()) {
      throw new IllegalArgumentException("actions must name at least one action");
    }
    int briqs = 0;
    String action = null;
    for (String each : actions) {
      if (!Rewards.ACTIONS.contains(each)) {
        throw new IllegalArgumentException(
            "action [" + each + "] must be one of " + String.join(", ", Rewards.ACTIONS));
      }
      int reward = event.rewards().briqsFor(each);
      if (reward > 0 && action == null) {
        action = each;
      }
      briqs += reward;
    }
    if (briqs == 0) {
      return new NotIssued(
          Why.NO_REWARD,
          "event "
              + event.id()
              + " gives no briq for the action"
              + (actions.size() > 1 ? "s " : " ")
              + String.join(", ", actions));
    }
    TicketRules rules = event.tickets();
    if (alreadyIssued >= rules.perDeviceCap()) {
      return new NotIssued(
          Why.CAP_REACHED,
          "device "
              + device
              + " has issued "
              + alreadyIssued
              + " tickets for event "
              + event.id()
              + ", its cap of "
              + rules.perDeviceCap());
    }
    byte[] proof = keys.sign(goldenMessage(device, serial));
    Ticket ticket =
        Ticket.of(
            device,
            serial,
            event.eventId(),
            action,
            briqs,
            now.getEpochSecond(),
            rules.validityDays(),
            isGolden(proof, rules.goldenOdds()));
    return new Issued(ticket, proof);
  }

  /**
   * Whether {@code proof} is the device's golden draw for {@code serial} and wins at {@code odds}.
   */
  public static boolean verifyGolden(
      PublicKey key, DeviceId device, long serial, GoldenOdds odds, byte[] proof) {
    return DeviceKeys.verify(key, goldenMessage(device, serial), proof) && isGolden(proof, odds);
  }

  /** The draw: the proof's first 64 bits, as a fraction of 2^64, fall below the odds. */
  static boolean isGolden(byte[] proof, GoldenOdds odds) {
    if (odds.isNever()) {
      return false;
    }
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (proof[i] & 0xFF);
    }
    // Uniform in [0, denominator) up to a bias below 2^-44 for denominators up to a million.
    return Long.remainderUnsigned(bits, odds.denominator()) < odds.numerator();
  }

  static byte[] goldenMessage(DeviceId device, long serial) {
    byte[] id = device.value().getBytes(StandardCharsets.US_ASCII);
    byte[] message = new byte[GOLDEN_DOMAIN.length + 1 + id.length + 8];
    int at = 0;
    System.arraycopy(GOLDEN_DOMAIN, 0, message, at, GOLDEN_DOMAIN.length);
    at += GOLDEN_DOMAIN.length;
    message[at++] = (byte) id.length;
    System.arraycopy(id, 0, message, at, id.length);
    at += id.length;
    for (int i = 7; i >= 0; i--) {
      message[at++] = (byte) (serial >>> (8 * i));
    }
    return message;
  }
}
