// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import terrain.core.id.QuestionId;

/**
 * A question of a poll.
 *
 * <p>A {@link QuestionKind#SINGLE} or {@link QuestionKind#MULTIPLE} question has at least two
 * options of its own. A {@link QuestionKind#SCALE} question has the options "1" to "5" and a {@link
 * QuestionKind#YES_NO} question the options "yes" and "no"; build them with {@link #scale} and
 * {@link #yesNo}. A {@link QuestionKind#RANKING} question has at least two options, of which a
 * resident ranks 1 to {@code maxChoices} (at most {@link #MAX_RANKED}). A {@link QuestionKind#MAP}
 * question has a {@link MapSpec} whose zones are its options (possibly none). A {@link
 * QuestionKind#TEXT} question has no option and a {@code maxLength}.
 *
 * @param id unique within its poll; 1 to 40 lowercase letters a-z, digits or dashes
 * @param kind how it is answered
 * @param text the question shown to residents
 * @param options the answers, in display order, with unique ids
 * @param maxChoices how many options a resident may pick: 1, except for a multiple question where
 *     it is 1 to the number of options, and a ranking where it is 1 to the number of options and at
 *     most {@link #MAX_RANKED}
 * @param map the map of a map question, empty for the other kinds
 * @param maxLength the most characters of a text answer, 1 to {@link #MAX_TEXT_LENGTH}; 0 for the
 *     other kinds
 */
