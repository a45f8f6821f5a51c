// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

/** The server did not start; {@link #failure()} says why. Everything already started is closed. */
final class StartException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient StartFailure failure;

  public StartException(StartFailure failure, Throwable cause) {
    super(failure.toString(), cause);
    this.failure = failure;
  }

  public StartFailure failure() {
    return failure;
  }
}
