// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.representativeness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import terrain.core.codec.WireException;
import terrain.core.event.ProfileSettings;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.results.Tally;
import terrain.store.RecordStore;

/**
 * Counts the answers of the responses that gave an age band or a neighbourhood by (age band,
 * neighbourhood) cell ({@code profile_cells}, {@code profile_tallies}, migration V1031), in the
 * transaction that commits them: what raking needs (decision 0036), without a row per
 * participation. Like the tallies: the batch is aggregated in memory, then one batched UPDATE and
 * one batched INSERT of the rows not found per table, in key order (no deadlock between two
 * instances; a concurrent insert is a 23505 and the store retries the whole transaction). Keeps no
 * state between calls.
 *
 * <p>A response counts in the cell of the first option of its age answer and of its neighbourhood
 * answer ({@code ""} when it gave none); the options are counted as {@link Tally#ranked} counts
 * them (each once per answer). Free texts and pins are not counted here.
 */
public final class ProfileCrossHook implements RecordStore.InsertHook {

  private record Cell(String eventId, String age, String area) implements Comparable<Cell> {
    @Override
    public int compareTo(Cell o) {
      int c = eventId.compareTo(o.eventId);
      if (c == 0) {
        c = age.compareTo(o.age);
      }
      return c != 0 ? c : area.compareTo(o.area);
    }
  }

  private record Key(Cell cell, String questionId, String optionId) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = cell.compareTo(o.cell);
      if (c == 0) {
        c = questionId.compareTo(o.questionId);
      }
      return c != 0 ? c : optionId.compareTo(o.optionId);
    }
  }

  @Override
  public void inserted(Connection connection, List<Record> inserted) throws SQLException {
    Map<Cell, Long> cells = new TreeMap<>();
    Map<Key, Long> counts = new TreeMap<>();
    for (Record record : inserted) {
      if (record.kind() != RecordKind.RESPONSE) {
        continue;
      }
      ResponseBody body;
      try {
        body = ResponseBody.decode(record.body());
      } catch (WireException | RuntimeException e) {
        continue; // TallyHook logs it; it is counted nowhere
      }
      String age = "";
      String area = "";
      for (ResponseBody.Answer answer : body.answers()) {
        if (answer.questionId().equals(ProfileSettings.AGE_ANSWER) && age.isEmpty()) {
          age = answer.optionIds().isEmpty() ? "" : answer.optionIds().get(0);
        } else if (answer.questionId().equals(ProfileSettings.AREA_ANSWER) && area.isEmpty()) {
          area = answer.optionIds().isEmpty() ? "" : answer.optionIds().get(0);
        }
      }
      if (age.isEmpty() && area.isEmpty()) {
        continue;
      }
      Cell cell = new Cell(record.eventId(), age, area);
      cells.merge(cell, 1L, Long::sum);
      for (ResponseBody.Answer answer : body.answers()) {
        if (ProfileSettings.isReserved(answer.questionId())) {
          continue;
        }
        for (String option : Tally.ranked(answer).keySet()) {
          counts.merge(new Key(cell, answer.questionId(), option), 1L, Long::sum);
        }
      }
    }
    if (cells.isEmpty()) {
      return;
    }
    List<Cell> cellKeys = new ArrayList<>(cells.keySet());
    int[] updated;
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE profile_cells SET responses = responses + ?"
                + " WHERE event_id = ? AND age_band = ? AND area = ?")) {
      for (Cell cell : cellKeys) {
        update.setLong(1, cells.get(cell));
        cell(update, 2, cell);
        update.addBatch();
      }
      updated = update.executeBatch();
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO profile_cells (event_id, age_band, area, responses) VALUES (?, ?, ?, ?)")) {
      int batched = 0;
      for (int i = 0; i < updated.length; i++) {
        if (updated[i] == 0) {
          Cell cell = cellKeys.get(i);
          cell(insert, 1, cell);
          insert.setLong(4, cells.get(cell));
          insert.addBatch();
          batched++;
        }
      }
      if (batched > 0) {
        insert.executeBatch();
      }
    }
    if (counts.isEmpty()) {
      return;
    }
    List<Key> keys = new ArrayList<>(counts.keySet());
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE profile_tallies SET n = n + ? WHERE event_id = ? AND age_band = ? AND area = ?"
                + " AND question_id = ? AND option_id = ?")) {
      for (Key key : keys) {
        update.setLong(1, counts.get(key));
        cell(update, 2, key.cell());
        update.setString(5, key.questionId());
        update.setString(6, key.optionId());
        update.addBatch();
      }
      updated = update.executeBatch();
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO profile_tallies (event_id, age_band, area, question_id, option_id, n)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      int batched = 0;
      for (int i = 0; i < updated.length; i++) {
        if (updated[i] == 0) {
          Key key = keys.get(i);
          cell(insert, 1, key.cell());
          insert.setString(4, key.questionId());
          insert.setString(5, key.optionId());
          insert.setLong(6, counts.get(key));
          insert.addBatch();
          batched++;
        }
      }
      if (batched > 0) {
        insert.executeBatch();
      }
    }
  }

  private static void cell(PreparedStatement statement, int from, Cell cell) throws SQLException {
    statement.setString(from, cell.eventId());
    statement.setString(from + 1, cell.age());
    statement.setString(from + 2, cell.area());
  }
}
