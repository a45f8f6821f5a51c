// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The harness of the fuzz properties (decision 0018): runs a decoder on one input and fails unless
 * it returns or throws the decoder's typed exception, within a time limit (no hang) and an
 * allocation budget (no out-of-memory). The failure message carries the input, ready to be saved in
 * the corpus under {@code core/src/test/resources/fuzz/}.
 *
 * <p>CI runs each property with the fixed seed {@link #SEED} and the tries of {@code
 * junit-platform.properties}; a longer local run: {@code -Djqwik.tries.default=100000}.
 */
public final class Fuzz implements AutoCloseable {
  /** The seed of every fuzz property, so that a CI run is repeatable. */
  public static final String SEED = "20261204";

  /** What one decode may allocate: the wire limits allow a few MiB; an OOM needs far more. */
  public static final long MAX_ALLOCATED_BYTES = 64L * 1024 * 1024;

  private final Duration timeout;
  private final long maxAllocatedBytes;
  private ExecutorService worker = newWorker();

  /** Each decode within {@code timeout} and {@link #MAX_ALLOCATED_BYTES}. */
  public Fuzz(Duration timeout) {
    this(timeout, MAX_ALLOCATED_BYTES);
  }

  public Fuzz(Duration timeout, long maxAllocatedBytes) {
    this.timeout = timeout;
    this.maxAllocatedBytes = maxAllocatedBytes;
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(
        task -> {
          Thread thread = new Thread(task, "fuzz-decode");
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * Runs {@code decode}; returns normally when it returned or threw {@code typed}.
   *
   * @throws AssertionError on any other exception or error, a hang, or too much allocation
   */
  public void decodes(String input, Class<? extends Exception> typed, Callable<?> decode) {
    Future<Long> run =
        worker.submit(
            () -> {
              com.sun.management.ThreadMXBean threads =
                  (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
              long before = threads.getCurrentThreadAllocatedBytes();
              try {
                decode.call();
              } catch (Exception e) {
                if (!typed.isInstance(e)) {
                  throw e;
                }
              }
              return threads.getCurrentThreadAllocatedBytes() - before;
            });
    long allocated;
    try {
      allocated = run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      run.cancel(true);
      // A decoder deaf to the interrupt keeps its thread: the next input gets a fresh one.
      worker.shutdownNow();
      worker = newWorker();
      throw new AssertionError("No answer within " + timeout + " (a hang?) for " + input, e);
    } catch (ExecutionException e) {
      throw new AssertionError(
          "Threw " + e.getCause() + " instead of " + typed.getSimpleName() + " for " + input,
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    if (allocated > maxAllocatedBytes) {
      throw new AssertionError(
          "Allocated " + allocated + " bytes (limit " + maxAllocatedBytes + ") for " + input);
    }
  }

  /** {@code bytes} as hex, cut after 4 KiB, for messages. */
  public static String hex(byte[] bytes) {
    int shown = Math.min(bytes.length, 4096);
    return bytes.length
        + " bytes: "
        + HexFormat.of().formatHex(bytes, 0, shown)
        + (shown < bytes.length ? "..." : "");
  }

  /** The files of the corpus folder {@code fuzz/NAME} on the test class path, sorted. */
  public static List<Path> corpus(String name) {
    URL url = Fuzz.class.getResource("/fuzz/" + name);
    if (url == null) {
      throw new IllegalStateException("No corpus folder fuzz/" + name + " on the class path");
    }
    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
