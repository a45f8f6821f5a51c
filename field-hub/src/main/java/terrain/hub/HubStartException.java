// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

/**
 * The hub could not start. The message says what happened and what to do; the exit code is 2 for
 * what the operator must change (a port in use), 1 for other failures.
 */
final class HubStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  HubStartException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
