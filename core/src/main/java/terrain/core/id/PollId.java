// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.id;

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

  @Override
  public int compareTo(PollId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
