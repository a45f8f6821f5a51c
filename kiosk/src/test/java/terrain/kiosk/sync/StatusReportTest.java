// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.broker.BrokerSettings;
import terrain.broker.EmbeddedBroker;
import terrain.core.record.DeviceId;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.MqttSecret;
import terrain.core.wire.Topics;
import terrain.hardware.printer.FilePrinter;
import terrain.hardware.printer.TicketPdf;
import terrain.kiosk.device.DeviceServices;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.testing.TestEnrolment;
import terrain.kiosk.testing.TestEvents;
import terrain.kiosk.trust.DeviceTrust;
import terrain.kiosk.ui.thanks.TicketDesk;
import terrain.testkit.MqttPeer;
import terrain.testkit.TestEnrolServer;
import terrain.transport.Logins;
import terrain.transport.MqttCredentials;

/**
 * An enrolled kiosk says its status to a real broker: retained JSON with its clock, bundle,
 * printer, disk and battery, again when its printer changes and every period, and a plain {@code
 * offline} when it stops.
 */
class StatusReportTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KIOSK = "kiosk-5a7a75";

  @TempDir Path dir;
  private EmbeddedBroker broker;
  private ScheduledExecutorService scheduler;
  private DeviceTrust trust;
  private String watcherSecret;

  @BeforeEach
  void enrol() throws Exception {
    try (TestEnrolServer server = TestEvents.enrolServer()) {
      trust = TestEnrolment.kiosk(server.device(KIOSK, DeviceKind.KIOSK), dir.resolve("kiosk"));
    }
    watcherSecret = MqttSecret.generate(new SecureRandom());
    broker =
        EmbeddedBroker.start(
            new BrokerSettings(
                dir.resolve("broker"),
                "127.0.0.1",
                0,
                Logins.of(
                    Map.of(
                        MqttCredentials.deviceUsername(KIOSK),
                        trust.self().secretHash(),
                        MqttCredentials.serviceUsername("watcher"),
                        MqttSecret.hash(watcherSecret)))));
    scheduler = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
    broker.close();
  }

  @Test
  void agent_whenEnrolledAndConnected_leavesItsStatusRetainedAsJsonWithEveryField()
      throws Exception {
    Path folder = dir.resolve("kiosk");
    StatusReport report =
        StatusReport.of(
            Optional.of(trust), folder, () -> Optional.of(new DeviceServices.Battery(87, false)));
    report.printer(
        TicketDesk.reported(
            new FilePrinter(folder.resolve("tickets"), new TicketPdf()),
            new TicketDesk.Status(TicketDesk.State.IDLE, "tickets", "")));
    try (KioskEngine engine = KioskEngine.openEnrolled(folder, trust, Clock.systemUTC());
        SyncAgent agent = agent(engine, report, SyncAgent.STATUS_EVERY)) {
      long before = System.currentTimeMillis();
      agent.start();
      await("connected").atMost(WAIT).until(agent::hubReachable);

      // A watcher that comes later still finds it: it is retained.
      try (MqttPeer watcher = watcher()) {
        MqttPeer.Message message = awaitStatus(watcher, m -> true);
        assertTrue(message.retained(), "delivered from the broker's retained store");
        assertTrue(message.payload().length < StatusReport.MAX_BYTES, message.text());
        JsonNode status = JSON.readTree(message.payload());
        assertEquals(
            java.util.List.of(
                "state",
                "time",
                "bundleSequence",
                "bundleSha256",
                "printer",
                "diskFreeBytes",
                "battery"),
            fieldNames(status));
        assertEquals("online", status.path("state").asText());
        long time = status.path("time").asLong();
        assertTrue(
            time >= before && time <= System.currentTimeMillis(), "the kiosk's clock: " + time);
        assertEquals(trust.bundle().sequence(), status.path("bundleSequence").asLong());
        assertTrue(status.path("bundleSequence").isIntegralNumber());
        assertEquals(StatusReport.sha256(trust.bundleText()), status.path("bundleSha256").asText());
        assertTrue(status.path("bundleSha256").asText().matches("[0-9a-f]{64}"));
        assertEquals(
            StatusReport.sha256(Files.readString(folder.resolve("trust").resolve("bundle")) + "\n"),
            status.path("bundleSha256").asText(),
            "the hash of the signed text as kept, surrounding blanks aside");
        assertEquals("pdf", status.path("printer").asText());
        assertTrue(status.path("diskFreeBytes").isIntegralNumber());
        assertTrue(status.path("diskFreeBytes").asLong() > 0, status.toString());
        assertEquals(87, status.path("battery").asInt());
        assertTrue(status.path("battery").isInt());
      }
    }
  }

  @Test
  void reportStatus_whenPrinterFails_saysItAtOnce_andClose_leavesPlainOffline() throws Exception {
    Path folder = dir.resolve("kiosk");
    StatusReport report = StatusReport.of(Optional.of(trust), folder, Optional::empty);
    FilePrinter printer = new FilePrinter(folder.resolve("tickets"), new TicketPdf());
    report.printer(
        TicketDesk.reported(printer, new TicketDesk.Status(TicketDesk.State.OK, "t", "")));
    try (KioskEngine engine = KioskEngine.openEnrolled(folder, trust, Clock.systemUTC());
        MqttPeer watcher = watcher()) {
      SyncAgent agent = agent(engine, report, SyncAgent.STATUS_EVERY);
      agent.start();
      JsonNode first = JSON.readTree(awaitStatus(watcher, m -> true).payload());
      assertEquals("pdf", first.path("printer").asText());
      assertTrue(first.path("battery").isNull(), "no battery on this device: " + first);

      boolean changed =
          report.printer(
              TicketDesk.reported(
                  printer,
                  new TicketDesk.Status(TicketDesk.State.FAILED, "t", "disk full\nagain")));
      assertTrue(changed);
      agent.reportStatus();

      JsonNode failed =
          JSON.readTree(awaitStatus(watcher, m -> m.text().contains("failed")).payload());
      assertEquals("pdf: failed, disk full again", failed.path("printer").asText());

      agent.close();
      await("plain offline")
          .atMost(WAIT)
          .until(
              () ->
                  watcher
                      .last(Topics.deviceStatus(DeviceId.of(KIOSK)))
                      .map(MqttPeer.Message::text)
                      .equals(Optional.of(SyncAgent.OFFLINE)));
    }
  }

  @Test
  void agent_whileConnected_saysItsStatusAgainEveryPeriodWithItsClockNow() throws Exception {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-05-01T08:00:00Z"));
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now.get();
          }
        };
    try (KioskEngine engine =
            KioskEngine.openEnrolled(dir.resolve("kiosk"), trust, Clock.systemUTC());
        MqttPeer watcher = watcher();
        SyncAgent agent =
            new SyncAgent(
                engine.store(),
                engine.deviceId(),
                SyncAgent.Settings.enrolled("tcp://127.0.0.1:" + broker.port(), trust.mqttSecret()),
                scheduler,
                clock,
                new SecureRandom(),
                StatusReport.minimal(),
                Duration.ofMillis(200))) {
      agent.start();
      awaitStatus(watcher, m -> m.text().contains("\"time\":" + now.get().toEpochMilli()));

      now.set(now.get().plusSeconds(60));

      JsonNode later =
          JSON.readTree(
              awaitStatus(watcher, m -> m.text().contains("\"time\":" + now.get().toEpochMilli()))
                  .payload());
      assertEquals("online", later.path("state").asText());
      assertTrue(later.path("bundleSequence").isNull(), "a minimal report says no bundle");
      assertTrue(later.path("bundleSha256").isNull());
    }
  }

  @Test
  void online_inDev_saysNoBundle_andStaysSmallWithALongPrinterText() throws Exception {
    StatusReport report = StatusReport.of(Optional.empty(), dir, Optional::empty);
    report.printer("x".repeat(1000));

    byte[] json = report.online(1_700_000_000_000L);

    assertTrue(json.length < StatusReport.MAX_BYTES, json.length + " bytes");
    JsonNode status = JSON.readTree(json);
    assertTrue(status.path("bundleSequence").isNull());
    assertTrue(status.path("bundleSha256").isNull());
    assertEquals(1_700_000_000_000L, status.path("time").asLong());
    assertEquals(StatusReport.MAX_PRINTER_CHARS, status.path("printer").asText().length());
  }

  private SyncAgent agent(KioskEngine engine, StatusReport report, Duration every) {
    return new SyncAgent(
        engine.store(),
        engine.deviceId(),
        SyncAgent.Settings.enrolled("tcp://127.0.0.1:" + broker.port(), trust.mqttSecret()),
        scheduler,
        Clock.systemUTC(),
        new SecureRandom(),
        report,
        every);
  }

  private MqttPeer watcher() throws Exception {
    MqttPeer peer =
        MqttPeer.Options.of("tcp://127.0.0.1:" + broker.port(), "watcher")
            .as(MqttCredentials.serviceUsername("watcher"), watcherSecret)
            .connect();
    peer.subscribe(Topics.deviceStatus(DeviceId.of(KIOSK)));
    return peer;
  }

  private static MqttPeer.Message awaitStatus(
      MqttPeer watcher, java.util.function.Predicate<MqttPeer.Message> wanted) {
    String topic = Topics.deviceStatus(DeviceId.of(KIOSK));
    AtomicReference<MqttPeer.Message> found = new AtomicReference<>();
    await("status on " + topic)
        .atMost(WAIT)
        .until(
            () -> {
              Optional<MqttPeer.Message> last =
                  watcher.last(topic).filter(m -> m.text().startsWith("{")).filter(wanted);
              last.ifPresent(found::set);
              return last.isPresent();
            });
    return found.get();
  }

  private static java.util.List<String> fieldNames(JsonNode node) {
    java.util.List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
