// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.broker;

/** The embedded MQTT broker could not start. The message is meant for the person at the console. */
public final class BrokerStartException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean portInUse;

  BrokerStartException(String message, boolean portInUse, Throwable cause) {
    super(message, cause);
    this.portInUse = portInUse;
  }

  static BrokerStartException portInUse(String bindAddress, int port, Throwable cause) {
    return new BrokerStartException(
        "MQTT port "
            + port
            + " on "
            + bindAddress
            + " is already in use (another broker or Terrain process?). Stop it, or pass --mqtt"
            + " PORT with a free port.",
        true,
        cause);
  }

  /** Whether the broker failed because its port was taken. */
  public boolean isPortInUse() {
    return portInUse;
  }
}
