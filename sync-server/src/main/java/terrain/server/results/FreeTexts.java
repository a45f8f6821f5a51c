// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Reads the free texts packed in {@code text_packs} (decision 0048), one event at a time: the
 * readers that joined {@code free_answers} with {@code moderation} in SQL now join the pack rows of
 * an event with the moderation rows of that event in Java. Texts stored before the packing are
 * still in {@code free_answers}; each reader reads them there as before.
 */
public final class FreeTexts {

  /** Which rows to decode: a row holds the texts of seqs {@code firstSeq} to {@code lastSeq}. */
  @FunctionalInterface
  public interface RowFilter {
    boolean wanted(String questionId, String deviceId, long firstSeq, long lastSeq);
  }

  /** Receives the texts of the rows the filter kept, row by row in primary key order. */
  @FunctionalInterface
  public interface Sink {
    void text(String questionId, String deviceId, TextPacks.Entry entry) throws SQLException;
  }

  /** Every row. */
  public static final RowFilter ALL = (q, d, first, last) -> true;

  private FreeTexts() {}

  /** The events that have packed texts, by id. */
  public static List<String> events(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement select =
            c.prepareStatement("SELECT DISTINCT event_id FROM text_packs ORDER BY event_id");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /**
   * The packed texts of {@code eventId}, decoded only for the rows {@code filter} keeps (the bytes
   * of one row at a time in memory).
   */
  public static void read(Connection c, String eventId, RowFilter filter, Sink sink)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT question_id, device_id, first_seq, last_seq, packed FROM text_packs"
                + " WHERE event_id = ? ORDER BY question_id, device_id, first_seq")) {
      select.setString(1, eventId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          String question = rs.getString(1);
          String device = rs.getString(2);
          if (!filter.wanted(question, device, rs.getLong(3), rs.getLong(4))) {
            continue;
          }
          for (TextPacks.Entry entry : TextPacks.unpack(rs.getBytes(5))) {
            sink.text(question, device, entry);
          }
        }
      }
    }
  }

  /**
   * Whether the record {@code deviceId}/{@code seq} gave a free text to {@code questionId}, packed
   * or in {@code free_answers}; its event is the record's.
   */
  public static boolean exists(Connection c, String deviceId, long seq, String questionId)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT 1 FROM records r JOIN free_answers f ON f.event_id = r.event_id"
                + " AND f.device_id = r.device_id AND f.seq = r.seq"
                + " WHERE r.device_id = ? AND r.seq = ? AND f.question_id = ?"
                + " AND f.answer_text IS NOT NULL")) {
      select.setString(1, deviceId);
      select.setLong(2, seq);
      select.setString(3, questionId);
      try (ResultSet rs = select.executeQuery()) {
        if (rs.next()) {
          return true;
        }
      }
    }
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT t.packed FROM records r JOIN text_packs t ON t.event_id = r.event_id"
                + " AND t.device_id = r.device_id WHERE r.device_id = ? AND r.seq = ?"
                + " AND t.question_id = ? AND t.first_seq <= r.seq AND t.last_seq >= r.seq")) {
      select.setString(1, deviceId);
      select.setLong(2, seq);
      select.setString(3, questionId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          for (TextPacks.Entry entry : TextPacks.unpack(rs.getBytes(1))) {
            if (entry.seq() == seq) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  /**
   * The first {@code limit} of the items it is given in {@code order}, holding no more than {@code
   * limit} of them at any time.
   */
  public static final class Top<T> {
    private final int limit;
    private final Comparator<T> order;
    private final PriorityQueue<T> kept;

    public Top(int limit, Comparator<T> order) {
      if (limit < 1) {
        throw new IllegalArgumentException("limit [" + limit + "] must be 1 or more");
      }
      this.limit = limit;
      this.order = order;
      // The head is the last one kept in order: the first to leave.
      this.kept = new PriorityQueue<>(Math.min(limit, 1024) + 1, order.reversed());
    }

    public void offer(T item) {
      if (kept.size() < limit) {
        kept.add(item);
      } else if (order.compare(item, kept.peek()) < 0) {
        kept.poll();
        kept.add(item);
      }
    }

    /** What was kept, in order. */
    public List<T> sorted() {
      List<T> out = new ArrayList<>(kept);
      out.sort(order);
      return out;
    }
  }
}
