// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.gpio;

/** What the hub's status light says, seen from across a market stall. */
public enum LightSignal {
  /** Dark: the hub is stopping, or has not started. */
  OFF,
  /** Steady green: the server is reachable and everything is sent. */
  GREEN,
  /** Blinking green: the server is reachable, records are on their way. */
  GREEN_BLINKING,
  /** Amber (red and green together): the server is not reachable; records wait on the hub. */
  AMBER,
  /** Red: something needs a person (disk nearly full, store or broker error). */
  RED
}
