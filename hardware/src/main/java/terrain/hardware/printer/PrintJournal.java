// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.io.Closeable;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A small durable journal of print jobs, one per ticket (its short code is the job's id): pending
 * before the bytes go to the printer, then printed or failed. Each change is one line appended and
 * forced to the disk before the call returns, so a crash loses no job: a job still pending when the
 * journal opens was cut short and counts as failed.
 *
 * <p>Lines are {@code pending ID MILLIS TITLE BRIQS GOLDEN EXPIRES QR LANGUAGE}, {@code printed ID
 * MILLIS} and {@code failed ID MILLIS REASON}, fields separated by tabs and URL-encoded. A last
 * line without its newline (a crash while writing it) is dropped on opening.
 *
 * <p>Thread-safe.
 */
public final class PrintJournal implements Closeable {

  /** Where a job is. */
  public enum State {
    PENDING,
    PRINTED,
    FAILED
  }

  /**
   * A print job.
   *
   * @param ticket what it prints; its short code is the job's id
   * @param state where it is
   * @param at when it got there
   * @param reason why it failed, empty otherwise
   */
  public record Job(TicketPrint ticket, State state, Instant at, String reason) {
    public Job {
      Objects.requireNonNull(ticket, "Job ticket must not be null");
      Objects.requireNonNull(state, "Job state must not be null");
      Objects.requireNonNull(at, "Job at must not be null");
      Objects.requireNonNull(reason, "Job reason must not be null");
    }

    public String id() {
      return ticket.shortCode();
    }
  }

  private final Path file;
  private final FileChannel channel;
  private final Clock clock;
  private final Map<String, Job> jobs = new LinkedHashMap<>();

  private PrintJournal(Path file, FileChannel channel, Clock clock) {
    this.file = file;
    this.channel = channel;
    this.clock = clock;
  }

  /** Opens (or creates) the journal in {@code file}. */
  public static PrintJournal open(Path file, Clock clock) throws IOException {
    Objects.requireNonNull(file, "file must not be null");
    Objects.requireNonNull(clock, "clock must not be null");
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      PrintJournal journal = new PrintJournal(file, channel, clock);
      journal.load();
      return journal;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private void load() throws IOException {
    byte[] all = Files.readAllBytes(file);
    int end = all.length;
    while (end > 0 && all[end - 1] != '\n') {
      end--;
    }
    channel.truncate(end);
    channel.position(end);
    String text = new String(all, 0, end, StandardCharsets.UTF_8);
    int number = 0;
    for (String line : text.split("\n")) {
      number++;
      if (line.isEmpty()) {
        continue;
      }
      try {
        replay(line.split("\t", -1));
      } catch (RuntimeException e) {
        throw new IOException(
            "print journal "
                + file
                + " line "
                + number
                + " is broken ("
                + e.getMessage()
                + "): move the file aside to start a new journal",
            e);
      }
    }
    for (Job job : List.copyOf(jobs.values())) {
      if (job.state() == State.PENDING) {
        jobs.put(job.id(), new Job(job.ticket(), State.FAILED, job.at(), "stopped while printing"));
      }
    }
  }

  private void replay(String[] f) {
    String id = decode(f[1]);
    Instant at = Instant.ofEpochMilli(Long.parseLong(f[2]));
    switch (f[0]) {
      case "pending" -> {
        TicketPrint ticket =
            new TicketPrint(
                decode(f[3]),
                Integer.parseInt(f[4]),
                Boolean.parseBoolean(f[5]),
                LocalDate.parse(f[6]),
                decode(f[7]),
                id,
                Locale.forLanguageTag(decode(f[8])));
        jobs.remove(id);
        jobs.put(id, new Job(ticket, State.PENDING, at, ""));
      }
      case "printed", "failed" -> {
        Job job = jobs.get(id);
        if (job == null) {
          throw new IllegalArgumentException("job " + id + " ends before it starts");
        }
        boolean failed = f[0].equals("failed");
        jobs.put(
            id,
            new Job(
                job.ticket(),
                failed ? State.FAILED : State.PRINTED,
                at,
                failed ? decode(f[3]) : ""));
      }
      default -> throw new IllegalArgumentException("unknown state " + f[0]);
    }
  }

  /** The job of the ticket with {@code shortCode}. */
  public synchronized Optional<Job> job(String shortCode) {
    return Optional.ofNullable(jobs.get(shortCode));
  }

  /** Every job, oldest first. */
  public synchronized List<Job> jobs() {
    return List.copyOf(jobs.values());
  }

  /** Jobs that failed, oldest first. */
  public synchronized List<Job> failed() {
    return jobs.values().stream().filter(j -> j.state() == State.FAILED).toList();
  }

  /** Notes that {@code ticket} is about to go to the printer. */
  public synchronized void pending(TicketPrint ticket) throws IOException {
    append(
        "pending",
        ticket.shortCode(),
        ticket.eventTitle(),
        Integer.toString(ticket.briqs()),
        Boolean.toString(ticket.golden()),
        ticket.expiresOn().toString(),
        ticket.qrContent(),
        ticket.language().toLanguageTag());
    jobs.remove(ticket.shortCode());
    jobs.put(ticket.shortCode(), new Job(ticket, State.PENDING, clock.instant(), ""));
  }

  /** Notes that the pending job {@code shortCode} came out. */
  public synchronized void printed(String shortCode) throws IOException {
    finish(shortCode, State.PRINTED, "");
  }

  /** Notes that the pending job {@code shortCode} failed, and why. */
  public synchronized void failed(String shortCode, String reason) throws IOException {
    finish(shortCode, State.FAILED, reason);
  }

  private void finish(String shortCode, State state, String reason) throws IOException {
    Job job = jobs.get(shortCode);
    if (job == null) {
      throw new IllegalStateException("no print job " + shortCode + ": call pending first");
    }
    if (state == State.PRINTED) {
      append("printed", shortCode);
    } else {
      append("failed", shortCode, reason);
    }
    jobs.put(shortCode, new Job(job.ticket(), state, clock.instant(), reason));
  }

  private void append(String state, String id, String... fields) throws IOException {
    StringBuilder line = new StringBuilder(state);
    line.append('\t').append(encode(id)).append('\t').append(clock.millis());
    for (String field : fields) {
      line.append('\t').append(encode(field));
    }
    line.append('\n');
    ByteBuffer bytes = ByteBuffer.wrap(line.toString().getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
    channel.force(false);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
