// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.testing.TestEnrolment;
import terrain.kiosk.testing.TestEvents;
import terrain.testkit.TestEnrolServer;

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
  void run_whenPrinterUriWrong_exits2WithTheForms() throws Exception {
    int code = runWithEvent("--printer", "escpos:tcp:printer:ninety");

    assertEquals(2, code);
    assertTrue(
        errText()
            .contains(
                "--printer: printer [escpos:tcp:printer:ninety] is not understood: port [ninety]"
                    + " is not a number. Write pdf:DIR, escpos:usb:/dev/usb/lp0,"),
        errText());
  }

  @Test
  void run_whenPrinterAndTickets_exits2SayingKeepOne() throws Exception {
    int code =
        run(
            "--dev",
            "--event",
            eventFile().toString(),
            "--data",
            dir.resolve("d").toString(),
            "--tickets",
            dir.resolve("t").toString(),
            "--printer",
            "escpos:usb:/dev/usb/lp0");

    assertEquals(2, code);
    assertTrue(errText().contains("--printer and --tickets both say where tickets go"), errText());
  }

  @Test
  void run_whenKeepDaysNegative_exits2NamingTheRule() throws Exception {
    int code = runWithEvent("--keep-days", "-1");

    assertEquals(2, code);
    assertTrue(errText().contains("--keep-days -1 is out of range"), errText());
    assertTrue(errText().contains("0 to never prune"), errText());
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

  @Test
  void run_whenNeitherEnrolledNorDev_refusesSayingHowToEnrol() throws Exception {
    Path data = dir.resolve("d");

    int code = run("--event", eventFile().toString(), "--data", data.toString());

    assertEquals(2, code);
    assertTrue(errText().contains(KioskMain.NOT_ENROLLED), errText());
    assertTrue(Files.notExists(data), "nothing created");
  }

  @Test
  void run_whenEnrolmentAlreadyUsed_exits2WithTheServersWordsAndWritesNothing() throws Exception {
    try (TestEnrolServer server = TestEvents.enrolServer()) {
      EnrolmentText text = server.device("kiosk-777777", DeviceKind.KIOSK);
      Path kit = dir.resolve("kit.txt");
      Files.writeString(kit, text.text());
      TestEnrolment.kiosk(text, dir.resolve("first"));
      Path data = dir.resolve("d");

      int code = run("--enrol", kit.toString(), "--data", data.toString());

      assertEquals(2, code);
      assertTrue(errText().contains("already used"), errText());
      assertTrue(errText().contains("terrain provision device roll kiosk-777777"), errText());
      assertTrue(Files.notExists(data), "nothing written");
    }
  }

  @Test
  void run_whenServerUnreachable_exits2SayingCheckTheNetwork() throws Exception {
    EnrolmentText text;
    try (TestEnrolServer server = TestEvents.enrolServer()) {
      text = server.device("kiosk-888888", DeviceKind.KIOSK);
    }
    Path data = dir.resolve("d");

    int code = run("--enrol", text.text(), "--data", data.toString());

    assertEquals(2, code);
    assertTrue(errText().contains("Cannot reach the server"), errText());
    assertTrue(Files.notExists(data));
  }

  @Test
  void run_whenDataFolderBelongsToAnotherDevice_namesItAndTheWayOut() throws Exception {
    Path data = dir.resolve("d");
    String other;
    try (KioskEngine engine =
        KioskEngine.open(data, Optional.empty(), Clock.systemUTC(), new SecureRandom())) {
      other = engine.deviceId().value();
    }
    try (TestEnrolServer server = TestEvents.enrolServer()) {
      EnrolmentText text = server.device("kiosk-999999", DeviceKind.KIOSK);

      int code = run("--enrol", text.text(), "--data", data.toString(), "--mode", "tablet");

      assertEquals(2, code);
      assertTrue(errText().contains("belongs to device " + other), errText());
      assertTrue(errText().contains("use another --data"), errText());
      assertTrue(server.requests().isEmpty());
    }
  }
}
