// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.id;

import java.util.Optional;

/**
 * The id of a question, unique in its poll, as the event file gives it ({@code transport}). It is
 * in every response record.
 */
public record QuestionId(String value) implements Comparable<QuestionId> {

  public QuestionId {
    Slug.check("Question id", value);
  }

  public static QuestionId of(String value) {
    return new QuestionId(value);
  }

  public static boolean isValid(String value) {
    return Slug.isValid(value);
  }

  /**
   * The id a device record carries, when it is a valid one: records bound only the length of their
   * ids, so a question id read from a record may be any text, which no event file could hold.
   */
  public static Optional<QuestionId> ifValid(String value) {
    return isValid(value) ? Optional.of(new QuestionId(value)) : Optional.empty();
  }

  @Override
  public int compareTo(QuestionId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
