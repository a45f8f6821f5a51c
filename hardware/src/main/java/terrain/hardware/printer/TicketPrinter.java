// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.util.List;
import java.util.Optional;

/**
 * Where kiosks send the tickets they issue: a receipt printer, a folder of PDFs, a test's memory.
 *
 * <p>Implementations do not throw for problems a kiosk can meet (no paper, a full disk): they
 * return a {@link PrintResult} that the kiosk turns into words for the resident and the operator.
 */
public interface TicketPrinter {

  /** Prints one ticket; blocks until it is out or has failed. */
  PrintResult print(TicketPrint ticket);

  /**
   * Prints a ticket again because staff asked (a copy, or one whose print failed), even if it came
   * out before.
   */
  default PrintResult reprint(TicketPrint ticket) {
    return print(ticket);
  }

  /** Tickets whose printing failed and that were not reprinted since, oldest first. */
  default List<TicketPrint> unprinted() {
    return List.of();
  }

  /**
   * Asks the printer how it is, blocking briefly; empty for printers that have nothing to say (a
   * folder of PDFs).
   */
  default Optional<PrinterStatus> status() {
    return Optional.empty();
  }

  /**
   * Prints a plain-text slip for staff (not journaled: a slip lost is printed again by asking).
   * Printers that cannot print text answer {@link PrintResult.CannotWrite}.
   */
  default PrintResult printSlip(Slip slip) {
    return new PrintResult.CannotWrite(
        getClass().getSimpleName(), "this printer prints tickets only, not slips");
  }
}
