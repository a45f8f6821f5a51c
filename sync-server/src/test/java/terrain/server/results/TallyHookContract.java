// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.server.moderation.Moderation;
import terrain.server.testkit.DatabaseContract;
import terrain.server.testkit.LogCapture;
import terrain.server.testkit.Responses;
import terrain.store.RecordStore;
import terrain.store.RejectedRecords;

/** The tallies kept by {@link TallyHook}, read back by {@link Results}, on each database. */
abstract class TallyHookContract extends DatabaseContract {
  RecordStore store;
  Results results;

  @BeforeEach
  void open() throws Exception {
    store = new RecordStore(database);
    results = new Results(database, EventCatalog.empty());
  }

  @AfterEach
  void close() throws Exception {
    closeAll(results, store);
  }

  @Test
  void accept_whenBatchesArriveTwice_countsEachResponseOnce() throws Exception {
    List<Record> records = new ArrayList<>(Responses.of(DeviceId.of("k1"), "ev-1", 7));
    records.addAll(Responses.of(DeviceId.of("k2"), "ev-1", 4));
    TallyHook hook = new TallyHook();

    store.accept(records.subList(0, 5), 1000, false, hook);
    store.accept(records, 2000, false, hook);
    store.accept(records, 3000, false, hook);

    Summary summary = results.summary("ev-1").orElseThrow();
    assertEquals(11, summary.responses());
    assertEquals(Responses.counts(records), summary.byQuestion());
  }

  @Test
  void accept_whenEventsDiffer_keepsSeparateTallies() throws Exception {
    List<Record> first = Responses.of(DeviceId.of("k1"), "ev-a", 3);
    List<Record> second = new ArrayList<>();
    for (Record r : Responses.of(DeviceId.of("k1"), "ev-b", 5)) {
      second.add(
          new Record(r.device(), r.seq() + 3, r.kind(), "ev-b", r.deviceTime(), 0, r.body()));
    }

    store.accept(first, 1000, false, new TallyHook());
    store.accept(second, 1000, false, new TallyHook());

    assertEquals(3, results.summary("ev-a").orElseThrow().responses());
    assertEquals(5, results.summary("ev-b").orElseThrow().responses());
    assertEquals(Responses.counts(second), results.summary("ev-b").orElseThrow().byQuestion());
    assertEquals(
        List.of(
            new Results.Listing("ev-a", java.util.Optional.empty(), 3),
            new Results.Listing("ev-b", java.util.Optional.empty(), 5)),
        results.events());
  }

  @Test
  void accept_whenBodyDoesNotDecode_storesRecordButDoesNotCountIt() throws Exception {
    DeviceId kiosk = DeviceId.of("k1");
    List<Record> records = new ArrayList<>(Responses.of(kiosk, "ev-1", 2));
    Record broken =
        new Record(kiosk, 3, RecordKind.RESPONSE, "ev-1", 5, 0, new byte[] {1, (byte) 0xFF});
    records.add(broken);
    records.add(new Record(kiosk, 4, RecordKind.IDEA, "ev-1", 6, 0, new byte[] {9, 9}));

    RecordStore.AcceptResult result;
    try (LogCapture log = new LogCapture(TallyHook.class)) {
      result = store.accept(records, 1000, false, new TallyHook());
      assertTrue(
          log.lines().stream().anyMatch(l -> l.contains(kiosk + "#3") && l.contains("not counted")),
          log.lines().toString());
    }

    assertEquals(Map.of(kiosk, 4L), result.upTo());
    assertEquals(3, store.records("ev-1", RecordKind.RESPONSE).size());
    assertEquals(1, store.records("ev-1", RecordKind.IDEA).size());
    Summary summary = results.summary("ev-1").orElseThrow();
    assertEquals(2, summary.responses());
    assertEquals(Responses.counts(records.subList(0, 2)), summary.byQuestion());
  }

  @Test
  void accept_whenOptionRepeatedInOneAnswer_countsItOnce() throws Exception {
    Record record = Responses.response(DeviceId.of("k1"), 1, "ev-1", "pied", List.of("bio", "bio"));

    store.accept(List.of(record), 1000, false, new TallyHook());

    assertEquals(
        Map.of("q-mode", Map.of("pied", 1L), "q-wish", Map.of("bio", 1L)),
        results.summary("ev-1").orElseThrow().byQuestion());
  }

