// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ESC/POS driver against {@link EscPosEmulator} over loopback TCP. */
class EscPosPrinterTest extends TicketPrinterContract {

  private static final Pattern TICKET = Pattern.compile("ticket ([A-Z0-9-]+)");

  private EscPosEmulator emulator;

  @AfterEach
  void stop() throws IOException {
    if (emulator != null) {
      assertEquals(List.of(), emulator.errors(), "commands the emulator did not understand");
      emulator.close();
    }
  }

  private EscPosPrinter printer(PrinterProfile profile) throws IOException {
    emulator = new EscPosEmulator(profile.widthDots());
    return new EscPosPrinter(
        emulator.link(), profile, Duration.ofMillis(500), Duration.ofSeconds(10));
  }

  @Override
  TicketPrinter printer() throws Exception {
    return printer(PrinterProfile.GENERIC_80);
  }

  @Override
  String qrContentAt(String location) throws Exception {
    Matcher m = TICKET.matcher(location);
    assertTrue(m.find(), location);
    String code = m.group(1);
    EscPosEmulator.Ticket ticket =
        emulator.printed().stream()
            .filter(t -> t.text().contains("Code : " + code))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no ticket " + code + " came out"));
    return TestTickets.decodeQr(ticket.image());
  }

  @Test
  void print_whenGeneric80_printsCp858TextAndARasterQrThatScans() throws Exception {
    EscPosPrinter printer = printer(PrinterProfile.GENERIC_80);
    TicketPrint ticket = TestTickets.print(42);

    PrintResult result = printer.print(ticket);

    assertInstanceOf(PrintResult.Printed.class, result);
    EscPosEmulator.Ticket out = emulator.printed().get(0);
    assertEquals(List.of(19), out.codePages(), "ESC t 19: CP858");
    assertEquals(576, out.raster().get(0).length);
    assertEquals(ticket.qrContent(), TestTickets.decodeQr(out.image()));
    String text = out.text();
    assertTrue(text.contains("Marché Saint-Michel : votre avis compte"), text);
    assertTrue(text.contains("2 briqs"), text);
    assertTrue(text.contains("Scannez ce code avec votre téléphone"), text);
    assertTrue(text.contains("Valable jusqu'au 27 mai 2027"), text);
    assertTrue(text.contains("Code : " + ticket.shortCode()), text);
    assertTrue(text.lines().allMatch(l -> l.length() <= 48), text);
  }

  @Test
  void print_whenAccentsAndEuro_sendsTheirCp858Bytes() throws Exception {
    EscPosPrinter printer = printer(PrinterProfile.GENERIC_80);
    TicketPrint ticket =
        new TicketPrint(
            "Fête à l'été : 5 € offerts",
            1,
            false,
            LocalDate.of(2027, 1, 1),
            "HTTPS://X/T/AAAA",
            "AAAA-BBBB-CCCC",
            Locale.FRENCH);

    printer.print(ticket);

    EscPosEmulator.Ticket out = emulator.printed().get(0);
    assertEquals("Fête à l'été : 5 € offerts", out.lines().get(0));
    // F  ê  t  e     à     l  '  é  t  é     :     5     €
    String hex = HexFormat.of().formatHex(out.bytes());
    assertTrue(hex.contains("46887465208520" + "6c2782748220" + "3a203520d5"), hex);
  }

  @Test
  void print_whenEpsonProfile_letsThePrinterDrawTheQr() throws Exception {
    EscPosPrinter printer = printer(PrinterProfile.EPSON_TM_T20);
    TicketPrint ticket = TestTickets.print(7);

    assertInstanceOf(PrintResult.Printed.class, printer.print(ticket));

    EscPosEmulator.Ticket out = emulator.printed().get(0);
    assertEquals(List.of(ticket.qrContent()), out.nativeQr());
    assertEquals(List.of(), out.raster(), "no raster image when the printer draws the QR");
  }

