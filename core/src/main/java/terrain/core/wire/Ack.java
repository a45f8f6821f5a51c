// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.wire;

import java.util.Map;
import java.util.TreeMap;
import terrain.core.record.DeviceId;

/**
 * The application acknowledgement of a receiver that has <em>committed</em> records: for each
 * device, every record with {@code seq <= upTo} is durable at the receiver, so the sender may
 * forget it. Cumulative, so a lost or repeated ack does no harm.
 *
 * @param receiver the hub or server that acknowledges
 * @param batchId the batch this ack answers (for logs; the upTo values are what count)
 */
public record Ack(DeviceId receiver, long batchId, Map<DeviceId, Long> upTo) {
  public Ack {
    upTo = new TreeMap<>(upTo);
  }
}
