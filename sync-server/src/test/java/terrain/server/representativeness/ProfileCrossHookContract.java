// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.representativeness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import terrain.core.event.ProfileSettings;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.server.testkit.DatabaseContract;
import terrain.store.RecordStore;

/**
 * The profile counts kept by {@link ProfileCrossHook} (a packed row per event, cell and batch,
 * decision 0044) and summed by {@link Representativeness#counts}, on each database: against counts
 * made here, answer by answer.
 */
abstract class ProfileCrossHookContract extends DatabaseContract {
  static final String EVENT = "ev-profile";
  static final List<String> AGES = List.of("jeunes", "ainés", "");
  static final List<String> AREAS = List.of("nord", "sud", "");

  RecordStore store;

  @BeforeEach
  void open() throws Exception {
    store = new RecordStore(database);
  }

  @AfterEach
  void close() throws Exception {
    closeAll(store);
  }

  /** The {@code i}-th response of a device: a cell, a yes/no, a multiple choice, a text. */
  static Record response(DeviceId device, long seq, int i) {
    String age = AGES.get(i % 3);
    String area = AREAS.get((i / 3) % 3);
    List<ResponseBody.Answer> answers = new ArrayList<>();
    if (!age.isEmpty()) {
      answers.add(new ResponseBody.Answer(ProfileSettings.AGE_ANSWER, List.of(age)));
    }
    if (!area.isEmpty()) {
      answers.add(new ResponseBody.Answer(ProfileSettings.AREA_ANSWER, List.of(area)));
    }
    answers.add(new ResponseBody.Answer("q-parc", List.of(i % 4 == 0 ? "no" : "yes")));
    answers.add(
        new ResponseBody.Answer(
            "q-mode", i % 5 == 0 ? List.of("velo", "bus") : List.of("pied", "velo", "velo")));
    answers.add(ResponseBody.Answer.text("q-mot", "mot " + i));
    return new Record(
        device,
        seq,
        RecordKind.RESPONSE,
        EVENT,
        1000 + i,
        0,
        new ResponseBody("poll-1", answers).encode());
  }

  static List<Record> responses(DeviceId device, int count, int offset) {
    List<Record> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(response(device, i + 1, i + offset));
    }
    return out;
  }

  /** What the hook must count, made here answer by answer: cells, then answers by cell. */
  static Representativeness.Counts expected(List<Record> records) throws Exception {
    Map<List<String>, Long> cells = new HashMap<>();
    Map<List<String>, Map<String, Map<String, Long>>> answers = new HashMap<>();
    for (Record record : records) {
      ResponseBody body = ResponseBody.decode(record.body());
      String age = "";
      String area = "";
      for (ResponseBody.Answer answer : body.answers()) {
        if (answer.questionId().equals(ProfileSettings.AGE_ANSWER)) {
          age = answer.optionIds().get(0);
        } else if (answer.questionId().equals(ProfileSettings.AREA_ANSWER)) {
          area = answer.optionIds().get(0);
        }
      }
      if (age.isEmpty() && area.isEmpty()) {
        continue;
      }
      List<String> cell = List.of(age, area);
      cells.merge(cell, 1L, Long::sum);
      for (ResponseBody.Answer answer : body.answers()) {
        if (answer.questionId().startsWith("profile-")) {
          continue;
        }
        for (String option : new java.util.LinkedHashSet<>(answer.optionIds())) {
          answers
              .computeIfAbsent(cell, c -> new HashMap<>())
              .computeIfAbsent(answer.questionId(), q -> new HashMap<>())
              .merge(option, 1L, Long::sum);
        }
      }
    }
    return new Representativeness.Counts(cells, answers);
  }

  Representativeness.Counts read() throws Exception {
    try (Connection c = database.connect()) {
      Representativeness.Counts counts = Representativeness.counts(c, EVENT);
      c.commit();
      return counts;
    }
  }

  static void assertCounts(Representativeness.Counts expected, Representativeness.Counts actual) {
    assertEquals(expected.cells(), new HashMap<>(actual.cells()));
    assertEquals(expected.answers(), actual.answers());
  }

  int rows() throws Exception {
    try (Connection c = database.connect();
        PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM profile_counts");
        ResultSet rs = select.executeQuery()) {
      rs.next();
      int n = rs.getInt(1);
      c.commit();
      return n;
    }
  }

  @Test
  void accept_whenBatchesArriveTwice_countsEachResponseOnceInItsCell() throws Exception {
    List<Record> all = new ArrayList<>(responses(DeviceId.of("k1"), 40, 0));
    all.addAll(responses(DeviceId.of("k2"), 25, 7));
    ProfileCrossHook hook = new ProfileCrossHook();

    store.accept(all.subList(0, 30), 1000, false, hook);
    store.accept(all, 2000, false, hook);
    store.accept(all, 3000, false, hook);

    Representativeness.Counts expected = expected(all);
    assertCounts(expected, read());
    assertEquals(8, expected.cells().size(), "the silent cell is not counted");
    // Inserted, never updated: a row per cell and batch (the third batch stored nothing).
    assertEquals(16, rows());
  }

  @Test
  void accept_whenACellsCountsPassARow_packsThemInSeveralParts() throws Exception {
    List<ResponseBody.Answer> answers = new ArrayList<>();
    answers.add(new ResponseBody.Answer(ProfileSettings.AGE_ANSWER, List.of("jeunes")));
    for (int q = 0; q < 30; q++) {
      List<String> options = new ArrayList<>();
      for (int o = 0; o < 12; o++) {
        options.add("option-" + "x".repeat(40) + "-" + q + "-" + o);
      }
      answers.add(new ResponseBody.Answer("question-" + "y".repeat(40) + "-" + q, options));
    }
    List<Record> records = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      records.add(
          new Record(
              DeviceId.of("k1"),
              i,
              RecordKind.RESPONSE,
              EVENT,
              i,
              0,
              new ResponseBody("poll-1", answers).encode()));
    }

    store.accept(records, 1000, false, new ProfileCrossHook());

    assertCounts(expected(records), read());
    assertTrue(rows() >= 5, "360 options of 50 bytes in rows of 4,000 bytes: " + rows());
  }
}
