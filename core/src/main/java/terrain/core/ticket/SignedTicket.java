// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.ticket;

import java.util.Objects;

/**
 * A ticket read from a code, with the bytes its signature covers. Parsing checks the form only:
 * call {@link TicketCodec#verify} with the device's public key before trusting it.
 *
 * @param ticket the decoded fields
 * @param code the canonical code (uppercase base32, no separators)
 * @param payload the signed bytes
 * @param signature the 64-byte Ed25519 signature
 */
public record SignedTicket(Ticket ticket, String code, byte[] payload, byte[] signature) {

  public SignedTicket {
    Objects.requireNonNull(ticket, "SignedTicket ticket must not be null");
    Objects.requireNonNull(code, "SignedTicket code must not be null");
    payload = Objects.requireNonNull(payload, "SignedTicket payload must not be null").clone();
    signature =
        Objects.requireNonNull(signature, "SignedTicket signature must not be null").clone();
    if (signature.length != TicketCodec.SIGNATURE_LENGTH) {
      throw new IllegalArgumentException(
          "SignedTicket signature must be "
              + TicketCodec.SIGNATURE_LENGTH
              + " bytes, not "
              + signature.length);
    }
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SignedTicket that && code.equals(that.code);
  }

  @Override
  public int hashCode() {
    return code.hashCode();
  }

  @Override
  public String toString() {
    return "SignedTicket[" + ticket + ", code=" + code + "]";
  }
}
