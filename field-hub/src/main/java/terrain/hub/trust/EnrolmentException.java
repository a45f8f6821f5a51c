// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.trust;

/** The hub could not enrol; the message says what happened and what to do. Nothing was written. */
public final class EnrolmentException extends Exception {
  private static final long serialVersionUID = 1L;

  public EnrolmentException(String message) {
    super(message);
  }

  public EnrolmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
