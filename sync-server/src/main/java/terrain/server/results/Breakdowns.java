// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.codec.WireException;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.results.Tally;
import terrain.core.workshop.WorkshopAction;

/**
 * The results one level finer than the tallies (decision 0035): who took part per site, device and
 * hour ({@code participation_hours}), and every option's count per site and device ({@code
 * device_tallies}), from which the breakdowns by site, device, channel, day and hour follow. Both
 * tables are kept by {@link TallyHook} in the ingest's transaction, aggregated per batch.
 */
final class Breakdowns {
  private static final Logger log = LoggerFactory.getLogger(Breakdowns.class);

  /** Milliseconds in an hour: {@code hour_start} is the device time divided by it. */
  static final long HOUR = 3_600_000L;

  /** A participation row: how many of {@code kind} a device at a site had in one hour. */
  record Hour(String site, String device, long hour, String kind, long n) {}

  /** An option's count at one site and device. */
  record DeviceTally(
      String site,
      String device,
      String question,
      String option,
      long n,
      long rankSum,
      long firsts) {}

  /** What the enrolment says of a device: kiosk, tablet or hub, and the name staff gave it. */
  record Device(String kind, String name) {}

  /** The breakdown rows of one event, and what the enrolment says of its devices and hubs. */
  record Read(List<Hour> hours, List<DeviceTally> tallies, Map<String, Device> devices) {}

  private Breakdowns() {}

