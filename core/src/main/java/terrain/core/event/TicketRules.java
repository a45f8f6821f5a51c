// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an event's kiosks issue briq tickets, from the {@code tickets:} section of the event file.
 *
 * @param validityDays how many days a ticket can be claimed after it is printed, 1 to 3653
 * @param perDeviceCap the most tickets one device prints for this event, or {@link #NO_CAP}
 * @param goldenOdds the chance that a ticket is golden
 */
public record TicketRules(int validityDays, int perDeviceCap, GoldenOdds goldenOdds) {

  /** Six months, roughly. */
  public static final int DEFAULT_VALIDITY_DAYS = 180;

  public static final int MAX_VALIDITY_DAYS = 3653;

  /** No limit on the tickets of one device. */
  public static final int NO_CAP = Integer.MAX_VALUE;

  private static final Pattern DAYS = Pattern.compile("(\\d{1,4})d");

  /**
   * The chance of a golden ticket, {@code numerator} in {@code denominator}.
   *
   * @param numerator 0 (never) to {@code denominator} (always)
   * @param denominator 1 to 1,000,000
   */
  public record GoldenOdds(int numerator, int denominator) {

    private static final Pattern RATIO = Pattern.compile("(\\d{1,7})\\s*/\\s*(\\d{1,7})");

    public GoldenOdds {
      if (denominator < 1 || denominator > 1_000_000) {
        throw new IllegalArgumentException(
            "GoldenOdds denominator [" + denominator + "] must be 1 to 1000000");
      }
      if (numerator < 0 || numerator > denominator) {
        throw new IllegalArgumentException(
            "GoldenOdds numerator ["
                + numerator
                + "] must be 0 to the denominator ["
                + denominator
                + "]");
      }
    }

    /** No golden ticket. */
    public static GoldenOdds never() {
      return new GoldenOdds(0, 1);
    }

    /** Reads {@code 1/200} or {@code 0}; empty for anything else. */
    static Optional<GoldenOdds> parse(String text) {
      String t = text.strip();
      if (t.equals("0")) {
        return Optional.of(never());
      }
      Matcher m = RATIO.matcher(t);
      if (!m.matches()) {
        return Optional.empty();
      }
      int numerator = Integer.parseInt(m.group(1));
      int denominator = Integer.parseInt(m.group(2));
      if (denominator < 1 || denominator > 1_000_000 || numerator > denominator) {
        return Optional.empty();
      }
      return Optional.of(new GoldenOdds(numerator, denominator));
    }

    public boolean isNever() {
      return numerator == 0;
    }

    @Override
    public String toString() {
      return numerator + "/" + denominator;
    }
  }

  public TicketRules {
    if (validityDays < 1 || validityDays > MAX_VALIDITY_DAYS) {
      throw new IllegalArgumentException(
          "TicketRules validityDays [" + validityDays + "] must be 1 to " + MAX_VALIDITY_DAYS);
    }
    if (perDeviceCap < 0) {
      throw new IllegalArgumentException(
          "TicketRules perDeviceCap [" + perDeviceCap + "] must be 0 or more");
    }
    Objects.requireNonNull(goldenOdds, "TicketRules goldenOdds must not be null");
  }

  /** 180 days, no cap, no golden ticket. */
  public static TicketRules defaults() {
    return new TicketRules(DEFAULT_VALIDITY_DAYS, NO_CAP, GoldenOdds.never());
  }

  /** Reads {@code 180d}; empty for anything else. */
  static Optional<Integer> parseDays(String text) {
    Matcher m = DAYS.matcher(text.strip());
    return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }
}
