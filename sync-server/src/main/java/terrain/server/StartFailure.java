// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import java.nio.file.Path;

/**
 * Why the server could not start, one record per kind of problem an operator can meet. {@link
 * ServerMain} turns each into one message that gives the fix, and an exit code.
 */
sealed interface StartFailure {
  /** A port option names a port that another process holds. */
  record PortInUse(String service, String option, String bindAddress, int port)
      implements StartFailure {}

  /** The data folder cannot be created or written. */
  record DataFolder(Path folder, String reason) implements StartFailure {}

  /** An event file does not load; {@code problems} has one {@code file:line:col} line each. */
  record EventFile(String problems) implements StartFailure {}

  /** The database cannot be opened or migrated; the message says what to check. */
  record DatabaseUnavailable(String message) implements StartFailure {}

  /** The embedded broker or the MQTT client could not start. */
  record BrokerFailed(String message) implements StartFailure {}

  /** The server's signing key cannot be read or made; the message says what to do. */
  record ServerKey(String message) implements StartFailure {}

  /** The HTTP server could not start for another reason than a taken port. */
  record HttpFailed(String message) implements StartFailure {}
}
