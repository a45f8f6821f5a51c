// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

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
                new Figures.Figure("sync.drain_commit_waiting_for_core_seconds", 0.78, "s")));
    List<String> lines = Report.table(List.of(run)).lines().toList();
    assertEquals(3, lines.size());
    int unit = lines.get(0).indexOf(" unit ");
    for (String line : lines.subList(1, 3)) {
      assertEquals(" s    ", line.substring(unit, unit + 6), line);
    }
  }
}
