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
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.codec.ByteReader;
import terrain.core.codec.ByteWriter;
import terrain.core.codec.WireException;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.results.Tally;
import terrain.core.workshop.WorkshopAction;

/**
 * The results one level finer than the tallies (decision 0035): who took part per site, device and
 * hour ({@code participation_hours}), and every option's count per site and device ({@code
 * device_counts}, a packed row per device and batch since V1036, decision 0044, the older {@code
 * device_tallies} folded in by V1041), from which the breakdowns by site, device, channel, day and
 * hour follow. Kept by {@link TallyHook} in the ingest's transaction, aggregated per batch; rows
 * named after a record stored once, so two instances sharing a database never write the same one.
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
    // Since V1036 (decision 0044) a packed row per device and batch, inserted (the rows kept
    // before in device_tallies folded into them by V1041), summed in (site, device, question,
    // option) order.
    Map<List<String>, long[]> summed = new TreeMap<>(Breakdowns::compareKeys);
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT site_id, device_id, packed FROM device_counts WHERE event_id = ?")) {
      select.setString(1, eventId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          unpack(rs.getString(1), rs.getString(2), rs.getBytes(3), summed);
        }
      }
    }
    List<DeviceTally> tallies = new ArrayList<>(summed.size());
    summed.forEach(
        (key, counts) ->
            tallies.add(
                new DeviceTally(
                    key.get(0),
                    key.get(1),
                    key.get(2),
                    key.get(3),
                    counts[0],
                    counts[1],
                    counts[2])));
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

  /** The most bytes of one {@code device_counts} row's packed counts (inside a Derby page). */
  static final int PER_ROW = 4000;

  /** Room kept in a part for a group's header: the question id and its option count. */
  private static final int HEADER = 72;

  private static int compareKeys(List<String> a, List<String> b) {
    for (int i = 0; i < a.size(); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static void add(
      Map<List<String>, long[]> summed, List<String> key, long n, long r, long f) {
    long[] counts = summed.computeIfAbsent(key, k -> new long[3]);
    counts[0] += n;
    counts[1] += r;
    counts[2] += f;
  }

  /**
   * The packed counts of one device in one batch: groups one after the other, each a question id,
   * the number of its options in the group, then each option id with its n, rank sum and first
   * places (varints). A question may span two parts of at most {@link #PER_ROW} bytes.
   *
   * @param options per question, per option: n, rank sum, firsts; in key order
   */
  static List<byte[]> pack(SortedMap<String, SortedMap<String, long[]>> options, int perRow) {
    List<byte[]> parts = new ArrayList<>();
    ByteWriter part = new ByteWriter(256);
    for (Map.Entry<String, SortedMap<String, long[]>> question : options.entrySet()) {
      ByteWriter group = new ByteWriter(256);
      int inGroup = 0;
      for (Map.Entry<String, long[]> option : question.getValue().entrySet()) {
        long[] n = option.getValue();
        byte[] entry =
            new ByteWriter(24)
                .text(option.getKey())
                .varint(n[0])
                .varint(n[1])
                .varint(n[2])
                .toByteArray();
        if (part.size() + HEADER + group.size() + entry.length > perRow
            && (inGroup > 0 || part.size() > 0)) {
          if (inGroup > 0) {
            part.text(question.getKey()).varint(inGroup).raw(group.toByteArray());
            group = new ByteWriter(256);
            inGroup = 0;
          }
          parts.add(part.toByteArray());
          part = new ByteWriter(256);
        }
        group.raw(entry);
        inGroup++;
      }
      if (inGroup > 0) {
        part.text(question.getKey()).varint(inGroup).raw(group.toByteArray());
      }
    }
    if (part.size() > 0) {
      parts.add(part.toByteArray());
    }
    return parts;
  }

  /** Adds a {@code device_counts} row's counts to {@code summed}, keyed (site, device, q, o). */
  static void unpack(String site, String device, byte[] packed, Map<List<String>, long[]> summed)
      throws SQLException {
    ByteReader in = new ByteReader(packed);
    try {
      while (in.hasRemaining()) {
        String question = in.text("question id", 64);
        int options = in.count("option count", packed.length);
        for (int i = 0; i < options; i++) {
          String option = in.text("option id", 64);
          add(
              summed,
              List.of(site, device, question, option),
              in.varint("n"),
              in.varint("rank sum"),
              in.varint("firsts"));
        }
      }
    } catch (WireException e) {
      throw DamagedRow.of("device_counts", packed.length, e.getMessage(), e);
    }
  }

  /** The rows of one batch, aggregated in memory, then written with a few batched statements. */
  static final class Batch {
    private static final String UPDATE_HOURS =
        "UPDATE participation_hours SET n = n + ? WHERE event_id = ? AND site_id = ?"
            + " AND device_id = ? AND hour_start = ? AND kind = ?";
    private static final String INSERT_HOURS =
        "INSERT INTO participation_hours (event_id, site_id, device_id, hour_start, kind, n)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_DEVICE_COUNTS =
        "INSERT INTO device_counts (event_id, site_id, device_id, seq, part, packed)"
            + " VALUES (?, ?, ?, ?, ?, ?)";

    /** What {@link #write} runs, for {@code RecordStore.prepareAccept}. */
    static final List<String> STATEMENTS =
        List.of(UPDATE_HOURS, INSERT_HOURS, INSERT_DEVICE_COUNTS);

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

      boolean is(String event, String device, long hour, String kind) {
        return this.hour == hour
            && this.kind.equals(kind)
            && this.device.equals(device)
            && this.event.equals(event);
      }
    }

    /** A device's counts in the batch: its first response (the row's name) and its options. */
    private static final class DeviceCounts {
      long firstSeq = Long.MAX_VALUE;

      /** Per question, per option: n, rank sum, firsts; in key order. */
      final SortedMap<String, SortedMap<String, long[]>> options = new TreeMap<>();
    }

    private final String site;
    private final Map<HourKey, long[]> hours = new TreeMap<>();

    /** The last hour counted, and its cell: a device's records come in a row, mostly one hour. */
    private HourKey lastHour;

    private long[] lastHourCount;

    /** Per event, per device: its counts. Nested in key order: counting allocates nothing new. */
    private final SortedMap<String, SortedMap<String, DeviceCounts>> devices = new TreeMap<>();

    /**
     * @param site the hub that sent the batch, {@code ""} for a device's own batch
     */
    Batch(String site) {
      this.site = site;
    }

    /** Counts a decoded response: its hour, and each option it chose with its rank. */
    void response(Record record, ResponseBody body) {
      hour(record, "response");
      DeviceCounts device =
          devices
              .computeIfAbsent(record.eventId(), e -> new TreeMap<>())
              .computeIfAbsent(record.device().value(), d -> new DeviceCounts());
      device.firstSeq = Math.min(device.firstSeq, record.seq());
      List<ResponseBody.Answer> answers = body.answers();
      for (int a = 0; a < answers.size(); a++) { // indexed: no iterator per response
        ResponseBody.Answer answer = answers.get(a);
        List<String> choices = Tally.choices(answer);
        if (choices.isEmpty()) {
          continue;
        }
        SortedMap<String, long[]> options =
            device.options.computeIfAbsent(answer.questionId(), q -> new TreeMap<>());
        for (int i = 0; i < choices.size(); i++) {
          long[] cell = options.computeIfAbsent(choices.get(i), o -> new long[3]);
          cell[0]++;
          cell[1] += i + 1;
          if (i == 0) {
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
      String event = record.eventId();
      String device = record.device().value();
      long hour = Math.floorDiv(record.deviceTime(), HOUR);
      if (lastHour == null || !lastHour.is(event, device, hour, kind)) {
        lastHour = new HourKey(event, device, hour, kind);
        lastHourCount = hours.computeIfAbsent(lastHour, k -> new long[1]);
      }
      lastHourCount[0]++;
    }

    private void addRows(PreparedStatement insert, String event, String device, DeviceCounts counts)
        throws SQLException {
      List<byte[]> parts = pack(counts.options, PER_ROW);
      for (int part = 0; part < parts.size(); part++) {
        insert.setString(1, event);
        insert.setString(2, site);
        insert.setString(3, device);
        insert.setLong(4, counts.firstSeq);
        insert.setInt(5, part);
        insert.setBytes(6, parts.get(part));
        insert.addBatch();
      }
    }

    /**
     * The hours: one batched UPDATE, then one batched INSERT of the rows it did not find. The
     * counts per device and option: packed rows, inserted.
     */
    void write(Connection connection) throws SQLException {
      if (!hours.isEmpty()) {
        List<HourKey> keys = new ArrayList<>(hours.keySet());
        int[] updated;
        try (PreparedStatement update = connection.prepareStatement(UPDATE_HOURS)) {
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
        try (PreparedStatement insert = connection.prepareStatement(INSERT_HOURS)) {
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
      // Inserted, never updated (decision 0044): a row per event and device of the batch that
      // chose an option, named after the device's first response in it, which no other batch or
      // instance stores.
      PreparedStatement insert = null;
      try {
        for (Map.Entry<String, SortedMap<String, DeviceCounts>> event : devices.entrySet()) {
          for (Map.Entry<String, DeviceCounts> device : event.getValue().entrySet()) {
            if (device.getValue().options.isEmpty()) {
              continue;
            }
            if (insert == null) {
              insert = connection.prepareStatement(INSERT_DEVICE_COUNTS);
            }
            addRows(insert, event.getKey(), device.getKey(), device.getValue());
          }
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
}
