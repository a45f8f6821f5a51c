// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link EventId}, {@link PollId}, {@link QuestionId} and {@link PartnerId}: one rule, four types.
 */
class SlugIdsTest {

  /** One of the four types: its name in messages, its {@code of} and its {@code isValid}. */
  private record Type(String name, Function<String, Object> of, Predicate<String> isValid) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<Type> TYPES =
      List.of(
          new Type("Event id", EventId::of, EventId::isValid),
          new Type("Poll id", PollId::of, PollId::isValid),
          new Type("Question id", QuestionId::of, QuestionId::isValid),
          new Type("Partner id", PartnerId::of, PartnerId::isValid));

  private static final String FORTY = "a".repeat(40);

  static Stream<Arguments> valid() {
    return TYPES.stream()
        .flatMap(
            type ->
                Stream.of("a", "7", "marche-2026-11-28", "piscine", "a-", FORTY)
                    .map(value -> Arguments.of(type, value)));
  }

  static Stream<Arguments> invalid() {
    return TYPES.stream()
        .flatMap(
            type ->
                Stream.of(
                        null,
                        "",
                        "-a", // starts with a dash
                        "Marche", // uppercase
                        "marché", // not a-z
                        "a b",
                        "a_b",
                        "a/b", // would split an MQTT topic or a URL path
                        FORTY + "a") // 41
                    .map(value -> Arguments.of(type, value)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("valid")
  void of_whenValid_keepsTheTextAsValueAndToString(Type type, String value) {
    Object id = type.of().apply(value);

    assertEquals(value, id.toString());
    assertTrue(type.isValid().test(value));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("invalid")
  void of_whenInvalid_throwsNamingTheTypeTheValueAndTheRule(Type type, String value) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> type.of().apply(value));

    assertEquals(
        type.name()
            + " ["
            + value
            + "] must be 1 to 40 lowercase letters a-z, digits or dashes, not starting with a"
            + " dash",
        e.getMessage());
    assertFalse(type.isValid().test(value));
  }

  @Test
  void value_isTheText() {
    assertEquals("marche", PollId.of("marche").value());
    assertEquals("transport", QuestionId.of("transport").value());
    assertEquals("piscine", PartnerId.of("piscine").value());
    assertEquals("marche-2026-11-28", EventId.of("marche-2026-11-28").value());
  }

  @Test
  void equalsAndCompareTo_whenSameOrOtherText_followTheText() {
    assertEquals(EventId.of("a"), new EventId("a"));
    assertNotEquals(EventId.of("a"), EventId.of("b"));
    assertTrue(EventId.of("a").compareTo(EventId.of("b")) < 0);
    assertEquals(0, QuestionId.of("q").compareTo(QuestionId.of("q")));
    assertTrue(PartnerId.of("theatre").compareTo(PartnerId.of("piscine")) > 0);
    assertTrue(PollId.of("a-1").compareTo(PollId.of("a-2")) < 0);
  }

  @Test
  void equals_whenSameTextOfAnotherType_isFalse() {
    // The point of typed ids: a poll "marche" is not the partner "marche".
    assertNotEquals(PollId.of("marche"), PartnerId.of("marche"));
  }

  @Test
  void aRecordCarriedIdIsTypedOnlyWhenValid() {
    assertEquals(Optional.of(EventId.of("marche")), EventId.ifValid("marche"));
    assertEquals(Optional.of(PollId.of("avenir")), PollId.ifValid("avenir"));
    assertEquals(Optional.of(QuestionId.of("venue")), QuestionId.ifValid("venue"));
    for (String recorded : new String[] {"quartier/nord", "-", "ev-<x>", "", null}) {
      assertTrue(EventId.ifValid(recorded).isEmpty(), recorded);
      assertTrue(PollId.ifValid(recorded).isEmpty(), recorded);
      assertTrue(QuestionId.ifValid(recorded).isEmpty(), recorded);
    }
  }
}
