// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.codec;

/**
 * Bytes from the network that are not a valid Terrain message. The message says what was wrong and
 * where, so that the log line alone lets someone find the sender at fault. A message past a size
 * limit raises the subclass {@link WireLimitException}, which names the limit.
 */
public class WireException extends Exception {
  public WireException(String message) {
    super(message);
  }

  public WireException(String message, Throwable cause) {
    super(message, cause);
  }
}
