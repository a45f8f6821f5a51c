// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import terrain.core.codec.ByteReader;
import terrain.core.codec.ByteWriter;
import terrain.core.codec.WireException;
import terrain.core.record.ResponseBody;

/**
 * The packed form of the free texts in a {@code text_packs} row (decision 0048): the texts one
 * device gave to one question of one event in one batch, instead of one {@code free_answers} row
 * each.
 *
 * <p>Encoding, version 1 (all varints unsigned LEB128, zigzag for signed values, as {@link
 * ByteWriter} writes them):
 *
 * <pre>
 *   u8      version (1)
 *   varint  count, 1 to {@link #MAX_ENTRIES}
 *   count times, in strictly increasing seq:
 *     varint  seq minus the previous entry's seq (the first entry: its seq), at least 1
 *     zigzag  device time minus the previous entry's device time (the first entry: minus 0)
 *     varint  text length in bytes, at most {@link #MAX_TEXT_BYTES}
 *     bytes   the text in UTF-8
 * </pre>
 *
 * A row holds at most {@link #MAX_ENTRIES} texts and {@link #MAX_BYTES} bytes (inside Derby's
 * {@code VARCHAR(32672) FOR BIT DATA}); {@link #rows} splits a batch's texts accordingly. Anything
 * else (another version, a count or length beyond the limits, seqs not increasing, invalid UTF-8,
 * trailing bytes) is a damaged row and {@link #unpack} refuses it.
 */
public final class TextPacks {
  /** The version this class writes and reads. */
  static final int VERSION = 1;

  /** The most texts one row holds. */
  public static final int MAX_ENTRIES = 1000;

  /** The most bytes one row's {@code packed} holds. */
  public static final int MAX_BYTES = 16_000;

  /** The longest text in bytes, as a response body holds it (and free_answers did). */
  public static final int MAX_TEXT_BYTES = ResponseBody.MAX_TEXT_BYTES;

  /** The version byte and the count (a varint of at most 2 bytes up to 1,000). */
  private static final int HEADER = 1 + 2;

  /** A free text of the record {@code seq} answered at {@code deviceTime} (epoch ms). */
  public record Entry(long seq, long deviceTime, String text) {}

  private TextPacks() {}

  /**
   * The texts of one event, question and device, in increasing seq, cut into rows that each fit the
   * limits.
   *
   * @throws IllegalArgumentException when seqs do not increase or a text is too long
   */
  static List<List<Entry>> rows(List<Entry> entries) {
    List<List<Entry>> out = new ArrayList<>();
    int from = 0;
    int bytes = HEADER;
    long seq = 0;
    long time = 0;
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      int length = utf8Length(entry.text());
      int size = entrySize(entry.seq() - seq, entry.deviceTime() - time, length);
      if (i > from && (i - from == MAX_ENTRIES || bytes + size > MAX_BYTES)) {
        out.add(entries.subList(from, i));
        from = i;
        bytes = HEADER;
        size = entrySize(entry.seq(), entry.deviceTime(), length);
      }
      bytes += size;
      seq = entry.seq();
      time = entry.deviceTime();
    }
    if (from < entries.size()) {
      out.add(entries.subList(from, entries.size()));
    }
    return out;
  }

  /**
   * One row's {@code packed}.
   *
   * @throws IllegalArgumentException when there are none or more than {@link #MAX_ENTRIES} entries,
   *     their seqs do not strictly increase from 1, a text is longer than {@link #MAX_TEXT_BYTES}
   *     in UTF-8, or the whole is longer than {@link #MAX_BYTES}
   */
  static byte[] pack(List<Entry> entries) {
    if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "a text pack holds 1 to " + MAX_ENTRIES + " texts, not " + entries.size());
    }
    ByteWriter out = new ByteWriter(64 * entries.size());
    out.u8(VERSION).varint(entries.size());
    long seq = 0;
    long time = 0;
    for (Entry entry : entries) {
      if (entry.seq() <= seq) {
        throw new IllegalArgumentException(
            "text pack seqs must increase from 1: " + entry.seq() + " after " + seq);
      }
      byte[] text = entry.text().getBytes(StandardCharsets.UTF_8);
      if (text.length > MAX_TEXT_BYTES) {
        throw new IllegalArgumentException(
            "a text of "
                + text.length
                + " bytes is longer than the "
                + MAX_TEXT_BYTES
                + " a response holds");
      }
      out.varint(entry.seq() - seq).zigzag(entry.deviceTime() - time).bytes(text);
      seq = entry.seq();
      time = entry.deviceTime();
    }
    if (out.size() > MAX_BYTES) {
      throw new IllegalArgumentException(
          "a text pack of " + out.size() + " bytes is longer than " + MAX_BYTES);
    }
    return out.toByteArray();
  }

  /**
   * The texts of a row, in increasing seq.
   *
   * @throws SQLException (SQLState XX001) when the bytes are not a pack this version wrote
   */
  public static List<Entry> unpack(byte[] packed) throws SQLException {
    try {
      if (packed.length > MAX_BYTES) {
        throw new WireException(
            "it is " + packed.length + " bytes long, more than the " + MAX_BYTES + " a pack holds");
      }
      ByteReader in = new ByteReader(packed);
      int version = in.u8("version");
      if (version != VERSION) {
        throw new WireException("its version is " + version + ", this server reads " + VERSION);
      }
      int count = in.count("count", MAX_ENTRIES);
      if (count == 0) {
        throw new WireException("it holds no text");
      }
      List<Entry> out = new ArrayList<>(count);
      long seq = 0;
      long time = 0;
      for (int i = 0; i < count; i++) {
        long step = in.varint("seq step");
        if (step == 0 || seq + step < seq) {
          throw new WireException("entry " + i + " does not follow seq " + seq);
        }
        seq += step;
        time += in.zigzag("device time step");
        out.add(new Entry(seq, time, in.text("text", MAX_TEXT_BYTES)));
      }
      in.expectEnd("the pack");
      return out;
    } catch (WireException e) {
      throw DamagedRow.of("text_packs", packed.length, e.getMessage(), e);
    }
  }

  private static int entrySize(long seqStep, long timeStep, int length) {
    return varintSize(seqStep)
        + varintSize((timeStep << 1) ^ (timeStep >> 63))
        + varintSize(length)
        + length;
  }

  private static int varintSize(long value) {
    return value == 0 ? 1 : (63 - Long.numberOfLeadingZeros(value)) / 7 + 1;
  }

  /** At least the UTF-8 length of {@code text} (an unpaired surrogate counts more than its '?'). */
  private static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
