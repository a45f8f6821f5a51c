// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 *
 * <p>A device may instead publish a JSON object, {@code {"state":"online", "time":EPOCH_MILLIS,
 * "bundleSequence":N, "bundleSha256":HEX, "printer":TEXT, "diskFreeBytes":N, "battery":PERCENT}}
 * (every field but {@code state} optional), which the preflight shows ({@link Report}). Kiosks say
 * it again every minute while connected.
 *
 * <p>The first status heard from a device since the hub started may be a retained one from long ago
 * (the hub was off while the device was connected, and the device is gone since). So when that
 * first status's {@code time} is more than {@link #STALE_MILLIS} behind the hub's clock, its time
 * measures nothing: it is dropped (no clock skew from it), and the device counts as offline since
 * that time until it says something again. A device whose clock is really that far behind says so
 * with its next status, a minute later.
 */
public final class DevicePresence {
  private static final Logger log = LoggerFactory.getLogger(DevicePresence.class);

  /** Devices tracked at most: a site has tens of kiosks; this only bounds memory. */
  static final int MAX_DEVICES = 10_000;

  public static final String ONLINE = "online";
  public static final String OFFLINE = "offline";

  /**
   * The last status a device announced, and when the hub heard it (epoch millis; for a stale first
   * status, the time the status carries).
   */
  public record Presence(boolean online, long since, Report report) {
    public Presence(boolean online, long since) {
      this(online, since, Report.NONE);
    }
  }

  /**
   * What a device reported about itself in its last JSON status; null where it said nothing.
   *
   * @param time the device's clock when it sent the status (epoch millis)
   * @param battery percent
   */
  public record Report(
      Long time,
      Long bundleSequence,
      String bundleSha256,
      String printer,
      Long diskFreeBytes,
      Integer battery) {
    public static final Report NONE = new Report(null, null, null, null, null, null);

    /** The same report without its time: it measures no skew. */
    public Report withoutTime() {
      return new Report(null, bundleSequence, bundleSha256, printer, diskFreeBytes, battery);
    }
  }

  /** How far behind the hub a first status's time may be and still measure the clock skew. */
  public static final long STALE_MILLIS = 2 * 60_000L;

  /** Largest JSON status read. */
  static final int MAX_STATUS_BYTES = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();

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
    Report report = Report.NONE;
    if (status.startsWith("{")) {
      Optional<JsonNode> json = json(payload);
      if (json.isEmpty()) {
        log.warn(
            "Ignored status of {} ({} bytes): not a JSON object of at most {} bytes",
            device.get(),
            payload.length,
            MAX_STATUS_BYTES);
        return;
      }
      status = json.get().path("state").asText("");
      report = report(json.get());
    }
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
    long now = clock.millis();
    long since = now;
    if (report.time() != null
        && now - report.time() > STALE_MILLIS
        && !devices.containsKey(device.get())) {
      log.info(
          "First status of {} since the hub started is {} s old by its clock: kept as its last"
              + " contact, not as a clock measure, until it speaks again",
          device.get(),
          (now - report.time()) / 1000);
      since = report.time();
      online = false;
      report = report.withoutTime();
    }
    Presence previous = devices.put(device.get(), new Presence(online, since, report));
    if (previous == null || previous.online() != online) {
      log.info("Device {} is {}", device.get(), online ? ONLINE : OFFLINE);
    }
  }

  /** The status each device last announced, by device id. */
  public Map<DeviceId, Presence> snapshot() {
    return new TreeMap<>(devices);
  }

  private static Optional<JsonNode> json(byte[] payload) {
    if (payload.length > MAX_STATUS_BYTES) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(payload);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  private static Report report(JsonNode json) {
    return new Report(
        number(json, "time"),
        number(json, "bundleSequence"),
        text(json, "bundleSha256", 64),
        text(json, "printer", 120),
        number(json, "diskFreeBytes"),
        json.path("battery").isIntegralNumber()
                && json.path("battery").asInt() >= 0
                && json.path("battery").asInt() <= 100
            ? json.path("battery").asInt()
            : null);
  }

  private static Long number(JsonNode json, String field) {
    JsonNode v = json.path(field);
    return v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0 ? v.asLong() : null;
  }

  private static String text(JsonNode json, String field, int max) {
    JsonNode v = json.path(field);
    if (!v.isTextual()) {
      return null;
    }
    String t = v.asText().replaceAll("[\\p{Cntrl}]", " ");
    return t.length() > max ? t.substring(0, max) : t;
  }

  static Optional<DeviceId> deviceOf(String topic) {
    if (topic == null || !topic.startsWith(PREFIX) || !topic.endsWith(SUFFIX)) {
      return Optional.empty();
    }
    String id = topic.substring(PREFIX.length(), topic.length() - SUFFIX.length());
    return DeviceId.isValid(id) ? Optional.of(DeviceId.of(id)) : Optional.empty();
  }
}
