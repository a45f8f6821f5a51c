// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** Assertions on text a test reads back: pages, console output. */
public final class TextAssertions {
  private TextAssertions() {}

  /**
   * Fails unless {@code text} contains every one of {@code fragments}; the message names those
   * missing and shows the whole text.
   */
  public static void assertContainsAll(String text, String... fragments) {
    List<String> missing = List.of(fragments).stream().filter(f -> !text.contains(f)).toList();
    assertTrue(missing.isEmpty(), () -> "missing " + missing + " in:\n" + text);
  }
}
