// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.codec.WireException;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBodies;
import terrain.core.record.ResponseBody;
import terrain.core.results.Tally;
import terrain.server.ingest.BatchSender;
import terrain.store.RecordStore;

/**
 * Keeps the results tallies ({@code event_totals}, {@code tallies}) in step with the RESPONSE
 * records, inside the transaction that commits them: a record is counted exactly when it is stored,
 * never twice, never lost.
 *
 * <p>The batch's new responses are first aggregated in memory, then each table gets one batched
 * {@code UPDATE ... SET n = n + ?} of the touched rows and one batched {@code INSERT} of those it
 * did not find (portable SQL, no MERGE): a handful of statements per batch of records. Several
 * server instances may share one PostgreSQL: if another one inserts the same row first, the INSERT
 * fails with a unique violation (SQLState 23505) and {@link RecordStore#accept} rolls the whole
 * transaction back and runs it again, hook included. That is safe because this hook keeps no state
 * between calls: it only writes in the given transaction. Rows are written in a fixed order
 * (totals, then tallies by key) so that two instances do not deadlock each other.
 *
 * <p>Each option's tally also sums the ranks it got (its position in the answer, 1 for first), from
 * which a ranking's average rank and Borda points follow. Pins on a map are packed per batch into
 * {@code map_pins} (decision 0027) and counted per cell of the map's heat grid into {@code
 * map_heat} (decision 0052); free texts are packed per event, question, device and batch into
 * {@code text_packs} (decision 0048), in the same transaction.
 *
 * <p>A response body that does not decode is left out of the tallies with a log line; the record
 * itself is still committed and acknowledged, so that it can be examined and the sender stops
 * resending it.
 */
public final class TallyHook implements RecordStore.BodiesHook {
  private static final Logger log = LoggerFactory.getLogger(TallyHook.class);

  /** An option's row in {@code tallies}: its event, question and option, and its counts. */
  private record Key(String eventId, String questionId, String optionId, long[] counted) {}

  /** Whose pins or texts: one question of one event, from one device. */
  private record PinKey(String eventId, String questionId, String deviceId)
      implements Comparable<PinKey> {
    @Override
    public int compareTo(PinKey o) {
      int c = eventId.compareTo(o.eventId);
      if (c == 0) {
        c = questionId.compareTo(o.questionId);
      }
      return c != 0 ? c : deviceId.compareTo(o.deviceId);
    }
  }

  private static final String UPDATE_TOTALS =
      "UPDATE event_totals SET responses = responses + ? WHERE event_id = ?";
  private static final String INSERT_TOTALS =
      "INSERT INTO event_totals (event_id, responses) VALUES (?, ?)";
  private static final String UPDATE_TALLIES =
      "UPDATE tallies SET n = n + ?, rank_sum = rank_sum + ?"
          + " WHERE event_id = ? AND question_id = ? AND option_id = ?";
  private static final String INSERT_TALLIES =
      "INSERT INTO tallies (event_id, question_id, option_id, n, rank_sum) VALUES (?, ?, ?, ?, ?)";

  private final BatchSender sender;

  /** A hook that does not know which hub sent a batch: breakdowns put everything under no site. */
  public TallyHook() {
    this(new BatchSender());
  }

  /**
   * @param sender which hub sent the batch being committed, for the breakdowns by site
   */
  public TallyHook(BatchSender sender) {
    this.sender = sender;
  }

  @Override
  public List<String> statements() {
    List<String> out =
        new ArrayList<>(
            List.of(
                UPDATE_TOTALS,
                INSERT_TOTALS,
                UPDATE_TALLIES,
                INSERT_TALLIES,
                insertPackedSql(MAP_PINS, PINS),
                insertPackedSql(TEXT_PACKS, TEXTS),
                MapHeat.INSERT));
    out.addAll(Breakdowns.Batch.STATEMENTS);
    return out;
  }

  /** As {@link #inserted(Connection, List)}, reading the bodies the rules decoded (0044). */
  @Override
  public void inserted(Connection connection, List<Record> inserted, ResponseBodies bodies)
      throws SQLException {
    // The loop over the batch apart from the counting of one record and from the writing: each
    // compiled by the JIT on its own, early, instead of one large method compiled again and again
    // while a backlog drains (decision 0056).
    Counts counts = new Counts(sender.hub().orElse(""));
    for (Record record : inserted) {
      counts.add(record, bodies);
    }
    counts.write(connection);
  }

  /** What one batch adds to the tables, counted in memory, then written with a few statements. */
  private static final class Counts {
    private final Breakdowns.Batch breakdown;
    // Per event its responses; per event, question and option: n and rank sum. Nested maps in key
    // order, so that counting an option already seen allocates nothing.
    private final SortedMap<String, long[]> responses = new TreeMap<>();
    private final SortedMap<String, SortedMap<String, SortedMap<String, long[]>>> counts =
        new TreeMap<>();
    private final Map<PinKey, List<TextPacks.Entry>> texts = new TreeMap<>();
    private final Map<PinKey, List<MapPins.Pin>> pins = new TreeMap<>();
    private final Map<MapHeat.Key, MapHeat.Counted> heat = new TreeMap<>();
    private final java.util.Set<String> pinned = new java.util.HashSet<>();
    private final java.util.Set<String> texted = new java.util.HashSet<>();

