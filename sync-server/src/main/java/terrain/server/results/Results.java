// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import terrain.core.event.ProfileSettings;
import terrain.core.id.EventId;
import terrain.server.store.LazyConnection;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * Reads the tallies that {@link TallyHook} maintains, on a connection of its own so that HTTP
 * readers never wait behind the ingest's store lock. Each read is one short repeatable-read
 * transaction, so the response total and the per-option counts agree with each other.
 */
public final class Results implements AutoCloseable {
  /** An event that has responses, or is defined, for the list of events. */
  public record Listing(String eventId, Optional<String> title, long responses) {}

  /** Free texts are public only once staff published them ({@code terrain.server.moderation}). */
  private static final String PUBLISHED =
      " AND EXISTS (SELECT 1 FROM moderation m WHERE m.kind = 'text'"
          + " AND m.device_id = free_answers.device_id AND m.seq = free_answers.seq"
          + " AND m.question_id = free_answers.question_id AND m.decision = 'publish')";

  private final EventCatalog catalog;
  private final LazyConnection connection;

  public Results(Database database, EventCatalog catalog) {
    this.connection = LazyConnection.repeatableReads(database);
    this.catalog = catalog;
  }

  public EventCatalog catalog() {
    return catalog;
  }

  /**
   * The results of an event, its maps as counts per cell of their heat grid without the pins
   * themselves (what the live results poll, decision 0052); empty when it has no responses and is
   * not defined.
   */
  public synchronized Optional<Summary> summary(String eventId) throws StoreException {
    return summary(eventId, null);
  }

  /**
   * The results of an event per question kind, with its breakdowns and every pin of its maps read
   * in the same transaction as its tallies (decision 0035); empty when it has no responses and is
   * not defined.
   *
   * @param picture where the picture of a map question is served, if the server has it
   */
  public synchronized Optional<EventResults> results(
      String eventId, java.util.function.Function<String, Optional<String>> picture)
      throws StoreException {
    Breakdowns.Read[] rows = new Breakdowns.Read[1];
    return summary(eventId, rows).map(s -> EventResults.of(s, rows[0], picture));
  }

