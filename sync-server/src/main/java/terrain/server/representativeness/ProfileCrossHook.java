// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.representativeness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import terrain.core.codec.WireException;
import terrain.core.event.ProfileSettings;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBodies;
import terrain.core.record.ResponseBody;
import terrain.core.results.Tally;
import terrain.store.RecordStore;

/**
 * Counts the answers of the responses that gave an age band or a neighbourhood by (age band,
 * neighbourhood) cell, in the transaction that commits them: what raking needs (decision 0036),
 * without a row per participation. The batch is aggregated in memory, then inserted, never updated
 * (decision 0044, migration V1036): one {@code profile_counts} row per event, cell and batch (more
 * when its counts pass {@link ProfileCounts#PER_ROW} bytes) with the cell's responses and its
 * options' counts packed ({@link ProfileCounts}); {@link Representativeness} sums them. A row is
 * named after the first record it counts, and a record is stored once: two instances sharing a
 * database never write the same row, and rows go in key order. A failed statement fails the batch's
 * transaction, which the store retries whole; this hook keeps no state between calls.
 *
 * <p>A response counts in the cell of the first option of its age answer and of its neighbourhood
 * answer ({@code ""} when it gave none); the options are counted as {@link Tally#ranked} counts
 * them (each once per answer). Free texts and pins are not counted here.
 */
public final class ProfileCrossHook implements RecordStore.BodiesHook {
  private static final String INSERT =
      "INSERT INTO profile_counts (event_id, age_band, area, device_id, seq, part,"
          + " responses, packed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

  /** A cell's counts in one batch, and the first record counted (whose identity names the row). */
  private static final class Counted {
    String device;
    long seq;
    long responses;
    final SortedMap<String, SortedMap<String, Long>> options = new TreeMap<>();

    void first(Record record) {
      String d = record.device().value();
      int c = device == null ? -1 : d.compareTo(device);
      if (c < 0 || (c == 0 && record.seq() < seq)) {
        device = d;
        seq = record.seq();
      }
    }
  }

  @Override
  public List<String> statements() {
    return List.of(INSERT);
  }

  /** Counts one response in its cell of {@code cells}. */
  private static void count(
      SortedMap<String, SortedMap<String, SortedMap<String, Counted>>> cells,
      Record record,
      ResponseBodies bodies) {
    ResponseBody body;
    try {
      body = bodies.decode(record);
    } catch (WireException | RuntimeException e) {
      return; // TallyHook logs it; it is counted nowhere
    }
    String age = "";
    String area = "";
    List<ResponseBody.Answer> answers = body.answers();
    // Indexed loops: no iterator per response and answer.
    for (int i = 0; i < answers.size(); i++) {
      ResponseBody.Answer answer = answers.get(i);
      if (answer.questionId().equals(ProfileSettings.AGE_ANSWER) && age.isEmpty()) {
        age = answer.optionIds().isEmpty() ? "" : answer.optionIds().get(0);
      } else if (answer.questionId().equals(ProfileSettings.AREA_ANSWER) && area.isEmpty()) {
        area = answer.optionIds().isEmpty() ? "" : answer.optionIds().get(0);
      }
    }
    if (age.isEmpty() && area.isEmpty()) {
      return;
    }
    Counted cell =
        cells
            .computeIfAbsent(record.eventId(), e -> new TreeMap<>())
            .computeIfAbsent(age, a -> new TreeMap<>())
            .computeIfAbsent(area, a -> new Counted());
    cell.first(record);
    cell.responses++;
    for (int i = 0; i < answers.size(); i++) {
      ResponseBody.Answer answer = answers.get(i);
      if (ProfileSettings.isReserved(answer.questionId())) {
        continue;
      }
      List<String> choices = Tally.choices(answer);
      if (choices.isEmpty()) {
        continue;
      }
      SortedMap<String, Long> options =
          cell.options.computeIfAbsent(answer.questionId(), q -> new TreeMap<>());
      for (int j = 0; j < choices.size(); j++) {
        options.merge(choices.get(j), 1L, Long::sum);
      }
    }
  }

  @Override
  public void inserted(Connection connection, List<Record> inserted, ResponseBodies bodies)
      throws SQLException {
    // Per event, age band and neighbourhood (the row's key, in order): the cell's counts. Nested,
    // so that counting in a cell already seen allocates nothing.
    SortedMap<String, SortedMap<String, SortedMap<String, Counted>>> cells =
        countAll(inserted, bodies);
    if (cells.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      for (Map.Entry<String, SortedMap<String, SortedMap<String, Counted>>> event :
          cells.entrySet()) {
        for (Map.Entry<String, SortedMap<String, Counted>> age : event.getValue().entrySet()) {
          for (Map.Entry<String, Counted> area : age.getValue().entrySet()) {
            addRows(insert, event.getKey(), age.getKey(), area.getKey(), area.getValue());
          }
        }
      }
      insert.executeBatch();
    }
  }

  /**
   * The batch's responses counted by cell. One record is counted by its own method, apart from the
   * batch's loop, and the loop apart from the writing: each compiled by the JIT on its own, early
   * (decision 0056), not the whole hook from the loop while a backlog drains (decision 0066).
   */
  private static SortedMap<String, SortedMap<String, SortedMap<String, Counted>>> countAll(
      List<Record> inserted, ResponseBodies bodies) {
    SortedMap<String, SortedMap<String, SortedMap<String, Counted>>> cells = new TreeMap<>();
    for (Record record : inserted) {
      if (record.kind() == RecordKind.RESPONSE) {
        count(cells, record, bodies);
      }
    }
    return cells;
  }

  private static void addRows(
      PreparedStatement insert, String eventId, String age, String area, Counted counted)
      throws SQLException {
    List<byte[]> parts = ProfileCounts.pack(counted.options);
    for (int part = 0; part < Math.max(1, parts.size()); part++) {
      insert.setString(1, eventId);
      insert.setString(2, age);
      insert.setString(3, area);
      insert.setString(4, counted.device);
      insert.setLong(5, counted.seq);
      insert.setInt(6, part);
      // The responses once, in the first part; the others only add counts.
      insert.setLong(7, part == 0 ? counted.responses : 0);
      insert.setBytes(8, parts.isEmpty() ? new byte[0] : parts.get(part));
      insert.addBatch();
    }
  }
}
