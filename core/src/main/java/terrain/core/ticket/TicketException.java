// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.ticket;

import java.util.Objects;

/** A ticket code that cannot be accepted, with the reason and a message naming what is wrong. */
public final class TicketException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why a ticket code is refused. */
  public enum Reason {
    /** Not a ticket code at all: a character outside the alphabet, an impossible length. */
    MALFORMED,
    /** A ticket code with characters missing at the end. */
    TRUNCATED,
    /** A ticket from a newer format than this program reads. */
    UNSUPPORTED_VERSION,
    /** A field holds a value no device writes (an unknown action, a bad id). */
    INVALID_FIELD,
    /** The signature does not match: the code was altered, forged or signed by another device. */
    BAD_SIGNATURE
  }

  private final Reason reason;

  public TicketException(Reason reason, String message) {
    super(Objects.requireNonNull(reason, "reason must not be null") + ": " + message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
