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
 * and nanoseconds runnable but waiting for a core. On Linux both come from the scheduler's own
 * count ({@code /proc/thread-self/schedstat}: time on the CPU, time waiting on a run queue); the
 * rest of the wall time the thread was blocked (the disk, a lock). Elsewhere the CPU time comes
 * from the JVM and the wait for a core is unknown (-1). Decision 0057.
 */
public record ThreadTimes(long cpuNanos, long runQueueNanos) {
  private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");
  private static final boolean SCHEDULER = Files.isReadable(SCHEDSTAT) && read(SCHEDSTAT) != null;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** The calling thread's times so far. */
  public static ThreadTimes now() {
    if (SCHEDULER) {
      ThreadTimes times = read(SCHEDSTAT);
      if (times != null) {
        return times;
      }
    }
    long cpu = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
    return new ThreadTimes(cpu, -1);
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
        String name;
        try {
          name = Files.readString(thread.resolve("comm"), StandardCharsets.US_ASCII).strip();
        } catch (IOException | RuntimeException e) {
          continue;
        }
        if (times != null) {
          out.add(new Named(name, times));
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
