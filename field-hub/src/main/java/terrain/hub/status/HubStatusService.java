// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import terrain.core.record.DeviceId;
import terrain.hub.ingest.DeviceIngest;
import terrain.hub.ingest.DevicePresence;
import terrain.hub.uplink.Uplink;
import terrain.store.RecordStore;
import terrain.store.StoreException;

/** Reads the hub's state for the status page and API. */
public final class HubStatusService {
  private final DeviceId hubId;
  private final RecordStore store;
  private final Uplink uplink;
  private final DeviceIngest ingest;

  public HubStatusService(DeviceId hubId, RecordStore store, Uplink uplink, DeviceIngest ingest) {
    this.hubId = hubId;
    this.store = store;
    this.uplink = uplink;
    this.ingest = ingest;
  }

  public HubStatus status() throws StoreException {
    boolean up = uplink.isUp();
    OptionalLong lastAck = uplink.lastAck();
    Map<DeviceId, DevicePresence.Presence> presence = ingest.presence().snapshot();
    Map<DeviceId, HubStatus.Device> devices = new TreeMap<>();
    long pending = 0;
    for (RecordStore.DeviceProgress progress : store.devices()) {
      DevicePresence.Presence seen = presence.get(progress.device());
      devices.put(
          progress.device(),
          new HubStatus.Device(
              progress.device().value(),
              progress.upto(),
              progress.forwarded(),
              progress.lastSeen(),
              seen != null && seen.online()));
      pending += progress.pending();
    }
    presence.forEach(
        (device, seen) ->
            devices.computeIfAbsent(
                device, d -> new HubStatus.Device(d.value(), 0, 0, seen.since(), seen.online())));
    return new HubStatus(
        hubId.value(),
        up ? HubStatus.UP : HubStatus.DOWN,
        up ? null : uplink.problem(),
        pending,
        lastAck.isPresent() ? lastAck.getAsLong() : null,
        ingest.acceptedCount(),
        ingest.rejectedCount(),
        store.conflicts().size(),
        uplink.recordsSent(),
        uplink.bytesSent(),
        new ArrayList<>(devices.values()));
  }

  public List<HubStatus.Conflict> conflicts() throws StoreException {
    List<HubStatus.Conflict> out = new ArrayList<>();
    for (RecordStore.Conflict c : store.conflicts()) {
      out.add(
          new HubStatus.Conflict(
              c.device().value(),
              c.seq(),
              c.kind().name(),
              c.eventId(),
              String.format("%016x", c.keptHash()),
              String.format("%016x", c.receivedHash()),
              c.receivedTime()));
    }
    return out;
  }
}
