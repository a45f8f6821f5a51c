// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.results;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.store.RecordStore;
import terrain.store.StoreException;

/**
 * Follows the hub's store for one kind of record: each call hands over, once, the records committed
 * since the last call. Per device it reads between what it handed over and the store's frontier
 * ({@code upto}: every record up to it is committed and never changes), in chunks; records above a
 * gap in a device's sequence wait until the gap fills, as the frontier does. A call with nothing
 * new costs one small query. Not thread-safe: callers hold their own lock.
 */
public final class CatchUp {
  /** How many records are read from the store at once. */
  static final int CHUNK = 2_000;

  private final RecordStore store;
  private final RecordKind kind;
  private final Map<DeviceId, Long> done = new HashMap<>();

  public CatchUp(RecordStore store, RecordKind kind) {
    this.store = store;
    this.kind = kind;
  }

  /** Hands every record of the kind committed since the last call to {@code sink}, in seq order. */
  public void next(Consumer<Record> sink) throws StoreException {
    for (RecordStore.DeviceProgress device : store.devices()) {
      long from = done.getOrDefault(device.device(), 0L);
      while (from < device.upto()) {
        long to = Math.min(device.upto(), from + CHUNK);
        for (Record record : store.records(device.device(), from, to, kind)) {
          sink.accept(record);
        }
        from = to;
        done.put(device.device(), from);
      }
    }
  }
}
