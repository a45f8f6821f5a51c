// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.record.DeviceId;
import terrain.core.wire.Topics;

/**
 * Which devices are connected to the hub's broker, from their retained {@code
 * terrain/v1/dev/{id}/status} messages: a device publishes "online" when it connects and leaves
 * "offline" as its last will, so the broker announces it when the device vanishes.
 */
public final class DevicePresence {
  private static final Logger log = LoggerFactory.getLogger(DevicePresence.class);

  /** Devices tracked at most: a site has tens of kiosks; this only bounds memory. */
  static final int MAX_DEVICES = 10_000;

  public static final String ONLINE = "online";
  public static final String OFFLINE = "offline";

  /** The last status a device announced, and when the hub heard it (epoch millis). */
  public record Presence(boolean online, long since) {}

  private static final String PREFIX = Topics.ROOT + "dev/";
  private static final String SUFFIX = "/status";

  private final Clock clock;
  private final Map<DeviceId, Presence> devices = new ConcurrentHashMap<>();

  public DevicePresence(Clock clock) {
    this.clock = clock;
  }

  /** Handler of {@link Topics#ALL_DEVICE_STATUS}. */
  public void handle(String topic, byte[] payload) {
    Optional<DeviceId> device = deviceOf(topic);
    if (device.isEmpty()) {
      log.warn("Ignored a status on unexpected topic {}", topic);
      return;
    }
    if (payload.length == 0) {
      // A retained status was cleared: the device is gone from this site.
      devices.remove(device.get());
      return;
    }
    String status = new String(payload, StandardCharsets.UTF_8).trim();
    boolean online;
    if (status.equalsIgnoreCase(ONLINE)) {
      online = true;
    } else if (status.equalsIgnoreCase(OFFLINE)) {
      online = false;
    } else {
      log.warn(
          "Ignored status of {} ({} bytes): expected \"online\" or \"offline\"",
          device.get(),
          payload.length);
      return;
    }
    if (!devices.containsKey(device.get()) && devices.size() >= MAX_DEVICES) {
      log.warn("Ignored status of {}: already tracking {} devices", device.get(), MAX_DEVICES);
      return;
    }
    Presence previous = devices.put(device.get(), new Presence(online, clock.millis()));
    if (previous == null || previous.online() != online) {
      log.info("Device {} is {}", device.get(), online ? ONLINE : OFFLINE);
    }
  }

  /** The status each device last announced, by device id. */
  public Map<DeviceId, Presence> snapshot() {
    return new TreeMap<>(devices);
  }

  static Optional<DeviceId> deviceOf(String topic) {
    if (topic == null || !topic.startsWith(PREFIX) || !topic.endsWith(SUFFIX)) {
      return Optional.empty();
    }
    String id = topic.substring(PREFIX.length(), topic.length() - SUFFIX.length());
    return DeviceId.isValid(id) ? Optional.of(DeviceId.of(id)) : Optional.empty();
  }
}
