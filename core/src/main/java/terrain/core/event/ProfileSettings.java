// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The optional, skippable "who are you" screen after the idea: an age band and a neighbourhood,
 * asked so that results can be read against the population (representativeness). Nothing that
 * identifies a person: two coarse choices, both skippable.
 *
 * <p>The answers travel inside the RESPONSE record as two answers with the reserved question ids
 * {@link #AGE_ANSWER} and {@link #AREA_ANSWER}; poll questions cannot use ids starting with {@link
 * #RESERVED_PREFIX}.
 *
 * @param ageBands at least 2, unique ids, in the order shown (youngest first)
 * @param areas the neighbourhoods, unique ids, in the order shown; may be empty (not asked)
 */
public record ProfileSettings(List<AnswerOption> ageBands, List<AnswerOption> areas) {

  /** Question ids starting with this are kept for the profile. */
  public static final String RESERVED_PREFIX = "profile-";

  /** The answer id of the age band in a RESPONSE record. */
  public static final String AGE_ANSWER = "profile-age";

  /** The answer id of the neighbourhood in a RESPONSE record. */
  public static final String AREA_ANSWER = "profile-area";

  /** More choices than a screen can show as large buttons. */
  public static final int MAX_CHOICES = 16;

  /**
   * The bands used when the event file gives none: the INSEE-like bands services compare with. The
   * kiosk has its own words for them in every language (keys {@code profile.age.<id>}).
   */
  public static final List<AnswerOption> DEFAULT_AGE_BANDS =
      List.of(
          AnswerOption.of("moins-de-18", "Moins de 18 ans", "Under 18"),
          AnswerOption.of("18-29", "18 à 29 ans", "18 to 29"),
          AnswerOption.of("30-44", "30 à 44 ans", "30 to 44"),
          AnswerOption.of("45-59", "45 à 59 ans", "45 to 59"),
          AnswerOption.of("60-74", "60 à 74 ans", "60 to 74"),
          AnswerOption.of("75-plus", "75 ans et plus", "75 and over"));

  public ProfileSettings {
    ageBands = List.copyOf(Objects.requireNonNull(ageBands, "ProfileSettings ageBands null"));
    areas = List.copyOf(Objects.requireNonNull(areas, "ProfileSettings areas must not be null"));
    if (ageBands.size() < 2 || ageBands.size() > MAX_CHOICES) {
      throw new IllegalArgumentException(
          "ProfileSettings has " + ageBands.size() + " age bands; give 2 to " + MAX_CHOICES);
    }
    if (areas.size() > MAX_CHOICES) {
      throw new IllegalArgumentException(
          "ProfileSettings has " + areas.size() + " neighbourhoods; give at most " + MAX_CHOICES);
    }
    requireUnique("age band", ageBands);
    requireUnique("neighbourhood", areas);
  }

  /** The default age bands and the given neighbourhoods. */
  public static ProfileSettings withDefaultAgeBands(List<AnswerOption> areas) {
    return new ProfileSettings(DEFAULT_AGE_BANDS, areas);
  }

  /** Whether the age bands are {@link #DEFAULT_AGE_BANDS} (the kiosk then has words for them). */
  public boolean defaultAgeBands() {
    return ageBands.equals(DEFAULT_AGE_BANDS);
  }

  public Optional<AnswerOption> ageBand(String id) {
    return ageBands.stream().filter(o -> o.id().equals(id)).findFirst();
  }

  public Optional<AnswerOption> area(String id) {
    return areas.stream().filter(o -> o.id().equals(id)).findFirst();
  }

  /** Whether {@code questionId} is one of the ids kept for the profile. */
  public static boolean isReserved(String questionId) {
    return questionId.startsWith(RESERVED_PREFIX);
  }

  private static void requireUnique(String what, List<AnswerOption> options) {
    Set<String> seen = new HashSet<>();
    for (AnswerOption option : options) {
      if (!seen.add(option.id())) {
        throw new IllegalArgumentException(
            "ProfileSettings " + what + " id [" + option.id() + "] must be unique");
      }
    }
  }
}