  /** The quarantine's rules let everything through: only the database can refuse a record. */
  static final RecordStore.Quarantine NO_RULES =
      new RecordStore.Quarantine(DeviceId.of("ingest-test"), record -> Optional.empty());

  /** A response that answers {@code question} twice with a text: two free answers, one key. */
  static Record answeredTwice(DeviceId device, long seq, String text) {
    ResponseBody body =
        new ResponseBody(
            "poll-1",
            List.of(
                new ResponseBody.Answer("q-mode", List.of("pied")),
                ResponseBody.Answer.text("q-text", "premier"),
                ResponseBody.Answer.text("q-text", text)));
    return new Record(device, seq, RecordKind.RESPONSE, "ev-1", 5, 0, body.encode());
  }

  /**
   * What the rules do not catch, the database does (decision 0016): a response whose two free
   * answers hit the primary key of {@code free_answers} makes the batch fail (SQLState 23505, tried
   * five times); the store then commits the records one by one, quarantines the culprit and
   * acknowledges everything. Sent again, nothing changes.
   */
  @Test
  void accept_whenHookHitsAConstraint_quarantinesTheCulpritAndStoresTheOthers() throws Exception {
    DeviceId kiosk = DeviceId.of("k1");
    List<Record> good = new ArrayList<>(Responses.of(kiosk, "ev-1", 6));
    Record culprit = answeredTwice(kiosk, 4, "second");
    good.remove(3);
    List<Record> batch = new ArrayList<>(good);
    batch.add(3, culprit);

    RecordStore.AcceptResult result = store.accept(batch, 1000, false, new TallyHook(), NO_RULES);
    RecordStore.AcceptResult again = store.accept(batch, 2000, false, new TallyHook(), NO_RULES);

    assertEquals(Map.of(kiosk, 6L), result.upTo());
    assertEquals(1, result.quarantined().size());
    RecordStore.Rejected rejected = result.quarantined().get(0);
    assertEquals(
        new RecordStore.Rejected(
            kiosk, 4, RecordKind.RESPONSE, "ev-1", NO_RULES.hop(), rejected.reason(), 1000),
        rejected);
    assertTrue(
        rejected.reason().startsWith("the database refused it: SQLState 23505"), rejected.reason());
    assertEquals(Map.of(kiosk, 6L), again.upTo());
    assertEquals(List.of(), again.quarantined());
    assertEquals(6, again.duplicates());
    Summary summary = results.summary("ev-1").orElseThrow();
    assertEquals(5, summary.responses());
    assertEquals(Responses.counts(good), summary.byQuestion());
    assertEquals(5, store.records("ev-1", RecordKind.RESPONSE).size());
    RejectedRecords listed = new RejectedRecords(database);
    assertEquals(List.of(rejected), listed.list(10));
    assertEquals(1, listed.count());
    assertArrayEquals(culprit.body(), listed.body(kiosk, 4));
  }

  /**
   * A failure that is not the records' (here a hook that finds the disk gone) quarantines nothing
   * and acknowledges nothing: the sender sends again later, as before decision 0016.
   */
  @Test
  void accept_whenDatabaseFailsForAnotherReason_throwsAndQuarantinesNothing() throws Exception {
    List<Record> batch = Responses.of(DeviceId.of("k1"), "ev-1", 3);
    RecordStore.InsertHook broken =
        (connection, inserted) -> {
          throw new java.sql.SQLException("the disk is gone", "58030");
        };

    assertThrows(
        terrain.store.StoreException.class,
        () -> store.accept(batch, 1000, false, broken, NO_RULES));

    assertEquals(0, new RejectedRecords(database).count());
    assertEquals(List.of(), store.devices());
  }

  @Test
  void summary_whenEventUnknown_isEmpty() throws Exception {
    assertTrue(results.summary("nobody").isEmpty());
  }

  private static Record newKinds(long seq, long deviceTime, List<ResponseBody.Answer> answers) {
    return new Record(
        DeviceId.of("k1"),
        seq,
        RecordKind.RESPONSE,
        "ev-1",
        deviceTime,
        0,
        new ResponseBody("p", answers).encode());
  }