    Counts(String hub) {
      breakdown = new Breakdowns.Batch(hub);
    }

    void add(Record record, ResponseBodies bodies) throws SQLException {
      if (record.kind() != RecordKind.RESPONSE) {
        breakdown.other(record);
        return;
      }
      ResponseBody body;
      try {
        body = bodies.decode(record);
      } catch (WireException | RuntimeException e) {
        log.warn(
            "Response {} is stored but not counted: its body does not decode ({})",
            record,
            e.getMessage(),
            e);
        return;
      }
      responses.computeIfAbsent(record.eventId(), e -> new long[1])[0]++;
      breakdown.response(record, body);
      SortedMap<String, SortedMap<String, long[]>> questions =
          counts.computeIfAbsent(record.eventId(), e -> new TreeMap<>());
      pinned.clear();
      texted.clear();
      for (ResponseBody.Answer answer : body.answers()) {
        count(questions, answer);
        if (answer.pin().isPresent()) {
          pin(record, answer);
        }
        if (answer.text().isPresent()) {
          addText(texts, texted, record, answer.questionId(), answer.text().get());
        }
      }
    }

    /**
     * The counting rule shared with the hub's live results (terrain.core.results): each option
     * once, ranked by its place among the answer's choices.
     */
    private static void count(
        SortedMap<String, SortedMap<String, long[]>> questions, ResponseBody.Answer answer) {
      List<String> choices = Tally.choices(answer);
      if (!choices.isEmpty()) {
        SortedMap<String, long[]> options =
            questions.computeIfAbsent(answer.questionId(), q -> new TreeMap<>());
        for (int i = 0; i < choices.size(); i++) {
          long[] cell = options.computeIfAbsent(choices.get(i), o -> new long[2]);
          cell[0]++;
          cell[1] += i + 1;
        }
      }
    }

    private void pin(Record record, ResponseBody.Answer answer) throws SQLException {
      if (!pinned.add(answer.questionId())) {
        // One row per answer made this a unique violation; packed, it is refused alike
        // (the store then quarantines the record, decision 0016).
        throw new SQLException(
            "response "
                + record
                + " pins question "
                + answer.questionId()
                + " twice; a question takes one answer",
            "23505");
      }
      ResponseBody.Pin pin = answer.pin().get();
      pins.computeIfAbsent(
              new PinKey(record.eventId(), answer.questionId(), record.device().value()),
              k -> new ArrayList<>())
          .add(new MapPins.Pin(record.seq(), pin.x(), pin.y()));
      heat.computeIfAbsent(
              new MapHeat.Key(record.eventId(), answer.questionId()), k -> new MapHeat.Counted())
          .add(record.device().value(), record.seq(), pin.x(), pin.y());
    }

    /** One batched UPDATE per table, then one batched INSERT of the rows it did not find. */
    void write(Connection connection) throws SQLException {
      breakdown.write(connection);
      if (responses.isEmpty()) {
        return;
      }
      List<String> events = new ArrayList<>(responses.keySet());
      int[] updated;
      try (PreparedStatement update = connection.prepareStatement(UPDATE_TOTALS)) {
        for (String event : events) {
          update.setLong(1, responses.get(event)[0]);
          update.setString(2, event);
          update.addBatch();
        }
        updated = update.executeBatch();
      }
      try (PreparedStatement insert = connection.prepareStatement(INSERT_TOTALS)) {
        int batched = 0;
        for (int i = 0; i < updated.length; i++) {
          if (updated[i] == 0) {
            insert.setString(1, events.get(i));
            insert.setLong(2, responses.get(events.get(i))[0]);
            insert.addBatch();
            batched++;
          }
        }
        if (batched > 0) {
          insert.executeBatch();
        }
      }
      List<Key> keys = new ArrayList<>();
      counts.forEach(
          (event, questions) ->
              questions.forEach(
                  (question, options) ->
                      options.forEach(
                          (option, counted) ->
                              keys.add(new Key(event, question, option, counted)))));
      try (PreparedStatement update = connection.prepareStatement(UPDATE_TALLIES)) {
        for (Key key : keys) {
          update.setLong(1, key.counted()[0]);
          update.setLong(2, key.counted()[1]);
          update.setString(3, key.eventId());
          update.setString(4, key.questionId());
          update.setString(5, key.optionId());
          update.addBatch();
        }
        updated = update.executeBatch();
      }
      try (PreparedStatement insert = connection.prepareStatement(INSERT_TALLIES)) {
        int batched = 0;
        for (int i = 0; i < updated.length; i++) {
          if (updated[i] == 0) {
            Key key = keys.get(i);
            insert.setString(1, key.eventId());
            insert.setString(2, key.questionId());
            insert.setString(3, key.optionId());
            insert.setLong(4, key.counted()[0]);
            insert.setLong(5, key.counted()[1]);
            insert.addBatch();
            batched++;
          }
        }
        if (batched > 0) {
          insert.executeBatch();
        }
      }
      insertPins(connection, pins);
      MapHeat.insert(connection, heat);
      insertTexts(connection, texts);
    }
  }

