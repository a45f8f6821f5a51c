// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * The machine's own speed, measured in the bench's run so that goals can be ratios to it: a noisy
 * or slow machine slows the reference too. Bare fsyncs of a small file, and bare batched JDBC
 * inserts of the very rows of the backlog into a fresh Derby {@code records} table, one commit per
 * batch as the server does, without any of the server's derived tables.
 */
final class Reference {
  /** The server's ingest commits batches of up to this many records (the hub's batch size). */
  static final int BATCH = 5000;

  private Reference() {}

  /** fsyncs per second: 4 KiB written and forced, {@code count} times. */
  static double fsyncsPerSecond(Path folder, int count) throws IOException {
    Files.createDirectories(folder);
    Path file = folder.resolve("fsync.bin");
    ByteBuffer block = ByteBuffer.allocate(4096);
    long start;
    try (FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
      start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        block.clear();
        channel.write(block, 0);
        channel.force(false);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Files.delete(file);
    return count / seconds;
  }

  /** Every record committed in the Derby stores under {@code folders} (closed databases). */
  static List<Record> records(List<Path> folders) throws StoreException, SQLException {
    List<Record> out = new ArrayList<>();
    for (Path folder : folders) {
      try (Database database = Database.open(Database.derbyUrl(folder));
          Connection c = database.connect();
          PreparedStatement select =
              c.prepareStatement(
                  "SELECT device_id, seq, kind, event_id, device_time, hub_time, body FROM records");
          ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          short code = rs.getShort(3);
          out.add(
              new Record(
                  DeviceId.of(rs.getString(1)),
                  rs.getLong(2),
                  RecordKind.fromCode(code)
                      .orElseThrow(() -> new SQLException("unknown record kind " + code)),
                  rs.getString(4),
                  rs.getLong(5),
                  rs.getLong(6),
                  rs.getBytes(7)));
        }
        c.commit();
      }
    }
    return out;
  }

  /**
   * Seconds to insert {@code rows} into a new Derby store in {@code folder} with JDBC batches of
   * {@link #BATCH}, one commit each.
   */
  static double batchedInsertSeconds(Path folder, List<Record> rows)
      throws StoreException, SQLException {
    // The server's Derby settings, its page cache sized for the server's heap (not this JVM's),
    // so that the reference runs on the same Derby.
    terrain.server.ServerMain.derbySettings(BenchMain.serverHeapBytes());
    try (Database database = Database.open(Database.derbyUrl(folder));
        Connection c = database.connectDedicated()) {
      long start = System.nanoTime();
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO records (device_id, seq, kind, event_id, device_time, hub_time,"
                  + " received_time, content_hash, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (int from = 0; from < rows.size(); from += BATCH) {
          long now = System.currentTimeMillis();
          for (Record record : rows.subList(from, Math.min(rows.size(), from + BATCH))) {
            insert.setString(1, record.device().value());
            insert.setLong(2, record.seq());
            insert.setShort(3, (short) record.kind().code());
            insert.setString(4, record.eventId());
            insert.setLong(5, record.deviceTime());
            insert.setLong(6, now);
            insert.setLong(7, now);
            insert.setLong(8, record.contentHash());
            insert.setBytes(9, record.body());
            insert.addBatch();
          }
          insert.executeBatch();
          c.commit();
        }
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }
}
