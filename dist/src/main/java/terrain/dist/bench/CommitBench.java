// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.event.Poll;
import terrain.core.record.ResponseBody;
import terrain.core.simulate.RandomAnswers;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.session.ParticipationSession;

/**
 * The durable commit of a participation on the kiosk (record + outbox entry, one Derby transaction,
 * log forced to disk) next to a bare write+fsync loop on the same disk.
 */
@Command(
    name = "commit",
    mixinStandardHelpOptions = true,
    description = "p50/p99 latency of a participation's durable commit vs a bare fsync loop.")
final class CommitBench implements Callable<Integer> {
  @Option(names = "--count", description = "Participations measured (default: ${DEFAULT-VALUE}).")
  int count = 2000;

  @Option(
      names = "--data",
      description =
          "Scratch folder on the disk to measure, emptied first (default: ${DEFAULT-VALUE}).")
  Path data = Path.of(".terrain", "bench-commit");

  @Override
  public Integer call() throws Exception {
    Path root = Path.of(System.getenv().getOrDefault("TERRAIN_HOME", "."));
    EventDefinition event = EventLoader.load(root.resolve("examples/events/market-day.yaml"));
    Poll poll = event.defaultPoll();
    terrain.dist.proc.Folders.emptyForThisRun(data);
    Files.createDirectories(data);
    SplittableRandom random = new SplittableRandom(1);

    long[] commit = new long[count];
    try (KioskEngine engine =
        KioskEngine.open(data.resolve("kiosk"), Optional.empty(), Clock.systemUTC(), random)) {
      for (int i = -200; i < count; i++) { // 200 warm-up participations
        ParticipationSession session = engine.start(event, poll);
        for (ResponseBody.Answer answer : RandomAnswers.answers(poll, random)) {
          session.answer(answer);
        }
        long start = System.nanoTime();
        session.complete();
        long elapsed = System.nanoTime() - start;
        if (i >= 0) {
          commit[i] = elapsed;
        }
      }
    }

    long[] fsync = new long[count];
    Path file = data.resolve("fsync.bin");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
        FileChannel channel = raf.getChannel()) {
      ByteBuffer block = ByteBuffer.allocate(256);
      for (int i = -200; i < count; i++) {
        block.clear();
        long start = System.nanoTime();
        channel.write(block);
        channel.force(false);
        long elapsed = System.nanoTime() - start;
        if (i >= 0) {
          fsync[i] = elapsed;
        }
      }
    }
    Arrays.sort(commit);
    Arrays.sort(fsync);
    System.out.printf("bench commit: %d participations on %s%n", count, data.toAbsolutePath());
    print("participation commit (record + outbox, Derby)", commit);
    print("bare write 256 B + fdatasync", fsync);
    System.out.printf(
        "ratio p50: %.2fx the bare fsync%n",
        BenchMain.percentile(commit, 50) / BenchMain.percentile(fsync, 50));
    new Figures("commit", java.time.Clock.systemUTC())
        .add("commit.p50_ms", BenchMain.percentile(commit, 50), "ms")
        .add("commit.fsync_p50_ms", BenchMain.percentile(fsync, 50), "ms")
        .add(
            "commit.ratio_to_fsync",
            BenchMain.percentile(commit, 50) / BenchMain.percentile(fsync, 50),
            "x")
        .write(Path.of(System.getenv().getOrDefault("TERRAIN_HOME", ".")));
    return 0;
  }

  private static void print(String what, long[] sorted) {
    double mean = Arrays.stream(sorted).average().orElse(0) / 1e6;
    System.out.printf(
        "%-48s p50 %6.3f ms  p99 %6.3f ms  max %7.3f ms  mean %6.3f ms%n",
        what,
        BenchMain.percentile(sorted, 50),
        BenchMain.percentile(sorted, 99),
        sorted[sorted.length - 1] / 1e6,
        mean);
  }
}
