// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a question is answered. */
public enum QuestionKind {
  /** Exactly one of the options. */
  SINGLE("single"),
  /** One or more of the options, up to the question's maximum. */
  MULTIPLE("multiple"),
  /** A point from 1 to 5; the options are "1" to "5". */
  SCALE("scale"),
  /** Yes or no; the options are "yes" and "no". */
  YES_NO("yesno"),
  /**
   * Some of the options in order of preference, up to the question's maximum (at most {@link
   * Question#MAX_RANKED}); the first chosen is rank 1.
   */
  RANKING("ranking"),
  /**
   * A pin on a map image, and the named zone it falls in; the options are the zones, which a
   * resident may also pick by name from a list instead of touching the map.
   */
  MAP("map"),
  /** A short text typed on the kiosk's keyboard, up to the question's maximum length. */
  TEXT("text");

  private final String yamlName;

  QuestionKind(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The name written after {@code kind:} in an event file. */
  public String yamlName() {
    return yamlName;
  }

  /** The kind written {@code name} in an event file, or empty if there is none. */
  public static Optional<QuestionKind> fromYaml(String name) {
    return Arrays.stream(values()).filter(k -> k.yamlName.equals(name)).findFirst();
  }

  /** "single, multiple, scale, yesno, ranking, map, text", for messages. */
  static String yamlNames() {
    return Arrays.stream(values()).map(QuestionKind::yamlName).collect(Collectors.joining(", "));
  }
}
