// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.thanks;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.codec.WireException;
import terrain.core.event.EventDefinition;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.TicketException;
import terrain.hardware.printer.EscPosPrinter;
import terrain.hardware.printer.FilePrinter;
import terrain.hardware.printer.JournaledPrinter;
import terrain.hardware.printer.MemoryTicketPrinter;
import terrain.hardware.printer.PrintResult;
import terrain.hardware.printer.PrinterStatus;
import terrain.hardware.printer.TicketPrint;
import terrain.hardware.printer.TicketPrinter;
import terrain.kiosk.session.KioskEngine;
import terrain.store.StoreException;

/**
 * The kiosk's side of its ticket printer: turns the signed ticket of a participation into what is
 * printed, prints it off the UI thread, and remembers the last ticket and how the printer is doing
 * for the staff panel. A failed print loses nothing: the ticket is already committed in the
 * device's database with the participation, and staff can print it again.
 *
 * <p>Every method runs on the UI thread; the printer runs on {@code io}, and its result comes back
 * through {@code ui}.
 */
public final class TicketDesk {
  private static final Logger log = LoggerFactory.getLogger(TicketDesk.class);

  /** How the printer is doing, as the staff panel shows it. */
  public enum State {
    /** Nothing printed since the kiosk started. */
    IDLE,
    PRINTING,
    /** The last print came out. */
    OK,
    /** The last print failed; see {@link Status#detail()}. */
    FAILED
  }

  /**
   * The printer's state.
   *
   * @param printer what the printer is (a folder, a device), for staff
   * @param detail where the last ticket went, or why it failed (for staff, in the log's words)
   * @param said what a receipt printer last said of itself (no paper, cover open), null when it
   *     said nothing (a folder of PDFs) or all is well
   */
  public record Status(State state, String printer, String detail, PrinterStatus said) {
    public Status {
      Objects.requireNonNull(state, "Status state must not be null");
      Objects.requireNonNull(printer, "Status printer must not be null");
      Objects.requireNonNull(detail, "Status detail must not be null");
    }

    public Status(State state, String printer, String detail) {
      this(state, printer, detail, null);
    }

    /** What the printer said, when it is worth telling staff. */
    public Optional<PrinterStatus> problem() {
      return said == null || said instanceof PrinterStatus.Ready
          ? Optional.empty()
          : Optional.of(said);
    }
  }

  private final TicketPrinter printer;
  private final String printerName;
  private final Executor io;
  private final Executor ui;
  private final String claimHost;
  private final ZoneId zone;
  private final ReadOnlyObjectWrapper<Status> status;
  private final ReadOnlyObjectWrapper<TicketPrint> lastTicket = new ReadOnlyObjectWrapper<>();
  private final ReadOnlyObjectWrapper<List<TicketPrint>> unprinted =
      new ReadOnlyObjectWrapper<>(List.of());

  /**
   * @param printer where tickets go
   * @param printerName what staff read for it, e.g. the folder of the PDFs
   * @param io runs the printer (it blocks)
   * @param ui brings the result back to the screen models' thread
   * @param claimHost the host of the claim address in the QR code, e.g. {@code briqs.bordeaux.fr}
   * @param zone the zone in which the last valid day of a ticket is written
   */
  public TicketDesk(
      TicketPrinter printer,
      String printerName,
      Executor io,
      Executor ui,
      String claimHost,
      ZoneId zone) {
    this.printer = Objects.requireNonNull(printer, "printer must not be null");
    this.printerName = Objects.requireNonNull(printerName, "printerName must not be null");
    this.io = Objects.requireNonNull(io, "io must not be null");
    this.ui = Objects.requireNonNull(ui, "ui must not be null");
    this.claimHost = Objects.requireNonNull(claimHost, "claimHost must not be null");
    this.zone = Objects.requireNonNull(zone, "zone must not be null");
    this.status = new ReadOnlyObjectWrapper<>(new Status(State.IDLE, printerName, ""));
  }

  /** A desk over a printer that keeps tickets in memory, printing on the calling thread. */
  public static TicketDesk inMemory(String claimHost) {
    return new TicketDesk(
        new MemoryTicketPrinter(),
        "memory",
        Runnable::run,
        Runnable::run,
        claimHost,
        ZoneId.systemDefault());
  }

