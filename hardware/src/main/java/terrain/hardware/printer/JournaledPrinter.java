// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A printer whose jobs go through a {@link PrintJournal}: printing a ticket that already came out
 * prints nothing (a retry never prints it twice), and a ticket whose print failed stays in the
 * journal as failed until it is reprinted (a failure never loses it).
 */
public final class JournaledPrinter implements TicketPrinter {

  private final TicketPrinter printer;
  private final PrintJournal journal;
  private final String location;

  /**
   * @param printer the printer itself
   * @param journal its jobs
   * @param location what to call it in results about the journal
   */
  public JournaledPrinter(TicketPrinter printer, PrintJournal journal, String location) {
    this.printer = Objects.requireNonNull(printer, "printer must not be null");
    this.journal = Objects.requireNonNull(journal, "journal must not be null");
    this.location = Objects.requireNonNull(location, "location must not be null");
  }

  public TicketPrinter printer() {
    return printer;
  }

  /** Prints {@code ticket} unless its job is already printed; then says where it went. */
  @Override
  public synchronized PrintResult print(TicketPrint ticket) {
    Objects.requireNonNull(ticket, "ticket must not be null");
    var job = journal.job(ticket.shortCode());
    if (job.isPresent() && job.get().state() == PrintJournal.State.PRINTED) {
      return new PrintResult.Printed(location + ", already printed at " + job.get().at());
    }
    return send(ticket);
  }

  @Override
  public synchronized PrintResult reprint(TicketPrint ticket) {
    Objects.requireNonNull(ticket, "ticket must not be null");
    return send(ticket);
  }

  @Override
  public PrintResult printSlip(Slip slip) {
    return printer.printSlip(slip);
  }

  @Override
  public Optional<PrinterStatus> status() {
    return printer.status();
  }

  @Override
  public List<TicketPrint> unprinted() {
    return journal.failed().stream().map(PrintJournal.Job::ticket).toList();
  }

  private PrintResult send(TicketPrint ticket) {
    try {
      journal.pending(ticket);
    } catch (IOException e) {
      return new PrintResult.CannotWrite(
          location,
          "cannot write the print journal: "
              + e
              + "; nothing was printed. Check that the data folder's disk is not full");
    }
    PrintResult result = printer.print(ticket);
    try {
      if (result instanceof PrintResult.Printed) {
        journal.printed(ticket.shortCode());
      } else {
        journal.failed(ticket.shortCode(), reason(result));
      }
    } catch (IOException e) {
      // The ticket is out: say so. The job stays pending in the journal, which reads it back as
      // failed after a restart, so staff may see it once too often, never once too few.
      return result instanceof PrintResult.Printed p
          ? new PrintResult.Printed(p.location() + " (print journal not written: " + e + ")")
          : result;
    }
    return result;
  }

  private static String reason(PrintResult result) {
    if (result instanceof PrintResult.CannotWrite c) {
      return c.detail();
    }
    return result instanceof PrintResult.NotReady n ? n.status().code() : "";
  }
}
