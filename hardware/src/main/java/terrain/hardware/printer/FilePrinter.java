// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * Prints each ticket as a PDF file {@code ticket-{short code}.pdf} in a folder, for kiosks without
 * a printer, for {@code simulate --tickets DIR} and for printing from a desktop.
 *
 * <p>A file appears whole or not at all: it is written beside its final name, then renamed.
 */
public final class FilePrinter implements TicketPrinter {

  private final Path folder;
  private final TicketPdf pdf;

  public FilePrinter(Path folder, TicketPdf pdf) {
    this.folder = Objects.requireNonNull(folder, "folder must not be null");
    this.pdf = Objects.requireNonNull(pdf, "pdf must not be null");
  }

  /** The user's desktop folder ({@code ~/Desktop}) when there is one, else the home folder. */
  public static Path desktopFolder(Path home) {
    Path desktop = home.resolve("Desktop");
    return Files.isDirectory(desktop) ? desktop : home;
  }

  public Path folder() {
    return folder;
  }

  @Override
  public PrintResult print(TicketPrint ticket) {
    Objects.requireNonNull(ticket, "ticket must not be null");
    String name = "ticket-" + ticket.shortCode().replaceAll("[^A-Za-z0-9-]", "") + ".pdf";
    return write(name, pdf.single(ticket));
  }

  /** Writes the slip as {@code slip-NAME.pdf}. */
  @Override
  public PrintResult printSlip(Slip slip) {
    Objects.requireNonNull(slip, "slip must not be null");
    return write("slip-" + slip.name() + ".pdf", pdf.slip(slip));
  }

  private PrintResult write(String name, byte[] bytes) {
    Path file = folder.resolve(name);
    Path partial = folder.resolve(name + ".part");
    try {
      Files.createDirectories(folder);
      Files.write(partial, bytes);
      try {
        Files.move(
            partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return new PrintResult.Printed(file.toString());
    } catch (IOException e) {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // The partial file is named .part: it is never mistaken for a ticket.
      }
      return new PrintResult.CannotWrite(
          file.toString(),
          "cannot write "
              + file
              + ": "
              + e
              + "; check that the folder exists, is writable and the disk is not full, or choose"
              + " another folder");
    }
  }
}
