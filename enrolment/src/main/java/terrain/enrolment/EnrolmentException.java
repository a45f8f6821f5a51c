// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.enrolment;

/**
 * An enrolment that did not happen; the message says why and what to do. Nothing was written.
 *
 * <p>{@link #reason()} is the message as a clause, to follow a program's own words ("Cannot enrol
 * the hub: " + reason); {@link #getMessage()} is the same as a sentence of its own.
 */
public final class EnrolmentException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public EnrolmentException(String reason) {
    super(sentence(reason));
    this.reason = reason;
  }

  public EnrolmentException(String reason, Throwable cause) {
    super(sentence(reason), cause);
    this.reason = reason;
  }

  /** What happened and what to do, starting in lower case. */
  public String reason() {
    return reason;
  }

  private static String sentence(String reason) {
    if (reason == null || reason.isEmpty()) {
      return reason;
    }
    return Character.toUpperCase(reason.charAt(0)) + reason.substring(1);
  }
}
