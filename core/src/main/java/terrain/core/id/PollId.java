// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.id;

import java.util.Optional;

/**
 * The id of a poll, unique in its event, as the event file gives it ({@code marche}). It is in
 * every response and idea record.
 */
public record PollId(String value) implements Comparable<PollId> {

  public PollId {
    Slug.check("Poll id", value);
  }

  public static PollId of(String value) {
    return new PollId(value);
  }

  public static boolean isValid(String value) {
    return Slug.isValid(value);
  }

  /**
   * The id a device record carries, when it is a valid one: records bound only the length of their
   * ids, so a poll id read from a record may be any text, which no event file could hold.
   */
  public static Optional<PollId> ifValid(String value) {
    return isValid(value) ? Optional.of(new PollId(value)) : Optional.empty();
  }

  @Override
  public int compareTo(PollId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
