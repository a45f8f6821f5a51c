// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrinterChoiceTest {

  @Test
  void parse_whenEachForm_givesItsRecord() {
    assertEquals(
        new PrinterChoice.Pdf(Path.of("/tmp/tickets")), PrinterChoice.parse("pdf:/tmp/tickets"));
    assertEquals(
        new PrinterChoice.EscPos(
            new PrinterLink.DeviceFile(Path.of("/dev/usb/lp0")), PrinterProfile.GENERIC_80),
        PrinterChoice.parse("escpos:usb:/dev/usb/lp0"));
    assertEquals(
        new PrinterChoice.EscPos(
            new PrinterLink.Serial("/dev/ttyUSB0", 19200), PrinterProfile.GENERIC_58),
        PrinterChoice.parse("escpos:serial:/dev/ttyUSB0?baud=19200&profile=generic-58"));
    assertEquals(
        new PrinterChoice.EscPos(
            new PrinterLink.Tcp("192.168.4.20", 9100, Duration.ofSeconds(3)),
            PrinterProfile.EPSON_TM_T20),
        PrinterChoice.parse("escpos:tcp:192.168.4.20:9100?profile=epson-tm-t20"));
    assertEquals(
        new PrinterChoice.EscPos(
            new PrinterLink.Tcp("::1", 9101, Duration.ofSeconds(3)), PrinterProfile.GENERIC_80),
        PrinterChoice.parse("escpos:tcp:[::1]:9101"));
    assertEquals(
        "escpos:serial:COM3?baud=9600 (generic-80)",
        PrinterChoice.parse("escpos:serial:COM3").describe());
  }

  @Test
  void parse_whenWrong_saysWhatAndTheForms() {
    assertEquals(
        "printer [escpos:tcp:printer:ninety] is not understood: port [ninety] is not a number."
            + " Write "
            + PrinterChoice.FORMS,
        message("escpos:tcp:printer:ninety"));
    assertTrue(message("lpr:foo").contains("it must start with pdf: or escpos:"));
    assertTrue(message("escpos:usb:lp0").contains("[lp0] must be an absolute path"));
    assertTrue(
        message("escpos:serial:/dev/ttyS0?baud=300")
            .contains("Serial baud [300] must be from 1200 to 921600"));
    assertTrue(
        message("escpos:tcp:h:9100?profile=star")
            .contains("printer profile [star] is unknown: choose one of generic-80, generic-58,"));
    assertTrue(message("escpos:usb:/dev/usb/lp0?baud=9600").contains("unknown option baud"));
    assertTrue(message("escpos:tcp:h:70000").contains("Tcp port [70000] must be from 1 to 65535"));
    assertTrue(message("pdf:").contains("pdf: needs a folder"));
  }

  private static String message(String text) {
    return assertThrows(IllegalArgumentException.class, () -> PrinterChoice.parse(text))
        .getMessage();
  }
}
