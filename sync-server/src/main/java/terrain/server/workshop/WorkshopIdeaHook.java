// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.workshop;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.codec.WireException;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.workshop.WorkshopAction;
import terrain.store.RecordStore;

/**
 * Stores the ideas of synced WORKSHOP records in {@code workshop_ideas}, inside the transaction
 * that commits the records, so that they wait in the moderation queue (kind {@code workshop}) like
 * the kiosks' ideas. The store hands a hook only the records it inserts, so each idea is stored
 * once per record identity; a retried transaction runs the hook again from scratch (it keeps no
 * state). A body that does not decode is left out with a log line; the record itself is committed.
 */
public final class WorkshopIdeaHook implements RecordStore.InsertHook {
  private static final String INSERT =
      "INSERT INTO workshop_ideas (device_id, seq, event_id, phase_id, table_no,"
          + " language, idea_text, device_time, received_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final Logger log = LoggerFactory.getLogger(WorkshopIdeaHook.class);

  private final Clock clock;

  public WorkshopIdeaHook(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<String> statements() {
    return List.of(INSERT);
  }

  @Override
  public void inserted(Connection connection, List<Record> inserted) throws SQLException {
    PreparedStatement insert = null;
    try {
      for (Record record : inserted) {
        if (record.kind() != RecordKind.WORKSHOP) {
          continue;
        }
        WorkshopAction action;
        try {
          action = WorkshopAction.decode(record.body());
        } catch (WireException e) {
          log.warn("Workshop record {} is stored but not folded: {}", record, e.getMessage());
          continue;
        }
        if (!(action instanceof WorkshopAction.Idea idea)) {
          continue;
        }
        if (insert == null) {
          insert = connection.prepareStatement(INSERT);
        }
        insert.setString(1, record.device().value());
        insert.setLong(2, record.seq());
        insert.setString(3, record.eventId());
        insert.setString(4, idea.phaseId());
        insert.setInt(5, idea.table());
        insert.setString(6, idea.language());
        insert.setString(7, idea.text());
        insert.setLong(8, record.deviceTime());
        insert.setLong(9, clock.millis());
        insert.addBatch();
      }
      if (insert != null) {
        insert.executeBatch();
      }
    } finally {
      if (insert != null) {
        insert.close();
      }
    }
  }
}
