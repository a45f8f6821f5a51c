// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Golden answers to DLE EOT 1, 2, 3, 4 (Epson ESC/POS reference). */
class PrinterStatusTest {

  @Test
  void decode_whenAllClear_givesReady() {
    // 0x12: the fixed bits (1 and 4) alone in every answer.
    PrinterStatus status = PrinterStatus.decode(0x12, 0x12, 0x12, 0x12);

    assertInstanceOf(PrinterStatus.Ready.class, status);
    assertTrue(status.canPrint());
  }

  @Test
  void decode_whenPaperSensorBits5And6_givesPaperOut() {
    // n=1 0x1a: offline (bit 3); n=2 0x32: stopped at paper end (bit 5); n=4 0x72: bits 5-6.
    PrinterStatus status = PrinterStatus.decode(0x1A, 0x32, 0x12, 0x72);

    assertInstanceOf(PrinterStatus.PaperOut.class, status);
    assertFalse(status.canPrint());
    assertEquals("paper-out", status.code());
  }

  @Test
  void decode_whenPaperSensorBits2And3_givesNearEndThatStillPrints() {
    PrinterStatus status = PrinterStatus.decode(0x12, 0x12, 0x12, 0x1E);

    assertInstanceOf(PrinterStatus.PaperNearEnd.class, status);
    assertTrue(status.canPrint());
  }

  @Test
  void decode_whenOfflineCauseBit2_givesCoverOpen() {
    assertInstanceOf(PrinterStatus.CoverOpen.class, PrinterStatus.decode(0x1A, 0x16, 0x12, 0x12));
  }

  @Test
  void decode_whenCutterError_givesOfflineWithTheBytes() {
    // n=3 0x1a: autocutter error (bit 3).
    PrinterStatus status = PrinterStatus.decode(0x1A, 0x52, 0x1A, 0x12);

    assertEquals(
        new PrinterStatus.Offline(
            "status bytes printer 0x1a, offline cause 0x52, error cause 0x1a"),
        status);
  }

  @Test
  void decode_whenAByteIsNotAStatus_givesNoAnswer() {
    PrinterStatus status = PrinterStatus.decode(0x12, 0x12, 0x00, 0x12);

    assertEquals(
        new PrinterStatus.NoAnswer(
            "the answer to DLE EOT 3 is 0x0, not a status byte (bits 1 and 4 set, 0 and 7 clear):"
                + " is this an ESC/POS printer?"),
        status);
  }
}
