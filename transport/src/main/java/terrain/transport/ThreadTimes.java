// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.transport;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the calling thread's time went, read twice around a piece of work: nanoseconds on a core,
 * and nanoseconds runnable but waiting for a core; the rest of the wall time the thread was blocked
 * (the disk, a lock). Decision 0057.
 *
 * <p>The time on a core is the JVM's count for the thread (the thread's CPU clock). The wait for a
 * core comes from the scheduler's own count on Linux ({@code /proc/thread-self/schedstat}, its
 * second number); elsewhere it is unknown (-1). The scheduler's first number, its time on the CPU,
 * is brought up to date only when the thread is switched out or a timer tick finds it running: a
 * commit of a millisecond or two that neither blocked nor met a tick read 0 there (seen once the
 * ingest's statements were compiled at start, decision 0062). The CPU clock is exact.
 */
public record ThreadTimes(long cpuNanos, long runQueueNanos) {
  private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");
  private static final boolean SCHEDULER = Files.isReadable(SCHEDSTAT) && read(SCHEDSTAT) != null;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean CPU_CLOCK = THREADS.isCurrentThreadCpuTimeSupported();

  /** The calling thread's times so far. */
  public static ThreadTimes now() {
    ThreadTimes scheduler = SCHEDULER ? read(SCHEDSTAT) : null;
    long cpu =
        CPU_CLOCK
            ? THREADS.getCurrentThreadCpuTime()
            : scheduler != null ? scheduler.cpuNanos() : 0;
    return new ThreadTimes(cpu, scheduler != null ? scheduler.runQueueNanos() : -1);
  }

  /** Whether {@link #runQueueNanos} is measured here (Linux with scheduler statistics). */
  public static boolean waitsMeasured() {
    return SCHEDULER;
  }

  /** A thread of another process: the name the kernel knows it by (15 characters at most). */
  public record Named(String name, ThreadTimes times) {}

  /**
   * Every thread of process {@code pid} with its times so far, from {@code /proc/PID/task/TID/comm}
   * and {@code schedstat}; empty where those files are not (not Linux, the process gone). A thread
   * that ends while they are read is left out. For the benches, which say which threads of the
   * server and the hub took the cores (decision 0061).
   */
  public static List<Named> ofProcess(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    List<Named> out = new ArrayList<>();
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        ThreadTimes times = read(thread.resolve("schedstat"));
        if (times == null) {
          continue;
        }
        try {
          String name = Files.readString(thread.resolve("comm"), StandardCharsets.US_ASCII).strip();
          out.add(new Named(name, times));
        } catch (IOException | RuntimeException e) {
          // The thread ended between the two reads.
        }
      }
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return out;
  }

  /** The times from {@code earlier} to these; a wait for a core is -1 when either is unknown. */
  public ThreadTimes since(ThreadTimes earlier) {
    long cpu = Math.max(0, cpuNanos - earlier.cpuNanos);
    long queued =
        runQueueNanos < 0 || earlier.runQueueNanos < 0
            ? -1
            : Math.max(0, runQueueNanos - earlier.runQueueNanos);
    return new ThreadTimes(cpu, queued);
  }

  /** {@code schedstat}'s first two numbers; null when the file is missing or not as expected. */
  static ThreadTimes parse(String schedstat) {
    String[] fields = schedstat.trim().split("\\s+");
    if (fields.length < 2) {
      return null;
    }
    try {
      return new ThreadTimes(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static ThreadTimes read(Path file) {
    try {
      return parse(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
