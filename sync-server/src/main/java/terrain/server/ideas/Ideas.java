// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ideas;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import terrain.core.record.DeviceId;
import terrain.server.store.LazyConnection;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * Reads the ideas {@link IdeaHook} stored, newest first, on a connection of its own so that HTTP
 * readers never wait behind the ingest. Public pages read only the {@link #published} ones.
 */
public final class Ideas implements AutoCloseable {

  /**
   * One idea as residents left it.
   *
   * @param themeId empty when no theme was chosen
   * @param deviceTime when it was left, on the kiosk's clock (ms since the epoch)
   */
  public record Idea(
      DeviceId device,
      long seq,
      String eventId,
      String pollId,
      String themeId,
      String language,
      String title,
      String text,
      long deviceTime) {
    public Idea {
      Objects.requireNonNull(themeId, "Idea themeId must not be null");
    }
  }

  /** The most ideas one read returns: a page, not a dump. */
  public static final int MAX_LIMIT = 1000;

  private final LazyConnection connection;

  public Ideas(Database database) {
    this.connection =
        new LazyConnection(
            database,
            c -> {
              c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
              c.setReadOnly(true);
            });
  }

  /**
   * The ideas of an event, newest first (by the kiosk's clock, then by record identity), at most
   * {@code limit}.
   */
  public synchronized List<Idea> newestFirst(String eventId, int limit) throws StoreException {
    return read(eventId, limit, "");
  }

  /**
   * The ideas of an event that staff published ({@code terrain.server.moderation}), newest first,
   * at most {@code limit}: the only ones a public page may show.
   */
  public synchronized List<Idea> published(String eventId, int limit) throws StoreException {
    return read(eventId, limit, PUBLISHED);
  }

  private static final String PUBLISHED =
      " AND EXISTS (SELECT 1 FROM moderation m WHERE m.kind = 'idea'"
          + " AND m.device_id = ideas.device_id AND m.seq = ideas.seq AND m.question_id = ''"
          + " AND m.decision = 'publish')";

  private List<Idea> read(String eventId, int limit, String condition) throws StoreException {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit [" + limit + "] must be 1 to " + MAX_LIMIT);
    }
    List<Idea> out = new ArrayList<>();
    try {
      Connection c = connection.get();
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT device_id, seq, event_id, poll_id, theme_id, language, title, idea_text,"
                  + " device_time FROM ideas WHERE event_id = ?"
                  + condition
                  + " ORDER BY device_time DESC, device_id, seq DESC")) {
        select.setString(1, eventId);
        select.setMaxRows(limit);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(
                new Idea(
                    DeviceId.of(rs.getString(1)),
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getString(7),
                    rs.getString(8),
                    rs.getLong(9)));
          }
        }
      }
      c.commit();
    } catch (SQLException e) {
      connection.close();
      throw StoreException.of("reading the ideas of event " + eventId, e);
    }
    return out;
  }

  /** How many ideas an event has. */
  public synchronized long count(String eventId) throws StoreException {
    return count(eventId, "");
  }

  /** How many ideas of an event staff published. */
  public synchronized long publishedCount(String eventId) throws StoreException {
    return count(eventId, PUBLISHED);
  }

  private long count(String eventId, String condition) throws StoreException {
    try {
      Connection c = connection.get();
      long n;
      try (PreparedStatement select =
          c.prepareStatement("SELECT COUNT(*) FROM ideas WHERE event_id = ?" + condition)) {
        select.setString(1, eventId);
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          n = rs.getLong(1);
        }
      }
      c.commit();
      return n;
    } catch (SQLException e) {
      connection.close();
      throw StoreException.of("counting the ideas of event " + eventId, e);
    }
  }

  @Override
  public synchronized void close() {
    connection.close();
  }
}