  @Test
  void print_when58mm_fitsTheNarrowPaper() throws Exception {
    EscPosPrinter printer = printer(PrinterProfile.GENERIC_58);
    TicketPrint ticket = TestTickets.print(8);

    assertInstanceOf(PrintResult.Printed.class, printer.print(ticket));

    EscPosEmulator.Ticket out = emulator.printed().get(0);
    assertEquals(384, out.raster().get(0).length);
    assertTrue(out.text().lines().allMatch(l -> l.length() <= 32), out.text());
    assertEquals(ticket.qrContent(), TestTickets.decodeQr(out.image()));
  }

  @Test
  void print_whenNoPaper_sendsNothingAndSaysSo() throws Exception {
    EscPosPrinter printer = printer(PrinterProfile.GENERIC_80);
    emulator.paperFor(0);

    PrintResult result = printer.print(TestTickets.print(1));

    PrintResult.NotReady notReady = assertInstanceOf(PrintResult.NotReady.class, result);
    assertInstanceOf(PrinterStatus.PaperOut.class, notReady.status());
    assertEquals(0, emulator.jobs(), "no ticket bytes sent to a printer without paper");
  }

  @Test
  void status_whenCoverOpenOrPaperLow_saysWhich() throws Exception {
    EscPosPrinter printer = printer(PrinterProfile.GENERIC_80);
    assertInstanceOf(PrinterStatus.Ready.class, printer.status().orElseThrow());

    emulator.coverOpen(true);
    assertInstanceOf(PrinterStatus.CoverOpen.class, printer.status().orElseThrow());

    emulator.coverOpen(false);
    emulator.nearEnd(true);
    assertInstanceOf(PrinterStatus.PaperNearEnd.class, printer.status().orElseThrow());
    PrintResult.Printed printed =
        assertInstanceOf(PrintResult.Printed.class, printer.print(TestTickets.print(3)));
    assertTrue(printed.location().endsWith("paper near end"), printed.location());
  }

  @Test
  void status_whenThePrinterListensButNeverAnswers_givesNoAnswer() throws Exception {
    EscPosPrinter printer = printer(PrinterProfile.GENERIC_80);
    emulator.silent(true);

    PrinterStatus status = printer.status().orElseThrow();

    PrinterStatus.NoAnswer none = assertInstanceOf(PrinterStatus.NoAnswer.class, status);
    assertTrue(none.detail().startsWith("no answer to DLE EOT 1 within 500 ms"), none.detail());
  }

  @Test
  void print_whenUsbDeviceFileNeverAnswers_sendsOnlyTheStatusQueries(@TempDir Path dir)
      throws Exception {
    Path device = Files.createFile(dir.resolve("lp0")); // a printer that reads and never answers
    EscPosPrinter printer =
        new EscPosPrinter(
            new PrinterLink.DeviceFile(device),
            PrinterProfile.GENERIC_80,
            Duration.ofMillis(300),
            Duration.ofSeconds(1));

    PrintResult result = printer.print(TestTickets.print(1));

    PrinterStatus.NoAnswer none =
        assertInstanceOf(
            PrinterStatus.NoAnswer.class,
            assertInstanceOf(PrintResult.NotReady.class, result).status());
    assertEquals(
        "no answer to DLE EOT 1 within 300 ms from usb:"
            + device
            + ": is it switched on, online and an ESC/POS printer?",
        none.detail());
    // DLE EOT 1, 2, 3, 4 and nothing else: no ticket sent to a printer that says nothing.
    assertEquals("100401100402100403100404", HexFormat.of().formatHex(Files.readAllBytes(device)));
  }

  @Test
  void print_whenNothingListens_givesNoAnswerNamingTheAddress() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    EscPosPrinter printer =
        new EscPosPrinter(
            new PrinterLink.Tcp("127.0.0.1", port, Duration.ofSeconds(1)),
            PrinterProfile.GENERIC_80);

    PrintResult result = printer.print(TestTickets.print(1));

    PrinterStatus.NoAnswer none =
        assertInstanceOf(
            PrinterStatus.NoAnswer.class,
            assertInstanceOf(PrintResult.NotReady.class, result).status());
    assertTrue(none.detail().startsWith("cannot reach tcp:127.0.0.1:" + port), none.detail());
  }
}
