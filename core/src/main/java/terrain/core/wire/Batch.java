// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.wire;

import java.util.List;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;

/**
 * Many records in one MQTT message, from one sender (a device to its hub, a hub to the server).
 *
 * @param sender the device or hub that sends, which must match the topic it is published on
 * @param batchId the sender's own counter, echoed in the {@link Ack} to help reading logs
 */
public record Batch(DeviceId sender, long batchId, List<Record> records) {
  public Batch {
    records = List.copyOf(records);
  }
}
