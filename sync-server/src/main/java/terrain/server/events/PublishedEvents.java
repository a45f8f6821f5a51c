// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventFileException;
import terrain.core.event.EventLoader;
import terrain.core.event.Poll;
import terrain.core.event.Question;
import terrain.core.id.EventId;
import terrain.server.ledger.Transactions;
import terrain.server.results.EventCatalog;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * The event files ops publish ({@code published_events}), versioned per event: the same text again
 * keeps its version, a changed text is the next version. Once an event has records (responses or
 * ideas), a new version may add polls and questions but not rename or remove one, since the records
 * and tallies name them. Each version published is put into the {@link EventCatalog}, so results
 * and claims know it at once.
 */
public final class PublishedEvents {
  private static final Logger log = LoggerFactory.getLogger(PublishedEvents.class);

  /** The most bytes of an event file kept (a portable binary column; files are a few kB). */
  public static final int MAX_BYTES = 32_000;

  /** What publishing a file did. */
  public sealed interface Outcome {}

  /**
   * Kept: a new version ({@code created}), or the same text as the latest version.
   *
   * @param sha256 lowercase hex SHA-256 of the file's UTF-8 bytes
   */
  public record Published(String eventId, int version, String sha256, boolean created)
      implements Outcome {}

  /** The file does not load: every problem as {@code file:line:column: what to fix}. */
  public record Invalid(List<String> problems) implements Outcome {
    public Invalid {
      problems = List.copyOf(problems);
    }
  }

  /** The change renames or removes ids that records already name. */
  public record Conflict(String eventId, List<String> ids, String message) implements Outcome {
    public Conflict {
      ids = List.copyOf(ids);
    }
  }

  /** One version of an event, for the list. */
  public record Version(String eventId, int version, String sha256, long publishedAt) {}

  private final Database database;
  private final EventCatalog catalog;
  private final Clock clock;

  public PublishedEvents(Database database, EventCatalog catalog, Clock clock) {
    this.database = Objects.requireNonNull(database, "database");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Puts the latest published version of every event into the catalog (at start). */
  public void loadIntoCatalog() throws StoreException {
    List<String[]> latest =
        Transactions.run(
            database,
            "reading the published events",
            c -> {
              List<String[]> out = new ArrayList<>();
              try (PreparedStatement select =
                      c.prepareStatement(
                          "SELECT p.event_id, p.yaml FROM published_events p WHERE p.version ="
                              + " (SELECT MAX(q.version) FROM published_events q"
                              + " WHERE q.event_id = p.event_id)");
                  ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                  out.add(
                      new String[] {
                        rs.getString(1), new String(rs.getBytes(2), StandardCharsets.UTF_8)
                      });
                }
              }
              return out;
            });
    for (String[] row : latest) {
      try {
        catalog.put(EventLoader.parse(row[1], row[0] + ".yaml"));
      } catch (EventFileException e) {
        // Only valid files are kept; a newer core that reads them differently says so here.
        log.warn(
            "Published event {} no longer loads; publish it again once fixed:\n{}",
            row[0],
            e.getMessage());
      }
    }
  }

