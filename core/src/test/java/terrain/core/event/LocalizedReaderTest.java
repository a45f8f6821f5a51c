// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import terrain.core.event.EventFileException.Problem;

/**
 * The fr, en and ar keys read by one helper for a text, an option and a zone: the hints name what
 * the keys hold, and each problem keeps its position.
 */
class LocalizedReaderTest {

  @Test
  void parse_whenFrenchMissingOrOtherLanguagesEmpty_hintNamesTextLabelOrZoneName() {
    String yaml =
        """
        id: e
        title: {en: Market}
        place: P
        date: 2026-11-28
        polls:
          - id: p
            title: {fr: T, ar: ""}
            questions:
              - {id: q, kind: single, text: Q, options: [{id: a, en: A}, {id: b, fr: B, en: ""}]}
              - id: m
                kind: map
                text: Q
                image: plan.png
                zones:
                  - {id: z, en: Z, area: [0, 0, 50, 50]}
                  - {id: y, fr: Y, ar: [x], area: [50, 50, 60, 60]}
        """;

    List<Problem> problems =
        assertThrows(EventFileException.class, () -> EventLoader.parse(yaml, "test.yaml"))
            .problems();

    assertEquals(
        List.of(
            "test.yaml:2:8: event, title: missing \"fr\"; add fr: \"...\" with the French text",
            "test.yaml:7:20: poll \"p\", title: \"ar\" has no value; write ar: \"...\" with the"
                + " Arabic text, or remove the line",
            "test.yaml:9:50: question \"q\", option \"a\": missing \"fr\"; add fr: \"...\" with the"
                + " French label",
            "test.yaml:9:81: question \"q\", option \"b\": \"en\" has no value; write en: \"...\""
                + " with the English label, or remove the line",
            "test.yaml:15:13: question \"m\", zone \"z\": missing \"fr\"; add fr: \"...\" with the"
                + " French name of the zone",
            "test.yaml:16:32: question \"m\", zone \"y\": ar must be text, but it is a list"),
        problems.stream().map(Problem::toString).toList());
  }
}
