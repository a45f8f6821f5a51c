// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.record;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * An immutable fact created on a device: a completed participation, an idea, an issued ticket...
 *
 * <p>Its identity is {@code (device, seq)}; seq is a per-device counter that never goes back. The
 * content is everything else except the times at which hops received it: two records with the same
 * identity and a different {@link #contentHash()} are a conflict, never a silent overwrite.
 *
 * @param deviceTime milliseconds since the epoch on the device's (possibly wrong) clock
 * @param hubTime milliseconds since the epoch when the field hub committed it, 0 if it has not
 *     passed through a hub (yet)
 * @param body the kind-specific content, e.g. {@link ResponseBody#encode()}
 */
public record Record(
    DeviceId device,
    long seq,
    RecordKind kind,
    String eventId,
    long deviceTime,
    long hubTime,
    byte[] body) {

  /**
   * Longest body accepted: one bad record cannot eat a device's memory, and it fits a portable
   * VARCHAR FOR BIT DATA column.
   */
  public static final int MAX_BODY_BYTES = 32_000;

  public Record {
    if (device == null || kind == null || eventId == null || body == null) {
      throw new IllegalArgumentException("Record fields must not be null");
    }
    if (seq < 1) {
      throw new IllegalArgumentException("Record seq [" + seq + "] must be 1 or more");
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new IllegalArgumentException(
          "Record body of " + body.length + " bytes exceeds the limit of " + MAX_BODY_BYTES);
    }
    if (eventId.length() > 64) {
      throw new IllegalArgumentException("Record event id [" + eventId + "] exceeds 64 characters");
    }
  }

  public Record withHubTime(long time) {
    return new Record(device, seq, kind, eventId, deviceTime, time, body);
  }

  /**
   * A 64-bit digest of the content (kind, event, device time, body), stable across hops and
   * versions: it is what receivers compare to tell a duplicate from a conflict.
   */
  public long contentHash() {
    // One digest per thread, reset by digest(): getInstance per record (a provider lookup) and
    // three small arrays were 4 % of the server's ingest (decision 0055). Same bytes, same hash.
    MessageDigest digest = SHA_256.get();
    byte[] scratch = SCRATCH.get();
    digest.update((byte) kind.code());
    byte[] event = eventId.getBytes(StandardCharsets.UTF_8);
    digest.update(bigEndian(scratch, event.length, 4), 0, 4);
    digest.update(event);
    digest.update(bigEndian(scratch, deviceTime, 8), 0, 8);
    digest.update(body);
    byte[] hash = digest.digest();
    long out = 0;
    for (int i = 0; i < 8; i++) {
      out = (out << 8) | (hash[i] & 0xFF);
    }
    return out;
  }

  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
            }
          });

  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[8]);

  /** {@code value}'s low {@code bytes} bytes, most significant first, into {@code into}. */
  private static byte[] bigEndian(byte[] into, long value, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      into[i] = (byte) value;
      value >>>= 8;
    }
    return into;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Record r
        && device.equals(r.device)
        && seq == r.seq
        && kind == r.kind
        && eventId.equals(r.eventId)
        && deviceTime == r.deviceTime
        && hubTime == r.hubTime
        && Arrays.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return 31 * device.hashCode() + Long.hashCode(seq);
  }

  @Override
  public String toString() {
    return kind + " " + device + "#" + seq + " (" + eventId + ", " + body.length + " bytes)";
  }
}
