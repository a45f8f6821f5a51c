// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.followup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * The mails to send, one row each, and their states (decision 0038):
 *
 * <pre>
 * queued ──claim──▶ sending ──SMTP took it──▶ sent
 *    ▲                 │ ──SMTP surely did not (connect failed, 4xx)──▶ queued, later
 *    └─────────────────┘ ──5xx, or too many attempts──▶ failed
 *                        ──broken mid-transfer, or found sending after a crash──▶ uncertain
 * queued ──the subscription ended or the wallet's address changed──▶ dropped
 * </pre>
 *
 * A row becomes {@code sending} in a committed transaction before the SMTP conversation starts, and
 * only one claimer wins it: a mail is never handed to SMTP twice, even after a crash or with
 * several servers on one database. What cannot be known (did the server take the mail before the
 * connection broke?) ends as {@code uncertain}, never sent again on its own.
 */
public final class MailOutbox {
  /** A mail's words. */
  public record Mail(String subject, String body) {}

  /** A row claimed for sending. */
  public record Claimed(
      long id, String recipient, String subject, String body, String token, int attempts) {}

  private static final int MAX_ERROR = 500;

  private final Database database;

  public MailOutbox(Database database) {
    this.database = database;
  }

  /** Queues a mail on {@code c}, in the caller's transaction. */
  static void queue(Connection c, String token, String recipient, Mail mail, long now)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO mail_outbox (subscription, recipient, subject, body, created_at, state,"
                + " attempts, next_attempt_at, state_at) VALUES (?, ?, ?, ?, ?, 'queued', 0, ?,"
                + " ?)")) {
      insert.setString(1, token);
      insert.setString(2, recipient);
      insert.setString(3, mail.subject());
      insert.setString(4, mail.body());
      insert.setLong(5, now);
      insert.setLong(6, now);
      insert.setLong(7, now);
      insert.executeUpdate();
    }
  }

  /** The ids of the queued mails due at {@code now}, oldest first, at most {@code limit}. */
  public List<Long> due(long now, int limit) throws StoreException {
    try (Connection c = database.connect()) {
      List<Long> out = new ArrayList<>();
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT id FROM mail_outbox WHERE state = 'queued' AND next_attempt_at <= ? ORDER"
                  + " BY id")) {
        select.setLong(1, now);
        select.setMaxRows(limit);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getLong(1));
          }
        }
      }
      c.commit();
      return out;
    } catch (SQLException e) {
      throw StoreException.of("reading the mails due", e);
    }
  }

  /**
   * Marks the queued mail {@code id} as sending, committed, and gives it; empty when another
   * claimer took it first, or when it may no longer be sent (its subscription ended, its wallet's
   * address changed or went: then it is {@code dropped}).
   */
  public Optional<Claimed> claim(long id, long now) throws StoreException {
    try (Connection c = database.connect()) {
      try {
        Claimed row = null;
        boolean allowed = false;
        try (PreparedStatement select =
            c.prepareStatement(
                "SELECT o.recipient, o.subject, o.body, o.subscription, o.attempts,"
                    + " s.unsubscribed_at, w.email FROM mail_outbox o LEFT JOIN"
                    + " follow_up_subscriptions s ON s.token = o.subscription LEFT JOIN wallets w"
                    + " ON w.id = s.wallet_id WHERE o.id = ? AND o.state = 'queued'")) {
          select.setLong(1, id);
          try (ResultSet rs = select.executeQuery()) {
            if (rs.next()) {
              row =
                  new Claimed(
                      id,
                      rs.getString(1),
                      rs.getString(2),
                      rs.getString(3),
                      rs.getString(4),
                      rs.getInt(5) + 1);
              rs.getLong(6);
              boolean active = rs.wasNull() && rs.getString(4) != null;
              String email = rs.getString(7);
              allowed = active && row.recipient().equals(email);
            }
          }
        }
        if (row == null) {
          c.rollback();
          return Optional.empty();
        }
        int updated;
        try (PreparedStatement update =
            c.prepareStatement(
                "UPDATE mail_outbox SET state = ?, attempts = ?, state_at = ?, last_error = ?"
                    + " WHERE id = ? AND state = 'queued'")) {
          update.setString(1, allowed ? "sending" : "dropped");
          update.setInt(2, allowed ? row.attempts() : row.attempts() - 1);
          update.setLong(3, now);
          update.setString(
              4, allowed ? null : "unsubscribed, or the wallet's address changed: not sent");
          update.setLong(5, id);
          updated = update.executeUpdate();
        }
        c.commit();
        return updated == 1 && allowed ? Optional.of(row) : Optional.empty();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw StoreException.of("claiming mail " + id, e);
    }
  }

  /** The SMTP server took the mail. */
  public void sent(long id, long now) throws StoreException {
    set(id, "sent", now, null, null);
  }

  /** The SMTP server surely did not take it: queued again for {@code nextAttempt}. */
  public void retry(long id, long now, long nextAttempt, String error) throws StoreException {
    set(id, "queued", now, nextAttempt, error);
  }

  /** Refused for good (5xx) or too many attempts. */
  public void failed(long id, long now, String error) throws StoreException {
    set(id, "failed", now, null, error);
  }

  /** Whether the server took it cannot be known: never sent again on its own. */
  public void uncertain(long id, long now, String error) throws StoreException {
    set(id, "uncertain", now, null, error);
  }

  private void set(long id, String state, long now, Long next, String error) throws StoreException {
    try (Connection c = database.connect()) {
      try (PreparedStatement update =
          c.prepareStatement(
              "UPDATE mail_outbox SET state = ?, state_at = ?, next_attempt_at ="
                  + " COALESCE(?, next_attempt_at), last_error = ? WHERE id = ? AND state ="
                  + " 'sending'")) {
        update.setString(1, state);
        update.setLong(2, now);
        if (next == null) {
          update.setNull(3, java.sql.Types.BIGINT);
        } else {
          update.setLong(3, next);
        }
        update.setString(4, error == null ? null : cut(error));
        update.setLong(5, id);
        update.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      throw StoreException.of("marking mail " + id + " " + state, e);
    }
  }

  /**
   * Marks {@code uncertain} the mails left {@code sending} since before {@code before}: their
   * sender stopped mid-conversation (a crash, a kill). Gives how many.
   */
  public int sweepStale(long before, long now) throws StoreException {
    try (Connection c = database.connect()) {
      try (PreparedStatement update =
          c.prepareStatement(
              "UPDATE mail_outbox SET state = 'uncertain', state_at = ?, last_error = ? WHERE"
                  + " state = 'sending' AND state_at < ?")) {
        update.setLong(1, now);
        update.setString(
            2, "the server stopped while sending: not sent again, it may have arrived once");
        update.setLong(3, before);
        int n = update.executeUpdate();
        c.commit();
        return n;
      }
    } catch (SQLException e) {
      throw StoreException.of("sweeping the mails left sending", e);
    }
  }

  /** How many mails are in each state (the states with none are absent). */
  public Map<String, Long> counts() throws StoreException {
    try (Connection c = database.connect()) {
      Map<String, Long> out = new LinkedHashMap<>();
      try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT state, COUNT(*) FROM mail_outbox GROUP BY state ORDER BY state");
          ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
      c.commit();
      return out;
    } catch (SQLException e) {
      throw StoreException.of("counting the mails", e);
    }
  }

  /** How many queued mails failed at least once (SMTP unreachable or busy). */
  public long retrying() throws StoreException {
    try (Connection c = database.connect()) {
      long n;
      try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM mail_outbox WHERE state = 'queued' AND attempts > 0");
          ResultSet rs = select.executeQuery()) {
        rs.next();
        n = rs.getLong(1);
      }
      c.commit();
      return n;
    } catch (SQLException e) {
      throw StoreException.of("counting the mails retried", e);
    }
  }

  /** One row's state and attempts, for tests and the admin API. */
  public Optional<String[]> row(long id) throws StoreException {
    try (Connection c = database.connect()) {
      Optional<String[]> out = Optional.empty();
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT state, attempts, last_error, recipient FROM mail_outbox WHERE id = ?")) {
        select.setLong(1, id);
        try (ResultSet rs = select.executeQuery()) {
          if (rs.next()) {
            out =
                Optional.of(
                    new String[] {
                      rs.getString(1),
                      Integer.toString(rs.getInt(2)),
                      rs.getString(3),
                      rs.getString(4)
                    });
          }
        }
      }
      c.commit();
      return out;
    } catch (SQLException e) {
      throw StoreException.of("reading mail " + id, e);
    }
  }

  private static String cut(String error) {
    return error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
  }
}
