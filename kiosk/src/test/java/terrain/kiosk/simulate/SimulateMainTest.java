// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventDefinition;
import terrain.core.event.Poll;
import terrain.core.id.QuestionId;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.rules.AnswerRules;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.testing.TestEvents;
import terrain.kiosk.testing.TestHub;
import terrain.testkit.TestEnrolServer;
import terrain.transport.Logins;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulateMainTest {
  private TestHub hub;
  private Path eventFile;

  /** What one run printed and returned. */
  private record Run(int code, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }

    String lastLine() {
      List<String> lines = lines();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
  }

  @BeforeAll
  void startHub(@TempDir Path shared) throws Exception {
    hub = TestHub.start(shared.resolve("broker"), 0, true);
    eventFile = shared.resolve("market.yaml");
    Files.writeString(eventFile, TestEvents.marketYaml());
  }

  @AfterAll
  void stopHub() {
    hub.close();
  }

  private static Run simulate(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SimulateMain.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of(),
            args);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private String[] args(Path data, int kiosks, int responses, String... more) {
    List<String> all =
        new java.util.ArrayList<>(
            List.of(
                "--dev",
                "--hub",
                hub.uri(),
                "--event",
                eventFile.toString(),
                "--kiosks",
                "" + kiosks,
                "--responses",
                "" + responses,
                "--data",
                data.toString()));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void run_whenHubAcks_recordsTheSharesAndEndsWithAckedNofN(@TempDir Path data) throws Exception {
    Run run = simulate(args(data, 3, 32, "--seed", "5"));

    assertEquals(0, run.code(), run.err());
    assertEquals("acked 32 of 32", run.lastLine());
    List<Record> kiosk1 = records(data.resolve("kiosk-1"));
    assertEquals(11, kiosk1.size());
    assertEquals(11, records(data.resolve("kiosk-2")).size());
    assertEquals(10, records(data.resolve("kiosk-3")).size());
    EventDefinition event = TestEvents.market();
    for (int i = 0; i < kiosk1.size(); i++) {
      assertEquals(i + 2, kiosk1.get(i).seq(), "seq 1 is the kiosk's key record");
      ResponseBody body = ResponseBody.decode(kiosk1.get(i).body());
      Poll poll = event.poll(body.pollId()).orElseThrow();
      assertEquals(poll.questions().size(), body.answers().size());
      for (ResponseBody.Answer answer : body.answers()) {
        AnswerRules.check(poll, QuestionId.of(answer.questionId()), answer.optionIds());
      }
    }
    assertEquals(kiosk1, hub.records(kiosk1.get(0).device()));
  }

  @Test
  void run_whenRunAgainWithSameN_recordsNothingNewAndKeepsTheIds(@TempDir Path data)
      throws Exception {
    Run first = simulate(args(data, 2, 9, "--rate", "200"));
    assertEquals(0, first.code(), first.err());
    List<Record> before = records(data.resolve("kiosk-2"));

    Run second = simulate(args(data, 2, 9));

    assertEquals(0, second.code(), second.err());
    assertEquals("acked 9 of 9", second.lastLine());
    assertEquals(before, records(data.resolve("kiosk-2")));
  }

  @Test
  void run_whenNGrows_recordsOnlyTheMissingWithTheSameIdsAndNextSeq(@TempDir Path data)
      throws Exception {
    assertEquals(0, simulate(args(data, 1, 4)).code());
    List<Record> before = records(data.resolve("kiosk-1"));

    Run run = simulate(args(data, 1, 7));

    assertEquals(0, run.code(), run.err());
    assertEquals("acked 7 of 7", run.lastLine());
    List<Record> after = records(data.resolve("kiosk-1"));
    assertEquals(7, after.size());
    assertEquals(before, after.subList(0, 4));
    assertEquals(before.get(0).device(), after.get(6).device());
    assertEquals(8, after.get(6).seq(), "after the key record at seq 1");
  }

  @Test
  void run_whenSameSeed_recordsTheSameAnswers(@TempDir Path a, @TempDir Path b) throws Exception {
    assertEquals(0, simulate(args(a, 2, 10, "--seed", "42")).code());
    assertEquals(0, simulate(args(b, 2, 10, "--seed", "42")).code());

    for (String kiosk : List.of("kiosk-1", "kiosk-2")) {
      List<Record> left = records(a.resolve(kiosk));
      List<Record> right = records(b.resolve(kiosk));
      assertEquals(left.size(), right.size());
      for (int i = 0; i < left.size(); i++) {
        assertEquals(
            ResponseBody.decode(left.get(i).body()), ResponseBody.decode(right.get(i).body()));
      }
    }
  }

  @Test
  void run_whenEventFileHasMistakes_printsThemAndExits2(@TempDir Path data) throws Exception {
    Path bad = data.resolve("bad.yaml");
    Files.writeString(bad, TestEvents.marketYaml().replace("kind: single", "kind: singel"));

    Run run =
        simulate(
            "--dev",
            "--hub",
            hub.uri(),
            "--event",
            bad.toString(),
            "--kiosks",
            "1",
            "--responses",
            "1",
            "--data",
            data.resolve("kiosks").toString());

    assertEquals(2, run.code());
    assertTrue(run.err().contains("bad.yaml:"), run.err());
    assertTrue(run.err().contains("singel"), run.err());
    assertTrue(Files.notExists(data.resolve("kiosks")), "nothing created");
  }

  @Test
  void run_whenArgumentsBad_printsUsageAndExits2(@TempDir Path data) {
    Run missing = simulate("--hub", hub.uri());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("Missing required options"), missing.err());

    Run badHub =
        simulate(
            "--dev",
            "--hub",
            "localhost:1883",
            "--event",
            eventFile.toString(),
            "--kiosks",
            "1",
            "--responses",
            "1",
            "--data",
            data.toString());
    assertEquals(2, badHub.code());
    assertTrue(badHub.err().contains("tcp://"), badHub.err());

    Run noKiosk = simulate(args(data, 0, 1));
    assertEquals(2, noKiosk.code());
    assertTrue(noKiosk.err().contains("--kiosks [0]"), noKiosk.err());
  }

  @Test
  void help_describesTheSemanticsOfN() {
    Run help = simulate("--help");

    assertEquals(0, help.code());
    assertTrue(help.out().contains("TOTAL number of responses"), help.out());
    assertTrue(help.out().contains("acked N of N"), help.out());
  }

  @Test
  void run_whenEnrolments_eachKioskEnrolsWithItsEntryAndLogsInWithItsOwnSecret(@TempDir Path dir)
      throws Exception {
    try (TestEnrolServer server = TestEvents.enrolServer();
        TestHub enrolledHub =
            TestHub.enrolled(dir.resolve("broker"), Logins.hashes(u -> server.secretHash(u)))) {
      Path list = dir.resolve("enrolments.json");
      Files.writeString(
          list,
          "["
              + entry(server.device("kiosk-00000a", DeviceKind.KIOSK))
              + ","
              + entry(server.device("kiosk-00000b", DeviceKind.KIOSK))
              + "]");
      Path data = dir.resolve("kiosks");
      List<String> args =
          List.of(
              "--hub",
              enrolledHub.uri(),
              "--event",
              eventFile.toString(),
              "--kiosks",
              "2",
              "--responses",
              "6",
              "--data",
              data.toString(),
              "--enrolments",
              list.toString());

      Run run = simulate(args.toArray(String[]::new));

      assertEquals(0, run.code(), run.err());
      assertEquals("acked 6 of 6", run.lastLine());
      assertEquals(3, enrolledHub.records(DeviceId.of("kiosk-00000a")).size());
      assertEquals(3, enrolledHub.records(DeviceId.of("kiosk-00000b")).size());
      assertEquals(2, server.requests().size());

      // A second run reads the kept trust: no new enrolment (the tokens are used).
      Run again = simulate(args.toArray(String[]::new));
      assertEquals(0, again.code(), again.err());
      assertEquals(2, server.requests().size());
    }
  }

  @Test
  void run_whenFewerEnrolmentsThanKiosks_exits2BeforeAnything(@TempDir Path dir) throws Exception {
    Path list = dir.resolve("enrolments.json");
    Files.writeString(
        list,
        "[{\"id\":\"kiosk-00000c\",\"enrolment\":\"http://127.0.0.1:9/enrol#v1/kiosk-00000c/"
            + "A".repeat(32)
            + "\"}]");
    Path data = dir.resolve("kiosks");

    Run run =
        simulate(
            "--hub",
            hub.uri(),
            "--event",
            eventFile.toString(),
            "--kiosks",
            "3",
            "--responses",
            "3",
            "--data",
            data.toString(),
            "--enrolments",
            list.toString());

    assertEquals(2, run.code());
    assertTrue(run.err().contains("has 1 enrolment(s) for 3 kiosks"), run.err());
    assertTrue(Files.notExists(data), "nothing created");
  }

  @Test
  void run_whenNeitherEnrolmentsNorDev_refusesSayingHow(@TempDir Path dir) {
    Run run =
        simulate(
            "--hub",
            hub.uri(),
            "--event",
            eventFile.toString(),
            "--kiosks",
            "1",
            "--responses",
            "1",
            "--data",
            dir.toString());

    assertEquals(2, run.code());
    assertTrue(run.err().contains("--enrolments FILE.json"), run.err());
    assertTrue(run.err().contains("--dev"), run.err());
  }

  private static String entry(EnrolmentText text) {
    return "{\"id\":\"" + text.device() + "\",\"enrolment\":\"" + text.text() + "\"}";
  }

  private static List<Record> records(Path kioskDir) throws Exception {
    try (KioskEngine engine =
        KioskEngine.open(kioskDir, Optional.empty(), Clock.systemUTC(), new SplittableRandom(1))) {
      return engine.store().records(TestEvents.EVENT_ID, RecordKind.RESPONSE);
    }
  }
}
