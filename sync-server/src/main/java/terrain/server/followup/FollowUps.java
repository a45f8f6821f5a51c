// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.followup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import terrain.core.id.WalletId;
import terrain.http.Json;
import terrain.server.moderation.Moderation;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * The follow-ups staff write, their history, the wallets that asked to be told, and the mails
 * queued for them in the same transaction as the change (decision 0038).
 */
public final class FollowUps {
  /** The most published ideas an event's follow-up lists. */
  public static final int MAX_IDEAS = 1000;

  /** A version saved, and how many mails it queued. */
  public record Saved(int version, int queued) {}

  /** A published idea: its record, title and text as the resident left them. */
  public record IdeaItem(String ref, String title, String text) {}

  /** One subscriber of an event: the unsubscribe token, the language, the address. */
  public record Subscriber(String token, String language, String email) {}

  /** A subscription found by its token. */
  public record Subscription(String token, String eventId, boolean active) {}

  /** Writes the mail of one subscriber for a change (subject and plain text). */
  public interface Composer {
    MailOutbox.Mail compose(Subscriber subscriber);
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Database database;
  private final Clock clock;
  private final SecureRandom random;

  public FollowUps(Database database, Clock clock, SecureRandom random) {
    this.database = database;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Saves {@code input} as the next version of {@code key} and queues one mail per active
   * subscriber of the event whose wallet has an address, in one transaction.
   */
  public Saved save(FollowUp.Key key, FollowUp.Input input, String by, Composer composer)
      throws StoreException {
    long nowMillis = clock.millis();
    long now = nowMillis / 1000;
    for (int attempt = 1; ; attempt++) {
      try (Connection c = database.connect()) {
        try {
          int version = 1;
          try (PreparedStatement max =
              c.prepareStatement(
                  "SELECT MAX(version) FROM follow_ups WHERE event_id = ? AND kind = ? AND ref = ?")) {
            max.setString(1, key.eventId());
            max.setString(2, key.kind().id());
            max.setString(3, key.ref());
            try (ResultSet rs = max.executeQuery()) {
              if (rs.next()) {
                version = rs.getInt(1) + 1;
              }
            }
          }
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO follow_ups (event_id, kind, ref, version, status, body, reason,"
                      + " milestones, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                      + " ?)")) {
            insert.setString(1, key.eventId());
            insert.setString(2, key.kind().id());
            insert.setString(3, key.ref());
            insert.setInt(4, version);
            insert.setString(5, input.status().id());
            insert.setString(6, input.text());
            insert.setString(7, input.reason());
            insert.setString(8, milestonesJson(input.milestones()));
            insert.setString(9, by);
            insert.setLong(10, now);
            insert.executeUpdate();
          }
          int queued = 0;
          for (Subscriber subscriber : subscribers(c, key.eventId())) {
            MailOutbox.queue(
                c, subscriber.token(), subscriber.email(), composer.compose(subscriber), nowMillis);
            queued++;
          }
          c.commit();
          return new Saved(version, queued);
        } catch (SQLException e) {
          c.rollback();
          throw e;
        }
      } catch (SQLException e) {
        // Two staff saving the same item at once: the second takes the next version.
        if ("23505".equals(e.getSQLState()) && attempt < 3) {
          continue;
        }
        throw StoreException.of("saving the follow-up of " + key, e);
      }
    }
  }

