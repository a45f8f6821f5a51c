// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ledger;

import java.util.Objects;
import terrain.core.record.DeviceId;

/** Which ticket a ledger movement comes from: its device and serial, its identity. */
public record TicketRef(DeviceId device, long serial) {
  public TicketRef {
    Objects.requireNonNull(device, "TicketRef device must not be null");
    if (serial < 1) {
      throw new IllegalArgumentException("TicketRef serial [" + serial + "] must be 1 or more");
    }
  }

  @Override
  public String toString() {
    return device.value() + "#" + serial;
  }
}
