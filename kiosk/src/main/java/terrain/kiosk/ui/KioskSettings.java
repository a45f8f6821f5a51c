// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.time.Duration;
import java.util.Objects;
import terrain.kiosk.ui.staff.StaffPin;

/**
 * How the kiosk behaves, beyond the event's own timeouts.
 *
 * @param staffPin what the digits staff type to leave the kiosk are checked against
 * @param tapWindow a second tap on the same control within this time is ignored
 * @param cornerHold how long staff hold the corner before the PIN pad shows
 * @param thankYouTime how long the thank-you screen stays before the kiosk starts over
 * @param partialAnswers what becomes of the answers of a resident who walked away
 */
public record KioskSettings(
    StaffPin staffPin,
    Duration tapWindow,
    Duration cornerHold,
    Duration thankYouTime,
    PartialAnswers partialAnswers) {

  /** What becomes of the answers of a resident who walked away before the end. */
  public enum PartialAnswers {
    /** Dropped: nothing is stored (the default). */
    DISCARD,
    /** Stored as a participation, if there is at least one answer. */
    KEEP
  }

  /** The PIN used in development when none is given; never at an event. */
  public static final String DEVELOPMENT_PIN = "0000";

  public KioskSettings {
    Objects.requireNonNull(staffPin, "KioskSettings staffPin must not be null");
    requirePositive("tapWindow", tapWindow);
    requirePositive("cornerHold", cornerHold);
    requirePositive("thankYouTime", thankYouTime);
    Objects.requireNonNull(partialAnswers, "KioskSettings partialAnswers must not be null");
  }

  /** With a PIN of 4 to 8 digits (development, tests). */
  public KioskSettings(
      String staffPin,
      Duration tapWindow,
      Duration cornerHold,
      Duration thankYouTime,
      PartialAnswers partialAnswers) {
    this(StaffPin.plain(staffPin), tapWindow, cornerHold, thankYouTime, partialAnswers);
  }

  /** 300 ms tap window, 3 s corner hold, 10 s thank-you, partial answers discarded. */
  public static KioskSettings withPin(String staffPin) {
    return withPin(StaffPin.plain(staffPin));
  }

  /** {@link #withPin(String)} with the PIN of an enrolled device's bundle, or another. */
  public static KioskSettings withPin(StaffPin staffPin) {
    return new KioskSettings(
        staffPin,
        Duration.ofMillis(300),
        Duration.ofSeconds(3),
        Duration.ofSeconds(10),
        PartialAnswers.DISCARD);
  }

  private static void requirePositive(String field, Duration value) {
    Objects.requireNonNull(value, "KioskSettings " + field + " must not be null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          "KioskSettings " + field + " [" + value + "] must be more than zero");
    }
  }

  @Override
  public String toString() {
    return "KioskSettings[staffPin=***, tapWindow="
        + tapWindow
        + ", cornerHold="
        + cornerHold
        + ", thankYouTime="
        + thankYouTime
        + ", partialAnswers="
        + partialAnswers
        + "]";
  }
}
