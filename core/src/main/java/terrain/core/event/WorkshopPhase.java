// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One phase of a workshop's script: what the room does, for how long, around which question.
 *
 * @param id unique in the script, e.g. {@code idees}; records name the phase they happened in
 * @param kind what the tablets show during the phase
 * @param duration the timer the facilitator starts (extendable on the day), 1 minute to 3 hours
 * @param prompt the question or theme shown on every tablet and the projector; required for an
 *     {@link Kind#IDEAS} phase
 * @param vote the dot-voting rules; present exactly for a {@link Kind#VOTE} phase
 */
public record WorkshopPhase(
    String id, Kind kind, Duration duration, Optional<LocalizedText> prompt, Optional<Vote> vote) {

  public static final Duration MIN_DURATION = Duration.ofMinutes(1);
  public static final Duration MAX_DURATION = Duration.ofHours(3);

  /** What the room does during a phase, in the order a workshop usually runs them. */
  public enum Kind {
    /** The facilitator welcomes the room; the door counts attendance. */
    WELCOME,
    /** Each table types or dictates ideas on its tablet. */
    IDEAS,
    /** The facilitator groups the ideas on the projector view. */
    GROUPING,
    /** Participants place their dots. */
    VOTE,
    /** The ranking on the projector. */
    RESULTS;

    /** The word an event file uses, e.g. {@code ideas}. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Dot-voting rules.
   *
   * @param dots how many dots each participant places, 1 to 20
   * @param capPerItem how many of their dots one participant may put on one item, 1 to dots
   * @param anonymous totals stay hidden until the facilitator reveals them
   */
  public record Vote(int dots, int capPerItem, boolean anonymous) {
    public static final int MAX_DOTS = 20;

    public Vote {
      if (dots < 1 || dots > MAX_DOTS) {
        throw new IllegalArgumentException(
            "dots is " + dots + "; give each participant 1 to " + MAX_DOTS + " dots");
      }
      if (capPerItem < 1 || capPerItem > dots) {
        throw new IllegalArgumentException(
            "cap is "
                + capPerItem
                + "; the dots one participant may put on one item must be 1 to dots ("
                + dots
                + ")");
      }
    }
  }

  public WorkshopPhase {
    Ids.require("WorkshopPhase id", id);
    Objects.requireNonNull(kind, "WorkshopPhase kind must not be null");
    Objects.requireNonNull(duration, "WorkshopPhase duration must not be null");
    Objects.requireNonNull(prompt, "WorkshopPhase prompt must not be null (empty for none)");
    Objects.requireNonNull(vote, "WorkshopPhase vote must not be null (empty for none)");
    if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          "phase " + id + " lasts " + duration.toMinutes() + " min; write 1m to 180m");
    }
    if (kind == Kind.IDEAS && prompt.isEmpty()) {
      throw new IllegalArgumentException(
          "phase " + id + " collects ideas: give it a question, e.g. question: {fr: \"...\"}");
    }
    if ((kind == Kind.VOTE) != vote.isPresent()) {
      throw new IllegalArgumentException(
          kind == Kind.VOTE
              ? "phase " + id + " is a vote: give it dots, e.g. dots: 3"
              : "phase " + id + " is not a vote: dots, cap and anonymous belong to a vote phase");
    }
  }
}
