// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import terrain.core.codec.WireException;
import terrain.core.record.DeviceId;

class TicketRecordTest {

  private static final byte[] PROOF = filled(64, 0x11);

  @Test
  void encode_whenShortCode_givesGoldenBytes() {
    byte[] body = new TicketRecord("ABCD", PROOF).encode();

    assertEquals(
        "01" // version 1
            + "04"
            + "41424344" // code: 4 bytes "ABCD"
            + "40"
            + "11".repeat(64), // golden proof: 64 bytes
        HexFormat.of().formatHex(body));
  }

  @Test
  void decode_whenIssuedTicket_givesItBack() throws Exception {
    IssuingRules.Issued issued =
        (IssuingRules.Issued)
            new IssuingRules(
                    terrain.core.event.EventLoader.load(
                        java.nio.file.Path.of("../examples/events/market-day.yaml")))
                .issue(
                    TestKeys.kiosk(),
                    DeviceId.of("kiosk-01"),
                    1,
                    0,
                    "response",
                    Instant.parse("2026-11-28T10:15:00Z"));
    String code = TicketCodec.encode(issued.ticket(), TestKeys.kiosk().privateKey());
    TicketRecord record = new TicketRecord(code, issued.goldenProof());

    assertEquals(record, TicketRecord.decode(record.encode()));
  }

  @Test
  void decode_whenEveryTruncation_throws() {
    byte[] body = new TicketRecord("ABCD", PROOF).encode();
    for (int length = 0; length < body.length; length++) {
      byte[] cut = Arrays.copyOf(body, length);
      assertThrows(WireException.class, () -> TicketRecord.decode(cut), "length " + length);
    }
  }

  @Test
  void decode_whenOtherVersion_throwsNamingIt() {
    byte[] body = new TicketRecord("ABCD", PROOF).encode();
    body[0] = 2;

    WireException e = assertThrows(WireException.class, () -> TicketRecord.decode(body));

    assertEquals("ticket record version 2 is not supported; expected 1", e.getMessage());
  }

  @Test
  void decode_whenLowercaseCode_throws() {
    byte[] body = new TicketRecord("ABCD", PROOF).encode();
    body[2] = 'a';

    assertThrows(WireException.class, () -> TicketRecord.decode(body));
  }

  private static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