  /**
   * Rankings with repeated options, on two devices in two batches: the tallies and the breakdowns
   * count each option once per answer at its first place (n, rank sum, first places), as counted
   * here with a map per answer, the rule as first written.
   */
  @Test
  void accept_whenRankingsRepeatOptions_countEachOnceAtItsFirstPlace() throws Exception {
    java.util.Random random = new java.util.Random(14);
    List<Record> records = new ArrayList<>();
    Map<String, long[]> expected = new java.util.TreeMap<>(); // device/option: n, rank sum, firsts
    Map<String, Long> expectedN = new java.util.TreeMap<>();
    Map<String, Long> expectedRankSums = new java.util.TreeMap<>();
    for (int i = 0; i < 60; i++) {
      String device = i % 2 == 0 ? "k1" : "k2";
      List<String> ranking = new ArrayList<>();
      for (int j = random.nextInt(7); j > 0; j--) {
        ranking.add("o" + random.nextInt(4));
      }
      records.add(
          new Record(
              DeviceId.of(device),
              i / 2 + 1,
              RecordKind.RESPONSE,
              "ev-1",
              1000 + i,
              0,
              new ResponseBody("p", List.of(new ResponseBody.Answer("rank", ranking))).encode()));
      Map<String, Integer> places = new java.util.LinkedHashMap<>();
      for (String option : ranking) {
        places.putIfAbsent(option, places.size() + 1);
      }
      places.forEach(
          (option, place) -> {
            long[] cell = expected.computeIfAbsent(device + "/" + option, k -> new long[3]);
            cell[0]++;
            cell[1] += place;
            cell[2] += place == 1 ? 1 : 0;
            expectedN.merge(option, 1L, Long::sum);
            expectedRankSums.merge(option, (long) place, Long::sum);
          });
    }
    TallyHook hook = new TallyHook();

    store.accept(records.subList(0, 25), 1000, false, hook);
    store.accept(records, 2000, false, hook);

    Summary summary = results.summary("ev-1").orElseThrow();
    assertEquals(60, summary.responses());
    assertEquals(expectedN, summary.byQuestion().get("rank"));
    assertEquals(expectedRankSums, summary.rankSums().get("rank"));
    Map<String, List<Long>> actual = new java.util.TreeMap<>();
    try (java.sql.Connection c = database.connect()) {
      for (Breakdowns.DeviceTally t : Breakdowns.read(c, "ev-1").tallies()) {
        assertEquals("rank", t.question());
        actual.merge(
            t.device() + "/" + t.option(),
            List.of(t.n(), t.rankSum(), t.firsts()),
            (a, b) -> List.of(a.get(0) + b.get(0), a.get(1) + b.get(1), a.get(2) + b.get(2)));
      }
      c.commit();
    }
    Map<String, List<Long>> wanted = new java.util.TreeMap<>();
    expected.forEach((key, cell) -> wanted.put(key, List.of(cell[0], cell[1], cell[2])));
    assertEquals(wanted, actual);
  }

