// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import terrain.core.codec.WireException;

class IdeaBodyTest {
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

  /** IdeaBody("p", "t", "fr", "Banc", "Ombre à"). */
  private static final byte[] GOLDEN =
      HEX.parseHex(
          "01" // format version 1
              + " 01 70" // poll id "p"
              + " 01 74" // theme id "t"
              + " 02 66 72" // language "fr"
              + " 04 42 61 6e 63" // title "Banc"
              + " 08 4f 6d 62 72 65 20 c3 a0"); // text "Ombre à": "à" is 2 bytes of UTF-8

  /** IdeaBody("p", "", "ar", "", "x"): no theme, no title. */
  private static final byte[] GOLDEN_NO_THEME =
      HEX.parseHex(
          "01" // format version 1
              + " 01 70" // poll id "p"
              + " 00" // theme id "": none
              + " 02 61 72" // language "ar"
              + " 00" // title ""
              + " 01 78"); // text "x"

  @Test
  void encode_whenGoldenIdea_matchesGoldenBytes() throws Exception {
    IdeaBody idea = new IdeaBody("p", "t", "fr", "Banc", "Ombre à");
    assertEquals(HEX.formatHex(GOLDEN), HEX.formatHex(idea.encode()));
    assertEquals(idea, IdeaBody.decode(GOLDEN));
    assertEquals(Optional.of("t"), idea.theme());
  }

  @Test
  void encode_whenNoThemeNoTitle_matchesGoldenBytes() throws Exception {
    IdeaBody idea = new IdeaBody("p", "", "ar", "", "x");
    assertArrayEquals(GOLDEN_NO_THEME, idea.encode());
    IdeaBody decoded = IdeaBody.decode(GOLDEN_NO_THEME);
    assertEquals(idea, decoded);
    assertEquals(Optional.empty(), decoded.theme());
  }

  @Test
  void decode_whenEveryTruncation_rejectsWithReason() {
    for (int length = 0; length < GOLDEN.length; length++) {
      byte[] cut = Arrays.copyOf(GOLDEN, length);
      WireException e = assertThrows(WireException.class, () -> IdeaBody.decode(cut));
      assertTrue(e.getMessage().contains("truncated"), length + ": " + e.getMessage());
    }
  }

  @Test
  void decode_whenTrailingByte_rejects() {
    byte[] longer = Arrays.copyOf(GOLDEN, GOLDEN.length + 1);
    WireException e = assertThrows(WireException.class, () -> IdeaBody.decode(longer));
    assertTrue(e.getMessage().contains("trailing"), e.getMessage());
  }

  @Test
  void decode_whenOtherVersion_saysWhichIsRead() {
    byte[] other = GOLDEN.clone();
    other[0] = 2;
    WireException e = assertThrows(WireException.class, () -> IdeaBody.decode(other));
    assertTrue(e.getMessage().contains("version 2"), e.getMessage());
  }

  @Test
  void decode_whenTextLengthHuge_rejectsBeforeAllocating() {
    // Text length varint 0xffffff7f (about 268 million): refused by its bound, not read.
    byte[] hostile = HEX.parseHex("01 01 70 00 02 66 72 00 ff ff ff 7f");
    WireException e = assertThrows(WireException.class, () -> IdeaBody.decode(hostile));
    assertTrue(e.getMessage().contains("idea text"), e.getMessage());
  }

  @Test
  void decode_whenTitleAndTextEmpty_rejectsAsInvalid() {
    byte[] empty = HEX.parseHex("01 01 70 00 02 66 72 00 00");
    WireException e = assertThrows(WireException.class, () -> IdeaBody.decode(empty));
    assertTrue(e.getMessage().contains("both be blank"), e.getMessage());
  }

  @Test
  void decode_whenBadUtf8_rejects() {
    byte[] bad = HEX.parseHex("01 01 70 00 02 66 72 00 01 c3");
    assertThrows(WireException.class, () -> IdeaBody.decode(bad));
  }

  @Test
  void construct_whenTextTooLong_namesTheLimit() {
    String tooLong = "é".repeat(IdeaBody.MAX_TEXT_CHARS + 1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new IdeaBody("p", "", "fr", "", tooLong));
    assertTrue(e.getMessage().contains("at most 600"), e.getMessage());
  }

  @Test
  void roundTrip_whenLongestArabicText_decodesWithinBounds() throws Exception {
    IdeaBody idea =
        new IdeaBody(
            "p",
            "t",
            "ar",
            "ف".repeat(IdeaBody.MAX_TITLE_CHARS),
            "😀".repeat(IdeaBody.MAX_TEXT_CHARS));
    assertEquals(idea, IdeaBody.decode(idea.encode()));
  }
}
