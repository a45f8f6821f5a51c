// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import terrain.core.id.PollId;
import terrain.core.id.QuestionId;

/**
 * A micro-poll: the questions a resident answers in one go at a kiosk.
 *
 * @param id unique within its event; 1 to 40 lowercase letters a-z, digits or dashes
 * @param title shown above the questions
 * @param questions at least one, in order, with ids unique in the poll
 */
public record Poll(String id, LocalizedText title, List<Question> questions) {

  public Poll {
    Ids.require("Poll id", id);
    Objects.requireNonNull(title, "Poll title must not be null");
    questions = List.copyOf(Objects.requireNonNull(questions, "Poll questions must not be null"));
    if (questions.isEmpty()) {
      throw new IllegalArgumentException("Poll [" + id + "] questions must not be empty");
    }
    Set<String> seen = new HashSet<>();
    for (Question question : questions) {
      if (!seen.add(question.id())) {
        throw new IllegalArgumentException(
            "Poll [" + id + "] question id [" + question.id() + "] must be unique in the poll");
      }
    }
  }

  /** The id as a type, for the kiosk's and the server's lookups. */
  public PollId pollId() {
    return PollId.of(id);
  }

  /**
   * The question with this id as a record carries it (any text: a device may send an id that no
   * event file could hold), if the poll has one.
   */
  public Optional<Question> question(String id) {
    return questions.stream().filter(q -> q.id().equals(id)).findFirst();
  }

  /** The question with this id, if the poll has one. */
  public Optional<Question> question(QuestionId id) {
    return question(id.value());
  }
}
