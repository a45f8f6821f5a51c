// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class MemoryTicketPrinterTest extends TicketPrinterContract {

  private final MemoryTicketPrinter printer = new MemoryTicketPrinter();

  @Override
  TicketPrinter printer() {
    return printer;
  }

  @Override
  String qrContentAt(String location) {
    return printer.at(location).orElseThrow().qrContent();
  }

  @Test
  void print_whenToldToFail_returnsCannotWriteAndKeepsNothing() {
    printer.failWith("no paper");

    PrintResult result = printer.print(TestTickets.print(1));

    assertEquals("no paper", assertInstanceOf(PrintResult.CannotWrite.class, result).detail());
    assertEquals(0, printer.printed().size());
  }
}
