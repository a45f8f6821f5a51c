// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.status;

import java.util.List;

/**
 * What {@code GET /api/status} answers: the hub's id, its uplink, its outbox and its devices.
 *
 * @param uplink {@code "up"} or {@code "down"}
 * @param uplinkProblem why the uplink is down, null when it is up
 * @param pending records committed here that the server has not acknowledged
 * @param lastAck when the server last acknowledged records (epoch millis), null if not since start
 * @param received records from devices committed since start (duplicates not counted)
 * @param rejected device payloads rejected since start
 * @param conflicts records kept aside because they reuse an identity with other content
 * @param uplinkRecords records sent to the server since start (resends included)
 * @param uplinkBytes MQTT payload bytes of those records
 * @param setAside records of revoked devices kept aside, never forwarded
 * @param quarantined records the hub could not store, kept with their reason (GET /api/rejected)
 * @param health the machine's disk, memory, temperature, power and clock; null when not read
 */
public record HubStatus(
    String hub,
    String uplink,
    String uplinkProblem,
    long pending,
    Long lastAck,
    long received,
    long rejected,
    long conflicts,
    long uplinkRecords,
    long uplinkBytes,
    List<Device> devices,
    long setAside,
    long quarantined,
    HubHealth health) {
  public static final String UP = "up";
  public static final String DOWN = "down";

  public HubStatus {
    devices = List.copyOf(devices);
  }

  public boolean uplinkUp() {
    return UP.equals(uplink);
  }

  /**
   * One device the hub knows.
   *
   * @param committed every record 1..committed of the device is committed on the hub
   * @param forwarded every record 1..forwarded is acknowledged by the server
   * @param lastSeen when the hub last heard from it (epoch millis, hub clock)
   * @param online whether it is connected to the hub's broker now
   */
  public record Device(String id, long committed, long forwarded, long lastSeen, boolean online) {
    public long pending() {
      return committed - forwarded;
    }
  }

  /**
   * A record the hub quarantined ({@code GET /api/rejected}), or whose notice it received.
   *
   * @param at when the hub received it, ISO-8601
   * @param hop the node that quarantined it (this hub, or an earlier one)
   */
  public record Rejected(
      String device, long seq, String reason, String at, String kind, String event, String hop) {}

  /**
   * A record kept aside: its identity was known with other content. Hashes are hex strings (a
   * 64-bit number does not survive JavaScript's numbers).
   */
  public record Conflict(
      String device,
      long seq,
      String kind,
      String event,
      String keptHash,
      String receivedHash,
      long receivedTime) {}
}
