// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.rules;

import java.util.Objects;
import terrain.core.codec.ByteReader;
import terrain.core.codec.ByteWriter;
import terrain.core.codec.WireException;
import terrain.core.record.DeviceId;
import terrain.core.record.RecordKind;

/**
 * The body of a {@link RecordKind#QUARANTINED} record: the hop that could not store a record, the
 * kind the record had, and why (decision 0016). It travels in place of the record, so that the next
 * hops know the seq is taken and list it, but never the record's content.
 *
 * <pre>
 * u8      format version (1)
 * u8      the quarantined record's kind code
 * text    the id of the hop that quarantined it (a device id, 1 to 64 bytes)
 * text    why, printable (see {@link RecordRules#printable}), at most 400 bytes
 * </pre>
 */
public record QuarantineNotice(DeviceId hop, RecordKind kind, String reason) {
  public static final int VERSION = 1;

  /** Longest reason kept, in UTF-8 bytes (a reason is cut to fit). */
  public static final int MAX_REASON_BYTES = 400;

  public QuarantineNotice {
    Objects.requireNonNull(hop, "QuarantineNotice hop must not be null");
    Objects.requireNonNull(kind, "QuarantineNotice kind must not be null");
    reason = RecordRules.printable(Objects.requireNonNull(reason), MAX_REASON_BYTES);
  }

  public byte[] encode() {
    return new ByteWriter(8 + reason.length())
        .u8(VERSION)
        .u8(kind.code())
        .text(hop.value())
        .text(reason)
        .toByteArray();
  }

  /** Reads a QUARANTINED record's body from untrusted bytes. */
  public static QuarantineNotice decode(byte[] body) throws WireException {
    ByteReader in = new ByteReader(body);
    int version = in.u8("quarantine notice version");
    if (version != VERSION) {
      throw new WireException(
          "quarantine notice version " + version + " is not supported (this build reads 1)");
    }
    int code = in.u8("quarantined kind");
    RecordKind kind =
        RecordKind.fromCode(code)
            .orElseThrow(() -> new WireException("quarantined kind code " + code + " is unknown"));
    String hop = in.text("quarantining hop", 64);
    if (!DeviceId.isValid(hop)) {
      throw new WireException("quarantining hop [" + hop + "] is not a device id");
    }
    String reason = in.text("quarantine reason", MAX_REASON_BYTES);
    in.expectEnd("quarantine notice");
    if (!reason.equals(RecordRules.printable(reason, MAX_REASON_BYTES))) {
      throw new WireException("quarantine reason holds characters that are not printable");
    }
    return new QuarantineNotice(DeviceId.of(hop), kind, reason);
  }
}
