// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.session;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import terrain.core.event.AnswerOption;
import terrain.core.event.Poll;
import terrain.core.event.Question;
import terrain.core.event.QuestionKind;

/**
 * What counts as a valid answer to a question of a poll: options of that question, each chosen
 * once, exactly one for a single, scale or yes/no question, 1 to {@code maxChoices} for a multiple
 * one. A screen model can ask {@link #maxChoices} to know when to stop accepting taps.
 */
public final class AnswerRules {
  private AnswerRules() {}

  /**
   * Checks one answer and returns an unmodifiable copy of the chosen option ids.
   *
   * @throws IllegalArgumentException naming the field, the value and the rule it breaks
   */
  public static List<String> check(Poll poll, String questionId, List<String> optionIds) {
    Question question = question(poll, questionId);
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

  /** The question of the poll with this id. */
  public static Question question(Poll poll, String questionId) {
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

  /** How many options a resident may choose: 1, or the maximum of a multiple question. */
  public static int maxChoices(Question question) {
    return question.kind() == QuestionKind.MULTIPLE ? question.maxChoices() : 1;
  }
}
