// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.util.Objects;
import java.util.Optional;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.trust.Bundle;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.MqttSecret;
import terrain.core.trust.SignedBundle;
import terrain.core.trust.TrustException;

/**
 * What an enrolled kiosk or tablet knows of itself, from {@code DATA/trust/}: its id and kind, its
 * Ed25519 key pair, its MQTT secret and the bundle the server signed for it. Read at every start
 * with no network.
 *
 * @param bundleText the signed bundle as the server sent it
 * @param bundle the verified bundle; its recipient is this device and its entry holds the public
 *     parts of {@code keys} and {@code mqttSecret}
 */
public record DeviceTrust(
    DeviceKeys keys, String mqttSecret, String bundleText, Bundle bundle, Bundle.Entry self) {

  public DeviceTrust {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(mqttSecret, "mqttSecret");
    Objects.requireNonNull(bundleText, "bundleText");
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(self, "self");
  }

  /**
   * Checks a bundle received for (or kept by) a device against the device's own key and secret.
   *
   * @throws TrustException if the bundle's signature, recipient or entry does not hold
   */
  public static DeviceTrust of(String bundleText, DeviceKeys keys, String mqttSecret)
      throws TrustException {
    Bundle bundle = SignedBundle.parse(bundleText).verifyFirst();
    if (bundle.recipient() == null) {
      throw new TrustException(
          "the bundle names no device: it is an event's hub configuration, not an enrolment");
    }
    Bundle.Entry self =
        bundle
            .self()
            .orElseThrow(
                () ->
                    new TrustException(
                        "the bundle does not list its own device " + bundle.recipient()));
    if (!self.publicKey().equals(keys.publicKeyText())) {
      throw new TrustException(
          "the bundle of "
              + self.id()
              + " holds another public key than this device's: enrol the device again from its"
              + " kit");
    }
    if (!MqttSecret.hash(mqttSecret).equals(self.secretHash())) {
      throw new TrustException(
          "the bundle of "
              + self.id()
              + " holds another MQTT secret than this device's: enrol the device again from its"
              + " kit");
    }
    return new DeviceTrust(keys, mqttSecret, bundleText.strip(), bundle, self);
  }

  /** Whether {@code DATA/trust/bundle} exists: the device was enrolled. */
  public static boolean enrolled(Path data) {
    return Files.exists(TrustFiles.folder(data).resolve(TrustFiles.BUNDLE));
  }

  /**
   * The trust kept in {@code data}, or empty when the device was never enrolled (no bundle).
   *
   * @throws TrustException if the files are unreadable, incomplete or do not match
   */
  public static Optional<DeviceTrust> load(Path data) throws TrustException {
    Path folder = TrustFiles.folder(data);
    if (!enrolled(data)) {
      return Optional.empty();
    }
    String fix = ": restore " + folder + " from a backup, or enrol the device again (roll it)";
    try {
      String bundleText = Files.readString(folder.resolve(TrustFiles.BUNDLE));
      DeviceKeys keys =
          readKey(data)
              .orElseThrow(
                  () -> new NoSuchFileException(folder.resolve(TrustFiles.PRIVATE_KEY).toString()));
      String secret =
          Files.readString(folder.resolve(TrustFiles.MQTT_SECRET), StandardCharsets.UTF_8).strip();
      return Optional.of(of(bundleText, keys, secret));
    } catch (NoSuchFileException e) {
      throw new TrustException("the trust folder misses " + e.getMessage() + fix, e);
    } catch (IOException e) {
      throw new TrustException("cannot read " + folder + " (" + e + ")" + fix, e);
    } catch (TrustException e) {
      throw new TrustException(e.getMessage() + fix, e);
    }
  }

  /**
   * The private key kept in {@code DATA/trust/device-ed25519.pk8}, empty when there is none.
   *
   * @throws IOException if it cannot be read or is not an Ed25519 PKCS#8 key
   */
  public static Optional<DeviceKeys> readKey(Path data) throws IOException {
    Path file = TrustFiles.folder(data).resolve(TrustFiles.PRIVATE_KEY);
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
    TrustFiles.writeOwnerOnly(data, TrustFiles.PRIVATE_KEY, keys.privateKeyPkcs8());
  }

  /** Keeps this trust in {@code DATA/trust/}: the key, the secret, then the bundle. */
  public void save(Path data) throws IOException {
    writeKey(data, keys);
    TrustFiles.writeOwnerOnly(
        data, TrustFiles.MQTT_SECRET, mqttSecret.getBytes(StandardCharsets.UTF_8));
    TrustFiles.writeOwnerOnly(
        data, TrustFiles.BUNDLE, (bundleText + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes the bundle's event file to {@code DATA/trust/event.yaml} and returns its path.
   *
   * @throws TrustException if the bundle carries no event file
   */
  public Path writeEvent(Path data) throws IOException, TrustException {
    if (bundle.eventYaml() == null) {
      throw new TrustException(
          "the bundle of "
              + deviceId()
              + " carries no event file yet: publish the event (terrain provision event publish),"
              + " then roll the device, or pass --event FILE");
    }
    TrustFiles.writeOwnerOnly(
        data, TrustFiles.EVENT, bundle.eventYaml().getBytes(StandardCharsets.UTF_8));
    return TrustFiles.folder(data).resolve(TrustFiles.EVENT);
  }

  public DeviceId deviceId() {
    return self.id();
  }

  public DeviceKind kind() {
    return self.kind();
  }

  /** The hub's MQTT address from the bundle, if it names one. */
  public Optional<String> hub() {
    return Optional.ofNullable(bundle.hub()).filter(h -> !h.isBlank());
  }

  /** The staff PIN's hash from the bundle, if it has one. */
  public Optional<String> pinHash() {
    return Optional.ofNullable(bundle.pinHash()).filter(h -> !h.isBlank());
  }

  /** The claim host from the bundle, without a scheme or a trailing slash, if it names one. */
  public Optional<String> claimHost() {
    String host = bundle.claimHost();
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
        + bundle.eventId()
        + "]";
  }
}
