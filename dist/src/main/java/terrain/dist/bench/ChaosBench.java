// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import terrain.dist.proc.Folders;

/**
 * {@code ./terrain bench chaos}: a long market day while the server, the hub and the kiosks are
 * killed with SIGKILL at seeded random moments and the uplink is cut; then lost and doubled records
 * are counted (see {@link Chaos}).
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "A market day (a server, a hub, simulated kiosks as separate processes) while they are",
      "killed with SIGKILL at seeded random moments and started again on their data folders,",
      "and the hub's uplink is cut and restored. Then every record the kiosks committed must be",
      "on the server, counted once. Last line: 'chaos: K kills, lost L, doubled D, converged",
      "in T s' (T: from the end of the faults until the server held everything).",
      "Exit 0 when nothing was lost or doubled, 1 otherwise, 2 when the day could not run."
    })
final class ChaosBench implements Callable<Integer> {
  @Option(names = "--kills", description = "SIGKILLs to deal (default: ${DEFAULT-VALUE}).")
  int kills = 100;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed of the moments and victims (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--kiosks", description = "Simulated kiosks (default: ${DEFAULT-VALUE}).")
  int kiosks = 3;

  @Option(
      names = "--rate",
      paramLabel = "PER_SECOND",
      description = "Responses per second of each kiosk (default: ${DEFAULT-VALUE}).")
  double rate = 10;

  @Option(
      names = "--data",
      description = "Scratch folder, emptied first (default: ${DEFAULT-VALUE}).")
  Path data = Path.of(".terrain", "bench-chaos");

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (kills < 1) {
      throw new ParameterException(spec.commandLine(), "--kills [" + kills + "] must be 1 or more");
    }
    if (kiosks < 1 || kiosks > 16) {
      throw new ParameterException(
          spec.commandLine(), "--kiosks [" + kiosks + "] must be from 1 to 16");
    }
    if (!(rate > 0) || rate > 1000) {
      throw new ParameterException(
          spec.commandLine(), "--rate [" + rate + "] must be more than 0 and at most 1000");
    }
    Path root = Path.of(System.getenv().getOrDefault("TERRAIN_HOME", "."));
    Folders.emptyForThisRun(data);
    Files.createDirectories(data);
    System.out.printf(
        "bench chaos: %d kills, seed %d, %d kiosks at %.0f responses/s each; %s%n",
        kills, seed, kiosks, rate, BenchMain.machineLoad());
    long start = System.nanoTime();
    Chaos.Settings settings =
        new Chaos.Settings(
            root.resolve("examples/events/market-day.yaml"),
            data,
            System.getProperty("java.class.path"),
            kills,
            kiosks,
            (int) Math.max(1, Math.round(rate * 10)),
            rate,
            Duration.ofMillis(300),
            Duration.ofMillis(2_500),
            List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
            null);
    Chaos.Result result;
    try {
      result = new Chaos(settings, new SplittableRandom(seed), System.out).run();
    } catch (Chaos.ChaosException e) {
      System.err.println("bench chaos could not run the day: " + e.getMessage());
      return 2;
    }
    System.out.printf(
        "bench chaos: %d records committed (%d responses), %d uplink cuts, %.0f s in all%n",
        result.committed(), result.responses(), result.cuts(), (System.nanoTime() - start) / 1e9);
    System.out.println(result.lastLine());
    return result.ok() ? 0 : 1;
  }
}
