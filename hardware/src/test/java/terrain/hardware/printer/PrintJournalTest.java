// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrintJournalTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path folder;

  @Test
  void open_whenAJobWasPendingAtACrash_givesItAsFailed() throws Exception {
    Path file = folder.resolve("journal.log");
    TicketPrint english = TestTickets.print(TestTickets.ticket(5, true), Locale.ENGLISH);
    try (PrintJournal journal = PrintJournal.open(file, CLOCK)) {
      journal.pending(english);
    }

    try (PrintJournal journal = PrintJournal.open(file, CLOCK)) {
      PrintJournal.Job job = journal.failed().get(0);
      assertEquals(english, job.ticket(), "every field of the ticket read back");
      assertEquals("stopped while printing", job.reason());
      assertEquals(CLOCK.instant(), job.at());
    }
  }

  @Test
  void open_whenTheLastLineIsTorn_dropsItAndAppendsCleanly() throws Exception {
    Path file = folder.resolve("journal.log");
    TicketPrint ticket = TestTickets.print(1);
    try (PrintJournal journal = PrintJournal.open(file, CLOCK)) {
      journal.pending(ticket);
      journal.printed(ticket.shortCode());
    }
    Files.writeString(file, "failed\tAB", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    try (PrintJournal journal = PrintJournal.open(file, CLOCK)) {
      assertEquals(
          PrintJournal.State.PRINTED, journal.job(ticket.shortCode()).orElseThrow().state());
      journal.pending(TestTickets.print(2));
    }
    try (PrintJournal journal = PrintJournal.open(file, CLOCK)) {
      assertEquals(2, journal.jobs().size());
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(3, lines.size());
    assertTrue(lines.get(2).startsWith("pending\t"), lines.get(2));
  }

  @Test
  void open_whenALineIsBroken_saysWhichAndWhatToDo() throws Exception {
    Path file = folder.resolve("journal.log");
    Files.writeString(file, "printed\tXXXX\t1\n");

    IOException e = assertThrows(IOException.class, () -> PrintJournal.open(file, CLOCK));

    assertEquals(
        "print journal "
            + file
            + " line 1 is broken (job XXXX ends before it starts): move the file aside to start a"
            + " new journal",
        e.getMessage());
  }
}