  @Test
  void accept_whenRankingPinsAndTexts_keepsRankSumsPinsAndTextsNewestFirst() throws Exception {
    List<Record> records =
        List.of(
            newKinds(
                1,
                1000,
                List.of(
                    new ResponseBody.Answer("rank", List.of("a", "b", "c")),
                    ResponseBody.Answer.pin(
                        "map", new ResponseBody.Pin(50, 950), java.util.Optional.of("gare")),
                    ResponseBody.Answer.text("mot", "premier <b>"))),
            newKinds(
                2,
                3000,
                List.of(
                    new ResponseBody.Answer("rank", List.of("b", "a")),
                    new ResponseBody.Answer("map", List.of("parc")),
                    ResponseBody.Answer.text("mot", "dernier"))),
            newKinds(
                3,
                2000,
                List.of(
                    ResponseBody.Answer.pin(
                        "map", new ResponseBody.Pin(1000, 0), java.util.Optional.empty()))));

    store.accept(records, 5000, false, new TallyHook());
    store.accept(records, 6000, false, new TallyHook()); // again: nothing counted twice

    Summary summary = results.summary("ev-1").orElseThrow();
    assertEquals(3, summary.responses());
    assertEquals(Map.of("a", 2L, "b", 2L, "c", 1L), summary.byQuestion().get("rank"));
    assertEquals(Map.of("a", 3L, "b", 3L, "c", 3L), summary.rankSums().get("rank"));
    assertEquals(java.util.Optional.of(1.5), summary.averageRank("rank", "a"));
    assertEquals(java.util.Optional.empty(), summary.averageRank("rank", "z"));
    // Up to 3 ranked: a first place is 3 points. a: 3 + 2, b: 2 + 3, c: 1.
    assertEquals(5, summary.bordaPoints("rank", "a", 3));
    assertEquals(1, summary.bordaPoints("rank", "c", 3));
    assertEquals(Map.of("gare", 1L, "parc", 1L), summary.byQuestion().get("map"));
    assertEquals(
        List.of(new Summary.Pin(50, 950), new Summary.Pin(1000, 0)),
        sorted(pins("ev-1").get("map")));
    // The summary reads the pins' counts per cell, never the pins (decision 0052).
    assertEquals(Map.of(), summary.pins());
    assertEquals(2, summary.pinCount("map"));
    long[][] grid = summary.heatGrid("map");
    assertEquals(1, grid[9][0]);
    assertEquals(1, grid[0][9]);
    assertEquals(2, java.util.Arrays.stream(grid).flatMapToLong(java.util.Arrays::stream).sum());
    // Free texts are counted but held until staff publish them.
    assertEquals(Map.of("mot", 2L), summary.textCounts());
    assertEquals(Map.of(), summary.publishedTextCounts());
    assertEquals(Map.of(), summary.texts());

    try (Moderation moderation = new Moderation(database, java.time.Clock.systemUTC())) {
      for (long seq : new long[] {1, 2}) {
        moderation.decide(
            new Moderation.Key(Moderation.Kind.TEXT, DeviceId.of("k1"), seq, "mot"),
            Moderation.Verdict.PUBLISH,
            "Claire");
      }
    }
    summary = results.summary("ev-1").orElseThrow();
    assertEquals(
        List.of(new Summary.Text("dernier", 3000), new Summary.Text("premier <b>", 1000)),
        summary.texts().get("mot"));
    assertEquals(Map.of("mot", 2L), summary.textCounts());
    assertEquals(Map.of("mot", 2L), summary.publishedTextCounts());
  }

  /**
   * Pins are packed (decision 0027), {@link MapPins#PER_ROW} a row per event, question and device:
   * a batch with more pins than a row holds, from two devices, reads back every pin exactly once;
   * the heat grid the summary reads counts each of them in its cell, one {@code map_heat} row per
   * question and batch (decision 0052).
   */
  @Test
  void accept_whenPinsFillSeveralRows_readsBackEveryPinAndCountsEachInTheHeatGrid()
      throws Exception {
    List<Record> records = new ArrayList<>();
    List<Summary.Pin> expected = new ArrayList<>();
    long[][] grid = new long[MapHeat.GRID][MapHeat.GRID];
    int count = MapPins.PER_ROW + 250;
    for (String device : List.of("k1", "k2")) {
      for (int i = 1; i <= count; i++) {
        ResponseBody.Pin pin = new ResponseBody.Pin(i % 1001, (i * 7 + device.length()) % 1001);
        records.add(
            new Record(
                DeviceId.of(device),
                i,
                RecordKind.RESPONSE,
                "ev-1",
                i,
                0,
                new ResponseBody(
                        "p", List.of(ResponseBody.Answer.pin("map", pin, Optional.empty())))
                    .encode()));
        expected.add(new Summary.Pin(pin.x(), pin.y()));
        // The hub's live results' rule (terrain.core.results.Tally), written out again here.
        grid[Math.min(9, pin.y() * 10 / 1001)][Math.min(9, pin.x() * 10 / 1001)]++;
      }
    }

    store.accept(records.subList(0, count + 100), 1000, false, new TallyHook());
    store.accept(records, 2000, false, new TallyHook()); // again: no pin twice

    assertEquals(sorted(expected), sorted(pins("ev-1").get("map")));
    Summary summary = results.summary("ev-1").orElseThrow();
    assertTrue(java.util.Arrays.deepEquals(grid, summary.heatGrid("map")));
    assertEquals(2L * count, summary.pinCount("map"));
    try (java.sql.Connection c = database.connect();
        java.sql.Statement select = c.createStatement()) {
      try (java.sql.ResultSet rs =
          select.executeQuery("SELECT COUNT(*), SUM(pins) FROM map_pins WHERE event_id = 'ev-1'")) {
        rs.next();
        assertEquals(5, rs.getInt(1)); // k1 in two rows, then k2 in one, then two more rows
        assertEquals(2L * count, rs.getLong(2));
      }
      try (java.sql.ResultSet rs =
          select.executeQuery("SELECT COUNT(*), SUM(pins) FROM map_heat WHERE event_id = 'ev-1'")) {
        rs.next();
        assertEquals(2, rs.getInt(1), "one row per question and batch");
        assertEquals(2L * count, rs.getLong(2));
      }
      c.commit();
    }
  }

