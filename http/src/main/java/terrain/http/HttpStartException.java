// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

/** The HTTP server could not start. The message is meant for the person at the console. */
public final class HttpStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean portInUse;

  HttpStartException(String message, boolean portInUse, Throwable cause) {
    super(message, cause);
    this.portInUse = portInUse;
  }

  /** Whether the port was taken (an operator error, exit code 2) rather than another failure. */
  public boolean isPortInUse() {
    return portInUse;
  }
}
