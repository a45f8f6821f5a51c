// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class EscPosTicketTest {

  @Test
  void cp858_whenFrenchAndEuro_givesTheCodePageBytes() {
    assertEquals(
        "82" // é
            + "8a" // è
            + "85" // à
            + "87" // ç
            + "d5" // €
            + "27" // ’ printed as '
            + "2e2e2e", // … as ...
        HexFormat.of().formatHex(EscPosTicket.cp858("éèàç€’…")));
  }

  @Test
  void cp858_whenControlCharactersOrUnknown_neverSendsCommands() {
    // ESC @ inside a title must not reset the printer; a snowman is not in CP858.
    assertEquals(
        "2040" + "3f" + "20", HexFormat.of().formatHex(EscPosTicket.cp858("\u001B@\u2603\u202F")));
  }

  @Test
  void wrap_whenLongerThanTheLine_cutsBetweenWordsThenInsideOne() {
    assertEquals(
        List.of("Marché", "Saint-Mic", "hel"), EscPosTicket.wrap("Marché  Saint-Michel", 9));
  }
}
