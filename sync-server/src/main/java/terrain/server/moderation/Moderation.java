// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.moderation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import terrain.core.record.DeviceId;
import terrain.server.results.FreeTexts;
import terrain.server.store.LazyConnection;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * What residents typed (ideas, free-text answers) waits here for the town's staff: nothing is
 * public until published. A decision is one row of {@code moderation} per item, with who made it
 * and when; deciding the same again changes nothing, deciding otherwise replaces it (unpublish is a
 * reject, a rejected item can be published later).
 */
public final class Moderation implements AutoCloseable {

  /** What kind of contribution an item is; its {@link #id} appears in URLs. */
  public enum Kind {
    IDEA("idea"),
    TEXT("text"),
    /** An idea typed at a workshop's table (decision 0034). */
    WORKSHOP("workshop");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static Optional<Kind> parse(String id) {
      for (Kind kind : values()) {
        if (kind.id.equals(id)) {
          return Optional.of(kind);
        }
      }
      return Optional.empty();
    }
  }

  /** What staff decided. */
  public enum Verdict {
    PUBLISH("publish"),
    REJECT("reject");

    private final String id;

    Verdict(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static Optional<Verdict> parse(String id) {
      for (Verdict verdict : values()) {
        if (verdict.id.equals(id == null ? null : id.toLowerCase(Locale.ROOT))) {
          return Optional.of(verdict);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * Which item: the record that carried it and, for a free text, its question. Written as {@code
   * DEVICE~SEQ} or {@code DEVICE~SEQ~QUESTION} ({@code ~} is in no device id).
   */
  public record Key(Kind kind, DeviceId device, long seq, String questionId) {
    public Key {
      Objects.requireNonNull(kind, "Key kind must not be null");
      Objects.requireNonNull(device, "Key device must not be null");
      Objects.requireNonNull(questionId, "Key questionId must not be null");
      if (seq < 1) {
        throw new IllegalArgumentException("Key seq [" + seq + "] must be 1 or more");
      }
      if ((kind == Kind.TEXT) == questionId.isEmpty()) {
        throw new IllegalArgumentException(
            "Key questionId [" + questionId + "] must be given for a free text and only for one");
      }
    }

    /** The key written in {@code id}, or empty when it is not one. */
    public static Optional<Key> parse(Kind kind, String id) {
      if (id == null || id.length() > 200) {
        return Optional.empty();
      }
      String[] parts = id.split("~", -1);
      if (parts.length != (kind == Kind.TEXT ? 3 : 2) || !DeviceId.isValid(parts[0])) {
        return Optional.empty();
      }
      long seq;
      try {
        seq = Long.parseLong(parts[1]);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      String question = kind == Kind.TEXT ? parts[2] : "";
      if (seq < 1 || (kind == Kind.TEXT && (question.isEmpty() || question.length() > 64))) {
        return Optional.empty();
      }
      return Optional.of(new Key(kind, DeviceId.of(parts[0]), seq, question));
    }

    public String id() {
      String base = device.value() + "~" + seq;
      return kind == Kind.TEXT ? base + "~" + questionId : base;
    }
  }

  /** A decision and who made it when (epoch milliseconds of the server's clock). */
  public record Decision(Verdict verdict, String by, long at) {}

  /**
   * One contribution as a resident left it.
   *
   * @param title the idea's title (may be empty), the question id of a free text, or the table
   *     number of a workshop idea
   * @param language the kiosk's language for an idea, empty for a free text
   */
  public record Item(
      Key key,
      String eventId,
      String title,
      String text,
      String language,
      long deviceTime,
      Optional<Decision> decision) {}

  /** What a decision did. */
  public sealed interface Outcome {
    /** The item now has this decision; {@code changed} is false when it already had it. */
    record Decided(Decision decision, boolean changed) implements Outcome {}

    /** No such idea or free text. */
    record NotFound() implements Outcome {}
  }

  /** The most items one list returns. */
  public static final int MAX_LIMIT = 500;

  /** The longest name of whoever decides, as stored. */
  public static final int MAX_BY = 200;

  private static final String IDEAS =
      "SELECT i.device_id, i.seq, i.event_id, i.title, i.idea_text, i.language, i.device_time,"
          + " m.decision, m.decided_by, m.decided_at FROM ideas i LEFT JOIN moderation m"
          + " ON m.kind = 'idea' AND m.device_id = i.device_id AND m.seq = i.seq"
          + " AND m.question_id = ''";
  private static final String TEXTS =
      "SELECT f.device_id, f.seq, f.event_id, f.question_id, f.answer_text, f.device_time,"
          + " m.decision, m.decided_by, m.decided_at FROM free_answers f LEFT JOIN moderation m"
          + " ON m.kind = 'text' AND m.device_id = f.device_id AND m.seq = f.seq"
          + " AND m.question_id = f.question_id WHERE f.answer_text IS NOT NULL";
  private static final String WORKSHOP_IDEAS =
      "SELECT w.device_id, w.seq, w.event_id, w.table_no, w.idea_text, w.language, w.device_time,"
          + " m.decision, m.decided_by, m.decided_at FROM workshop_ideas w LEFT JOIN moderation m"
          + " ON m.kind = 'workshop' AND m.device_id = w.device_id AND m.seq = w.seq"
          + " AND m.question_id = ''";

  private final Clock clock;
  private final LazyConnection connection;

  public Moderation(Database database, Clock clock) {
    this.connection =
        new LazyConnection(
            database,
            c -> {
              c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
              c.setAutoCommit(false);
            });
    this.clock = clock;
  }

  /** The items nobody decided yet, newest first (kiosk clock), at most {@code limit}. */
  public synchronized List<Item> pending(int limit) throws StoreException {
    return list(limit, " m.decision IS NULL", "listing the pending contributions");
  }

  /** The items already decided, most recently decided first, at most {@code limit}. */
  public synchronized List<Item> decided(int limit) throws StoreException {
    List<Item> items = list(limit, " m.decision IS NOT NULL", "listing the decided contributions");
    List<Item> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparingLong((Item i) -> i.decision().orElseThrow().at()).reversed());
    return List.copyOf(sorted.subList(0, Math.min(limit, sorted.size())));
  }

  private List<Item> list(int limit, String condition, String action) throws StoreException {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit [" + limit + "] must be 1 to " + MAX_LIMIT);
    }
    boolean decided = condition.contains("NOT");
    String order = decided ? " ORDER BY m.decided_at DESC" : " ORDER BY device_time DESC";
    List<Item> out = new ArrayList<>();
    try {
      Connection c = connection.get();
      try (PreparedStatement select =
          c.prepareStatement(
              IDEAS + " WHERE" + condition + order.replace("device_", "i.device_"))) {
        select.setMaxRows(limit);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(
                new Item(
                    new Key(Kind.IDEA, DeviceId.of(rs.getString(1)), rs.getLong(2), ""),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getLong(7),
                    decision(rs, 8)));
          }
        }
      }
      List<Item> texts = new ArrayList<>();
      try (PreparedStatement select =
          c.prepareStatement(TEXTS + " AND" + condition + order.replace("device_", "f.device_"))) {
        select.setMaxRows(limit);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            texts.add(
                new Item(
                    new Key(
                        Kind.TEXT, DeviceId.of(rs.getString(1)), rs.getLong(2), rs.getString(4)),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    "",
                    rs.getLong(6),
                    decision(rs, 7)));
          }
        }
      }
      // The texts stored before decision 0048 and the packed ones, cut as one source.
      texts.addAll(packedTexts(c, limit, decided));
      texts.sort(textOrder(decided));
      out.addAll(texts.subList(0, Math.min(limit, texts.size())));
      try (PreparedStatement select =
          c.prepareStatement(
              WORKSHOP_IDEAS + " WHERE" + condition + order.replace("device_", "w.device_"))) {
        select.setMaxRows(limit);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(
                new Item(
                    new Key(Kind.WORKSHOP, DeviceId.of(rs.getString(1)), rs.getLong(2), ""),
                    rs.getString(3),
                    Integer.toString(rs.getInt(4)),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getLong(7),
                    decision(rs, 8)));
          }
        }
      }
      c.commit();
    } catch (SQLException e) {
      connection.close();
      throw StoreException.of(action, e);
    }
    out.sort(
        Comparator.comparingLong(Item::deviceTime).reversed().thenComparing(i -> i.key().id()));
    return List.copyOf(out.subList(0, Math.min(limit, out.size())));
  }

  /** The order of a list's SQL: most recently decided first, or newest (device time) first. */
  private static Comparator<Item> textOrder(boolean decided) {
    return decided
        ? Comparator.comparingLong((Item i) -> i.decision().orElseThrow().at())
            .reversed()
            .thenComparing(i -> i.key().id())
        : Comparator.comparingLong(Item::deviceTime).reversed().thenComparing(i -> i.key().id());
  }

  /**
   * The packed free texts (decision 0048) pending or decided, at most {@code limit}, the newest
   * (device time) or the most recently decided first as the SQL lists order them. The join with
   * {@code moderation} is done in Java one event at a time: the text decisions of the event (the
   * moderation rows whose record is the event's), then its pack rows, decoded one by one; no more
   * than {@code limit} items are held.
   */
  private static List<Item> packedTexts(Connection c, int limit, boolean decided)
      throws SQLException {
    FreeTexts.Top<Item> top = new FreeTexts.Top<>(limit, textOrder(decided));
    for (String event : FreeTexts.events(c)) {
      // question -> device -> seq -> decision
      Map<String, Map<String, NavigableMap<Long, Decision>>> decisions = new HashMap<>();
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT m.question_id, m.device_id, m.seq, m.decision, m.decided_by, m.decided_at"
                  + " FROM moderation m JOIN records r ON r.device_id = m.device_id"
                  + " AND r.seq = m.seq WHERE r.event_id = ? AND m.kind = 'text'")) {
        select.setString(1, event);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            decisions
                .computeIfAbsent(rs.getString(1), q -> new HashMap<>())
                .computeIfAbsent(rs.getString(2), d -> new TreeMap<>())
                .put(rs.getLong(3), decision(rs, 4).orElseThrow());
          }
        }
      }
      if (decided && decisions.isEmpty()) {
        continue;
      }
      FreeTexts.read(
          c,
          event,
          decided
              ? (question, device, first, last) -> {
                NavigableMap<Long, Decision> seqs =
                    decisions.getOrDefault(question, Map.of()).get(device);
                return seqs != null && !seqs.subMap(first, true, last, true).isEmpty();
              }
              : FreeTexts.ALL,
          (question, device, entry) -> {
            NavigableMap<Long, Decision> seqs =
                decisions.getOrDefault(question, Map.of()).get(device);
            Decision decision = seqs == null ? null : seqs.get(entry.seq());
            if ((decision != null) == decided) {
              top.offer(
                  new Item(
                      new Key(Kind.TEXT, DeviceId.of(device), entry.seq(), question),
                      event,
                      question,
                      entry.text(),
                      "",
                      entry.deviceTime(),
                      Optional.ofNullable(decision)));
            }
          });
    }
    return top.sorted();
  }

  private static Optional<Decision> decision(ResultSet rs, int column) throws SQLException {
    String verdict = rs.getString(column);
    if (verdict == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Decision(
            Verdict.parse(verdict).orElseThrow(),
            rs.getString(column + 1),
            rs.getLong(column + 2)));
  }

  /**
   * Records {@code verdict} on the item by {@code by} (a staff member's name, cut to {@link
   * #MAX_BY}). The same verdict again keeps the first one's who and when.
   */
  public synchronized Outcome decide(Key key, Verdict verdict, String by) throws StoreException {
    String who = by == null || by.isBlank() ? "?" : by.strip();
    if (who.length() > MAX_BY) {
      who = who.substring(0, MAX_BY);
    }
    try {
      Connection c = connection.get();
      try {
        Outcome outcome = decide(c, key, verdict, who);
        c.commit();
        return outcome;
      } catch (SQLException e) {
        c.rollback();
        if (!"23505".equals(e.getSQLState())) {
          throw e;
        }
        // Another instance decided the same item at the same moment: decide over it.
        Outcome outcome = decide(c, key, verdict, who);
        c.commit();
        return outcome;
      }
    } catch (SQLException e) {
      connection.close();
      throw StoreException.of("recording a moderation decision on " + key.id(), e);
    }
  }

  /**
   * Whether the idea or the free text exists. A text is found through its record's event, in its
   * pack row (decision 0048) or in {@code free_answers} (stored before).
   */
  private static boolean exists(Connection c, Key key) throws SQLException {
    if (key.kind() == Kind.TEXT) {
      return FreeTexts.exists(c, key.device().value(), key.seq(), key.questionId());
    }
    String exists =
        key.kind() == Kind.IDEA
            ? "SELECT 1 FROM ideas WHERE device_id = ? AND seq = ?"
            : "SELECT 1 FROM workshop_ideas WHERE device_id = ? AND seq = ?";
    try (PreparedStatement select = c.prepareStatement(exists)) {
      select.setString(1, key.device().value());
      select.setLong(2, key.seq());
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    }
  }

  private Outcome decide(Connection c, Key key, Verdict verdict, String who) throws SQLException {
    if (!exists(c, key)) {
      return new Outcome.NotFound();
    }
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT decision, decided_by, decided_at FROM moderation"
                + " WHERE kind = ? AND device_id = ? AND seq = ? AND question_id = ?")) {
      bind(select, 1, key);
      try (ResultSet rs = select.executeQuery()) {
        if (rs.next()) {
          Decision current = decision(rs, 1).orElseThrow();
          if (current.verdict() == verdict) {
            return new Outcome.Decided(current, false);
          }
        }
      }
    }
    Decision decision = new Decision(verdict, who, clock.millis());
    int updated;
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE moderation SET decision = ?, decided_by = ?, decided_at = ?"
                + " WHERE kind = ? AND device_id = ? AND seq = ? AND question_id = ?")) {
      update.setString(1, verdict.id());
      update.setString(2, who);
      update.setLong(3, decision.at());
      bind(update, 4, key);
      updated = update.executeUpdate();
    }
    if (updated == 0) {
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO moderation (kind, device_id, seq, question_id, decision, decided_by,"
                  + " decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        bind(insert, 1, key);
        insert.setString(5, verdict.id());
        insert.setString(6, who);
        insert.setLong(7, decision.at());
        insert.executeUpdate();
      }
    }
    return new Outcome.Decided(decision, true);
  }

  private static void bind(PreparedStatement statement, int first, Key key) throws SQLException {
    statement.setString(first, key.kind().id());
    statement.setString(first + 1, key.device().value());
    statement.setLong(first + 2, key.seq());
    statement.setString(first + 3, key.questionId());
  }

  @Override
  public synchronized void close() {
    connection.close();
  }
}
