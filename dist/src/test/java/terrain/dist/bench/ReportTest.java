// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @Test
  void table_keepsTheColumnsAlignedUnderALongFigureName() {
    Figures.Run run =
        new Figures.Run(
            "sync",
            "2026-12-06T07:45:42.123Z",
            "abc1234",
            2,
            new double[] {1.0, 2.0, 3.0},
            12.0,
            List.of(
                new Figures.Figure("sync.drain_seconds", 4.95, "s"),
                new Figures.Figure("sync.drain_commit_waiting_for_core_seconds", 0.78, "s")),
            null);
    List<String> lines = Report.table(List.of(run)).lines().toList();
    assertEquals(3, lines.size());
    int unit = lines.get(0).indexOf(" unit ");
    for (String line : lines.subList(1, 3)) {
      assertEquals(" s    ", line.substring(unit, unit + 6), line);
    }
  }

  @Test
  void note_tellsTheSameUncommittedCodeFromChangesThatMayDiffer() {
    assertEquals("abc1234", Report.note("abc1234"));
    assertEquals(
        "abc1234-dirty-0f3a9b2c (uncommitted code, the same in these runs)",
        Report.note("abc1234-dirty-0f3a9b2c"));
    assertEquals("abc1234-dirty (changes may differ between runs)", Report.note("abc1234-dirty"));
  }

  private static Figures.Run sync(String at, String commit, double ratio, List<String> settings) {
    return new Figures.Run(
        "sync",
        at,
        commit,
        2,
        new double[] {1.0, 2.0, 3.0},
        12.0,
        List.of(
            new Figures.Figure("sync.drain_ratio", ratio, "x"),
            new Figures.Figure("sync.drain_commit_seconds", 4.0, "s"),
            new Figures.Figure("sync.reference_insert_seconds", 2 * ratio, "s")),
        settings);
  }

  @Test
  void goalsOverRuns_summarisesEachGoalOverItsLatestCommitsRunsAsShipped() {
    List<Figures.Run> runs =
        List.of(
            // An older commit: left out whatever its figures.
            sync("2026-12-06T07:00:00Z", "old1234", 3.0, List.of()),
            sync("2026-12-06T08:00:00Z", "abc1234", 1.30, List.of()),
            sync("2026-12-06T08:05:00Z", "abc1234", 1.52, List.of()),
            // A flight recording slows the server: not the run the goal speaks of.
            sync("2026-12-06T08:10:00Z", "abc1234", 1.90, List.of("--jfr")),
            sync("2026-12-06T08:15:00Z", "abc1234", 1.20, null),
            sync("2026-12-06T08:20:00Z", "abc1234", 1.40, List.of()),
            // A later commit that measured another bench only: the sync lines stay abc1234's.
            new Figures.Run(
                "kiosk",
                "2026-12-06T09:00:00Z",
                "def5678",
                2,
                new double[] {1.0, 1.0, 1.0},
                null,
                List.of(
                    new Figures.Figure("kiosk.resident_mb", 246, "MB"),
                    new Figures.Figure("kiosk.reference_window_ms", 700, "ms"),
                    new Figures.Figure("kiosk.cold_start_to_reference_window", 1.3, "x"),
                    new Figures.Figure("kiosk.reference_window_cpu_ms", 900, "ms")),
                List.of()));
    List<String> lines = Report.goalsOverRuns(runs).lines().toList();
    assertEquals(
        "Each goal over the runs of the latest commit that measured it, as shipped (1 of 7 runs"
            + " left out: they ran with other settings)",
        lines.get(0));
    assertEquals(7, lines.size(), String.join("\n", lines));
    // The kiosk's reference (a bare window's start) and its start's ratio to it, without goals.
    assertEquals(
        List.of(
            "kiosk.cold_start_to_reference_window",
            "-",
            "1",
            "-",
            "1.30",
            "1.30",
            "-",
            "1.30",
            "def5678"),
        List.of(lines.get(2).trim().split("\\s+")));
    assertEquals(
        List.of("kiosk.reference_window_ms", "-", "1", "-", "700", "700", "-", "700", "def5678"),
        List.of(lines.get(3).trim().split("\\s+")));
    assertEquals(
        List.of("kiosk.resident_mb", "<=", "250", "1", "1/1", "246", "246", "-", "246", "def5678"),
        List.of(lines.get(4).trim().split("\\s+")));
    // Four runs, three under 1.5; the median of 1.20, 1.30, 1.40, 1.52 is 1.35.
    assertEquals(
        List.of(
            "sync.drain_ratio", "<=", "1.50", "4", "3/4", "1.35", "1.20", "-", "1.52", "abc1234"),
        List.of(lines.get(5).trim().split("\\s+")));
    // The machine's own speed in the same runs, without a goal.
    assertEquals(
        List.of(
            "sync.reference_insert_seconds", "-", "4", "-", "2.70", "2.40", "-", "3.04", "abc1234"),
        List.of(lines.get(6).trim().split("\\s+")));
    // A figure without a goal is in the table above, not here.
    assertFalse(Report.goalsOverRuns(runs).contains("drain_commit_seconds"));
    assertFalse(Report.goalsOverRuns(runs).contains("reference_window_cpu_ms"));
  }

  @Test
  void machineSpeed_namesEachBenchsReferenceAndTheRatiosToIt() {
    for (String figure :
        List.of(
            "sync.reference_insert_seconds",
            "sync_servers2.reference_insert_seconds",
            "kiosk.reference_window_ms",
            "kiosk.cold_start_to_reference_window")) {
      assertTrue(Report.machineSpeed(figure), figure);
    }
    for (String figure :
        List.of("sync.reference_fsyncs", "kiosk.reference_window_cpu_ms", "tickets.paced_p99_ms")) {
      assertFalse(Report.machineSpeed(figure), figure);
    }
  }

  @Test
  void figures_recordTheSettingsARunChangedAndReadBackOldFilesAsShipped(@TempDir Path root)
      throws Exception {
    assertEquals(
        List.of("TERRAIN_BENCH_JVM_SERVER=-XX:+UseParallelGC", "TERRAIN_JAVA_OPTS=-Xmx1g"),
        Figures.environmentSettings(
            Map.of(
                "TERRAIN_JAVA_OPTS", " -Xmx1g ",
                "TERRAIN_BENCH_JVM_SERVER", "-XX:+UseParallelGC",
                "TERRAIN_BENCH_JVM_HUB", " ",
                "HOME", "/root")));
    Path file =
        new Figures("sync", java.time.Clock.systemUTC())
            .setting("--jfr")
            .add("sync.drain_ratio", 1.2, "x")
            .write(root);
    Figures.Run written = Figures.MAPPER.readValue(file.toFile(), Figures.Run.class);
    assertTrue(written.settings().contains("--jfr"), written.settings().toString());
    assertFalse(written.asShipped());
    // A file written before runs kept their settings.
    Path old = root.resolve("old.json");
    Files.writeString(
        old,
        "{\"bench\":\"sync\",\"startedAt\":\"2026-12-05T10:00:00Z\",\"commit\":\"abc\","
            + "\"cores\":2,\"loadAverage\":[1,1,1],\"cpuPressure10s\":null,\"figures\":[]}");
    assertTrue(Figures.MAPPER.readValue(old.toFile(), Figures.Run.class).asShipped());
  }
}
