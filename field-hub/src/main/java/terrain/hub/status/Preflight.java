// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.status;

import java.util.List;

/**
 * What {@code GET /api/preflight} answers the evening before an event: one line for the hub, one
 * per device of its signed list (every device seen, on a development hub). A line is red ({@code
 * ok} false) when the device was never heard or not for {@link #SILENT_MINUTES} minutes, is
 * revoked, or its clock is more than {@link #MAX_SKEW_SECONDS} s off the hub's; the hub's line is
 * red when its uplink is down or its disk nearly full. {@code problems} say why and what to do, in
 * the request's language; they also list what a device did not report (which alone is not red).
 */
public record Preflight(Hub hub, List<Device> devices) {
  public static final int SILENT_MINUTES = 10;
  public static final long MAX_SKEW_SECONDS = 120;

  /** Free disk below which the hub's line is red. */
  public static final long MIN_DISK_FREE_BYTES = 200L * 1024 * 1024;

  public Preflight {
    devices = List.copyOf(devices);
  }

  /** Whether every line is green. */
  public boolean ok() {
    return hub.ok() && devices.stream().allMatch(Device::ok);
  }

  /**
   * The hub's own line.
   *
   * @param enrolled false for a development hub ({@code --dev})
   * @param bundleSequence the sequence of the device list in force, null on a development hub
   * @param bundleSha256 hex SHA-256 of its signed text
   * @param uplink the server's broker
   * @param pending records committed here that the server has not acknowledged
   * @param setAside records of revoked devices kept aside
   */
  public record Hub(
      String id,
      boolean enrolled,
      String event,
      Long bundleSequence,
      String bundleSha256,
      String uplink,
      boolean uplinkConnected,
      Long diskFreeBytes,
      long pending,
      long setAside,
      boolean ok,
      List<String> problems) {
    public Hub {
      problems = List.copyOf(problems);
    }
  }

  /**
   * One device.
   *
   * @param bundleSequence the bundle the device says it runs, null when not reported
   * @param clockSkewSeconds the device's clock minus the hub's, null when not measured
   * @param lastContact ISO-8601 instant the hub last heard from it (now when connected), or null
   * @param pending its records committed on the hub and not yet acknowledged by the server
   */
  public record Device(
      String id,
      String name,
      String kind,
      Long bundleSequence,
      String bundleSha256,
      Long clockSkewSeconds,
      String printer,
      String lastContact,
      boolean online,
      boolean revoked,
      long pending,
      Long diskFreeBytes,
      Integer battery,
      boolean ok,
      List<String> problems) {
    public Device {
      problems = List.copyOf(problems);
    }
  }
}
