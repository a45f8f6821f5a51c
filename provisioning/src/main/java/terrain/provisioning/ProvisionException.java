// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import java.util.List;

/**
 * A provisioning command that cannot do what it was asked: one line saying what happened and what
 * to do (more lines for the problems a server lists), and the exit code.
 */
final class ProvisionException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Exit code when the server, the hub or the file refused: fix and try again. */
  static final int REFUSED = 1;

  /** Exit code of a command line that cannot be run as written. */
  static final int USAGE = 2;

  private final int exitCode;
  private final List<String> details;

  ProvisionException(int exitCode, String message) {
    this(exitCode, message, List.of(), null);
  }

  ProvisionException(int exitCode, String message, Throwable cause) {
    this(exitCode, message, List.of(), cause);
  }

  ProvisionException(int exitCode, String message, List<String> details, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.details = List.copyOf(details);
  }

  static ProvisionException usage(String message) {
    return new ProvisionException(USAGE, message);
  }

  static ProvisionException refused(String message) {
    return new ProvisionException(REFUSED, message);
  }

  int exitCode() {
    return exitCode;
  }

  /** Lines printed after the message, e.g. the server's {@code file:line:column: ...} problems. */
  List<String> details() {
    return details;
  }
}