  private static Record said(String device, long seq, long deviceTime, String text) {
    return new Record(
        DeviceId.of(device),
        seq,
        RecordKind.RESPONSE,
        "ev-1",
        deviceTime,
        0,
        new ResponseBody("p", List.of(ResponseBody.Answer.text("mot", text))).encode());
  }

  /**
   * Texts are packed since decision 0048; those stored one row each before it stay in {@code
   * free_answers}. Both are counted, listed for moderation, decided, and published together, in the
   * same order as before; texts filling several pack rows are all found.
   */
  @Test
  void accept_whenTextsArePackedBesideOlderRows_readsAndModeratesThemTogether() throws Exception {
    List<Record> older =
        List.of(said("k0", 1, 1_500, "ancien 1"), said("k0", 2, 3_000, "ancien 2"));
    // Stored as before decision 0048: the records, and one free_answers row per text.
    store.accept(older, 1000, false, RecordStore.InsertHook.NONE);
    try (java.sql.Connection c = database.connect();
        java.sql.PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO free_answers (event_id, question_id, device_id, seq, device_time,"
                    + " answer_text) VALUES ('ev-1', 'mot', 'k0', ?, ?, ?)")) {
      for (long seq : new long[] {1, 2}) {
        insert.setLong(1, seq);
        insert.setLong(2, seq == 1 ? 1_500 : 3_000);
        insert.setString(3, "ancien " + seq);
        insert.executeUpdate();
      }
      c.commit();
    }
    int count = TextPacks.MAX_ENTRIES + 200;
    List<Record> newer = new ArrayList<>();
    for (int seq = 1; seq <= count; seq++) {
      newer.add(said("k1", seq, seq == 2 ? 3_000 : 10L * seq, "nouveau " + seq));
    }
    store.accept(newer, 2000, false, new TallyHook());
    store.accept(newer, 3000, false, new TallyHook()); // again: no text twice

    Summary summary = results.summary("ev-1").orElseThrow();
    assertEquals(Map.of("mot", count + 2L), summary.textCounts());
    assertEquals(Map.of(), summary.texts());
    try (java.sql.Connection c = database.connect();
        java.sql.Statement select = c.createStatement();
        java.sql.ResultSet rs =
            select.executeQuery("SELECT COUNT(*), SUM(texts) FROM text_packs")) {
      rs.next();
      assertEquals(2, rs.getInt(1)); // 1,200 texts: two rows
      assertEquals(count, rs.getLong(2));
      c.commit();
    }

    java.time.Instant noon = java.time.Instant.parse("2026-06-21T12:00:00Z");
    try (Moderation moderation =
        new Moderation(database, java.time.Clock.fixed(noon, java.time.ZoneOffset.UTC))) {
      List<Moderation.Item> pending = moderation.pending(Moderation.MAX_LIMIT);
      assertEquals(Moderation.MAX_LIMIT, pending.size());
      assertEquals("nouveau " + count, pending.get(0).text());
      assertEquals(10L * count, pending.get(0).deviceTime());
      assertEquals("ev-1", pending.get(0).eventId());
      assertEquals("mot", pending.get(0).title());
      // Newest first across packs; the two texts pending: the newest 500 of 1,202.
      assertEquals(10L * (count - Moderation.MAX_LIMIT + 1), pending.get(499).deviceTime());

      Moderation.Key oldOne = new Moderation.Key(Moderation.Kind.TEXT, DeviceId.of("k0"), 2, "mot");
      Moderation.Key newOne = new Moderation.Key(Moderation.Kind.TEXT, DeviceId.of("k1"), 2, "mot");
      Moderation.Key inSecondRow =
          new Moderation.Key(Moderation.Kind.TEXT, DeviceId.of("k1"), count - 1, "mot");
      Moderation.Key rejected =
          new Moderation.Key(Moderation.Kind.TEXT, DeviceId.of("k0"), 1, "mot");
      for (Moderation.Key key : List.of(oldOne, newOne, inSecondRow)) {
        assertTrue(
            moderation.decide(key, Moderation.Verdict.PUBLISH, "Claire")
                instanceof Moderation.Outcome.Decided,
            key.id());
      }
      moderation.decide(rejected, Moderation.Verdict.REJECT, "Claire");
      for (Moderation.Key missing :
          List.of(
              new Moderation.Key(Moderation.Kind.TEXT, DeviceId.of("k1"), 3, "autre"),
              new Moderation.Key(Moderation.Kind.TEXT, DeviceId.of("k1"), count + 1, "mot"),
              new Moderation.Key(Moderation.Kind.TEXT, DeviceId.of("k0"), 3, "mot"))) {
        assertEquals(
            new Moderation.Outcome.NotFound(),
            moderation.decide(missing, Moderation.Verdict.PUBLISH, "Claire"),
            missing.id());
      }

      List<Moderation.Item> decided = moderation.decided(10);
      assertEquals(
          java.util.Set.of(oldOne, newOne, inSecondRow, rejected),
          decided.stream().map(Moderation.Item::key).collect(java.util.stream.Collectors.toSet()));
      Moderation.Item decidedOld =
          decided.stream().filter(i -> i.key().equals(oldOne)).findFirst().orElseThrow();
      assertEquals("ancien 2", decidedOld.text());
      assertEquals(
          Optional.of(
              new Moderation.Decision(Moderation.Verdict.PUBLISH, "Claire", noon.toEpochMilli())),
          decidedOld.decision());
      assertTrue(
          moderation.pending(Moderation.MAX_LIMIT).stream()
              .noneMatch(i -> i.key().equals(inSecondRow) || i.key().equals(newOne)),
          "published texts are no longer pending");
      List<Moderation.Item> oldest = new ArrayList<>(moderation.pending(Moderation.MAX_LIMIT));
      assertTrue(oldest.stream().noneMatch(i -> i.key().equals(rejected)), "rejected: decided");
    }

    summary = results.summary("ev-1").orElseThrow();
    // Newest first; at the same device time, by device then seq, as the SQL ordered them.
    assertEquals(
        List.of(
            new Summary.Text("nouveau " + (count - 1), 10L * (count - 1)),
            new Summary.Text("ancien 2", 3_000),
            new Summary.Text("nouveau 2", 3_000)),
        summary.texts().get("mot"));
    assertEquals(Map.of("mot", 3L), summary.publishedTextCounts());
    assertEquals(Map.of("mot", count + 2L), summary.textCounts());
  }

