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

  private static final Path ATELIER = Path.of("../examples/events/atelier-parc.yaml");

  @Test
  void printSheet_byAnEnrolledTablet_issuesSignedAttendanceTicketsWithOutboxAndA4Pages()
      throws Exception {
    Path data = dir.resolve("tablet");
    terrain.kiosk.trust.DeviceTrust trust;
    try (TestEnrolServer server = TestEvents.enrolServer()) {
      trust = TestEnrolment.tablet(server.device("tablet-424242", DeviceKind.TABLET), data);
    }
    Path pdf = dir.resolve("door.pdf");

    int code =
        run(
            "--data",
            data.toString(),
            "--event",
            ATELIER.toString(),
            "--print-sheet",
            "6",
            "--out",
            pdf.toString(),
            "--send-wait",
            "0");

    assertEquals(0, code, errText());
    String said = out.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("Issued 6 attendance tickets of 3 briqs"), said);
    assertTrue(said.contains("2 A4 pages"), said);
    try (org.apache.pdfbox.pdmodel.PDDocument document =
        org.apache.pdfbox.Loader.loadPDF(pdf.toFile())) {
      assertEquals(2, document.getNumberOfPages());
      assertEquals(
          org.apache.pdfbox.pdmodel.common.PDRectangle.A4.getWidth(),
          document.getPage(0).getMediaBox().getWidth(),
          0.5);
    }
    try (KioskEngine engine = KioskEngine.openEnrolled(data, trust, Clock.systemUTC())) {
      java.util.List<terrain.core.record.Record> tickets =
          engine.store().records("atelier-parc-2026-12-12", terrain.core.record.RecordKind.TICKET);
      assertEquals(6, tickets.size());
      assertEquals(6, engine.pendingCount(), "each ticket waits in the outbox for the hub");
      java.util.Set<Long> serials = new java.util.HashSet<>();
      for (terrain.core.record.Record record : tickets) {
        terrain.core.ticket.SignedTicket ticket =
            terrain.core.ticket.TicketCodec.parse(
                terrain.core.ticket.TicketRecord.decode(record.body()).code());
        assertTrue(terrain.core.ticket.TicketCodec.verify(ticket, trust.keys().publicKey()));
        assertEquals("tablet-424242", ticket.ticket().device().value());
        assertEquals("attendance", ticket.ticket().action());
        assertEquals(3, ticket.ticket().briqs());
        assertEquals(record.seq(), ticket.ticket().serial(), "serial is the record's seq");
        serials.add(ticket.ticket().serial());
      }
      assertEquals(6, serials.size());
    }
  }

  @Test
  void printSheet_whenTheEventGivesNoAttendanceBriq_refusesAndIssuesNothing() throws Exception {
    Path pdf = dir.resolve("door.pdf");

    int code =
        run(
            "--dev",
            "--event",
            eventFile().toString(),
            "--data",
            dir.resolve("d").toString(),
            "--print-sheet",
            "4",
            "--out",
            pdf.toString());

    assertEquals(2, code);
    assertTrue(errText().contains("gives no briq for attendance"), errText());
    assertTrue(errText().contains("rewards: attendance: N"), errText());
    assertTrue(Files.notExists(pdf));
    assertTrue(Files.notExists(dir.resolve("d")), "no database, no ticket");
  }

  @Test
  void printSheet_whenCountOutOfRange_refusesNamingTheRange() throws Exception {
    for (String count : new String[] {"0", "401", "-3"}) {
      err.reset();
      int code =
          run(
              "--dev",
              "--event",
              ATELIER.toString(),
              "--data",
              dir.resolve("d").toString(),
              "--print-sheet",
              count,
              "--out",
              dir.resolve("door.pdf").toString());

      assertEquals(2, code, count);
      assertTrue(errText().contains("give 1 to 400"), errText());
    }
    assertTrue(Files.notExists(dir.resolve("d")));
  }

  @Test
  void printSheet_whenNotEnrolled_refusesSayingHowToEnrol() throws Exception {
    int code =
        run(
            "--event",
            ATELIER.toString(),
            "--data",
            dir.resolve("d").toString(),
            "--print-sheet",
            "4",
            "--out",
            dir.resolve("door.pdf").toString());

    assertEquals(2, code);
    assertTrue(errText().contains(KioskMain.NOT_ENROLLED), errText());
    assertTrue(Files.notExists(dir.resolve("door.pdf")));
  }

  @Test
  void printSheet_whenPastTheDeviceCap_refusesAllOfThemSayingHowManyAreLeft() throws Exception {
    Path event = dir.resolve("capped.yaml");
    Files.writeString(
        event, Files.readString(ATELIER) + "\ntickets:\n  expiry: 30d\n  perDeviceCap: 5\n");
    Path data = dir.resolve("d");
    Path pdf = dir.resolve("door.pdf");
    String[] args = {
      "--dev", "--event", event.toString(), "--data", data.toString(), "--out", pdf.toString()
    };

    assertEquals(0, run(concat(args, "--print-sheet", "3")), errText());
    Files.delete(pdf);
    int code = run(concat(args, "--print-sheet", "3"));

    assertEquals(2, code);
    assertTrue(errText().contains("No ticket issued"), errText());
    assertTrue(errText().contains("2 more at most"), errText());
    assertTrue(Files.notExists(pdf));
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
