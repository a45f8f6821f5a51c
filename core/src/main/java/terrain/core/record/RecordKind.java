// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.record;

import java.util.Optional;

/** What a record says. The code is what travels on the wire and sits in databases: never reuse. */
public enum RecordKind {
  RESPONSE(1),
  IDEA(2),
  TICKET(3),
  ATTENDANCE(4),
  STATUS(5),
  /** A device's Ed25519 public key (raw 32 bytes), so the server can verify its tickets. */
  DEVICE_KEY(6),
  /**
   * Stands in for a record a hop could not store (decision 0016): its body is a {@link
   * QuarantineNotice} (which hop, why), not the record's content, which stays in that hop's {@code
   * rejected_records}. It keeps the device's seqs contiguous, so acks move past the bad record.
   */
  QUARANTINED(7),
  /** What a tablet did in a workshop: a {@code terrain.core.workshop.WorkshopAction}. */
  WORKSHOP(8);

  private final int code;

  RecordKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static Optional<RecordKind> fromCode(int code) {
    for (RecordKind kind : values()) {
      if (kind.code == code) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
