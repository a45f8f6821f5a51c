// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.panel;

import terrain.hardware.gpio.LightSignal;

/**
 * What the status light shows, read from the hub.
 *
 * @param uplinkUp the sync server's broker is connected
 * @param pending records committed here and not acknowledged by the server
 * @param fault what needs a person (disk above 90 %, store or broker error), or null
 */
public record HubCondition(boolean uplinkUp, long pending, String fault) {

  /**
   * Red on a fault; else amber while the server is unreachable; else blinking green while records
   * are on their way; else steady green.
   */
  public LightSignal signal() {
    if (fault != null) {
      return LightSignal.RED;
    }
    if (!uplinkUp) {
      return LightSignal.AMBER;
    }
    return pending > 0 ? LightSignal.GREEN_BLINKING : LightSignal.GREEN;
  }
}