  /**
   * The printer as the kiosk reports it to the hub's preflight: its kind ({@code "pdf"} for a
   * folder of PDFs, {@code "escpos"} for a receipt printer, {@code "memory"} in tests), followed by
   * {@code ": STATUS"} when a receipt printer said something is wrong ({@code "escpos:
   * paper-out"}), else by {@code ": failed, DETAIL"} when the last print failed.
   */
  public String reported() {
    return reported(printer, status.get());
  }

  /** See {@link #reported()}. */
  public static String reported(TicketPrinter printer, Status status) {
    TicketPrinter inner =
        printer instanceof JournaledPrinter journaled ? journaled.printer() : printer;
    String kind =
        inner instanceof FilePrinter
            ? "pdf"
            : inner instanceof EscPosPrinter
                ? "escpos"
                : inner instanceof MemoryTicketPrinter
                    ? "memory"
                    : inner.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    if (status.problem().isPresent()) {
      return kind + ": " + status.problem().get().code();
    }
    return status.state() == State.FAILED ? kind + ": failed, " + status.detail() : kind;
  }

  public ReadOnlyObjectProperty<Status> statusProperty() {
    return status.getReadOnlyProperty();
  }

  public Status status() {
    return status.get();
  }

  /** The last ticket issued here, printed or not (null before the first). */
  public ReadOnlyObjectProperty<TicketPrint> lastTicketProperty() {
    return lastTicket.getReadOnlyProperty();
  }

  public Optional<TicketPrint> lastTicket() {
    return Optional.ofNullable(lastTicket.get());
  }

  /** Tickets whose print failed and that nobody reprinted since, oldest first. */
  public ReadOnlyObjectProperty<List<TicketPrint>> unprintedProperty() {
    return unprinted.getReadOnlyProperty();
  }

  public List<TicketPrint> unprinted() {
    return unprinted.get();
  }

  public String claimHost() {
    return claimHost;
  }

  /**
   * What a signed ticket looks like on paper and on screen, with the fixed texts in French (or
   * English for an English-speaking resident: the printer's texts exist in those two).
   */
  public TicketPrint toPrint(SignedTicket ticket, String eventTitle, Locale language) {
    Locale paper = "en".equals(language.getLanguage()) ? Locale.ENGLISH : Locale.FRENCH;
    return TicketPrint.of(ticket, eventTitle, claimHost, zone, paper);
  }

  /** Prints a newly issued ticket and remembers it as the last one. */
  public void printIssued(TicketPrint ticket, Consumer<PrintResult> done) {
    lastTicket.set(ticket);
    print(ticket, Job.ISSUED, done);
  }

  /** Prints the last ticket again (staff panel). Returns false when there is none. */
  public boolean reprintLast(Consumer<PrintResult> done) {
    TicketPrint last = lastTicket.get();
    if (last == null) {
      return false;
    }
    print(last, Job.AGAIN, done);
    return true;
  }

  /**
   * Prints again, oldest first, the tickets whose print failed (staff panel), stopping at the first
   * that fails again. Returns false when there is none.
   */
  public boolean reprintUnprinted(Consumer<PrintResult> done) {
    List<TicketPrint> waiting = unprinted.get();
    if (waiting.isEmpty()) {
      return false;
    }
    print(
        waiting.get(0),
        Job.AGAIN,
        result -> {
          if (result instanceof PrintResult.Printed && !unprinted.get().isEmpty()) {
            reprintUnprinted(done);
          } else {
            done.accept(result);
          }
        });
    return true;
  }

  /**
   * Asks a receipt printer how it is (paper, cover) off the UI thread, and shows the answer while
   * nothing prints; a folder of PDFs has nothing to say.
   */
  public void checkPrinter() {
    if (status.get().state() == State.PRINTING) {
      return;
    }
    try {
      io.execute(
          () -> {
            Optional<PrinterStatus> said;
            try {
              said = printer.status();
            } catch (RuntimeException e) {
              log.error("Ticket printer {} status failed: {}", printerName, e.toString(), e);
              said = Optional.of(new PrinterStatus.NoAnswer(e.toString()));
            }
            List<TicketPrint> waiting = printer.unprinted();
            Optional<PrinterStatus> answer = said;
            ui.execute(
                () -> {
                  unprinted.set(waiting);
                  Status now = status.get();
                  if (answer.isEmpty() || now.state() == State.PRINTING) {
                    return;
                  }
                  PrinterStatus a = answer.get();
                  if (!a.canPrint()) {
                    status.set(new Status(State.FAILED, printerName, a.code(), a));
                  } else if (now.problem().isPresent() || a instanceof PrinterStatus.PaperNearEnd) {
                    status.set(
                        new Status(
                            now.state() == State.FAILED ? State.IDLE : now.state(),
                            printerName,
                            now.state() == State.FAILED ? "" : now.detail(),
                            a));
                  }
                });
          });
    } catch (RejectedExecutionException e) {
      log.debug("Printer not asked: the app is stopping", e);
    }
  }

