// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the hub machine's health from the files Linux and the Raspberry Pi firmware expose, under
 * an injectable root ({@code /} in production, a folder of fake files in tests). Whatever is absent
 * or unreadable is reported as unknown (null), never as zero.
 */
public final class HealthProbe {
  private static final Logger log = LoggerFactory.getLogger(HealthProbe.class);

  static final String THERMAL = "sys/class/thermal/thermal_zone0/temp";
  static final String THROTTLED = "sys/devices/platform/soc/soc:firmware/get_throttled";
  static final String PROC_STATUS = "proc/self/status";
  static final String VCGENCMD = "usr/bin/vcgencmd";

  private final Path root;
  private final Path dataDir;
  private final Clock clock;
  private final long startedMillis;
  private final Supplier<Optional<String>> vcgencmd;

  /**
   * @param root where {@code sys/} and {@code proc/} are read, {@code /} on a real machine
   * @param dataDir the hub's data folder, whose disk is measured
   * @param vcgencmd runs {@code vcgencmd get_throttled} when the firmware's file is absent; its
   *     output (e.g. {@code throttled=0x50005}), empty when there is no such command
   */
  public HealthProbe(Path root, Path dataDir, Clock clock, Supplier<Optional<String>> vcgencmd) {
    this.root = root;
    this.dataDir = dataDir;
    this.clock = clock;
    this.startedMillis = clock.millis();
    this.vcgencmd = vcgencmd;
  }

  /** The probe of this machine: {@code /}, and {@code /usr/bin/vcgencmd} where it exists. */
  public static HealthProbe system(Path dataDir, Clock clock) {
    Path root = Path.of("/");
    return new HealthProbe(root, dataDir, clock, () -> runVcgencmd(root.resolve(VCGENCMD)));
  }

  /** The health now; {@code pending} per device and the last uplink ack come from the caller. */
  public HubHealth read(Map<String, Long> pendingByDevice, OptionalLong lastUplinkAck) {
    long now = clock.millis();
    Long free = null;
    Long total = null;
    Optional<FileStore> disk = disk();
    if (disk.isPresent()) {
      try {
        free = disk.get().getUsableSpace();
        total = disk.get().getTotalSpace();
      } catch (IOException e) {
        log.debug("Cannot measure the disk of {}: {}", dataDir, e.toString());
      }
    }
    Runtime runtime = Runtime.getRuntime();
    return new HubHealth(
        java.time.Instant.ofEpochMilli(now).toString(),
        clock.getZone().getId(),
        Math.max(0, (now - startedMillis) / 1000),
        free,
        total,
        runtime.totalMemory() - runtime.freeMemory(),
        runtime.maxMemory(),
        rss().orElse(null),
        temperature().orElse(null),
        throttled().orElse(null),
        pendingByDevice,
        lastUplinkAck.isPresent()
            ? java.time.Instant.ofEpochMilli(lastUplinkAck.getAsLong()).toString()
            : null);
  }

  private Optional<FileStore> disk() {
    Path existing = dataDir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      return existing == null ? Optional.empty() : Optional.of(Files.getFileStore(existing));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code VmRSS: 123456 kB} of /proc/self/status, in bytes. */
  Optional<Long> rss() {
    return read(PROC_STATUS)
        .flatMap(
            text ->
                text.lines()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .findFirst()
                    .flatMap(line -> parseLong(line.substring(6).replace("kB", "").trim(), 10)))
        .map(kb -> kb * 1024);
  }

  /** The first thermal zone, in millidegrees Celsius in the file. */
  Optional<Double> temperature() {
    return read(THERMAL).flatMap(text -> parseLong(text.trim(), 10)).map(milli -> milli / 1000.0);
  }

  /** The firmware's file (hexadecimal), else {@code vcgencmd get_throttled}. */
  Optional<HubHealth.Throttled> throttled() {
    Optional<String> text = read(THROTTLED);
    if (text.isEmpty()) {
      text = vcgencmd.get().map(out -> out.trim().replaceFirst("^throttled=", ""));
    }
    return text.map(t -> t.trim().replaceFirst("^0[xX]", ""))
        .flatMap(hex -> parseLong(hex, 16))
        .map(HubHealth.Throttled::of);
  }

  private Optional<String> read(String file) {
    Path path = root.resolve(file);
    if (!Files.isReadable(path)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(path, StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException e) {
      log.debug("Cannot read {}: {}", path, e.toString());
      return Optional.empty();
    }
  }

  private static Optional<Long> parseLong(String text, int radix) {
    try {
      return Optional.of(Long.parseLong(text, radix));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> runVcgencmd(Path command) {
    if (!Files.isExecutable(command)) {
      return Optional.empty();
    }
    try {
      Process process =
          new ProcessBuilder(command.toString(), "get_throttled").redirectErrorStream(true).start();
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      return process.exitValue() == 0 ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
