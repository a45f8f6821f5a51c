// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.ingest;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.store.RecordStore;

/**
 * Each device's clock against the hub's, from the records it sends: a record made at device time
 * {@code d} and received at hub time {@code h} says the device's clock is at least {@code d - h}
 * ahead (the record spent {@code h - creation} on its way). The largest such sample of the last
 * {@link #WINDOW} is the estimate: records sent at once give the offset within a second, old ones
 * sent late only lower bounds, which the maximum discards.
 */
public final class ClockSkew implements RecordStore.InsertHook {
  /** How long a sample counts. */
  public static final Duration WINDOW = Duration.ofMinutes(15);

  private record Sample(long skewMillis, long at) {}

  private final Clock clock;
  private final Map<DeviceId, Sample> samples = new ConcurrentHashMap<>();

  public ClockSkew(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void inserted(Connection connection, List<Record> inserted) {
    long now = clock.millis();
    for (Record r : inserted) {
      observe(r.device(), r.deviceTime(), now);
    }
  }

  /** A device said its clock read {@code deviceTime} when the hub's read {@code hubTime}. */
  public void observe(DeviceId device, long deviceTime, long hubTime) {
    if (samples.size() >= DevicePresence.MAX_DEVICES && !samples.containsKey(device)) {
      return;
    }
    Sample sample = new Sample(deviceTime - hubTime, hubTime);
    samples.merge(
        device,
        sample,
        (old, fresh) ->
            fresh.skewMillis() >= old.skewMillis() || fresh.at() - old.at() > WINDOW.toMillis()
                ? fresh
                : old);
  }

  /** The device's clock minus the hub's, in milliseconds, if measured lately. */
  public Optional<Long> skewMillis(DeviceId device) {
    Sample s = samples.get(device);
    if (s == null || clock.millis() - s.at() > WINDOW.toMillis()) {
      return Optional.empty();
    }
    return Optional.of(s.skewMillis());
  }
}
