// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;

/**
 * The records of a {@link RecordStore}'s outbox that were committed while this process ran and are
 * not acknowledged yet, held in memory so that forwarding them reads no rows back (decision 0071).
 *
 * <p>Only a copy: the database stays the truth. A record enters only after the transaction that
 * stored it committed, and leaves when the next hop acknowledges it. Past the byte budget, new
 * records are not held; a read then serves what is held from the start of the asked range without a
 * gap, and the store reads the rest from the database. After a restart nothing is held, and the
 * outbox is read from the database as before.
 *
 * <p>Not thread-safe: the store calls it under its own lock.
 */
final class OutboxTail {
  /**
   * What a held record costs besides its body, counted against the budget: the {@link Record} (40
   * bytes), its body's array header (16), its event id's {@code String} and array (about 60 when
   * not shared), the map's entry and boxed key (56), rounded up.
   */
  static final int OVERHEAD_BYTES = 176;

  private final long budget;
  private final Map<DeviceId, TreeMap<Long, Record>> byDevice = new HashMap<>();
  private long bytes;
  private long records;

  /**
   * @param budget the bytes held at most, counted by {@link #cost}; 0 holds nothing
   */
  OutboxTail(long budget) {
    if (budget < 0) {
      throw new IllegalArgumentException("the outbox memory budget is negative: " + budget);
    }
    this.budget = budget;
  }

  static long cost(Record record) {
    return OVERHEAD_BYTES + (long) record.body().length;
  }

  /** Holds {@code committed}, records the store has just committed, while the budget allows. */
  void add(List<Record> committed) {
    if (budget == 0) {
      return;
    }
    for (Record record : committed) {
      long cost = cost(record);
      if (bytes + cost > budget) {
        continue;
      }
      Record before =
          byDevice.computeIfAbsent(record.device(), d -> new TreeMap<>()).put(record.seq(), record);
      if (before == null) {
        bytes += cost;
        records++;
      } else {
        bytes += cost - cost(before);
      }
    }
  }

  /**
   * Adds to {@code out}, in seq order, the records of {@code device} held here from {@code from +
   * 1} on, up to {@code to} and stopping before the first seq not held.
   *
   * @return the last seq added, or {@code from} when the first was not held
   */
  long read(DeviceId device, long from, long to, List<Record> out) {
    TreeMap<Long, Record> held = byDevice.get(device);
    long next = from;
    if (held == null) {
      return next;
    }
    for (Record record : held.subMap(from, false, to, true).values()) {
      if (record.seq() != next + 1) {
        break;
      }
      out.add(record);
      next = record.seq();
    }
    return next;
  }

  /** The next hop has acknowledged {@code device}'s records up to {@code upTo}: they leave. */
  void acknowledged(DeviceId device, long upTo) {
    TreeMap<Long, Record> held = byDevice.get(device);
    if (held == null) {
      return;
    }
    NavigableMap<Long, Record> done = held.headMap(upTo, true);
    for (Record record : done.values()) {
      bytes -= cost(record);
      records--;
    }
    done.clear();
    if (held.isEmpty()) {
      byDevice.remove(device);
    }
  }

  /** The bytes held, as {@link #cost} counts them. */
  long bytes() {
    return bytes;
  }

  /** The records held. */
  long records() {
    return records;
  }
}
