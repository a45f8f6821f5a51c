// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteReaderTest {
  /** A text of {@code utf8} bytes as {@link ByteWriter} frames it, between two other fields. */
  private static byte[] framed(byte[] utf8) {
    return new ByteWriter(16).u8(7).bytes(utf8).u8(9).toByteArray();
  }

  private static String read(byte[] utf8) throws WireException {
    ByteReader in = new ByteReader(framed(utf8));
    assertEquals(7, in.u8("before"));
    String text = in.text("answer text", 2000);
    assertEquals(9, in.u8("after"), "the reader is past the text");
    return text;
  }

  @Test
  void text_whenAsciiOrValidUtf8_readsItInPlace() throws Exception {
    for (String text : new String[] {"", "q-mode", "vélo, bus 🚲", "نعم", "a\uFFFDb sent as is"}) {
      assertEquals(text, read(text.getBytes(StandardCharsets.UTF_8)), text);
    }
  }

  @Test
  void text_whenMalformedUtf8_namesTheFieldAndItsOffset() {
    byte[][] malformed = {
      {(byte) 0xC3}, // cut short
      {'a', (byte) 0xFF, 'b'}, // never in UTF-8
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate encoded (CESU-8)
      {(byte) 0xC0, (byte) 0xAF}, // an overlong '/'
      {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD, (byte) 0xFF} // U+FFFD sent, then a bad byte
    };
    for (byte[] bytes : malformed) {
      WireException e = assertThrows(WireException.class, () -> read(bytes));
      assertEquals("answer text at offset 1 is not valid UTF-8", e.getMessage());
    }
  }

  @Test
  void text_whenLengthPastLimitOrEnd_namesTheLengthField() {
    byte[] long3 = new ByteWriter(8).bytes(new byte[] {'a', 'b', 'c'}).toByteArray();
    WireException tooLong =
        assertThrows(WireException.class, () -> new ByteReader(long3).text("option id", 2));
    assertEquals(
        "option id length at offset 0 is 3, more than the limit of 2", tooLong.getMessage());
    byte[] cut = {5, 'a', 'b'};
    WireException truncated =
        assertThrows(WireException.class, () -> new ByteReader(cut).text("option id", 64));
    assertEquals(
        "message is truncated: option id at offset 1 runs past the end (3 bytes)",
        truncated.getMessage());
  }
}
