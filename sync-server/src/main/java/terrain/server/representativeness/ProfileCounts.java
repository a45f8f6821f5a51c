// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.representativeness;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import terrain.core.codec.ByteReader;
import terrain.core.codec.ByteWriter;
import terrain.core.codec.WireException;

/**
 * The packed counts of a {@code profile_counts} row (migration V1036, decision 0044): one cell's
 * options counted in one batch. Groups one after the other, each a question id (length-prefixed
 * UTF-8), the number of its options in the group, then each option id and its count (varints). A
 * cell's counts that do not fit {@link #PER_ROW} bytes go in several parts (a question may span two
 * parts); reading sums them all.
 */
final class ProfileCounts {
  /** The most bytes of one row's packed counts (inside a Derby page, as {@code map_pins}). */
  static final int PER_ROW = 4000;

  /** An id is at most 64 bytes (the codecs' limit, the columns' width). */
  private static final int MAX_ID_BYTES = 64;

  private ProfileCounts() {}

  /** The parts of {@code counts} (question, then option, to count), in order; none if empty. */
  static List<byte[]> pack(SortedMap<String, SortedMap<String, Long>> counts) {
    return pack(counts, PER_ROW);
  }

  static List<byte[]> pack(SortedMap<String, SortedMap<String, Long>> counts, int perRow) {
    List<byte[]> parts = new ArrayList<>();
    ByteWriter part = new ByteWriter(256);
    for (Map.Entry<String, SortedMap<String, Long>> question : counts.entrySet()) {
      List<byte[]> options = new ArrayList<>(question.getValue().size());
      question
          .getValue()
          .forEach(
              (option, n) -> options.add(new ByteWriter(16).text(option).varint(n).toByteArray()));
      byte[] id = question.getKey().getBytes(StandardCharsets.UTF_8);
      // The group's header at its largest: the id with its length, the option count (5 bytes).
      int header = 2 + id.length + 5;
      int next = 0;
      while (next < options.size()) {
        int room = perRow - part.size() - header;
        int end = next;
        int size = 0;
        while (end < options.size() && size + options.get(end).length <= room) {
          size += options.get(end).length;
          end++;
        }
        if (end == next) {
          if (part.size() > 0) {
            parts.add(part.toByteArray());
            part = new ByteWriter(256);
            continue;
          }
          end = next + 1; // an option larger than a row still goes in, alone
        }
        part.bytes(id).varint(end - next);
        for (int i = next; i < end; i++) {
          part.raw(options.get(i));
        }
        next = end;
      }
    }
    if (part.size() > 0) {
      parts.add(part.toByteArray());
    }
    return parts;
  }

  /**
   * Adds the counts of a row to {@code into} (question, then option, to count).
   *
   * @throws SQLException when the row is damaged
   */
  static void unpack(byte[] packed, Map<String, Map<String, Long>> into) throws SQLException {
    ByteReader in = new ByteReader(packed);
    try {
      while (in.hasRemaining()) {
        String question = in.text("question id", MAX_ID_BYTES);
        int options = in.count("option count", packed.length);
        Map<String, Long> counted = into.computeIfAbsent(question, q -> new HashMap<>());
        for (int i = 0; i < options; i++) {
          String option = in.text("option id", MAX_ID_BYTES);
          counted.merge(option, in.varint("count"), Long::sum);
        }
      }
    } catch (WireException e) {
      throw terrain.server.results.DamagedRow.of(
          "profile_counts", packed.length, e.getMessage(), e);
    }
  }
}
