// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.trust.Bundle;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.TrustException;
import terrain.enrolment.EnrolledDevice;
import terrain.enrolment.TrustFiles;

/**
 * What an enrolled kiosk or tablet knows of itself, from {@code DATA/trust/} (read and checked by
 * {@link EnrolledDevice}): its id and kind, its Ed25519 key pair, its MQTT secret and the bundle
 * the server signed for it; and what the kiosk takes from that bundle (event file, staff PIN, hub
 * and claim host). Read at every start with no network.
 */
public record DeviceTrust(EnrolledDevice enrolled) {
  /** The kinds the kiosk program runs as. */
  public static final Set<DeviceKind> KINDS = EnumSet.of(DeviceKind.KIOSK, DeviceKind.TABLET);

  /** The event file of the bundle, for the event loader. */
  public static final String EVENT = "event.yaml";

  public DeviceTrust {
    Objects.requireNonNull(enrolled, "enrolled");
  }

  /** Whether {@code DATA/trust/bundle} exists: the device was enrolled. */
  public static boolean enrolled(Path data) {
    return new TrustFiles(data).enrolled();
  }

  /**
   * The trust kept in {@code data}, or empty when the device was never enrolled (no bundle).
   *
   * @throws TrustException if the files are unreadable, incomplete or do not match
   */
  public static Optional<DeviceTrust> load(Path data) throws TrustException {
    return EnrolledDevice.load(data, KINDS).map(DeviceTrust::new);
  }

  /**
   * The private key kept in {@code DATA/trust/device-ed25519.pk8}, empty when there is none.
   *
   * @throws IOException if it cannot be read or is not an Ed25519 PKCS#8 key
   */
  public static Optional<DeviceKeys> readKey(Path data) throws IOException {
    Path file = new TrustFiles(data).file(TrustFiles.KEY);
    if (Files.notExists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(DeviceKeys.fromPkcs8(Files.readAllBytes(file)));
    } catch (InvalidKeyException | IllegalArgumentException e) {
      throw new IOException(file + " is not an Ed25519 private key: " + e.getMessage(), e);
    }
  }

  /** Writes the private key to {@code DATA/trust/device-ed25519.pk8}, owner-only. */
  public static void writeKey(Path data, DeviceKeys keys) throws IOException {
    new TrustFiles(data).write(TrustFiles.KEY, keys.privateKeyPkcs8());
  }

  /**
   * Writes the bundle's event file to {@code DATA/trust/event.yaml} and returns its path.
   *
   * @throws TrustException if the bundle carries no event file
   */
  public Path writeEvent(Path data) throws IOException, TrustException {
    if (bundle().eventYaml() == null) {
      throw new TrustException(
          "the bundle of "
              + deviceId()
              + " carries no event file yet: publish the event (terrain provision event publish),"
              + " then roll the device, or pass --event FILE");
    }
    TrustFiles files = new TrustFiles(data);
    files.write(EVENT, bundle().eventYaml().getBytes(StandardCharsets.UTF_8));
    return files.file(EVENT);
  }

  public DeviceKeys keys() {
    return enrolled.keys();
  }

  public String mqttSecret() {
    return enrolled.mqttSecret();
  }

  /** The signed bundle as the server sent it. */
  public String bundleText() {
    return enrolled.bundleText();
  }

  public Bundle bundle() {
    return enrolled.bundle();
  }

  /** The bundle's entry of this device. */
  public Bundle.Entry self() {
    return enrolled.self();
  }

  public DeviceId deviceId() {
    return enrolled.id();
  }

  public DeviceKind kind() {
    return enrolled.kind();
  }

  /** The hub's MQTT address from the bundle, if it names one. */
  public Optional<String> hub() {
    return Optional.ofNullable(bundle().hub()).filter(h -> !h.isBlank());
  }

  /** The staff PIN's hash from the bundle, if it has one. */
  public Optional<String> pinHash() {
    return Optional.ofNullable(bundle().pinHash()).filter(h -> !h.isBlank());
  }

  /** The claim host from the bundle, without a scheme or a trailing slash, if it names one. */
  public Optional<String> claimHost() {
    String host = bundle().claimHost();
    if (host == null || host.isBlank()) {
      return Optional.empty();
    }
    host = host.strip().replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
    while (host.endsWith("/")) {
      host = host.substring(0, host.length() - 1);
    }
    return host.isEmpty() ? Optional.empty() : Optional.of(host);
  }

  @Override
  public String toString() {
    return "DeviceTrust["
        + deviceId()
        + ", "
        + kind().label()
        + ", event "
        + bundle().eventId()
        + "]";
  }
}
