// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.rules;

import java.text.Normalizer;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import terrain.core.event.AnswerOption;
import terrain.core.event.MapSpec;
import terrain.core.event.Poll;
import terrain.core.event.Question;
import terrain.core.event.QuestionKind;
import terrain.core.id.QuestionId;
import terrain.core.record.ResponseBody;

/**
 * What counts as a valid answer to a question of a poll: options of that question, each chosen
 * once, exactly one for a single, scale or yes/no question, 1 to {@code maxChoices} for a multiple
 * one or a ranking (in rank order); for a map, a pin (with the zone it falls in, if any) or one
 * zone picked from the list; for a text question, a text of 1 to {@code maxLength} characters. A
 * screen model can ask {@link #maxChoices} to know when to stop accepting taps.
 */
public final class AnswerRules {
  private AnswerRules() {}

  /**
   * Checks one answer and returns an unmodifiable copy of the chosen option ids.
   *
   * @throws IllegalArgumentException naming the field, the value and the rule it breaks
   */
  public static List<String> check(Poll poll, QuestionId questionId, List<String> optionIds) {
    Question question = question(poll, questionId);
    if (question.kind() == QuestionKind.TEXT) {
      throw new IllegalArgumentException(
          "Question [" + questionId + "] (text) is answered with a text, not with options");
    }
    if (optionIds == null) {
      throw new IllegalArgumentException(
          "Options of question [" + questionId + "] must not be null");
    }
    Set<String> seen = new HashSet<>();
    for (String optionId : optionIds) {
      if (optionId == null || question.option(optionId).isEmpty()) {
        throw new IllegalArgumentException(
            "Option id ["
                + optionId
                + "] is not an option of question ["
                + questionId
                + "]; its options are "
                + question.options().stream().map(AnswerOption::id).toList());
      }
      if (!seen.add(optionId)) {
        throw new IllegalArgumentException(
            "Option id ["
                + optionId
                + "] is chosen twice for question ["
                + questionId
                + "]; each option may be chosen once");
      }
    }
    int max = maxChoices(question);
    int count = optionIds.size();
    if (count < 1 || count > max) {
      String rule = max == 1 ? "exactly 1 option" : "1 to " + max + " options";
      throw new IllegalArgumentException(
          "Question ["
              + questionId
              + "] ("
              + question.kind().yamlName()
              + ") takes "
              + rule
              + ", got "
              + count
              + ": "
              + optionIds);
    }
    return List.copyOf(optionIds);
  }

  /**
   * Checks any answer and returns it as it will be stored: options as {@link #check(Poll,
   * QuestionId, List)} says, a pin with the zone it falls in, a text tidied by {@link #tidyText}.
   *
   * @throws IllegalArgumentException naming the field, the value and the rule it breaks
   */
  public static ResponseBody.Answer check(Poll poll, ResponseBody.Answer answer) {
    Question question = question(poll, answer.questionId());
    QuestionId id = question.questionId();
    if (answer.pin().isPresent()) {
      if (question.kind() != QuestionKind.MAP || answer.text().isPresent()) {
        throw new IllegalArgumentException(
            "Question [" + id + "] (" + question.kind().yamlName() + ") takes no pin");
      }
      return pin(poll, id, answer.pin().get());
    }
    if (answer.text().isPresent()) {
      return ResponseBody.Answer.text(id.value(), checkText(poll, id, answer.text().get()));
    }
    return new ResponseBody.Answer(id.value(), check(poll, id, answer.optionIds()));
  }

  /** A pin on the map of a map question, with the zone it falls in. */
  public static ResponseBody.Answer pin(Poll poll, QuestionId questionId, ResponseBody.Pin pin) {
    Question question = question(poll, questionId);
    MapSpec map =
        question
            .map()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Question ["
                            + questionId
                            + "] ("
                            + question.kind().yamlName()
                            + ") takes no pin; only a map question does"));
    Optional<String> zone = map.zoneAt(pin.x(), pin.y()).map(MapSpec.Zone::id);
    return ResponseBody.Answer.pin(questionId.value(), pin, zone);
  }

  /**
   * Checks the text of a text question and returns it tidied.
   *
   * @throws IllegalArgumentException if the question is not a text question, or the tidied text is
   *     empty or longer than the question allows
   */
  public static String checkText(Poll poll, QuestionId questionId, String text) {
    Question question = question(poll, questionId);
    if (question.kind() != QuestionKind.TEXT) {
      throw new IllegalArgumentException(
          "Question ["
              + questionId
              + "] ("
              + question.kind().yamlName()
              + ") takes options, not a text");
    }
    String tidy = tidyText(text);
    int length = tidy.codePointCount(0, tidy.length());
    if (length < 1 || length > question.maxLength()) {
      throw new IllegalArgumentException(
          "Text of question ["
              + questionId
              + "] must have 1 to "
              + question.maxLength()
              + " characters, got "
              + length);
    }
    return tidy;
  }

  /**
   * A typed text as it is stored: NFC-normalised, control characters (line breaks too) turned into
   * spaces, runs of spaces made one, no space at either end.
   */
  public static String tidyText(String text) {
    if (text == null) {
      throw new IllegalArgumentException("Text must not be null");
    }
    return Normalizer.normalize(text, Normalizer.Form.NFC)
        .replaceAll("\\p{Cc}", " ")
        .replaceAll(" {2,}", " ")
        .strip();
  }

  /** The question of the poll with this id. */
  public static Question question(Poll poll, QuestionId questionId) {
    return question(poll, questionId.value());
  }

  /**
   * The question of the poll with the id a record carries: any text, refused with the same words as
   * an id the poll does not have.
   */
  private static Question question(Poll poll, String questionId) {
    return poll.question(questionId)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Question id ["
                        + questionId
                        + "] is not in poll ["
                        + poll.id()
                        + "]; its questions are "
                        + poll.questions().stream().map(Question::id).toList()));
  }

  /**
   * How many options a resident may choose: 1, or the maximum of a multiple or ranking question.
   */
  public static int maxChoices(Question question) {
    return switch (question.kind()) {
      case MULTIPLE, RANKING -> question.maxChoices();
      default -> 1;
    };
  }
}
