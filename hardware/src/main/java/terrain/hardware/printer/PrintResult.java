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
}
