// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.workshop;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.record.DeviceId;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.core.wire.WireCodec;
import terrain.hub.ingest.DeviceIngest;
import terrain.store.StoreException;

/**
 * Relays each workshop room to its tablets: when a WORKSHOP record of a followed event was
 * committed, the hub publishes every record of that room as one retained batch on {@link
 * Topics#eventWorkshop(String)}. A tablet folds them with its own (decision 0031), so one that
 * dropped off the Wi-Fi gets the whole room the moment it is back, and tablets that acted at the
 * same time end up with the same state. Checked every {@value #PERIOD_MILLIS} ms; the store is read
 * only when the hub's ingest committed records since the last check.
 */
public final class WorkshopRelay {
  private static final Logger log = LoggerFactory.getLogger(WorkshopRelay.class);
  static final long PERIOD_MILLIS = 500;

  private final LiveWorkshop workshop;
  private final DeviceIngest ingest;
  private final DeviceId hubId;
  private final Map<String, Integer> published = new HashMap<>();

  /** The ingest's count of committed records at the last check; -1 forces the next one. */
  private volatile long accepted = -1;

  public WorkshopRelay(LiveWorkshop workshop, DeviceIngest ingest, DeviceId hubId) {
    this.workshop = workshop;
    this.ingest = ingest;
    this.hubId = hubId;
  }

  /** Starts relaying on {@code scheduler}, if the hub follows any workshop. */
  public void schedule(ScheduledExecutorService scheduler) {
    if (!workshop.events().isEmpty()) {
      scheduler.scheduleWithFixedDelay(this::relay, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** A record was committed outside the ingest (a phone's vote): relay at the next check. */
  public void wake() {
    accepted = -1;
  }

  void relay() {
    long committed = ingest.acceptedCount();
    if (committed == accepted) {
      return;
    }
    accepted = committed;
    try {
      Map<String, Integer> known;
      synchronized (this) {
        known = Map.copyOf(published);
      }
      for (LiveWorkshop.Snapshot room : workshop.changedSince(known)) {
        int count = room.records().size();
        byte[] payload;
        try {
          payload = WireCodec.encodeBatch(new Batch(hubId, room.version(), room.records()));
        } catch (IllegalArgumentException tooLarge) {
          log.warn(
              "Workshop {}: {} records no longer fit one relay message ({}); tablets keep what"
                  + " they have",
              room.eventId(),
              count,
              tooLarge.getMessage());
          synchronized (this) {
            published.put(room.eventId(), count);
          }
          continue;
        }
        ingest
            .publish(Topics.eventWorkshop(room.eventId()), payload, true)
            .whenComplete(
                (ok, failure) -> {
                  if (failure != null) {
                    log.warn("Workshop {} not relayed: {}", room.eventId(), failure.toString());
                    synchronized (this) {
                      published.remove(room.eventId());
                    }
                    accepted = -1;
                  }
                });
        synchronized (this) {
          published.put(room.eventId(), count);
        }
      }
    } catch (StoreException | RuntimeException e) {
      log.warn("Workshop relay skipped a turn: {}", e.toString());
      accepted = -1;
    }
  }
}
