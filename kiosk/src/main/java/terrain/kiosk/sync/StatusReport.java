// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.enrolment.EnrolledDevice;
import terrain.kiosk.device.DeviceServices;
import terrain.kiosk.trust.DeviceTrust;

/**
 * What a kiosk says of itself in its retained status on {@code terrain/v1/dev/{id}/status}, for the
 * hub's preflight: {@code {"state":"online","time":EPOCH_MILLIS,"bundleSequence":N,
 * "bundleSha256":HEX,"printer":TEXT,"diskFreeBytes":N,"battery":PERCENT}}. {@code time} is the
 * kiosk's clock when it sends (the hub measures the skew); the bundle fields are null on a
 * development kiosk ({@code --dev}), {@code printer}, {@code diskFreeBytes} and {@code battery}
 * null where the kiosk does not know them. The whole object stays well under {@link #MAX_BYTES}.
 *
 * <p>Thread-safe: the agent reads it on its scheduler, the UI sets the printer.
 */
public final class StatusReport {
  private static final Logger log = LoggerFactory.getLogger(StatusReport.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The most a status may weigh; the hub reads up to 4 KiB. */
  public static final int MAX_BYTES = 512;

  /** Longest printer text sent (the hub keeps 120 characters). */
  static final int MAX_PRINTER_CHARS = 100;

  private final Long bundleSequence;
  private final String bundleSha256;
  private final Path dataFolder;
  private final Supplier<Optional<DeviceServices.Battery>> battery;
  private final AtomicReference<String> printer = new AtomicReference<>();

  /**
   * @param bundleSequence the sequence of the signed bundle the kiosk runs, null in {@code --dev}
   * @param bundleSha256 hex SHA-256 of that bundle's text ({@link #sha256}), null in {@code --dev}
   * @param dataFolder whose file store's free space is reported, null for none
   * @param battery the battery, where the device has one
   */
  public StatusReport(
      Long bundleSequence,
      String bundleSha256,
      Path dataFolder,
      Supplier<Optional<DeviceServices.Battery>> battery) {
    this.bundleSequence = bundleSequence;
    this.bundleSha256 = bundleSha256;
    this.dataFolder = dataFolder;
    this.battery = Objects.requireNonNull(battery, "battery must not be null");
  }

  /** A kiosk's report: its bundle if enrolled, its data folder's disk and its battery. */
  public static StatusReport of(
      Optional<DeviceTrust> trust, Path dataFolder, DeviceServices devices) {
    return of(trust, dataFolder, devices::battery);
  }

  /** As {@link #of(Optional, Path, DeviceServices)}, the battery read from {@code battery}. */
  public static StatusReport of(
      Optional<DeviceTrust> trust,
      Path dataFolder,
      Supplier<Optional<DeviceServices.Battery>> battery) {
    return new StatusReport(
        trust.map(t -> t.bundle().sequence()).orElse(null),
        trust.map(t -> sha256(t.bundleText())).orElse(null),
        dataFolder,
        battery);
  }

  /** Only the state and the clock (a simulated kiosk). */
  public static StatusReport minimal() {
    return new StatusReport(null, null, null, Optional::empty);
  }

  /**
   * Hex SHA-256 of a signed bundle's text, stripped, in UTF-8: the definition the hub uses for its
   * own bundle ({@link EnrolledDevice#sha256(String)}).
   */
  public static String sha256(String signedText) {
    return EnrolledDevice.sha256(signedText);
  }

  /**
   * Sets what the printer is doing, e.g. {@code "pdf"}; returns whether it changed (then the agent
   * should say it now). Control characters become spaces; long texts are cut.
   */
  public boolean printer(String state) {
    String clean = state == null ? null : state.replaceAll("\\p{Cntrl}", " ").strip();
    if (clean != null && clean.length() > MAX_PRINTER_CHARS) {
      clean = clean.substring(0, MAX_PRINTER_CHARS);
    }
    return !Objects.equals(printer.getAndSet(clean), clean);
  }

  public Optional<String> printer() {
    return Optional.ofNullable(printer.get());
  }

  /** The status JSON, {@code state} "online", at {@code timeMillis} of the kiosk's clock. */
  public byte[] online(long timeMillis) {
    ObjectNode node = JSON.createObjectNode();
    node.put("state", SyncAgent.ONLINE);
    node.put("time", timeMillis);
    node.put("bundleSequence", bundleSequence);
    node.put("bundleSha256", bundleSha256);
    node.put("printer", printer.get());
    node.put("diskFreeBytes", diskFree());
    node.put("battery", batteryPercent());
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a status of numbers and short texts is JSON", e);
    }
  }

  private Long diskFree() {
    if (dataFolder == null) {
      return null;
    }
    try {
      return Files.getFileStore(dataFolder).getUsableSpace();
    } catch (IOException | SecurityException e) {
      log.debug("Cannot read the free space of {}: {}", dataFolder, e.toString());
      return null;
    }
  }

  private Integer batteryPercent() {
    try {
      return battery.get().map(DeviceServices.Battery::percent).orElse(null);
    } catch (RuntimeException e) {
      log.debug("Cannot read the battery: {}", e.toString());
      return null;
    }
  }
}