  /** Reads an event's rows in the caller's transaction. */
  static Read read(Connection c, String eventId) throws SQLException {
    List<Hour> hours = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT site_id, device_id, hour_start, kind, n FROM participation_hours"
                + " WHERE event_id = ? ORDER BY site_id, device_id, hour_start, kind")) {
      select.setString(1, eventId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          hours.add(
              new Hour(
                  rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5)));
        }
      }
    }
    List<DeviceTally> tallies = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT site_id, device_id, question_id, option_id, n, rank_sum, firsts FROM device_tallies"
                + " WHERE event_id = ? ORDER BY site_id, device_id, question_id, option_id")) {
      select.setString(1, eventId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          tallies.add(
              new DeviceTally(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getLong(5),
                  rs.getLong(6),
                  rs.getLong(7)));
        }
      }
    }
    Map<String, Device> devices = new LinkedHashMap<>();
    // The event's own devices and every hub (a hub may be enrolled for another event).
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, kind, name FROM enrolled_devices WHERE event_id = ? OR kind = 'hub'")) {
      select.setString(1, eventId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          devices.put(rs.getString(1), new Device(rs.getString(2), rs.getString(3)));
        }
      }
    }
    return new Read(hours, tallies, devices);
  }

  /** The rows of one batch, aggregated in memory, then written with a few batched statements. */
  static final class Batch {
    private record HourKey(String event, String device, long hour, String kind)
        implements Comparable<HourKey> {
      @Override
      public int compareTo(HourKey o) {
        int c = event.compareTo(o.event);
        if (c == 0) {
          c = device.compareTo(o.device);
        }
        if (c == 0) {
          c = Long.compare(hour, o.hour);
        }
        return c != 0 ? c : kind.compareTo(o.kind);
      }
    }

    private record TallyKey(String event, String device, String question, String option)
        implements Comparable<TallyKey> {
      @Override
      public int compareTo(TallyKey o) {
        int c = event.compareTo(o.event);
        if (c == 0) {
          c = device.compareTo(o.device);
        }
        if (c == 0) {
          c = question.compareTo(o.question);
        }
        return c != 0 ? c : option.compareTo(o.option);
      }
    }

    private final String site;
    private final Map<HourKey, long[]> hours = new TreeMap<>();
    private final Map<TallyKey, long[]> tallies = new TreeMap<>();

    /**
     * @param site the hub that sent the batch, {@code ""} for a device's own batch
     */
    Batch(String site) {
      this.site = site;
    }

    /** Counts a decoded response: its hour, and each option it chose with its rank. */
    void response(Record record, ResponseBody body) {
      hour(record, "response");
      String device = record.device().value();
      for (ResponseBody.Answer answer : body.answers()) {
        for (Map.Entry<String, Integer> choice : Tally.ranked(answer).entrySet()) {
          long[] cell =
              tallies.computeIfAbsent(
                  new TallyKey(record.eventId(), device, answer.questionId(), choice.getKey()),
                  k -> new long[3]);
          cell[0]++;
          cell[1] += choice.getValue();
          if (choice.getValue() == 1) {
            cell[2]++;
          }
        }
      }
    }

    /** Counts an idea, or a workshop arrival; other records are not participations. */
    void other(Record record) {
      if (record.kind() == RecordKind.IDEA) {
        hour(record, "idea");
      } else if (record.kind() == RecordKind.WORKSHOP) {
        try {
          if (WorkshopAction.decode(record.body()) instanceof WorkshopAction.Attend) {
            hour(record, "attend");
          }
        } catch (WireException | RuntimeException e) {
          log.debug("Workshop record {} not counted in the breakdowns: {}", record, e.getMessage());
        }
      }
    }

    private void hour(Record record, String kind) {
      hours
          .computeIfAbsent(
              new HourKey(
                  record.eventId(),
                  record.device().value(),
                  Math.floorDiv(record.deviceTime(), HOUR),
                  kind),
              k -> new long[1])[0]++;
    }

    /** One batched UPDATE per table, then one batched INSERT of the rows it did not find. */
    void write(Connection connection) throws SQLException {
      if (!hours.isEmpty()) {
        List<HourKey> keys = new ArrayList<>(hours.keySet());
        int[] updated;
        try (PreparedStatement update =
            connection.prepareStatement(
                "UPDATE participation_hours SET n = n + ? WHERE event_id = ? AND site_id = ?"
                    + " AND device_id = ? AND hour_start = ? AND kind = ?")) {
          for (HourKey key : keys) {
            update.setLong(1, hours.get(key)[0]);
            update.setString(2, key.event());
            update.setString(3, site);
            update.setString(4, key.device());
            update.setLong(5, key.hour());
            update.setString(6, key.kind());
            update.addBatch();
          }
          updated = update.executeBatch();
        }
        try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO participation_hours (event_id, site_id, device_id, hour_start, kind,"
                    + " n) VALUES (?, ?, ?, ?, ?, ?)")) {
          int batched = 0;
          for (int i = 0; i < updated.length; i++) {
            if (updated[i] == 0) {
              HourKey key = keys.get(i);
              insert.setString(1, key.event());
              insert.setString(2, site);
              insert.setString(3, key.device());
              insert.setLong(4, key.hour());
              insert.setString(5, key.kind());
              insert.setLong(6, hours.get(key)[0]);
              insert.addBatch();
              batched++;
            }
          }
          if (batched > 0) {
            insert.executeBatch();
          }
        }
      }
      if (!tallies.isEmpty()) {
        List<TallyKey> keys = new ArrayList<>(tallies.keySet());
        int[] updated;
        try (PreparedStatement update =
            connection.prepareStatement(
                "UPDATE device_tallies SET n = n + ?, rank_sum = rank_sum + ?, firsts = firsts + ?"
                    + " WHERE event_id = ? AND site_id = ? AND device_id = ? AND question_id = ?"
                    + " AND option_id = ?")) {
          for (TallyKey key : keys) {
            long[] cell = tallies.get(key);
            update.setLong(1, cell[0]);
            update.setLong(2, cell[1]);
            update.setLong(3, cell[2]);
            update.setString(4, key.event());
            update.setString(5, site);
            update.setString(6, key.device());
            update.setString(7, key.question());
            update.setString(8, key.option());
            update.addBatch();
          }
          updated = update.executeBatch();
        }
        try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO device_tallies (event_id, site_id, device_id, question_id, option_id,"
                    + " n, rank_sum, firsts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
          int batched = 0;
          for (int i = 0; i < updated.length; i++) {
            if (updated[i] == 0) {
              TallyKey key = keys.get(i);
              long[] cell = tallies.get(key);
              insert.setString(1, key.event());
              insert.setString(2, site);
              insert.setString(3, key.device());
              insert.setString(4, key.question());
              insert.setString(5, key.option());
              insert.setLong(6, cell[0]);
              insert.setLong(7, cell[1]);
              insert.setLong(8, cell[2]);
              insert.addBatch();
              batched++;
            }
          }
          if (batched > 0) {
            insert.executeBatch();
          }
        }
      }
    }
  }
}
