// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.text.PageLanguage;
import terrain.testkit.MutableClock;

/** The hub's health read from a fake {@code /sys} and {@code /proc}, in JSON and on the page. */
class HealthProbeTest {
  private static final Instant START = Instant.parse("2026-07-14T08:00:00Z");

  @TempDir Path root;

  private void write(String file, String text) throws Exception {
    Path path = root.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
  }

  @Test
  void read_onAPiThatReportsEverything_givesEachValue() throws Exception {
    write(HealthProbe.THERMAL, "52312\n");
    write(HealthProbe.THROTTLED, "50005\n");
    write(HealthProbe.PROC_STATUS, "Name:\tjava\nVmPeak:\t 999 kB\nVmRSS:\t  204800 kB\n");
    MutableClock clock = new MutableClock(START);
    AtomicInteger commandRuns = new AtomicInteger();
    HealthProbe probe =
        new HealthProbe(
            root,
            root,
            clock,
            () -> {
              commandRuns.incrementAndGet();
              return Optional.of("throttled=0x0\n");
            });
    clock.advance(Duration.ofMinutes(90));

    HubHealth health = probe.read(Map.of("kiosk-a", 3L), OptionalLong.of(START.toEpochMilli()));

    assertEquals("2026-07-14T09:30:00Z", health.clock());
    assertEquals(5400, health.uptimeSeconds());
    assertEquals(52.312, health.cpuTemperatureCelsius(), 1e-9);
    assertEquals(200L * 1024 * 1024, health.processRssBytes());
    HubHealth.Throttled throttled = health.throttled();
    assertEquals("0x50005", throttled.raw());
    assertTrue(throttled.underVoltage() && throttled.throttled());
    assertTrue(throttled.underVoltageOccurred() && throttled.throttledOccurred());
    assertFalse(throttled.frequencyCapped() || throttled.softTemperatureLimitOccurred());
    assertEquals(0, commandRuns.get(), "the firmware's file wins over vcgencmd");
    assertTrue(health.diskFreeBytes() > 0 && health.diskTotalBytes() >= health.diskFreeBytes());
    assertTrue(health.heapUsedBytes() > 0 && health.heapMaxBytes() >= health.heapUsedBytes());
    assertEquals(Map.of("kiosk-a", 3L), health.pendingByDevice());
    assertEquals("2026-07-14T08:00:00Z", health.lastUplinkAck());

    String html = page(health, new PageLanguage(PageLanguage.FRENCH, false));
    assertContains(html, "Heure du boîtier\u00a0: 09:30:00 (Z)");
    assertContains(html, "En marche depuis 1\u00a0h\u00a030\u00a0min");
    assertContains(html, "Température du processeur\u00a0: 52,3\u00a0°C");
    assertContains(html, "processus 200\u00a0Mo");
    assertContains(html, "<strong class=\"ko\">Alimentation\u00a0: sous-tension ou bridage en ce");
    assertContains(
        page(health, new PageLanguage(PageLanguage.ENGLISH, false)), "CPU temperature: 52.3 °C");
  }

  @Test
  void read_whereNothingIsReported_leavesItOutNotZero() throws Exception {
    write(HealthProbe.THERMAL, "not a number\n");
    HealthProbe probe =
        new HealthProbe(
            root, root.resolve("data/not/yet"), new MutableClock(START), Optional::empty);

    HubHealth health = probe.read(Map.of(), OptionalLong.empty());

    assertNull(health.cpuTemperatureCelsius());
    assertNull(health.throttled());
    assertNull(health.processRssBytes());
    assertTrue(health.diskFreeBytes() > 0, "measured on the nearest existing parent");
    JsonNode json = new ObjectMapper().valueToTree(health);
    for (String absent :
        List.of("cpuTemperatureCelsius", "throttled", "processRssBytes", "lastUplinkAck")) {
      assertFalse(json.has(absent), absent + " must be left out: " + json);
    }
    assertTrue(json.has("heapUsedBytes") && json.has("uptimeSeconds"), json.toString());
    String html = page(health, new PageLanguage(PageLanguage.FRENCH, false));
    assertFalse(html.contains("Température") || html.contains("Alimentation"), html);
  }

  @Test
  void read_withoutTheFirmwaresFile_asksVcgencmd() throws Exception {
    HealthProbe probe =
        new HealthProbe(
            root, root, new MutableClock(START), () -> Optional.of("throttled=0x20000\n"));

    HubHealth.Throttled throttled = probe.read(Map.of(), OptionalLong.empty()).throttled();

    assertEquals("0x20000", throttled.raw());
    assertTrue(throttled.frequencyCappedOccurred());
    assertFalse(throttled.underVoltage() || throttled.throttled());
    assertContains(
        page(
            probe.read(Map.of(), OptionalLong.empty()),
            new PageLanguage(PageLanguage.ENGLISH, false)),
        "Power: under-voltage or throttling since boot (0x20000)");
  }

  private static String page(HubHealth health, PageLanguage language) {
    HubStatus status =
        new HubStatus("hub-1", HubStatus.UP, null, 0, null, 0, 0, 0, 0, 0, List.of(), 0, 0, health);
    return new StatusPage(java.time.ZoneOffset.UTC).render(status, language);
  }

  private static void assertContains(String html, String part) {
    assertTrue(html.contains(part), "missing [" + part + "] in " + html);
  }
}
