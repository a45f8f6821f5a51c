// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import terrain.hardware.printer.PrintResult;
import terrain.hardware.printer.PrinterChoice;
import terrain.hardware.printer.PrinterStatus;
import terrain.hardware.printer.TicketPrint;

/**
 * {@code ./terrain print-test --printer URI}: prints a test ticket (worth nothing, its code not
 * signed) to check a printer before an event.
 */
@Command(
    name = "print-test",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Prints a test ticket (0 briqs, a code nobody can claim, accents and € to check the code",
      "page) on the printer a kiosk would use.",
      "Exit 0: printed; 3: no paper; 4: printer unreachable or silent; 1: another printer",
      "problem (cover open, offline, a folder not writable); 2: bad arguments. The reason is on",
      "stderr."
    })
public final class PrintTestMain implements Callable<Integer> {

  /** Exit code: the printer has no paper. */
  public static final int NO_PAPER = 3;

  /** Exit code: the printer cannot be reached or does not answer. */
  public static final int UNREACHABLE = 4;

  @Option(
      names = "--printer",
      required = true,
      paramLabel = "URI",
      description = "The printer: " + PrinterChoice.FORMS + ".")
  String printer;

  @Spec CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;

  PrintTestMain(PrintStream out, PrintStream err, Clock clock) {
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  public static int run(String... args) {
    return run(System.out, System.err, Clock.systemDefaultZone(), args);
  }

  static int run(PrintStream out, PrintStream err, Clock clock, String... args) {
    CommandLine line = new CommandLine(new PrintTestMain(out, err, clock));
    line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    return line.execute(args);
  }

  @Override
  public Integer call() {
    PrinterChoice choice;
    try {
      choice = PrinterChoice.parse(printer);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--printer: " + e.getMessage());
    }
    TicketPrint ticket =
        new TicketPrint(
            "Test d'impression : é è à ç ù € — Terrain",
            0,
            false,
            LocalDate.now(clock),
            "HTTPS://BRIQS.EXAMPLE.FR/T/TEST",
            "TEST-TEST-TEST",
            Locale.FRENCH);
    PrintResult result = choice.open().print(ticket);
    if (result instanceof PrintResult.Printed printed) {
      out.println("Printed: " + printed.location());
      return 0;
    }
    if (result instanceof PrintResult.NotReady notReady) {
      PrinterStatus status = notReady.status();
      err.println(
          "Not printed on "
              + notReady.location()
              + ": "
              + status.code()
              + (status instanceof PrinterStatus.NoAnswer none
                  ? " (" + none.detail() + ")"
                  : status instanceof PrinterStatus.Offline offline
                      ? " (" + offline.detail() + ")"
                      : ""));
      return status instanceof PrinterStatus.PaperOut
          ? NO_PAPER
          : status instanceof PrinterStatus.NoAnswer ? UNREACHABLE : 1;
    }
    PrintResult.CannotWrite failed = (PrintResult.CannotWrite) result;
    err.println("Not printed: " + failed.detail());
    return 1;
  }
}
