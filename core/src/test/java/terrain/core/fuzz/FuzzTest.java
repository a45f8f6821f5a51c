// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The fuzz harness itself: each way a decoder can misbehave is caught. */
class FuzzTest {
  private static final Fuzz FUZZ = new Fuzz(Duration.ofSeconds(10), 4L * 1024 * 1024);

  @AfterAll
  static void stop() {
    FUZZ.close();
  }

  @Test
  void decodes_whenTheTypedExceptionIsThrown_passes() {
    FUZZ.decodes(
        "x",
        IOException.class,
        () -> {
          throw new IOException("bad input");
        });
  }

  @Test
  void decodes_whenAnotherExceptionIsThrown_failsWithTheInput() {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> FUZZ.decodes("[input]", IOException.class, () -> List.of().get(1)));
    assertTrue(e.getMessage().contains("IndexOutOfBoundsException"), e.getMessage());
    assertTrue(e.getMessage().contains("[input]"), e.getMessage());
  }

  @Test
  void decodes_whenTheDecoderHangs_fails() {
    try (Fuzz quick = new Fuzz(Duration.ofMillis(200))) {
      AssertionError e =
          assertThrows(
              AssertionError.class,
              () ->
                  quick.decodes(
                      "[input]",
                      IOException.class,
                      () -> {
                        Thread.sleep(60_000);
                        return null;
                      }));
      assertTrue(e.getMessage().contains("a hang?"), e.getMessage());
    }
  }

  @Test
  void decodes_whenTheDecoderAllocatesTooMuch_fails() {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                FUZZ.decodes(
                    "[input]",
                    IOException.class,
                    () -> {
                      byte[][] chunks = new byte[8][];
                      for (int i = 0; i < chunks.length; i++) {
                        chunks[i] = new byte[1024 * 1024];
                      }
                      return chunks.length;
                    }));
    assertTrue(e.getMessage().startsWith("Allocated "), e.getMessage());
  }

  @Test
  void hex_whenLong_isCut() {
    assertEquals("3 bytes: 00ff10", Fuzz.hex(new byte[] {0, -1, 16}));
    assertTrue(Fuzz.hex(new byte[5000]).endsWith("..."));
  }
}
