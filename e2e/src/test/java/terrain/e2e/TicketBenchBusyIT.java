// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.dist.proc.Child;

/**
 * {@code ./terrain bench tickets --busy 1}, small, as a real process: the claims are measured
 * beside a spinning process of the bench's own, their figures are named {@code tickets.busy1.*}
 * (the goal of a busy machine, issue 14), and the spinning process is gone when the bench ends.
 */
class TicketBenchBusyIT {
  @TempDir Path dir;

  @Test
  void busy_figuresNamedApartAndTheSpinningProcessGoneAtTheEnd() throws Exception {
    Path home = dir.resolve("home");
    Files.createDirectories(home);
    int code;
    List<String> output;
    try (Child bench =
        Apps.bench(
            dir,
            Map.of("TERRAIN_HOME", home.toString()),
            "tickets",
            "--count",
            "10",
            "--clients",
            "4",
            "--warmup",
            "20",
            "--claims",
            "100",
            "--rate",
            "20",
            "--busy",
            "1",
            "--data",
            dir.resolve("data").toString())) {
      code = bench.waitFor(Duration.ofMinutes(5));
      output = bench.output();
    }
    String text = String.join("\n", output);
    assertEquals(0, code, text);
    assertTrue(text.contains("busy: 1 spinning thread of another process"), text);
    assertTrue(text.contains("-> OK"), text);
    // The warm-up (20 claims, one round) says how much of the server's time its compilers took.
    assertTrue(
        text.contains("warm-up: 20 claims in rounds of up to 10,000, from a server just started:"),
        text);
    Path busyLog = dir.resolve("data").resolve("busy.log");
    assertTrue(Files.readString(busyLog).contains("busy: 1 spinning threads"), "it ran");
    assertTrue(
        ProcessHandle.allProcesses()
            .noneMatch(
                p ->
                    p.info().commandLine().orElse("").contains("terrain.dist.bench.Busy")
                        && p.info().commandLine().orElse("").contains(dir.toString())),
        "the spinning process ended with the bench");
    List<String> figures = Apps.figureNames(home, "tickets");
    for (String figure :
        List.of(
            "tickets.busy1.claims_per_second",
            "tickets.busy1.paced_p99_ms",
            "tickets.busy1.warmup_last_round_compiler_share")) {
      assertTrue(figures.contains(figure), figure + " in " + figures);
    }
    assertTrue(figures.contains("tickets.sign_pdf_p50_ms"), "unchanged: " + figures);
    // A run this small is not the goals' run: bench report leaves it out.
    List<String> settings = Apps.runSettings(home, "tickets");
    assertTrue(
        settings.containsAll(List.of("--rate 20", "--claims 100", "--clients 4", "--warmup 20")),
        "settings: " + settings);
  }
}
