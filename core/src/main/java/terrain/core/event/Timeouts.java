// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a kiosk waits for a resident.
 *
 * @param inactivity without a touch for this long, the kiosk asks whether someone is still there
 * @param countdown then, without a touch for this long, it drops the answers and starts over
 */
public record Timeouts(Duration inactivity, Duration countdown) {

  public static final Duration DEFAULT_INACTIVITY = Duration.ofSeconds(60);
  public static final Duration DEFAULT_COUNTDOWN = Duration.ofSeconds(15);

  private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,4})m)?\\s*(?:(\\d{1,5})s)?");

  public Timeouts {
    requirePositive("inactivity", inactivity);
    requirePositive("countdown", countdown);
  }

  /** 60 seconds of inactivity, then a 15 second countdown. */
  public static Timeouts defaults() {
    return new Timeouts(DEFAULT_INACTIVITY, DEFAULT_COUNTDOWN);
  }

  /** Reads {@code 60s}, {@code 2m} or {@code 1m30s}; empty for anything else. */
  static Optional<Duration> parseDuration(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches() || (m.group(1) == null && m.group(2) == null)) {
      return Optional.empty();
    }
    long minutes = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
    long seconds = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
    return Optional.of(Duration.ofMinutes(minutes).plusSeconds(seconds));
  }

  private static void requirePositive(String field, Duration value) {
    Objects.requireNonNull(value, "Timeouts " + field + " must not be null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          "Timeouts " + field + " [" + value + "] must be more than zero");
    }
  }
}
