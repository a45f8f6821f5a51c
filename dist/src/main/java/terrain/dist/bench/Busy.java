// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import terrain.dist.proc.Child;

/**
 * Other work beside a bench, the same from run to run: {@code N} threads of a process of their own
 * spinning at the default priority, each wanting a whole core. One is half of a 2-core machine. The
 * process ends when its standard input closes, so it never outlives the bench that started it.
 */
final class Busy {
  private static volatile long sink;

  private Busy() {}

  /** Starts {@code threads} spinning threads in a new process; close the child to stop them. */
  static Child start(int threads, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx32m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Busy.class.getName());
    command.add(String.valueOf(threads));
    // Its log's path on its command line: which bench it belongs to, for ps and for tests.
    command.add(log.toAbsolutePath().toString());
    return Child.startProgram("busy", command, log, null, java.util.Map.of());
  }

  /** {@code THREADS [LOG]}: the log's path only names the bench it belongs to. */
  public static void main(String[] args) throws IOException {
    int threads = Integer.parseInt(args[0]);
    for (int i = 0; i < threads; i++) {
      Thread spin =
          new Thread(
              () -> {
                long x = 1;
                while (true) {
                  for (int j = 0; j < 1_000_000; j++) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                  }
                  sink = x;
                }
              },
              "busy-" + i);
      spin.setDaemon(true);
      spin.start();
    }
    System.out.println("busy: " + threads + " spinning threads");
    InputStream in = System.in;
    while (in.read() >= 0) {
      // Nothing is sent: the bench's end closes the pipe.
    }
    System.exit(0);
  }
}
