// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.id.EventId;
import terrain.server.results.EventCatalog;
import terrain.server.testkit.DatabaseContract;
import terrain.store.Database;

/**
 * Question ids shared by two polls of one event, at publishing (decision 0072): the results count
 * answers by question id, so those polls would add up each other's answers. A new event may not
 * share one; a version published before the rule is still read, and a new version of it may keep
 * the ids it shared, in the polls it shared them in, and no more.
 */
class SharedQuestionIdsTest extends DatabaseContract {
  @TempDir Path dir;

  @Override
  protected Database openDatabase() throws Exception {
    return derby(dir);
  }

  /** Two polls; {@code morning} and {@code evening} name their questions. */
  private static String event(String id, String title, List<String> morning, List<String> evening) {
    StringBuilder yaml =
        new StringBuilder("id: ")
            .append(id)
            .append("\ntitle: {fr: \"")
            .append(title)
            .append("\"}\nplace: \"Bordeaux\"\ndate: 2026-11-28\npolls:\n");
    poll(yaml, "matin", morning);
    poll(yaml, "soir", evening);
    return yaml.toString();
  }

  private static void poll(StringBuilder yaml, String id, List<String> questions) {
    yaml.append("  - id: ").append(id).append("\n    title: {fr: \"").append(id);
    yaml.append("\"}\n    questions:\n");
    for (String question : questions) {
      yaml.append("      - {id: ")
          .append(question)
          .append(", kind: yesno, text: {fr: \"")
          .append(question)
          .append(" ?\"}}\n");
    }
  }

  @Test
  void publish_whenANewEventSharesAQuestionId_isInvalidNamingItAndItsPolls() throws Exception {
    EventCatalog catalog = EventCatalog.empty();
    PublishedEvents events = new PublishedEvents(database, catalog, Clock.systemUTC());

    PublishedEvents.Outcome shared =
        events.publish(
            event("nouveau", "Nouveau", List.of("venue", "ombre"), List.of("bancs", "venue")),
            "nouveau.yaml");

    PublishedEvents.Invalid invalid = assertInstanceOf(PublishedEvents.Invalid.class, shared);
    assertEquals(1, invalid.problems().size(), invalid.toString());
    assertTrue(
        invalid
            .problems()
            .get(0)
            .startsWith("nouveau.yaml: question \"venue\" is in the polls \"matin\", \"soir\";"),
        invalid.toString());
    assertEquals(List.of(), events.list(), "nothing published");
    assertTrue(catalog.definition(EventId.of("nouveau")).isEmpty());
    assertInstanceOf(
        PublishedEvents.Published.class,
        events.publish(
            event("nouveau", "Nouveau", List.of("venue", "ombre"), List.of("bancs", "velo")),
            "nouveau.yaml"),
        "with the id renamed");
  }

  @Test
  void publish_whenTheVersionBeforeSharedAnId_keepsThatOneAndRefusesAnother() throws Exception {
    // Version 1 as a server before the rule stored it.
    String before = event("ancien", "Ancien", List.of("venue", "ombre"), List.of("venue", "bancs"));
    store("ancien", 1, before);
    EventCatalog catalog = EventCatalog.empty();
    PublishedEvents events = new PublishedEvents(database, catalog, Clock.systemUTC());
    events.loadIntoCatalog();

    PublishedEvents.Outcome textChanged =
        events.publish(before.replace("Ancien", "Ancien, v2"), "ancien.yaml");
    PublishedEvents.Outcome oneMore =
        events.publish(
            event("ancien", "Ancien, v3", List.of("venue", "ombre"), List.of("venue", "ombre")),
            "ancien.yaml");

    assertEquals(
        List.of("venue"),
        List.copyOf(
            catalog
                .definition(EventId.of("ancien"))
                .orElseThrow()
                .questionIdsInSeveralPolls()
                .keySet()),
        "the stored version is still read");
    PublishedEvents.Published published =
        assertInstanceOf(PublishedEvents.Published.class, textChanged);
    assertEquals(2, published.version());
    PublishedEvents.Invalid invalid = assertInstanceOf(PublishedEvents.Invalid.class, oneMore);
    assertEquals(1, invalid.problems().size(), invalid.toString());
    assertTrue(
        invalid.problems().get(0).startsWith("ancien.yaml: question \"ombre\" is in the polls"),
        invalid.toString());
    assertEquals(2, events.list().size(), "version 3 refused");
  }

  private void store(String eventId, int version, String yaml) throws Exception {
    try (Connection c = database.connect();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO published_events (event_id, version, yaml, sha256, published_at)"
                    + " VALUES (?, ?, ?, ?, ?)")) {
      insert.setString(1, eventId);
      insert.setInt(2, version);
      insert.setBytes(3, yaml.getBytes(StandardCharsets.UTF_8));
      insert.setString(4, "0".repeat(64));
      insert.setLong(5, 1_796_000_000L);
      insert.executeUpdate();
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }
  }
}
