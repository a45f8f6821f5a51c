// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import terrain.dist.bench.BenchMain;

/**
 * {@code bench report} reads the JSON runs the benches write: the latest value of each figure,
 * whether it meets its goal, and its change from the run before.
 */
class BenchReportTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void latestRunAgainstGoalAndPrevious(@TempDir Path dir) throws Exception {
    write(dir.resolve("sync-20261204-100000.json"), "2026-12-04T10:00:00Z", 20.0, 4.0, 18.9);
    write(dir.resolve("sync-20261204-110000.json"), "2026-12-04T11:00:00Z", 4.0, 1.25, 18.9);
    Files.writeString(dir.resolve("notes.json"), "not a run");

    StringWriter text = new StringWriter();
    int code =
        new CommandLine(new BenchMain())
            .setOut(new PrintWriter(text))
            .execute("report", "--dir", dir.toString());

    assertEquals(0, code, text.toString());
    String report = text.toString();
    assertTrue(report.contains("skipped " + dir.resolve("notes.json")), report);
    List<String> lines = report.lines().toList();
    String drain = line(lines, "sync.drain_seconds");
    assertTrue(
        drain.matches("sync\\.drain_seconds +4 +s +<= 5 +yes +20 +-80% +2026-12-04 11:00:00Z .*"),
        drain);
    String ratio = line(lines, "sync.drain_ratio");
    assertTrue(ratio.matches("sync\\.drain_ratio +1\\.25 +x +<= 1\\.50 +yes +4 +-69% .*"), ratio);
    assertTrue(ratio.endsWith("0.65/1.00/2.00, 12%, 2 cores, abc1234"), ratio);
    String unknown = line(lines, "sync.end_to_end");
    assertTrue(
        unknown.matches("sync\\.end_to_end +18\\.90 +1/s +- +- +18\\.90 +\\+0% .*"), unknown);
  }

  @Test
  void noRunsIsAnError(@TempDir Path dir) {
    StringWriter text = new StringWriter();
    int code =
        new CommandLine(new BenchMain())
            .setOut(new PrintWriter(text))
            .execute("report", "--dir", dir.resolve("none").toString());
    assertEquals(1, code);
    assertTrue(text.toString().startsWith("No bench runs in "), text.toString());
  }

  private static String line(List<String> lines, String figure) {
    return lines.stream().filter(l -> l.startsWith(figure + " ")).findFirst().orElseThrow();
  }

  private static void write(Path file, String at, double drain, double ratio, double e2e)
      throws Exception {
    MAPPER.writeValue(
        file.toFile(),
        Map.of(
            "bench",
            "sync",
            "startedAt",
            at,
            "commit",
            "abc1234",
            "cores",
            2,
            "loadAverage",
            List.of(0.65, 1.0, 2.0),
            "cpuPressure10s",
            12.0,
            "figures",
            List.of(
                Map.of("figure", "sync.drain_seconds", "value", drain, "unit", "s"),
                Map.of("figure", "sync.drain_ratio", "value", ratio, "unit", "x"),
                Map.of("figure", "sync.end_to_end", "value", e2e, "unit", "1/s"))));
  }
}
