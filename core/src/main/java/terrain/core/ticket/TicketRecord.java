// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.ticket;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import terrain.core.codec.ByteReader;
import terrain.core.codec.ByteWriter;
import terrain.core.codec.WireException;

/**
 * The body of a TICKET record: every issued ticket is also a synced record, so that the server
 * knows it before anyone claims it (the short code is looked up among them) and can audit the
 * golden draw.
 *
 * <p>Bytes: {@code u8 1} (version), the ticket code as length-prefixed ASCII, the 64-byte golden
 * draw proof as length-prefixed bytes.
 *
 * @param code the ticket code, canonical (as {@link TicketCodec#encode} writes it)
 * @param goldenProof the device's signature of the golden draw (see {@link IssuingRules})
 */
public record TicketRecord(String code, byte[] goldenProof) {

  private static final int VERSION = 1;
  private static final int MAX_CODE = 400;

  public TicketRecord {
    Objects.requireNonNull(code, "TicketRecord code must not be null");
    if (code.isEmpty() || code.length() > MAX_CODE || !code.matches("[A-Z2-7]+")) {
      throw new IllegalArgumentException(
          "TicketRecord code must be 1 to " + MAX_CODE + " characters of A-Z and 2-7");
    }
    Objects.requireNonNull(goldenProof, "TicketRecord goldenProof must not be null");
    if (goldenProof.length != TicketCodec.SIGNATURE_LENGTH) {
      throw new IllegalArgumentException(
          "TicketRecord goldenProof must be "
              + TicketCodec.SIGNATURE_LENGTH
              + " bytes, not "
              + goldenProof.length);
    }
    goldenProof = goldenProof.clone();
  }

  @Override
  public byte[] goldenProof() {
    return goldenProof.clone();
  }

  public byte[] encode() {
    return new ByteWriter(8 + code.length() + goldenProof.length)
        .u8(VERSION)
        .bytes(code.getBytes(StandardCharsets.US_ASCII))
        .bytes(goldenProof)
        .toByteArray();
  }

  /** Reads a TICKET record body from untrusted bytes. */
  public static TicketRecord decode(byte[] body) throws WireException {
    ByteReader in = new ByteReader(body);
    int version = in.u8("ticket record version");
    if (version != VERSION) {
      throw new WireException(
          "ticket record version " + version + " is not supported; expected " + VERSION);
    }
    String code = in.text("ticket code", MAX_CODE);
    byte[] proof = in.bytes("golden proof", TicketCodec.SIGNATURE_LENGTH);
    in.expectEnd("ticket record");
    try {
      return new TicketRecord(code, proof);
    } catch (IllegalArgumentException e) {
      throw new WireException("ticket record is invalid: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TicketRecord that
        && code.equals(that.code)
        && java.util.Arrays.equals(goldenProof, that.goldenProof);
  }

  @Override
  public int hashCode() {
    return code.hashCode();
  }

  @Override
  public String toString() {
    return "TicketRecord[code=" + code + "]";
  }
}