  private Optional<Summary> summary(String eventId, Breakdowns.Read[] breakdowns)
      throws StoreException {
    long responses;
    Map<String, Map<String, Long>> counted = new TreeMap<>();
    Map<String, Map<String, Long>> rankSums = new TreeMap<>();
    Map<String, List<Summary.Pin>> pins = new TreeMap<>();
    Map<String, long[][]> heat = new TreeMap<>();
    Map<String, List<Summary.Text>> texts = new TreeMap<>();
    Map<String, Long> textCounts = new TreeMap<>();
    Map<String, Long> publishedTexts = new TreeMap<>();
    boolean seen;
    try {
      Connection c = connection.get();
      try (PreparedStatement total =
          c.prepareStatement("SELECT responses FROM event_totals WHERE event_id = ?")) {
        total.setString(1, eventId);
        try (ResultSet rs = total.executeQuery()) {
          seen = rs.next();
          responses = seen ? rs.getLong(1) : 0;
        }
      }
      try (PreparedStatement tallies =
          c.prepareStatement(
              "SELECT question_id, option_id, n, rank_sum FROM tallies WHERE event_id = ?"
                  + " ORDER BY question_id, option_id")) {
        tallies.setString(1, eventId);
        try (ResultSet rs = tallies.executeQuery()) {
          while (rs.next()) {
            counted
                .computeIfAbsent(rs.getString(1), q -> new TreeMap<>())
                .put(rs.getString(2), rs.getLong(3));
            rankSums
                .computeIfAbsent(rs.getString(1), q -> new TreeMap<>())
                .put(rs.getString(2), rs.getLong(4));
          }
        }
      }
      // Each map's pins counted per cell by the ingest (decision 0052): a few rows per batch,
      // never the pins themselves.
      try (PreparedStatement select =
          c.prepareStatement("SELECT question_id, packed FROM map_heat WHERE event_id = ?")) {
        select.setString(1, eventId);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            MapHeat.unpack(
                rs.getBytes(2),
                heat.computeIfAbsent(rs.getString(1), q -> new long[MapHeat.GRID][MapHeat.GRID]));
          }
        }
      }
      if (breakdowns != null) {
        // The results page draws every pin over the map's picture: packed since decision 0027,
        // the older ones moved there by V1041.
        try (PreparedStatement select =
            c.prepareStatement(
                "SELECT question_id, packed FROM map_pins WHERE event_id = ?"
                    + " ORDER BY question_id, device_id, first_seq")) {
          select.setString(1, eventId);
          try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
              pins.computeIfAbsent(rs.getString(1), q -> new ArrayList<>())
                  .addAll(MapPins.unpack(rs.getBytes(2)));
            }
          }
        }
      }
      try (PreparedStatement count =
          c.prepareStatement(
              "SELECT question_id, COUNT(*) FROM free_answers"
                  + " WHERE event_id = ? AND answer_text IS NOT NULL GROUP BY question_id")) {
        count.setString(1, eventId);
        try (ResultSet rs = count.executeQuery()) {
          while (rs.next()) {
            textCounts.merge(rs.getString(1), rs.getLong(2), Long::sum);
          }
        }
      }
      // Packed since decision 0048; texts stored before it are in free_answers, read above.
      try (PreparedStatement count =
          c.prepareStatement(
              "SELECT question_id, SUM(texts) FROM text_packs WHERE event_id = ?"
                  + " GROUP BY question_id")) {
        count.setString(1, eventId);
        try (ResultSet rs = count.executeQuery()) {
          while (rs.next()) {
            textCounts.merge(rs.getString(1), rs.getLong(2), Long::sum);
          }
        }
      }
      published(c, eventId, texts, publishedTexts);
      if (breakdowns != null) {
        breakdowns[0] = Breakdowns.read(c, eventId);
      }
      c.commit();
    } catch (SQLException e) {
      throw failed("reading the results of event " + eventId, e);
    }
    // Records name any event id; only a valid one can be an event the server knows.
    Optional<EventCatalog.Event> definition = EventId.ifValid(eventId).flatMap(catalog::event);
    if (!seen && definition.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Long> ages = counted.remove(ProfileSettings.AGE_ANSWER);
    Map<String, Long> areas = counted.remove(ProfileSettings.AREA_ANSWER);
    // Other reserved ids are a newer kiosk's: not poll questions, not shown as such.
    counted.keySet().removeIf(ProfileSettings::isReserved);
    return Optional.of(
        new Summary(
            eventId,
            responses,
            ordered(counted, definition),
            definition,
            rankSums,
            pins,
            heat,
            texts,
            textCounts,
            publishedTexts,
            profile(ages, definition.map(EventCatalog.Event::ageBands).orElse(List.of())),
            profile(areas, definition.map(EventCatalog.Event::areas).orElse(List.of()))));
  }

  /** A published text, ordered as the results list them: newest first (device time). */
  private record Dated(long deviceTime, String deviceId, long seq, String text) {
    static final java.util.Comparator<Dated> NEWEST_FIRST =
        java.util.Comparator.comparingLong(Dated::deviceTime)
            .reversed()
            .thenComparing(Dated::deviceId)
            .thenComparing(java.util.Comparator.comparingLong(Dated::seq).reversed());
  }

  /**
   * The published texts of an event: per question how many, and the newest {@link
   * Summary#MAX_TEXTS}. Those in {@code free_answers} (stored before decision 0048) are joined with
   * {@code moderation} in SQL; the packed ones in Java, with the publish decisions of the event
   * (moderation rows whose record is the event's), decoding only the rows that hold one.
   */
  private static void published(
      Connection c,
      String eventId,
      Map<String, List<Summary.Text>> texts,
      Map<String, Long> publishedTexts)
      throws SQLException {
    Map<String, FreeTexts.Top<Dated>> newest = new TreeMap<>();
    try (PreparedStatement count =
        c.prepareStatement(
            "SELECT question_id, COUNT(*) FROM free_answers"
                + " WHERE event_id = ? AND answer_text IS NOT NULL"
                + PUBLISHED
                + " GROUP BY question_id")) {
      count.setString(1, eventId);
      try (ResultSet rs = count.executeQuery()) {
        while (rs.next()) {
          publishedTexts.merge(rs.getString(1), rs.getLong(2), Long::sum);
        }
      }
    }
    for (String question : publishedTexts.keySet()) {
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT answer_text, device_time, device_id, seq FROM free_answers"
                  + " WHERE event_id = ? AND question_id = ? AND answer_text IS NOT NULL"
                  + PUBLISHED
                  + " ORDER BY device_time DESC, device_id, seq DESC")) {
        select.setMaxRows(Summary.MAX_TEXTS);
        select.setString(1, eventId);
        select.setString(2, question);
        try (ResultSet rs = select.executeQuery()) {
          FreeTexts.Top<Dated> top =
              newest.computeIfAbsent(
                  question, q -> new FreeTexts.Top<>(Summary.MAX_TEXTS, Dated.NEWEST_FIRST));
          while (rs.next()) {
            top.offer(new Dated(rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(1)));
          }
        }
      }
    }
    // question -> device -> published seqs
    Map<String, Map<String, java.util.NavigableSet<Long>>> decided = new java.util.HashMap<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT m.question_id, m.device_id, m.seq FROM moderation m JOIN records r"
                + " ON r.device_id = m.device_id AND r.seq = m.seq"
                + " WHERE r.event_id = ? AND m.kind = 'text' AND m.decision = 'publish'")) {
      select.setString(1, eventId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          decided
              .computeIfAbsent(rs.getString(1), q -> new java.util.HashMap<>())
              .computeIfAbsent(rs.getString(2), d -> new java.util.TreeSet<>())
              .add(rs.getLong(3));
        }
      }
    }
    if (!decided.isEmpty()) {
      FreeTexts.read(
          c,
          eventId,
          (question, device, first, last) -> {
            java.util.NavigableSet<Long> seqs =
                decided.getOrDefault(question, Map.of()).get(device);
            return seqs != null && !seqs.subSet(first, true, last, true).isEmpty();
          },
          (question, device, entry) -> {
            if (decided.get(question).get(device).contains(entry.seq())) {
              publishedTexts.merge(question, 1L, Long::sum);
              newest
                  .computeIfAbsent(
                      question, q -> new FreeTexts.Top<>(Summary.MAX_TEXTS, Dated.NEWEST_FIRST))
                  .offer(new Dated(entry.deviceTime(), device, entry.seq(), entry.text()));
            }
          });
    }
    newest.forEach(
        (question, top) -> {
          List<Summary.Text> list = new ArrayList<>();
          for (Dated d : top.sorted()) {
            list.add(new Summary.Text(d.text(), d.deviceTime()));
          }
          if (!list.isEmpty()) {
            texts.put(question, list);
          }
        });
  }

  /** The counts in the order of the event file, 0 where nobody chose; unknown ids after. */
  private static Map<String, Long> profile(
      Map<String, Long> counted, List<EventCatalog.Option> known) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (counted == null || counted.isEmpty()) {
      return out;
    }
    for (EventCatalog.Option option : known) {
      out.put(option.id(), counted.getOrDefault(option.id(), 0L));
    }
    counted.forEach(out::putIfAbsent);
    return out;
  }

  /** Every event with responses or a definition: defined ones first in file order, then by id. */
  public synchronized List<Listing> events() throws StoreException {
    Map<String, Long> totals = new TreeMap<>();
    try {
      Connection c = connection.get();
      try (PreparedStatement select =
              c.prepareStatement("SELECT event_id, responses FROM event_totals");
          ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          totals.put(rs.getString(1), rs.getLong(2));
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw failed("listing the events", e);
    }
    List<Listing> out = new ArrayList<>();
    for (EventCatalog.Event event : catalog.events()) {
      Long responses = totals.remove(event.id());
      out.add(
          new Listing(event.id(), Optional.of(event.title()), responses == null ? 0 : responses));
    }
    totals.forEach((id, responses) -> out.add(new Listing(id, Optional.empty(), responses)));
    return out;
  }

  /**
   * Puts the counted options in the order of the event file and adds the options nobody chose;
   * questions or options the file does not know (an edited file) keep their counts, after.
   */
  private static Map<String, Map<String, Long>> ordered(
      Map<String, Map<String, Long>> counted, Optional<EventCatalog.Event> definition) {
    if (definition.isEmpty()) {
      return counted;
    }
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    for (EventCatalog.Question question : definition.get().questions()) {
      Map<String, Long> found = counted.getOrDefault(question.id(), Map.of());
      Map<String, Long> options = new LinkedHashMap<>();
      for (EventCatalog.Option option : question.options()) {
        options.put(option.id(), found.getOrDefault(option.id(), 0L));
      }
      found.forEach(options::putIfAbsent);
      out.put(question.id(), options);
    }
    counted.forEach(out::putIfAbsent);
    return out;
  }

  private StoreException failed(String action, SQLException e) {
    // The next read opens a fresh connection: a database restart heals by itself.
    connection.close();
    return StoreException.of(action, e);
  }

  @Override
  public synchronized void close() {
    connection.close();
  }
}
