// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A printer that keeps tickets in memory, for tests and for kiosks run without any output. {@link
 * #failWith} makes the next prints fail, to test how a kiosk copes.
 */
public final class MemoryTicketPrinter implements TicketPrinter {

  private final List<TicketPrint> printed = new ArrayList<>();
  private String failure;

  @Override
  public synchronized PrintResult print(TicketPrint ticket) {
    if (failure != null) {
      return new PrintResult.CannotWrite("memory", failure);
    }
    printed.add(ticket);
    return new PrintResult.Printed("memory:" + (printed.size() - 1));
  }

  /** Every ticket printed, in order. */
  public synchronized List<TicketPrint> printed() {
    return List.copyOf(printed);
  }

  /** The ticket printed at {@code location}, as returned by {@link #print}. */
  public synchronized Optional<TicketPrint> at(String location) {
    if (!location.startsWith("memory:")) {
      return Optional.empty();
    }
    int index = Integer.parseInt(location.substring("memory:".length()));
    return index < printed.size() ? Optional.of(printed.get(index)) : Optional.empty();
  }

  /** From now on, prints fail with {@code detail}; null to print again. */
  public synchronized void failWith(String detail) {
    failure = detail;
  }
}
