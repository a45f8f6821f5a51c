// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextPacksTest {
  private static final List<TextPacks.Entry> SOME =
      List.of(
          new TextPacks.Entry(7, 1_780_000_000_000L, "Plus de bancs"),
          new TextPacks.Entry(
              9, 1_779_999_000_000L, "élargir la rue, s'il vous plaît\n(côté gare)"),
          new TextPacks.Entry(300, 1_780_000_500_000L, "ملعب للأطفال 🌳"),
          new TextPacks.Entry(301, 1_780_000_500_000L, ""));

  @Test
  void unpack_whenPacked_givesTheTextsBackInOrder() throws Exception {
    byte[] packed = TextPacks.pack(SOME);

    assertEquals(SOME, TextPacks.unpack(packed));
    assertEquals(TextPacks.VERSION, packed[0]);
    assertEquals(SOME.size(), packed[1]);
  }

  @Test
  void pack_whenTextsAreAscii_takesFewBytesBesidesTheTexts() {
    List<TextPacks.Entry> entries = new ArrayList<>();
    int textBytes = 0;
    for (int i = 1; i <= 100; i++) {
      String text = "texte numéro " + i;
      textBytes += text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      entries.add(new TextPacks.Entry(1000 + i, 1_780_000_000_000L + 15_000L * i, text));
    }

    byte[] packed = TextPacks.pack(entries);

    // Version, count, the first text's seq (2 bytes), time (6 bytes) and length; then per text:
    // seq step (1 byte), time step (3 bytes), length (1 byte).
    assertEquals(1 + 1 + (2 + 6 + 1) + 99 * (1 + 3 + 1) + textBytes, packed.length);
  }

  @Test
  void unpack_whenEveryLimitIsReached_givesEverythingBack() throws Exception {
    String longest = "é".repeat(TextPacks.MAX_TEXT_BYTES / 2);
    List<TextPacks.Entry> entries =
        List.of(
            new TextPacks.Entry(1, Long.MIN_VALUE, longest),
            new TextPacks.Entry(Long.MAX_VALUE, Long.MAX_VALUE, longest));

    assertEquals(entries, TextPacks.unpack(TextPacks.pack(entries)));
  }

  @Test
  void pack_whenBeyondTheLimits_refusesSayingWhich() {
    String tooLong = "a".repeat(TextPacks.MAX_TEXT_BYTES + 1);
    IllegalArgumentException text =
        assertThrows(
            IllegalArgumentException.class,
            () -> TextPacks.pack(List.of(new TextPacks.Entry(1, 0, tooLong))));
    assertTrue(text.getMessage().contains("2001 bytes"), text.getMessage());

    List<TextPacks.Entry> many = new ArrayList<>();
    for (int i = 1; i <= TextPacks.MAX_ENTRIES + 1; i++) {
      many.add(new TextPacks.Entry(i, 0, "x"));
    }
    assertThrows(IllegalArgumentException.class, () -> TextPacks.pack(many));
    assertThrows(IllegalArgumentException.class, () -> TextPacks.pack(List.of()));
    IllegalArgumentException order =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TextPacks.pack(
                    List.of(new TextPacks.Entry(5, 0, "a"), new TextPacks.Entry(5, 0, "b"))));
    assertTrue(order.getMessage().contains("increase"), order.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> TextPacks.pack(List.of(new TextPacks.Entry(0, 0, "a"))));
  }

  @Test
  void rows_whenTextsExceedARow_cutsThemIntoRowsThatEachPack() throws Exception {
    List<TextPacks.Entry> entries = new ArrayList<>();
    for (int i = 1; i <= 2_500; i++) {
      entries.add(new TextPacks.Entry(i, i, "t" + i));
    }
    for (int i = 1; i <= 20; i++) {
      entries.add(new TextPacks.Entry(10_000 + i, i, "ü".repeat(TextPacks.MAX_TEXT_BYTES / 2)));
    }

    List<List<TextPacks.Entry>> rows = TextPacks.rows(entries);

    List<TextPacks.Entry> back = new ArrayList<>();
    for (List<TextPacks.Entry> row : rows) {
      assertTrue(row.size() <= TextPacks.MAX_ENTRIES, "row of " + row.size());
      byte[] packed = TextPacks.pack(row);
      assertTrue(packed.length <= TextPacks.MAX_BYTES, packed.length + " bytes");
      back.addAll(TextPacks.unpack(packed));
    }
    assertEquals(entries, back);
    // 2,500 short texts: 1,000 a row; the long ones (2,000 bytes each) fill the third row up to
    // 16,000 bytes (500 short, 5 long), then 7 a row.
    assertEquals(
        List.of(1000, 1000, 505, 7, 7, 1), rows.stream().map(List::size).toList(), "row sizes");
  }

  @Test
  void unpack_whenBytesAreMalformed_saysTheRowIsDamagedAndWhy() {
    byte[] good = TextPacks.pack(SOME);
    assertDamaged(new byte[0], "truncated");
    assertDamaged(new byte[] {2, 1, 1, 0, 0}, "version is 2");
    assertDamaged(new byte[] {1, 0}, "no text");
    assertDamaged(new byte[] {1, (byte) 0xE9, 0x07}, "more than the limit of 1000");
    assertDamaged(Arrays.copyOf(good, good.length - 1), "truncated");
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertDamaged(longer, "trailing");
    // seq step 0: the second text would repeat the first one's seq.
    assertDamaged(new byte[] {1, 2, 1, 0, 1, 'a', 0, 0, 1, 'b'}, "does not follow seq 1");
    // A text that is not UTF-8.
    assertDamaged(new byte[] {1, 1, 1, 0, 2, (byte) 0xC3, 0x28}, "not valid UTF-8");
    // A text longer than a response holds.
    assertDamaged(new byte[] {1, 1, 1, 0, (byte) 0xD1, 0x0F}, "more than the limit of 2000");
    assertDamaged(new byte[TextPacks.MAX_BYTES + 1], "more than the 16000");
  }

  private static void assertDamaged(byte[] bytes, String why) {
    SQLException e = assertThrows(SQLException.class, () -> TextPacks.unpack(bytes));
    assertEquals("XX001", e.getSQLState());
    assertTrue(e.getMessage().startsWith("a text_packs row of "), e.getMessage());
    assertTrue(e.getMessage().contains(" bytes is damaged ("), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
    assertTrue(e.getMessage().endsWith("restore the database from a backup"), e.getMessage());
  }

  @Test
  void top_keepsTheFirstInOrderHoldingNoMoreThanItsLimit() {
    FreeTexts.Top<Integer> top = new FreeTexts.Top<>(3, Comparator.<Integer>reverseOrder());
    for (int i : new int[] {5, 1, 9, 7, 3, 8, 2}) {
      top.offer(i);
    }

    assertEquals(List.of(9, 8, 7), top.sorted());
    assertArrayEquals(
        new Object[] {},
        new FreeTexts.Top<Integer>(1, Comparator.naturalOrder()).sorted().toArray());
  }
}