  private static List<Subscriber> subscribers(Connection c, String eventId) throws SQLException {
    List<Subscriber> out = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT s.token, s.language, w.email FROM follow_up_subscriptions s JOIN wallets w"
                + " ON w.id = s.wallet_id WHERE s.event_id = ? AND s.unsubscribed_at IS NULL"
                + " AND w.email IS NOT NULL ORDER BY s.subscribed_at, s.token")) {
      select.setString(1, eventId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          out.add(new Subscriber(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
      }
    }
    return out;
  }

  /** Every version of {@code key}, newest first; empty when staff wrote none. */
  public List<FollowUp.Version> history(FollowUp.Key key) throws StoreException {
    try (Connection c = database.connect()) {
      List<FollowUp.Version> out = new ArrayList<>();
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT version, status, body, reason, milestones, changed_by, changed_at FROM"
                  + " follow_ups WHERE event_id = ? AND kind = ? AND ref = ? ORDER BY version"
                  + " DESC")) {
        select.setString(1, key.eventId());
        select.setString(2, key.kind().id());
        select.setString(3, key.ref());
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(version(rs));
          }
        }
      }
      c.commit();
      return out;
    } catch (SQLException e) {
      throw StoreException.of("reading the history of " + key, e);
    }
  }

  /** The newest version of every follow-up of an event, by {@code kind:ref}. */
  public Map<String, FollowUp.Version> current(String eventId) throws StoreException {
    try (Connection c = database.connect()) {
      Map<String, FollowUp.Version> out = new LinkedHashMap<>();
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT f.version, f.status, f.body, f.reason, f.milestones, f.changed_by,"
                  + " f.changed_at, f.kind, f.ref FROM follow_ups f WHERE f.event_id = ? AND"
                  + " f.version = (SELECT MAX(g.version) FROM follow_ups g WHERE g.event_id ="
                  + " f.event_id AND g.kind = f.kind AND g.ref = f.ref) ORDER BY f.kind, f.ref")) {
        select.setString(1, eventId);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(8) + ":" + rs.getString(9), version(rs));
          }
        }
      }
      c.commit();
      return out;
    } catch (SQLException e) {
      throw StoreException.of("reading the follow-ups of event " + eventId, e);
    }
  }

  /** The ideas of an event staff published, oldest first. */
  public List<IdeaItem> publishedIdeas(String eventId) throws StoreException {
    try (Connection c = database.connect()) {
      List<IdeaItem> out = new ArrayList<>();
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT i.device_id, i.seq, i.title, i.idea_text FROM ideas i WHERE i.event_id = ?"
                  + " AND EXISTS (SELECT 1 FROM moderation m WHERE m.kind = 'idea' AND"
                  + " m.device_id = i.device_id AND m.seq = i.seq AND m.question_id = '' AND"
                  + " m.decision = 'publish') ORDER BY i.device_time, i.device_id, i.seq")) {
        select.setString(1, eventId);
        select.setMaxRows(MAX_IDEAS);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(
                new IdeaItem(
                    rs.getString(1) + "~" + rs.getLong(2), rs.getString(3), rs.getString(4)));
          }
        }
      }
      c.commit();
      return out;
    } catch (SQLException e) {
      throw StoreException.of("reading the published ideas of event " + eventId, e);
    }
  }

  /** The published idea {@code ref} ({@code DEVICE~SEQ}) of the event, if there is one. */
  public Optional<IdeaItem> publishedIdea(String eventId, String ref) throws StoreException {
    Optional<Moderation.Key> key = Moderation.Key.parse(Moderation.Kind.IDEA, ref);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    try (Connection c = database.connect()) {
      Optional<IdeaItem> out = Optional.empty();
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT i.title, i.idea_text FROM ideas i WHERE i.event_id = ? AND i.device_id = ?"
                  + " AND i.seq = ? AND EXISTS (SELECT 1 FROM moderation m WHERE m.kind = 'idea'"
                  + " AND m.device_id = i.device_id AND m.seq = i.seq AND m.question_id = '' AND"
                  + " m.decision = 'publish')")) {
        select.setString(1, eventId);
        select.setString(2, key.get().device().value());
        select.setLong(3, key.get().seq());
        try (ResultSet rs = select.executeQuery()) {
          if (rs.next()) {
            out = Optional.of(new IdeaItem(key.get().id(), rs.getString(1), rs.getString(2)));
          }
        }
      }
      c.commit();
      return out;
    } catch (SQLException e) {
      throw StoreException.of("reading idea " + ref + " of event " + eventId, e);
    }
  }

  // ---- subscriptions ----

  /** The events of the tickets this wallet claimed, in id order. */
  public List<String> walletEvents(WalletId wallet) throws StoreException {
    try (Connection c = database.connect()) {
      List<String> out = new ArrayList<>();
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT DISTINCT t.event_id FROM ticket_claims tc JOIN tickets t"
                  + " ON t.device_id = tc.device_id AND t.serial = tc.serial"
                  + " WHERE tc.wallet_id = ? ORDER BY t.event_id")) {
        select.setString(1, wallet.value());
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
      c.commit();
      return out;
    } catch (SQLException e) {
      throw StoreException.of("reading the events of wallet " + wallet, e);
    }
  }

  /** The events this wallet asked to be told about (and did not unsubscribe from). */
  public Set<String> subscribedEvents(WalletId wallet) throws StoreException {
    try (Connection c = database.connect()) {
      Set<String> out = new LinkedHashSet<>();
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT event_id FROM follow_up_subscriptions WHERE wallet_id = ? AND"
                  + " unsubscribed_at IS NULL")) {
        select.setString(1, wallet.value());
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
      c.commit();
      return out;
    } catch (SQLException e) {
      throw StoreException.of("reading the subscriptions of wallet " + wallet, e);
    }
  }

  /**
   * Subscribes the wallet to the event's follow-up with a new unsubscribe token (again after an
   * unsubscription). The caller checks the wallet took part and has an address.
   */
  public String subscribe(WalletId wallet, String eventId, String language) throws StoreException {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    long now = clock.instant().getEpochSecond();
    try (Connection c = database.connect()) {
      try {
        int updated;
        try (PreparedStatement update =
            c.prepareStatement(
                "UPDATE follow_up_subscriptions SET token = ?, language = ?, subscribed_at = ?,"
                    + " unsubscribed_at = NULL WHERE wallet_id = ? AND event_id = ?")) {
          update.setString(1, token);
          update.setString(2, language);
          update.setLong(3, now);
          update.setString(4, wallet.value());
          update.setString(5, eventId);
          updated = update.executeUpdate();
        }
        if (updated == 0) {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO follow_up_subscriptions (token, wallet_id, event_id, language,"
                      + " subscribed_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, token);
            insert.setString(2, wallet.value());
            insert.setString(3, eventId);
            insert.setString(4, language);
            insert.setLong(5, now);
            insert.executeUpdate();
          }
        }
        c.commit();
        return token;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw StoreException.of("subscribing wallet " + wallet + " to event " + eventId, e);
    }
  }

  /** Ends the wallet's subscription to the event; true when there was an active one. */
  public boolean unsubscribe(WalletId wallet, String eventId) throws StoreException {
    return update(
        "UPDATE follow_up_subscriptions SET unsubscribed_at = ? WHERE wallet_id = ? AND event_id"
            + " = ? AND unsubscribed_at IS NULL",
        wallet.value(),
        eventId);
  }

  /** Ends the subscription of an unsubscribe link; true when it was active. */
  public boolean unsubscribe(String token) throws StoreException {
    return update(
        "UPDATE follow_up_subscriptions SET unsubscribed_at = ? WHERE token = ? AND"
            + " unsubscribed_at IS NULL",
        token);
  }

  private boolean update(String sql, String... values) throws StoreException {
    try (Connection c = database.connect()) {
      try (PreparedStatement update = c.prepareStatement(sql)) {
        update.setLong(1, clock.instant().getEpochSecond());
        for (int i = 0; i < values.length; i++) {
          update.setString(i + 2, values[i]);
        }
        int n = update.executeUpdate();
        c.commit();
        return n > 0;
      }
    } catch (SQLException e) {
      throw StoreException.of("ending a follow-up subscription", e);
    }
  }

  /** The subscription of an unsubscribe token, if it is one. */
  public Optional<Subscription> subscription(String token) throws StoreException {
    if (token == null || !token.matches("[A-Za-z0-9_-]{43}")) {
      return Optional.empty();
    }
    try (Connection c = database.connect()) {
      Optional<Subscription> out = Optional.empty();
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT event_id, unsubscribed_at FROM follow_up_subscriptions WHERE token = ?")) {
        select.setString(1, token);
        try (ResultSet rs = select.executeQuery()) {
          if (rs.next()) {
            String event = rs.getString(1);
            rs.getLong(2);
            out = Optional.of(new Subscription(token, event, rs.wasNull()));
          }
        }
      }
      c.commit();
      return out;
    } catch (SQLException e) {
      throw StoreException.of("reading a follow-up subscription", e);
    }
  }

  // ---- rows ----

  private static FollowUp.Version version(ResultSet rs) throws SQLException {
    return new FollowUp.Version(
        rs.getInt(1),
        FollowUp.Status.parse(rs.getString(2)).orElseThrow(),
        rs.getString(3),
        rs.getString(4),
        milestones(rs.getString(5)),
        rs.getString(6),
        rs.getLong(7));
  }

  static String milestonesJson(List<FollowUp.Milestone> milestones) {
    ArrayNode array = Json.array();
    for (FollowUp.Milestone m : milestones) {
      array.addObject().put("date", m.date().toString()).put("text", m.text());
    }
    return array.toString();
  }

  static List<FollowUp.Milestone> milestones(String json) throws SQLException {
    try {
      List<FollowUp.Milestone> out = new ArrayList<>();
      for (JsonNode node : MAPPER.readTree(json)) {
        out.add(
            new FollowUp.Milestone(
                LocalDate.parse(node.path("date").asText()), node.path("text").asText()));
      }
      return out;
    } catch (IOException | RuntimeException e) {
      throw new SQLException("a follow-up's milestones are not readable: " + json, e);
    }
  }
}