public record Question(
    String id,
    QuestionKind kind,
    LocalizedText text,
    List<AnswerOption> options,
    int maxChoices,
    Optional<MapSpec> map,
    int maxLength) {

  /** The lowest point of a scale question. */
  public static final int SCALE_MIN = 1;

  /** The highest point of a scale question. */
  public static final int SCALE_MAX = 5;

  /** The most options a resident ranks: more is a chore on a kiosk. */
  public static final int MAX_RANKED = 5;

  /** The longest free text answer an event may allow, in characters (code points). */
  public static final int MAX_TEXT_LENGTH = 500;

  /** The length of a free text answer when the event file does not say. */
  public static final int DEFAULT_TEXT_LENGTH = 140;

  private static final List<String> YES_NO_IDS = List.of("yes", "no");

  public Question {
    Ids.require("Question id", id);
    Objects.requireNonNull(kind, "Question kind must not be null");
    Objects.requireNonNull(text, "Question text must not be null");
    options = List.copyOf(Objects.requireNonNull(options, "Question options must not be null"));
    Objects.requireNonNull(map, "Question map must not be null (use Optional.empty())");
    if (map.isPresent() != (kind == QuestionKind.MAP)) {
      throw new IllegalArgumentException(
          "Question [" + id + "] must have a map exactly when its kind is map");
    }
    if (kind == QuestionKind.TEXT) {
      if (maxLength < 1 || maxLength > MAX_TEXT_LENGTH) {
        throw new IllegalArgumentException(
            "Question ["
                + id
                + "] maxLength ["
                + maxLength
                + "] must be from 1 to "
                + MAX_TEXT_LENGTH);
      }
    } else if (maxLength != 0) {
      throw new IllegalArgumentException(
          "Question [" + id + "] maxLength [" + maxLength + "] must be 0 for a " + kind.yamlName());
    }
    Set<String> seen = new HashSet<>();
    for (AnswerOption option : options) {
      if (!seen.add(option.id())) {
        throw new IllegalArgumentException(
            "Question [" + id + "] option id [" + option.id() + "] must be unique in the question");
      }
    }
    List<String> ids = options.stream().map(AnswerOption::id).toList();
    switch (kind) {
      case SINGLE, MULTIPLE, RANKING -> {
        if (options.size() < 2) {
          throw new IllegalArgumentException(
              "Question ["
                  + id
                  + "] has "
                  + options.size()
                  + " options; a "
                  + kind.yamlName()
                  + " question needs at least 2");
        }
      }
      case SCALE -> {
        if (!ids.equals(scaleIds())) {
          throw new IllegalArgumentException(
              "Question ["
                  + id
                  + "] option ids "
                  + ids
                  + " must be "
                  + scaleIds()
                  + " for a scale");
        }
      }
      case YES_NO -> {
        if (!ids.equals(YES_NO_IDS)) {
          throw new IllegalArgumentException(
              "Question [" + id + "] option ids " + ids + " must be " + YES_NO_IDS + " for yes/no");
        }
      }
      case MAP -> {
        List<String> zones = map.get().zones().stream().map(MapSpec.Zone::id).toList();
        if (!ids.equals(zones)) {
          throw new IllegalArgumentException(
              "Question ["
                  + id
                  + "] option ids "
                  + ids
                  + " must be its map's zone ids "
                  + zones
                  + ", in the same order");
        }
      }
      case TEXT -> {
        if (!options.isEmpty()) {
          throw new IllegalArgumentException(
              "Question [" + id + "] has options " + ids + "; a text question has none");
        }
      }
    }
    int max =
        switch (kind) {
          case MULTIPLE -> options.size();
          case RANKING -> Math.min(options.size(), MAX_RANKED);
          default -> 1;
        };
    if (maxChoices < 1 || maxChoices > max) {
      throw new IllegalArgumentException(
          "Question ["
              + id
              + "] maxChoices ["
              + maxChoices
              + "] must be "
              + (max == 1 ? "1 for a " + kind.yamlName() + " question" : "from 1 to " + max));
    }
  }

  /** The id as a type, for the kiosk's and the server's lookups. */
  public QuestionId questionId() {
    return QuestionId.of(id);
  }

  /** A question of one of the kinds single, multiple, scale and yes/no. */
  public Question(
      String id,
      QuestionKind kind,
      LocalizedText text,
      List<AnswerOption> options,
      int maxChoices) {
    this(id, kind, text, options, maxChoices, Optional.empty(), 0);
  }

  /** A question answered by exactly one of {@code options}. */
  public static Question single(String id, LocalizedText text, List<AnswerOption> options) {
    return new Question(id, QuestionKind.SINGLE, text, options, 1);
  }

  /** A question answered by 1 to {@code maxChoices} of {@code options}. */
  public static Question multiple(
      String id, LocalizedText text, List<AnswerOption> options, int maxChoices) {
    return new Question(id, QuestionKind.MULTIPLE, text, options, maxChoices);
  }

  /**
   * A 1 to 5 scale question.
   *
   * @param labels texts for some points of the scale (typically 1 and 5); the other points are
   *     labelled with their number
   */
  public static Question scale(String id, LocalizedText text, Map<Integer, LocalizedText> labels) {
    Objects.requireNonNull(labels, "Question labels must not be null");
    for (Integer point : labels.keySet()) {
      if (point == null || point < SCALE_MIN || point > SCALE_MAX) {
        throw new IllegalArgumentException(
            "Question [" + id + "] label point [" + point + "] must be from 1 to 5");
      }
    }
    List<AnswerOption> options = new ArrayList<>();
    for (int point = SCALE_MIN; point <= SCALE_MAX; point++) {
      String number = Integer.toString(point);
      options.add(new AnswerOption(number, labels.getOrDefault(point, LocalizedText.of(number))));
    }
    return new Question(id, QuestionKind.SCALE, text, options, 1);
  }

  /** A yes/no question, with the options "yes" (Oui/Yes/نعم) and "no" (Non/No/لا). */
  public static Question yesNo(String id, LocalizedText text) {
    return new Question(
        id,
        QuestionKind.YES_NO,
        text,
        List.of(
            new AnswerOption("yes", LocalizedText.of("Oui", "Yes", "نعم")),
            new AnswerOption("no", LocalizedText.of("Non", "No", "لا"))),
        1);
  }

  /** A question answered by ranking 1 to {@code maxRanked} of {@code options}, best first. */
  public static Question ranking(
      String id, LocalizedText text, List<AnswerOption> options, int maxRanked) {
    return new Question(id, QuestionKind.RANKING, text, options, maxRanked);
  }

  /**
   * A question answered by a pin on {@code map}; {@code zones} name the map's zones, in the order
   * of {@code map.zones()}.
   */
  public static Question map(
      String id, LocalizedText text, MapSpec map, List<LocalizedText> zoneNames) {
    Objects.requireNonNull(map, "Question map must not be null");
    Objects.requireNonNull(zoneNames, "Question zone names must not be null");
    if (zoneNames.size() != map.zones().size()) {
      throw new IllegalArgumentException(
          "Question ["
              + id
              + "] has "
              + zoneNames.size()
              + " zone names for "
              + map.zones().size()
              + " zones");
    }
    List<AnswerOption> options = new ArrayList<>();
    for (int i = 0; i < zoneNames.size(); i++) {
      options.add(new AnswerOption(map.zones().get(i).id(), zoneNames.get(i)));
    }
    return new Question(id, QuestionKind.MAP, text, options, 1, Optional.of(map), 0);
  }

  /** A question answered by a text of 1 to {@code maxLength} characters. */
  public static Question text(String id, LocalizedText text, int maxLength) {
    return new Question(id, QuestionKind.TEXT, text, List.of(), 1, Optional.empty(), maxLength);
  }

  /** The option with this id, if the question has one. */
  public Optional<AnswerOption> option(String id) {
    return options.stream().filter(o -> o.id().equals(id)).findFirst();
  }

  private static List<String> scaleIds() {
    List<String> ids = new ArrayList<>();
    for (int point = SCALE_MIN; point <= SCALE_MAX; point++) {
      ids.add(Integer.toString(point));
    }
    return ids;
  }
}
