// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.devices;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import terrain.core.event.EventFileException;
import terrain.core.event.EventLoader;
import terrain.core.id.EventId;

/**
 * The text of an event file that bundles carry: the latest version published to the server ({@code
 * published_events}, when that table exists), else the file given with {@code --event} whose id
 * matches (version 0), else none.
 */
public final class EventTexts {

  /** An event file's text and its published version (0 for a file given with --event). */
  public record Text(int version, String yaml) {}

  private final Map<String, String> files;
  private volatile boolean publishedTable;

  public EventTexts(Map<String, String> yamlById) {
    this.files = Map.copyOf(yamlById);
  }

  /** No event files. */
  public static EventTexts none() {
    return new EventTexts(Map.of());
  }

  /** The event files given with {@code --event}, by the id each declares. */
  public static EventTexts of(List<Path> eventFiles) throws EventFileException, IOException {
    Map<String, String> byId = new HashMap<>();
    for (Path file : eventFiles) {
      String id = EventLoader.load(file).id();
      byId.putIfAbsent(id, Files.readString(file, StandardCharsets.UTF_8));
    }
    return new EventTexts(byId);
  }

  /** The text hubs and devices of {@code event} should run, if any. */
  public Optional<Text> latest(Connection c, EventId event) throws SQLException {
    if (hasPublishedTable(c)) {
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT version, yaml FROM published_events WHERE event_id = ?"
                  + " ORDER BY version DESC")) {
        select.setMaxRows(1);
        select.setString(1, event.value());
        try (ResultSet rs = select.executeQuery()) {
          if (rs.next()) {
            return Optional.of(new Text(rs.getInt(1), rs.getString(2)));
          }
        }
      }
    }
    String file = files.get(event.value());
    return file == null ? Optional.empty() : Optional.of(new Text(0, file));
  }

  /**
   * Whether the table of published events exists (another feature's migration adds it). Asked
   * through the metadata, not by a failing query, which would abort a PostgreSQL transaction.
   */
  private boolean hasPublishedTable(Connection c) throws SQLException {
    if (publishedTable) {
      return true;
    }
    DatabaseMetaData meta = c.getMetaData();
    for (String name : List.of("PUBLISHED_EVENTS", "published_events")) {
      try (ResultSet rs = meta.getTables(null, null, name, new String[] {"TABLE"})) {
        if (rs.next()) {
          publishedTable = true;
          return true;
        }
      }
    }
    return false;
  }
}