  /** Prints a sample ticket worth 0 briqs that nobody can claim (its code is not signed). */
  public void testPrint(String eventTitle, LocalDate today, Consumer<PrintResult> done) {
    print(
        new TicketPrint(
            eventTitle,
            0,
            false,
            today,
            "HTTPS://" + claimHost.toUpperCase(Locale.ROOT) + "/T/TEST",
            "TEST-TEST-TEST",
            Locale.FRENCH),
        Job.TEST,
        done);
  }

  /** Why a ticket goes to the printer. */
  private enum Job {
    /** Newly issued: printed unless the journal says it came out already. */
    ISSUED,
    /** At staff's request, even if it came out before. */
    AGAIN,
    /** The test ticket: straight to the printer, never in the journal of tickets. */
    TEST
  }

  private void print(TicketPrint ticket, Job job, Consumer<PrintResult> done) {
    status.set(new Status(State.PRINTING, printerName, ticket.shortCode()));
    try {
      io.execute(
          () -> {
            PrintResult result;
            try {
              result =
                  switch (job) {
                    case ISSUED -> printer.print(ticket);
                    case AGAIN -> printer.reprint(ticket);
                    case TEST ->
                        (printer instanceof JournaledPrinter journaled
                                ? journaled.printer()
                                : printer)
                            .print(ticket);
                  };
            } catch (RuntimeException e) {
              // A driver bug must not take the kiosk down: the ticket is in the database.
              log.error("Ticket printer {} failed: {}", printerName, e.toString(), e);
              result = new PrintResult.CannotWrite(printerName, e.toString());
            }
            PrintResult finalResult = result;
            List<TicketPrint> waiting = printer.unprinted();
            ui.execute(
                () -> {
                  unprinted.set(waiting);
                  finished(ticket, finalResult, done);
                });
          });
    } catch (RejectedExecutionException e) {
      log.debug("Ticket {} not sent to the printer: the app is stopping", ticket.shortCode(), e);
      finished(ticket, new PrintResult.CannotWrite(printerName, "printer stopped"), done);
    }
  }

  private void finished(TicketPrint ticket, PrintResult result, Consumer<PrintResult> done) {
    if (result instanceof PrintResult.Printed printed) {
      log.info("Ticket {} printed to {}", ticket.shortCode(), printed.location());
      status.set(
          new Status(
              State.OK,
              printerName,
              printed.location(),
              printed.location().endsWith("paper near end")
                  ? new PrinterStatus.PaperNearEnd()
                  : null));
    } else if (result instanceof PrintResult.NotReady notReady) {
      log.warn(
          "Ticket {} not printed: the printer says {} ({}); it is kept in the database and staff"
              + " can reprint it from the staff panel",
          ticket.shortCode(),
          notReady.status().code(),
          notReady.status());
      status.set(
          new Status(State.FAILED, printerName, notReady.status().code(), notReady.status()));
    } else if (result instanceof PrintResult.CannotWrite failed) {
      log.warn(
          "Ticket {} not printed ({}); it is kept in the database and staff can reprint it"
              + " from the staff panel",
          ticket.shortCode(),
          failed.detail());
      status.set(new Status(State.FAILED, printerName, failed.detail()));
    }
    done.accept(result);
  }

  /**
   * Finds the last ticket this device issued for {@code event} in its database, so that staff can
   * reprint it after a restart. Empty when there is none or it cannot be read back.
   */
  public void restoreLast(KioskEngine engine, EventDefinition event) {
    try {
      engine
          .lastTicket(event.eventId())
          .ifPresent(signed -> lastTicket.set(toPrint(signed, event.title().fr(), Locale.FRENCH)));
      unprinted.set(printer.unprinted());
    } catch (StoreException | WireException | TicketException | RuntimeException e) {
      log.warn("Cannot read back the last ticket of {}", event.id(), e);
    }
  }
}
