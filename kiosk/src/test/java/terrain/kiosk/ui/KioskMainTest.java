// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.kiosk.testing.TestEvents;

/** The command line up to the window: what it refuses, and how it says so. */
class KioskMainTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return KioskMain.run(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of(),
        args);
  }

  private String errText() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Runs with a valid event file and a data folder, and one more option. */
  private int runWithEvent(String option, String value) throws Exception {
    return run(
        "--dev",
        "--event",
        eventFile().toString(),
        "--data",
        dir.resolve("d").toString(),
        option,
        value);
  }

  private Path eventFile() throws Exception {
    Path file = dir.resolve("event.yaml");
    Files.writeString(file, TestEvents.marketYaml());
    return file;
  }

  @Test
  void run_whenNoArguments_printsUsageAndExits2() {
    assertEquals(2, run());
    assertTrue(errText().contains("--event"), errText());
  }

  @Test
  void run_whenPinNotDigits_exits2NamingTheRule() throws Exception {
    int code = runWithEvent("--pin", "12");

    assertEquals(2, code);
    assertTrue(errText().contains("--pin: Staff PIN must be 4 to 8 digits"), errText());
  }

  @Test
  void run_whenHubAddressWrong_exits2WithAnExample() throws Exception {
    int code = runWithEvent("--hub", "192.168.4.1");

    assertEquals(2, code);
    assertTrue(errText().contains("tcp://192.168.4.1:1883"), errText());
  }

  @Test
  void run_whenEventFileHasMistakes_exits2ListingThem() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "id: Marché\n");

    int code = run("--dev", "--event", bad.toString(), "--data", dir.resolve("d").toString());

    assertEquals(2, code);
    assertTrue(errText().contains("bad.yaml:"), errText());
  }

  @Test
  void run_whenModeUnknown_exits2() throws Exception {
    int code = runWithEvent("--mode", "wall");

    assertEquals(2, code);
    assertTrue(errText().contains("--mode"), errText());
  }
}
