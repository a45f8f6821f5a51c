// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The hub machine's health, {@code "health"} in {@code GET /api/status}. What the machine does not
 * report (no thermal zone, no Raspberry Pi firmware, no {@code /proc}) is null and left out of the
 * JSON, never shown as zero.
 *
 * @param clock the hub's clock now (ISO-8601 instant)
 * @param zone the hub's time zone
 * @param uptimeSeconds since the hub started
 * @param diskFreeBytes usable space of the data folder's disk
 * @param diskTotalBytes size of that disk
 * @param heapUsedBytes JVM heap in use
 * @param heapMaxBytes JVM heap limit
 * @param processRssBytes resident memory of the hub's process ({@code VmRSS} of /proc/self/status)
 * @param cpuTemperatureCelsius {@code /sys/class/thermal/thermal_zone0/temp}
 * @param throttled the Raspberry Pi firmware's under-voltage and throttling flags
 * @param pendingByDevice records each device has committed here that the server has not acked
 * @param lastUplinkAck when the server last acknowledged records (ISO-8601), null if not since
 *     start
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HubHealth(
    String clock,
    String zone,
    long uptimeSeconds,
    Long diskFreeBytes,
    Long diskTotalBytes,
    long heapUsedBytes,
    long heapMaxBytes,
    Long processRssBytes,
    Double cpuTemperatureCelsius,
    Throttled throttled,
    Map<String, Long> pendingByDevice,
    String lastUplinkAck) {

  public HubHealth {
    pendingByDevice = Map.copyOf(pendingByDevice);
  }

  /**
   * The bits of {@code vcgencmd get_throttled}: "now" bits 0-3, "since boot" bits 16-19.
   *
   * @param raw the value as the firmware gives it, e.g. {@code 0x50005}
   */
  public record Throttled(
      String raw,
      boolean underVoltage,
      boolean frequencyCapped,
      boolean throttled,
      boolean softTemperatureLimit,
      boolean underVoltageOccurred,
      boolean frequencyCappedOccurred,
      boolean throttledOccurred,
      boolean softTemperatureLimitOccurred) {

    public static Throttled of(long bits) {
      return new Throttled(
          "0x" + Long.toHexString(bits),
          (bits & 1) != 0,
          (bits & 1 << 1) != 0,
          (bits & 1 << 2) != 0,
          (bits & 1 << 3) != 0,
          (bits & 1 << 16) != 0,
          (bits & 1 << 17) != 0,
          (bits & 1 << 18) != 0,
          (bits & 1 << 19) != 0);
    }

    /** Whether anything is wrong now or was since boot. */
    public boolean any() {
      return !raw.equals("0x0");
    }
  }
}
