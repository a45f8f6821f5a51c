// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.trust;

/** An enrolment that did not happen; the message says why and what to do. Nothing was written. */
public final class EnrolmentException extends Exception {
  private static final long serialVersionUID = 1L;

  public EnrolmentException(String message) {
    super(message);
  }

  public EnrolmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
