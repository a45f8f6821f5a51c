// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A receipt printer spoken to in ESC/POS over a {@link PrinterLink}.
 *
 * <p>A ticket is printed in one connection: the four real-time status queries {@code DLE EOT 1..4}
 * first (nothing is sent to a printer without paper), then the ticket ({@link EscPosTicket}), then
 * {@code GS r 1}. Unlike {@code DLE EOT}, which a printer answers at once, {@code GS r} waits its
 * turn in the printer's buffer: its answer means the whole ticket before it has been printed. When
 * it does not come within the job timeout, the status queries say why (paper out mid-ticket, cover
 * opened), the printer's buffer is cleared with {@code DLE DC4 8} so the rest of the ticket does
 * not come out when the paper returns, and the ticket is reported not printed: it is reprinted
 * whole later, never lost, never half-printed twice.
 */
public final class EscPosPrinter implements TicketPrinter {

  /** {@code DLE DC4 8 1 3 20 1 6 2 8}: clear the receive and print buffers. */
  static final byte[] CLEAR_BUFFERS = {0x10, 0x14, 8, 1, 3, 20, 1, 6, 2, 8};

  /** {@code GS r 1}: send the paper sensor status once everything before has been processed. */
  static final byte[] CONFIRM = {0x1D, 'r', 1};

  /** How often a printer slow to confirm a ticket is asked whether it stopped. */
  static final Duration POLL = Duration.ofMillis(250);

  private final PrinterLink link;
  private final EscPosTicket tickets;
  private final Duration answerTimeout;
  private final Duration jobTimeout;

  /**
   * @param link how to reach the printer
   * @param profile its model
   * @param answerTimeout how long a status answer may take (a second is plenty)
   * @param jobTimeout how long printing a ticket may take before it counts as failed
   */
  public EscPosPrinter(
      PrinterLink link, PrinterProfile profile, Duration answerTimeout, Duration jobTimeout) {
    this.link = Objects.requireNonNull(link, "link must not be null");
    this.tickets = new EscPosTicket(Objects.requireNonNull(profile, "profile must not be null"));
    this.answerTimeout = Objects.requireNonNull(answerTimeout, "answerTimeout must not be null");
    this.jobTimeout = Objects.requireNonNull(jobTimeout, "jobTimeout must not be null");
  }

  /** A printer with a 2 s status timeout and a 20 s job timeout. */
  public EscPosPrinter(PrinterLink link, PrinterProfile profile) {
    this(link, profile, Duration.ofSeconds(2), Duration.ofSeconds(20));
  }

  public PrinterLink link() {
    return link;
  }

  public PrinterProfile profile() {
    return tickets.profile();
  }

  /** What {@code escpos:} printer this is, for staff and logs. */
  public String describe() {
    return "escpos:" + link.describe() + " (" + tickets.profile().name() + ")";
  }

  /** Asks the printer how it is; {@link PrinterStatus.NoAnswer} when it cannot be reached. */
  @Override
  public Optional<PrinterStatus> status() {
    try (PrinterLink.Connection connection = link.open()) {
      return Optional.of(query(connection));
    } catch (IOException e) {
      return Optional.of(unreachable(e));
    }
  }

  @Override
  public PrintResult print(TicketPrint ticket) {
    Objects.requireNonNull(ticket, "ticket must not be null");
    return send(tickets.encode(ticket), "ticket " + ticket.shortCode());
  }

  /** Prints a slip as a ticket is printed: status first, then the text, then the confirmation. */
  @Override
  public PrintResult printSlip(Slip slip) {
    Objects.requireNonNull(slip, "slip must not be null");
    return send(tickets.slip(slip), "slip " + slip.name());
  }

  private PrintResult send(byte[] bytes, String what) {
    try (PrinterLink.Connection connection = link.open()) {
      PrinterStatus before = query(connection);
      if (!before.canPrint()) {
        return new PrintResult.NotReady(describe(), before);
      }
      connection.write(bytes);
      connection.write(CONFIRM);
      int confirmed = awaitConfirmation(connection);
      if (confirmed >= 0 && (confirmed & 0x90) == 0 && (confirmed & 0x0C) == 0) {
        PrinterStatus after = query(connection);
        return new PrintResult.Printed(
            describe()
                + ", "
                + what
                + (after instanceof PrinterStatus.PaperNearEnd ? ", paper near end" : ""));
      }
      connection.drain();
      PrinterStatus after = query(connection);
      connection.write(CLEAR_BUFFERS);
      if (after.canPrint()) {
        after =
            new PrinterStatus.NoAnswer(
                confirmed == -1
                    ? "the printer did not confirm the ticket within "
                        + jobTimeout.toSeconds()
                        + " s; check it, then reprint the ticket from the staff panel"
                    : confirmed == -2
                        ? "the printer stopped during the ticket, then recovered; reprint it"
                        : String.format(
                            "the printer confirmed with 0x%02x (paper end)", confirmed));
      }
      return new PrintResult.NotReady(describe(), after);
    } catch (IOException e) {
      return new PrintResult.NotReady(describe(), unreachable(e));
    }
  }

  /**
   * The answer to {@code GS r 1} (bit 4 clear), or -1 when it did not come within the job timeout,
   * or -2 as soon as {@code DLE EOT 2}, asked every {@link #POLL} meanwhile, says the printer
   * stopped (paper end, cover open, error; these answers have bit 4 set).
   */
  private int awaitConfirmation(PrinterLink.Connection connection) throws IOException {
    long deadline = System.nanoTime() + jobTimeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return -1;
      }
      int b = connection.read(Duration.ofNanos(Math.min(left, POLL.toNanos())));
      if (b < 0) {
        connection.write(new byte[] {0x10, 0x04, PrinterStatus.OFFLINE_CAUSE});
      } else if ((b & 0x90) == 0) {
        return b;
      } else if (PrinterStatus.framed(b) && (b & 0x64) != 0) {
        return -2;
      }
    }
  }

  private PrinterStatus.NoAnswer unreachable(IOException e) {
    return new PrinterStatus.NoAnswer("cannot reach " + link.describe() + ": " + e.getMessage());
  }

  /** Sends {@code DLE EOT 1..4} at once and decodes the four answers. */
  private PrinterStatus query(PrinterLink.Connection connection) throws IOException {
    connection.write(
        new byte[] {
          0x10, 0x04, PrinterStatus.PRINTER,
          0x10, 0x04, PrinterStatus.OFFLINE_CAUSE,
          0x10, 0x04, PrinterStatus.ERROR_CAUSE,
          0x10, 0x04, PrinterStatus.PAPER_SENSOR
        });
    int[] answers = new int[4];
    for (int i = 0; i < answers.length; i++) {
      answers[i] = connection.read(answerTimeout);
      if (answers[i] < 0) {
        return new PrinterStatus.NoAnswer(
            "no answer to DLE EOT "
                + (i + 1)
                + " within "
                + answerTimeout.toMillis()
                + " ms from "
                + link.describe()
                + ": is it switched on, online and an ESC/POS printer?");
      }
    }
    return PrinterStatus.decode(answers[0], answers[1], answers[2], answers[3]);
  }
}
