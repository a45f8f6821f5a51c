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
            textCounts.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      try (PreparedStatement count =
          c.prepareStatement(
              "SELECT question_id, COUNT(*) FROM free_answers"
                  + " WHERE event_id = ? AND answer_text IS NOT NULL"
                  + PUBLISHED
                  + " GROUP BY question_id")) {
        count.setString(1, eventId);
        try (ResultSet rs = count.executeQuery()) {
          while (rs.next()) {
            publishedTexts.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      for (String question : publishedTexts.keySet()) {
        try (PreparedStatement select =
            c.prepareStatement(
                "SELECT answer_text, device_time FROM free_answers"
                    + " WHERE event_id = ? AND question_id = ? AND answer_text IS NOT NULL"
                    + PUBLISHED
                    + " ORDER BY device_time DESC, device_id, seq DESC")) {
          select.setMaxRows(Summary.MAX_TEXTS);
          select.setString(1, eventId);
          select.setString(2, question);
          try (ResultSet rs = select.executeQuery()) {
            List<Summary.Text> list = new ArrayList<>();
            while (rs.next()) {
              list.add(new Summary.Text(rs.getString(1), rs.getLong(2)));
            }
            texts.put(question, list);
          }
        }
      }
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
