// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.trust;

/** An enrolment text, a bundle or a hash that cannot be accepted; the message says what to do. */
public final class TrustException extends Exception {
  private static final long serialVersionUID = 1L;

  public TrustException(String message) {
    super(message);
  }

  public TrustException(String message, Throwable cause) {
    super(message, cause);
  }
}
