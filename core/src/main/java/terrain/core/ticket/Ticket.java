// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.ticket;

import java.util.Objects;
import terrain.core.event.Rewards;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;

/**
 * What a printed ticket promises: {@code briqs} for one {@code action} at an event, issued by a
 * device under its own serial number.
 *
 * <p>The ticket code stores the issue time in whole minutes and the validity in whole days, so
 * {@code issuedAtEpochSecond} must be a whole minute and the validity a whole number of days
 * ({@link #of} rounds for you).
 *
 * @param version the format version, {@link TicketCodec#VERSION} for tickets written now
 * @param device the device that issued and signed it
 * @param serial the device's ticket number, from 1, never reused
 * @param eventId the event's id
 * @param action one of {@link Rewards#ACTIONS}
 * @param briqs 0 or more; at most {@link #MAX_BRIQS}
 * @param issuedAtEpochSecond when it was printed, a whole minute
 * @param expiresAtEpochSecond when it can no longer be claimed, a whole number of days (1 to {@link
 *     #MAX_VALIDITY_DAYS}) after it was issued
 * @param golden drawn as a golden ticket under the event's odds
 */
public record Ticket(
    int version,
    DeviceId device,
    long serial,
    EventId eventId,
    String action,
    int briqs,
    long issuedAtEpochSecond,
    long expiresAtEpochSecond,
    boolean golden) {

  /** More than any event gives for one action; keeps a forged-looking amount out. */
  public static final int MAX_BRIQS = 10_000;

  /** Ten years. */
  public static final int MAX_VALIDITY_DAYS = 3653;

  private static final long DAY = 86_400;

  public Ticket {
    if (version < 1 || version > 255) {
      throw new IllegalArgumentException("Ticket version [" + version + "] must be 1 to 255");
    }
    Objects.requireNonNull(device, "Ticket device must not be null");
    if (serial < 1) {
      throw new IllegalArgumentException("Ticket serial [" + serial + "] must be 1 or more");
    }
    Objects.requireNonNull(eventId, "Ticket eventId must not be null");
    Objects.requireNonNull(action, "Ticket action must not be null");
    if (!Rewards.ACTIONS.contains(action)) {
      throw new IllegalArgumentException(
          "Ticket action [" + action + "] must be one of " + String.join(", ", Rewards.ACTIONS));
    }
    if (briqs < 0 || briqs > MAX_BRIQS) {
      throw new IllegalArgumentException("Ticket briqs [" + briqs + "] must be 0 to " + MAX_BRIQS);
    }
    if (issuedAtEpochSecond < 0 || issuedAtEpochSecond % 60 != 0) {
      throw new IllegalArgumentException(
          "Ticket issuedAtEpochSecond ["
              + issuedAtEpochSecond
              + "] must be a whole minute after 1970, 0 or more and divisible by 60");
    }
    long validity = expiresAtEpochSecond - issuedAtEpochSecond;
    if (validity < DAY || validity > MAX_VALIDITY_DAYS * DAY || validity % DAY != 0) {
      throw new IllegalArgumentException(
          "Ticket expiresAtEpochSecond ["
              + expiresAtEpochSecond
              + "] must be a whole number of days, 1 to "
              + MAX_VALIDITY_DAYS
              + ", after issuedAtEpochSecond ["
              + issuedAtEpochSecond
              + "]");
    }
  }

  /**
   * A ticket of the current version issued at {@code issuedAtEpochSecond} rounded down to the
   * minute, valid for {@code validityDays}.
   */
  public static Ticket of(
      DeviceId device,
      long serial,
      EventId eventId,
      String action,
      int briqs,
      long issuedAtEpochSecond,
      int validityDays,
      boolean golden) {
    long issued = Math.floorDiv(issuedAtEpochSecond, 60) * 60;
    return new Ticket(
        TicketCodec.VERSION,
        device,
        serial,
        eventId,
        action,
        briqs,
        issued,
        issued + validityDays * DAY,
        golden);
  }

  /** The number of whole days between issue and expiry. */
  public int validityDays() {
    return (int) ((expiresAtEpochSecond - issuedAtEpochSecond) / DAY);
  }
}