  /**
   * Publishes an event file's text.
   *
   * @param fileName names the text in problems ({@code event.yaml} when the client gave none)
   */
  public Outcome publish(String yaml, String fileName) throws StoreException {
    Objects.requireNonNull(yaml, "yaml");
    EventDefinition definition;
    try {
      definition = EventLoader.parse(yaml, fileName);
    } catch (EventFileException e) {
      return new Invalid(e.problems().stream().map(EventFileException.Problem::toString).toList());
    }
    byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_BYTES) {
      return new Invalid(
          List.of(
              fileName
                  + ": the file has "
                  + bytes.length
                  + " bytes, more than the "
                  + MAX_BYTES
                  + " kept; remove comments or long texts"));
    }
    String sha256 = sha256(bytes);
    String eventId = definition.id();
    Outcome outcome =
        Transactions.run(
            database,
            "publishing event " + eventId,
            c -> publish(c, definition, fileName, bytes, sha256));
    if (outcome instanceof Published published && published.created()) {
      catalog.put(definition);
      log.info("Event {} published, version {} ({})", eventId, published.version(), sha256);
    }
    return outcome;
  }

  private Outcome publish(
      Connection c, EventDefinition definition, String fileName, byte[] bytes, String sha256)
      throws SQLException {
    String eventId = definition.id();
    int latest = 0;
    String latestSha = null;
    byte[] latestYaml = null;
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT version, sha256, yaml FROM published_events WHERE event_id = ?"
                + " ORDER BY version DESC FETCH FIRST 1 ROWS ONLY")) {
      select.setString(1, eventId);
      try (ResultSet rs = select.executeQuery()) {
        if (rs.next()) {
          latest = rs.getInt(1);
          latestSha = rs.getString(2);
          latestYaml = rs.getBytes(3);
        }
      }
    }
    if (sha256.equals(latestSha)) {
      return new Published(eventId, latest, sha256, false);
    }
    Optional<EventDefinition> previous = previous(definition.eventId(), latestYaml);
    List<String> shared = newlyShared(previous, definition, fileName);
    if (!shared.isEmpty()) {
      return new Invalid(shared);
    }
    if (previous.isPresent() && hasRecords(c, eventId)) {
      List<String> gone = removedIds(previous.get(), definition);
      if (!gone.isEmpty()) {
        return new Conflict(
            eventId,
            gone,
            "event "
                + eventId
                + " already has records, which name its polls and questions by id; this version"
                + " renames or removes "
                + String.join(", ", gone)
                + ": keep "
                + (gone.size() == 1 ? "this id" : "these ids")
                + " as they are (change the texts, add new questions instead)");
      }
    }
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO published_events (event_id, version, yaml, sha256, published_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      insert.setString(1, eventId);
      insert.setInt(2, latest + 1);
      insert.setBytes(3, bytes);
      insert.setString(4, sha256);
      insert.setLong(5, clock.instant().getEpochSecond());
      insert.executeUpdate();
    }
    return new Published(eventId, latest + 1, sha256, true);
  }

  /** The version before this one: the latest published, else the one from an --event file. */
  private Optional<EventDefinition> previous(EventId eventId, byte[] latestYaml) {
    if (latestYaml != null) {
      try {
        return Optional.of(
            EventLoader.parse(new String(latestYaml, StandardCharsets.UTF_8), eventId + ".yaml"));
      } catch (EventFileException e) {
        log.warn("Published event {} no longer loads: {}", eventId, e.getMessage());
      }
    }
    return catalog.definition(eventId);
  }

  /** Whether records name the event's ids: responses counted or ideas kept. */
  private static boolean hasRecords(Connection c, String eventId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT responses FROM event_totals WHERE event_id = ? AND responses > 0")) {
      select.setString(1, eventId);
      try (ResultSet rs = select.executeQuery()) {
        if (rs.next()) {
          return true;
        }
      }
    }
    try (PreparedStatement select =
        c.prepareStatement("SELECT 1 FROM ideas WHERE event_id = ? FETCH FIRST 1 ROWS ONLY")) {
      select.setString(1, eventId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The poll and question ids of {@code before} that {@code after} no longer has, named. */
  /**
   * The question ids this version shares between polls that the version before did not: the results
   * count answers by question id, so those polls would add up each other's answers. A version
   * published before the rule keeps the ids it shared, in the polls it shared them in, so that a
   * running event can still be published again (decision 0072).
   */
  static List<String> newlyShared(
      Optional<EventDefinition> before, EventDefinition after, String fileName) {
    Map<String, List<String>> allowed =
        before.map(EventDefinition::questionIdsInSeveralPolls).orElse(Map.of());
    List<String> problems = new ArrayList<>();
    after
        .questionIdsInSeveralPolls()
        .forEach(
            (question, polls) -> {
              if (!allowed.getOrDefault(question, List.of()).containsAll(polls)) {
                problems.add(
                    fileName
                        + ": question \""
                        + question
                        + "\" is in the polls "
                        + polls.stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", "))
                        + "; the results count answers by question id, so these polls would add"
                        + " up each other's answers: give it another id in all of them but one");
              }
            });
    return problems;
  }

  static List<String> removedIds(EventDefinition before, EventDefinition after) {
    Set<String> polls = new LinkedHashSet<>();
    Set<String> questions = new LinkedHashSet<>();
    for (Poll poll : after.polls()) {
      polls.add(poll.id());
      poll.questions().forEach(q -> questions.add(q.id()));
    }
    Set<String> gone = new LinkedHashSet<>();
    for (Poll poll : before.polls()) {
      if (!polls.contains(poll.id())) {
        gone.add("poll \"" + poll.id() + "\"");
      }
      for (Question question : poll.questions()) {
        if (!questions.contains(question.id())) {
          gone.add("question \"" + question.id() + "\"");
        }
      }
    }
    return new ArrayList<>(gone);
  }

  /** Every version of every event, by event then version. */
  public List<Version> list() throws StoreException {
    return Transactions.run(
        database,
        "listing the published events",
        c -> {
          List<Version> out = new ArrayList<>();
          try (PreparedStatement select =
                  c.prepareStatement(
                      "SELECT event_id, version, sha256, published_at FROM published_events"
                          + " ORDER BY event_id, version");
              ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
              out.add(new Version(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4)));
            }
          }
          return out;
        });
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
