// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** What every {@link TicketPrinter} does; run against each implementation. */
abstract class TicketPrinterContract {

  /** A new printer that prints successfully. */
  abstract TicketPrinter printer() throws Exception;

  /** The QR content of the ticket printed at {@code location}, read back from the output. */
  abstract String qrContentAt(String location) throws Exception;

  @Test
  void print_whenTicket_printsItWhereItSays() throws Exception {
    TicketPrint ticket = TestTickets.print(1);

    PrintResult.Printed printed =
        assertInstanceOf(PrintResult.Printed.class, printer().print(ticket));

    assertEquals(ticket.qrContent(), qrContentAt(printed.location()));
  }

  @Test
  void print_whenTwoTickets_keepsBoth() throws Exception {
    TicketPrinter printer = printer();
    TicketPrint first = TestTickets.print(1);
    TicketPrint second = TestTickets.print(2);

    String a = ((PrintResult.Printed) printer.print(first)).location();
    String b = ((PrintResult.Printed) printer.print(second)).location();

    assertNotEquals(a, b);
    assertEquals(first.qrContent(), qrContentAt(a));
    assertEquals(second.qrContent(), qrContentAt(b));
  }
}
