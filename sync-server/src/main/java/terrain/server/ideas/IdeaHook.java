// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ideas;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.codec.WireException;
import terrain.core.record.IdeaBody;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.store.RecordStore;

/**
 * Stores the ideas of synced IDEA records in {@code ideas}, inside the transaction that commits the
 * records. The record store hands a hook only the records it inserts, never a duplicate, so each
 * idea is stored once per record identity; a transaction retried after a concurrent insert
 * (SQLState 23505 on PostgreSQL with several instances) runs the hook again from scratch, which is
 * safe because it keeps no state.
 *
 * <p>A body that does not decode is left out with a log line; the record itself is still committed
 * and acknowledged, so that it can be examined and the sender stops resending it.
 */
public final class IdeaHook implements RecordStore.InsertHook {
  private static final String INSERT =
      "INSERT INTO ideas (device_id, seq, event_id, poll_id, theme_id, language,"
          + " title, idea_text, device_time, received_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final Logger log = LoggerFactory.getLogger(IdeaHook.class);

  private final Clock clock;

  public IdeaHook(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<String> statements() {
    return List.of(INSERT);
  }

  @Override
  public void inserted(Connection connection, List<Record> inserted) throws SQLException {
    List<Idea> ideas = decodeAll(inserted);
    if (ideas.isEmpty()) {
      return;
    }
    long now = clock.millis();
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      for (Idea one : ideas) {
        Record record = one.record();
        IdeaBody idea = one.body();
        insert.setString(1, record.device().value());
        insert.setLong(2, record.seq());
        insert.setString(3, record.eventId());
        insert.setString(4, idea.pollId());
        insert.setString(5, idea.themeId());
        insert.setString(6, idea.language());
        insert.setString(7, idea.title());
        insert.setString(8, idea.text());
        insert.setLong(9, record.deviceTime());
        insert.setLong(10, now);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private record Idea(Record record, IdeaBody body) {}

  /**
   * The batch's ideas that decode; one that does not is logged and left out. The loop over the
   * whole batch is a method of its own, without the statement's calls: the JIT compiles it alone
   * (decisions 0056 and 0066).
   */
  private static List<Idea> decodeAll(List<Record> inserted) {
    List<Idea> ideas = new ArrayList<>();
    for (Record record : inserted) {
      if (record.kind() != RecordKind.IDEA) {
        continue;
      }
      try {
        ideas.add(new Idea(record, IdeaBody.decode(record.body())));
      } catch (WireException | RuntimeException e) {
        log.warn(
            "Idea {} is stored but not shown: its body does not decode ({})",
            record,
            e.getMessage(),
            e);
      }
    }
    return ideas;
  }
}
