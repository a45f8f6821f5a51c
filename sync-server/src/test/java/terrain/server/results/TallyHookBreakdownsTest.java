// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.server.ingest.BatchSender;
import terrain.server.testkit.DatabaseContract;
import terrain.store.Database;
import terrain.store.RecordStore;

/**
 * The breakdowns (decision 0035) hold rows per device and hour and per device and option, not per
 * response: 5,000 market-day responses (4 kiosks, 5 batches as a hub sends them) accepted through
 * the tallies hook leave 12 hour rows and 72 option rows that add up to every response. What they
 * cost the drain is measured by {@code ./terrain bench sync}, not here.
 */
class TallyHookBreakdownsTest extends DatabaseContract {
  static final int BATCHES = 5;
  static final int PER_BATCH = 1_000;

  @TempDir Path dir;

  @Override
  protected Database openDatabase() throws Exception {
    return derby(dir);
  }

  @Test
  void breakdowns_holdRowsPerDeviceAndHour_thatAddUpToEveryResponse() throws Exception {
    BatchSender sender = new BatchSender();
    sender.during(
        "terrain/v1/hub/hub-bench/up",
        () -> {
          try {
            RecordStore store = new RecordStore(database);
            TallyHook hook = new TallyHook(sender);
            long now = 1;
            for (List<Record> batch : batches()) {
              store.accept(batch, now++, false, hook);
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      // 4 devices x 3 hours, one site
      assertEquals(12, count(s, "SELECT COUNT(*) FROM participation_hours"));
      assertEquals(
          BATCHES * PER_BATCH,
          count(s, "SELECT SUM(n) FROM participation_hours WHERE site_id = 'hub-bench'"));
      // 4 devices x (5 venue + 2 envies + 5 horaires + 2 dimanche + 3 priorites + 1 zone)
      assertEquals(4 * 18, count(s, "SELECT COUNT(*) FROM device_tallies"));
      assertEquals(
          BATCHES * PER_BATCH,
          count(s, "SELECT SUM(firsts) FROM device_tallies WHERE question_id = 'priorites'"));
    }
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Responses of 4 kiosks over 3 hours, in (device, seq) order within each batch. */
  private static List<List<Record>> batches() {
    String[] venues = {"pied", "velo", "tram-bus", "voiture", "autre"};
    List<List<Record>> out = new ArrayList<>();
    long[] seq = new long[4];
    long start = 1_795_852_800_000L; // 2026-11-28T05:00Z
    for (int b = 0; b < BATCHES; b++) {
      List<Record> batch = new ArrayList<>();
      for (int d = 0; d < 4; d++) {
        for (int i = 0; i < PER_BATCH / 4; i++) {
          long s = ++seq[d];
          List<ResponseBody.Answer> answers = new ArrayList<>();
          answers.add(new ResponseBody.Answer("venue", List.of(venues[(int) (s % 5)])));
          answers.add(
              new ResponseBody.Answer(
                  "envies", s % 2 == 0 ? List.of("bio", "bancs-ombre") : List.of("bio")));
          answers.add(new ResponseBody.Answer("horaires", List.of(Long.toString(s % 5 + 1))));
          answers.add(new ResponseBody.Answer("dimanche", List.of(s % 3 == 0 ? "no" : "yes")));
          answers.add(
              new ResponseBody.Answer("priorites", List.of("proprete", "prix", "toilettes")));
          answers.add(
              ResponseBody.Answer.pin(
                  "ou-habitez",
                  new ResponseBody.Pin((int) (s % 1000), (int) (s * 7 % 1000)),
                  Optional.of("parc")));
          long time = start + (s * 3 * 3_600_000L) / (BATCHES * PER_BATCH / 4 + 1);
          batch.add(
              new Record(
                  DeviceId.of("kiosk-" + d),
                  s,
                  RecordKind.RESPONSE,
                  "marche-2026-11-28",
                  time,
                  0,
                  new ResponseBody("avenir-du-marche", answers).encode()));
        }
      }
      out.add(batch);
    }
    return out;
  }
}