  /** A response answering one question with two texts is refused as one row per text refused it. */
  @Test
  void accept_whenAResponseAnswersAQuestionWithTwoTexts_quarantinesItAlone() throws Exception {
    DeviceId kiosk = DeviceId.of("k1");
    List<Record> batch = new ArrayList<>();
    batch.add(said("k1", 1, 1, "seul"));
    batch.add(answeredTwice(kiosk, 2, "deux"));
    batch.add(said("k1", 3, 3, "encore"));

    RecordStore.AcceptResult result = store.accept(batch, 1000, false, new TallyHook(), NO_RULES);

    assertEquals(Map.of(kiosk, 3L), result.upTo());
    assertEquals(1, result.quarantined().size());
    assertEquals(2, result.quarantined().get(0).seq());
    assertTrue(
        result
            .quarantined()
            .get(0)
            .reason()
            .startsWith(
                "the database refused it: SQLState 23505,"
                    + " question q-text is answered with two texts"),
        result.quarantined().get(0).reason());
    assertEquals(Map.of("mot", 2L), results.summary("ev-1").orElseThrow().textCounts());
  }

  /** Every pin of an event's maps, read as the results page reads them ({@code map_pins}). */
  private Map<String, List<Summary.Pin>> pins(String event) throws Exception {
    Map<String, List<Summary.Pin>> out = new java.util.TreeMap<>();
    try (java.sql.Connection c = database.connect();
        java.sql.PreparedStatement select =
            c.prepareStatement("SELECT question_id, packed FROM map_pins WHERE event_id = ?")) {
      select.setString(1, event);
      try (java.sql.ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), q -> new ArrayList<>())
              .addAll(MapPins.unpack(rs.getBytes(2)));
        }
      }
      c.commit();
    }
    return out;
  }

  private static List<Summary.Pin> sorted(List<Summary.Pin> pins) {
    List<Summary.Pin> out = new ArrayList<>(pins);
    out.sort(java.util.Comparator.comparingInt(Summary.Pin::x).thenComparingInt(Summary.Pin::y));
    return out;
  }

  /** A response pinning one question twice is refused as one row per answer refused it. */
  @Test
  void accept_whenAResponsePinsAQuestionTwice_quarantinesItAndKeepsTheOthers() throws Exception {
    DeviceId kiosk = DeviceId.of("k1");
    List<Record> batch = new ArrayList<>(Responses.of(kiosk, "ev-1", 3));
    batch.add(
        new Record(
            kiosk,
            4,
            RecordKind.RESPONSE,
            "ev-1",
            4,
            0,
            new ResponseBody(
                    "p",
                    List.of(
                        ResponseBody.Answer.pin(
                            "map", new ResponseBody.Pin(1, 2), Optional.empty()),
                        ResponseBody.Answer.pin(
                            "map", new ResponseBody.Pin(3, 4), Optional.empty())))
                .encode()));

    RecordStore.AcceptResult result = store.accept(batch, 1000, false, new TallyHook(), NO_RULES);

    assertEquals(Map.of(kiosk, 4L), result.upTo());
    assertEquals(1, result.quarantined().size());
    assertEquals(4, result.quarantined().get(0).seq());
    assertEquals(3, results.summary("ev-1").orElseThrow().responses());
  }

  @Test
  void accept_whenBatchesComeThroughAHubOrDirectly_keepsBreakdownsPerSiteDeviceAndHour()
      throws Exception {
    List<Record> viaHub = Responses.of(DeviceId.of("k1"), "ev-1", 7);
    List<Record> direct = Responses.of(DeviceId.of("k2"), "ev-1", 4);
    terrain.server.ingest.BatchSender sender = new terrain.server.ingest.BatchSender();
    TallyHook hook = new TallyHook(sender);
    Exception[] failed = new Exception[1];
    Runnable viaHubTwice =
        () -> {
          try {
            store.accept(viaHub.subList(0, 3), 1000, false, hook);
            store.accept(viaHub, 2000, false, hook);
          } catch (Exception e) {
            failed[0] = e;
          }
        };
    sender.during("terrain/v1/hub/hub-a/up", viaHubTwice);
    sender.during(
        "terrain/v1/dev/k2/up",
        () -> {
          try {
            store.accept(direct, 3000, false, hook);
          } catch (Exception e) {
            failed[0] = e;
          }
        });
    if (failed[0] != null) {
      throw failed[0];
    }

    EventResults r = results.results("ev-1", q -> Optional.empty()).orElseThrow();
    assertEquals(11, r.responses());
    assertTrue(r.method().complete());
    EventResults.Participation p = r.participation();
    assertEquals(
        List.of(
            new EventResults.Group("direct", "direct", null, null, null, 0L, 0L),
            new EventResults.Group("hub-a", "hub-a", null, null, 7L, 0L, 0L)),
        p.bySite());
    assertEquals(7L, p.byDevice().get(0).responses());
    assertEquals(null, p.byDevice().get(1).responses(), "4 is under 5: hidden");
    assertEquals(1, p.byHour().size());
    assertEquals(11L, p.byHour().get(0).responses());
    EventResults.QuestionResult mode =
        r.questions().stream().filter(q -> q.id().equals("q-mode")).findFirst().orElseThrow();
    assertEquals(11, mode.answered());
    EventResults.QuestionResult wish =
        r.questions().stream().filter(q -> q.id().equals("q-wish")).findFirst().orElseThrow();
    assertEquals(11, wish.answered(), "a multiple-choice answer counts once however many options");
  }
}
