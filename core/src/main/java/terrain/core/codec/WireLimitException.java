// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.codec;

/**
 * A message refused because it goes past one of the wire format's size limits (see {@code
 * terrain.core.wire.WireCodec}). Refused before anything of that size is allocated or inflated.
 */
public final class WireLimitException extends WireException {

  /** The limit a message went past. */
  public enum Limit {
    /** Bytes of the whole payload as it travels (compressed or not). */
    MESSAGE_BYTES,
    /** Bytes of a batch body once inflated. */
    INFLATED_BYTES,
    /** Records in one batch. */
    RECORDS,
    /** Distinct device and event ids in one batch. */
    STRINGS,
    /** Bytes of one record's body. */
    RECORD_BODY_BYTES
  }

  private final Limit limit;
  private final long max;

  public WireLimitException(Limit limit, long max, String message) {
    super(message + " (limit " + limit + " = " + max + ")");
    this.limit = limit;
    this.max = max;
  }

  public Limit limit() {
    return limit;
  }

  /** The largest value the limit allows. */
  public long max() {
    return max;
  }
}
