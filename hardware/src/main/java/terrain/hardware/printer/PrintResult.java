// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.util.Objects;

/** What became of a ticket sent to a {@link TicketPrinter}. */
public sealed interface PrintResult {

  /**
   * The ticket is out.
   *
   * @param location where: a file path, a printer name
   */
  record Printed(String location) implements PrintResult {
    public Printed {
      Objects.requireNonNull(location, "Printed location must not be null");
    }
  }

  /**
   * The ticket could not be written where it should go.
   *
   * @param location where it should have gone
   * @param detail what went wrong, for the operator's log
   */
  record CannotWrite(String location, String detail) implements PrintResult {
    public CannotWrite {
      Objects.requireNonNull(location, "CannotWrite location must not be null");
      Objects.requireNonNull(detail, "CannotWrite detail must not be null");
    }
  }

  /**
   * The printer is there but cannot print, or cannot be reached: the ticket did not come out whole.
   * Staff read {@code status} in their language.
   *
   * @param location the printer
   * @param status what it said, or {@link PrinterStatus.NoAnswer}
   */
  record NotReady(String location, PrinterStatus status) implements PrintResult {
    public NotReady {
      Objects.requireNonNull(location, "NotReady location must not be null");
      Objects.requireNonNull(status, "NotReady status must not be null");
    }
  }
}
