// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./terrain bench ...}: benchmarks that print figures (never pass/fail timings in tests).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      SyncBench.class,
      CommitBench.class,
      TicketBench.class,
      KioskBench.class,
      KioskDriver.class
    },
    description = "Benchmarks. Each prints its figures and where the time goes.")
public final class BenchMain implements Runnable {
  public static int run(String... args) {
    return new CommandLine(new BenchMain()).execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  static double percentile(long[] sortedNanos, double p) {
    int index = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
    return sortedNanos[Math.max(0, Math.min(index, sortedNanos.length - 1))] / 1e6;
  }
}
