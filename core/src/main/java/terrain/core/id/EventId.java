// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.id;

import java.util.Optional;

/**
 * The id of an event (a market day, a workshop), as its event file gives it ({@code
 * marche-2026-11-28}). It is printed on tickets and appears in MQTT topics and URLs.
 */
public record EventId(String value) implements Comparable<EventId> {

  public EventId {
    Slug.check("Event id", value);
  }

  public static EventId of(String value) {
    return new EventId(value);
  }

  public static boolean isValid(String value) {
    return Slug.isValid(value);
  }

  /**
   * The id a device record carries, when it is a valid one: records bound only the length of their
   * ids, so a event id read from a record may be any text, which no event file could hold.
   */
  public static Optional<EventId> ifValid(String value) {
    return isValid(value) ? Optional.of(new EventId(value)) : Optional.empty();
  }

  @Override
  public int compareTo(EventId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