  /** One {@code map_pins} row per event, question, device and {@link MapPins#PER_ROW} pins. */
  private static void insertPins(Connection connection, Map<PinKey, List<MapPins.Pin>> pins)
      throws SQLException {
    insertPacked(
        connection,
        MAP_PINS,
        PINS,
        pins,
        all -> {
          List<List<MapPins.Pin>> rows = new ArrayList<>();
          for (int from = 0; from < all.size(); from += MapPins.PER_ROW) {
            rows.add(all.subList(from, Math.min(all.size(), from + MapPins.PER_ROW)));
          }
          return rows;
        },
        MapPins.Pin::seq,
        MapPins::pack);
  }

  /**
   * Keeps a text for {@link #insertTexts}, refusing what one {@code free_answers} row per text
   * refused: a question answered twice in one response (SQLState 23505, its primary key) and U+0000
   * (PostgreSQL's text columns, SQLState 22021). The store then quarantines the record (decision
   * 0016).
   */
  private static void addText(
      Map<PinKey, List<TextPacks.Entry>> texts,
      java.util.Set<String> texted,
      Record record,
      String questionId,
      String text)
      throws SQLException {
    if (!texted.add(questionId)) {
      throw new SQLException(
          "question "
              + questionId
              + " is answered with two texts (a question takes one answer) in response "
              + record,
          "23505");
    }
    if (text.indexOf('\u0000') >= 0) {
      throw new SQLException(
          "the text of response " + record + " to question " + questionId + " holds U+0000",
          "22021");
    }
    texts
        .computeIfAbsent(
            new PinKey(record.eventId(), questionId, record.device().value()),
            k -> new ArrayList<>())
        .add(new TextPacks.Entry(record.seq(), record.deviceTime(), text));
  }

  /**
   * One {@code text_packs} row per event, question, device and batch (decision 0048), cut at {@link
   * TextPacks#MAX_ENTRIES} texts or {@link TextPacks#MAX_BYTES} bytes, in the order of its primary
   * key. The same record twice is impossible (the records' primary key refuses it first); another
   * instance committing the same rows meanwhile fails this INSERT with SQLState 23505, and {@link
   * RecordStore#accept} runs the whole transaction again.
   */
  private static void insertTexts(Connection connection, Map<PinKey, List<TextPacks.Entry>> texts)
      throws SQLException {
    insertPacked(
        connection,
        TEXT_PACKS,
        TEXTS,
        texts,
        all -> {
          all.sort(java.util.Comparator.comparingLong(TextPacks.Entry::seq));
          return TextPacks.rows(all);
        },
        TextPacks.Entry::seq,
        TextPacks::pack);
  }

  /**
   * The packed rows of one batch in {@code table} (map_pins, text_packs: the same columns), one
   * JDBC batch: per event, question and device, its entries cut into rows by {@code rows}, each row
   * named by its first and last seq and holding its count ({@code countColumn}) and {@code pack}ed
   * bytes.
   */
  private static final String MAP_PINS = "map_pins";

  private static final String PINS = "pins";
  private static final String TEXT_PACKS = "text_packs";
  private static final String TEXTS = "texts";

  private static String insertPackedSql(String table, String countColumn) {
    return "INSERT INTO "
        + table
        + " (event_id, question_id, device_id, first_seq, last_seq, "
        + countColumn
        + ", packed) VALUES (?, ?, ?, ?, ?, ?, ?)";
  }

  private static <T> void insertPacked(
      Connection connection,
      String table,
      String countColumn,
      Map<PinKey, List<T>> entries,
      java.util.function.Function<List<T>, List<List<T>>> rows,
      java.util.function.ToLongFunction<T> seq,
      java.util.function.Function<List<T>, byte[]> pack)
      throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(insertPackedSql(table, countColumn))) {
      for (Map.Entry<PinKey, List<T>> entry : entries.entrySet()) {
        for (List<T> row : rows.apply(entry.getValue())) {
          insert.setString(1, entry.getKey().eventId());
          insert.setString(2, entry.getKey().questionId());
          insert.setString(3, entry.getKey().deviceId());
          insert.setLong(4, seq.applyAsLong(row.get(0)));
          insert.setLong(5, seq.applyAsLong(row.get(row.size() - 1)));
          insert.setInt(6, row.size());
          insert.setBytes(7, pack.apply(row));
          insert.addBatch();
        }
      }
      insert.executeBatch();
    }
  }
}
