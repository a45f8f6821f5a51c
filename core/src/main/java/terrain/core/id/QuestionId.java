// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.id;

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

  @Override
  public int compareTo(QuestionId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
