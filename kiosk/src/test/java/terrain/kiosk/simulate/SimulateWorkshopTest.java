// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;
import terrain.core.workshop.WorkshopState;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.testing.TestHub;

/**
 * {@code simulate --workshop} against a broker that acks like a hub: every tablet's WORKSHOP
 * records reach it, and the last line's figures are those of the fold of what the hub received.
 */
class SimulateWorkshopTest {
  private static final Path ATELIER = Path.of("../examples/events/atelier-parc.yaml");

  @Test
  void run_sendsTheWholeWorkshop_andItsFiguresAreTheHubsFold(@TempDir Path dir) throws Exception {
    EventDefinition event = EventLoader.load(ATELIER);
    try (TestHub hub = TestHub.start(dir.resolve("broker"), 0, true)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Path data = dir.resolve("tablets");
      int code =
          SimulateMain.run(
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              Map.of(),
              "--workshop",
              "--dev",
              "--hub",
              hub.uri(),
              "--event",
              ATELIER.toString(),
              "--data",
              data.toString(),
              "--tablets",
              "3",
              "--participants",
              "12",
              "--ideas",
              "10",
              "--dots",
              "3",
              "--seed",
              "4");
      assertEquals(0, code, err.toString(StandardCharsets.UTF_8));

      List<WorkshopState.Entry> received = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        DeviceId tablet = KioskEngine.storedDeviceId(data.resolve("tablet-" + i)).orElseThrow();
        for (Record record : hub.records(tablet, RecordKind.WORKSHOP)) {
          received.add(
              new WorkshopState.Entry(
                  new ItemRef(record.device(), record.seq()),
                  record.deviceTime(),
                  WorkshopAction.decode(record.body())));
        }
      }
      WorkshopState state = WorkshopState.fold(event.workshop().orElseThrow(), received);
      assertEquals(10, state.ideas().size());
      assertEquals(36, state.totalDots("vote"), "12 participants x 3 dots");
      assertEquals(12, state.attendance().total());
      assertEquals(0, state.ignored());
      List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
      assertEquals(
          "workshop: 10 ideas, "
              + state.groups().size()
              + " groups, 36 votes, acked "
              + received.size()
              + " of "
              + received.size(),
          lines.get(lines.size() - 1));
      assertTrue(state.groups().size() >= 2, "ideas grouped: " + state.groups());
    }
  }
}
