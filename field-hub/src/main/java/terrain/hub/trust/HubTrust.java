// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.trust.Bundle;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.MqttSecret;
import terrain.core.trust.SignedBundle;
import terrain.core.trust.TrustException;

/**
 * What an enrolled hub trusts, read from {@code DATA/trust/} with no network: its own identity, key
 * and MQTT secret, the server's key pinned at enrolment, and the newest signed device list of its
 * event (the enrolment bundle, or a newer configuration received over the uplink).
 */
public final class HubTrust {
  private static final Logger log = LoggerFactory.getLogger(HubTrust.class);

  /** The device list in force and the signed text it came from. */
  public record Current(Bundle bundle, String sha256) {}

  /** What {@link #offer} did with a configuration. */
  public enum Outcome {
    ACCEPTED,
    NOT_NEWER,
    REFUSED
  }

  private final TrustFiles files;
  private final Bundle enrolment;
  private final DeviceKeys keys;
  private final String mqttSecret;
  private final PublicKey serverKey;
  private volatile Current current;

  private HubTrust(
      TrustFiles files,
      Bundle enrolment,
      String enrolmentText,
      DeviceKeys keys,
      String mqttSecret,
      PublicKey serverKey) {
    this.files = files;
    this.enrolment = enrolment;
    this.keys = keys;
    this.mqttSecret = mqttSecret;
    this.serverKey = serverKey;
    this.current = new Current(enrolment, sha256(enrolmentText));
  }

  /** The trust kept in {@code dataDir}, empty when the folder was never enrolled. */
  public static Optional<HubTrust> load(Path dataDir) throws TrustException {
    TrustFiles files = new TrustFiles(dataDir);
    if (!files.enrolled()) {
      return Optional.empty();
    }
    String fix =
        " Enrol this hub again (terrain hub --enrol TEXT, with a new text from"
            + " terrain provision device roll ID), or restore "
            + files.folder()
            + " from a backup.";
    try {
      String text = new String(files.read(TrustFiles.BUNDLE), StandardCharsets.UTF_8).strip();
      SignedBundle signed = SignedBundle.parse(text);
      Bundle bundle = signed.verifyFirst();
      Bundle.Entry self = checkOwn(bundle);
      DeviceKeys keys = DeviceKeys.fromPkcs8(files.read(TrustFiles.KEY));
      String secret = new String(files.read(TrustFiles.SECRET), StandardCharsets.UTF_8).strip();
      if (!keys.publicKeyText().equals(self.publicKey())) {
        throw new TrustException(
            files.file(TrustFiles.KEY) + " is not the key the server enrolled for " + self.id());
      }
      if (!MqttSecret.hash(secret).equals(self.secretHash())) {
        throw new TrustException(
            files.file(TrustFiles.SECRET)
                + " is not the MQTT secret the server enrolled for "
                + self.id());
      }
      HubTrust trust =
          new HubTrust(
              files, bundle, text, keys, secret, DeviceKeys.publicKeyFromText(bundle.serverKey()));
      trust.loadConfig();
      return Optional.of(trust);
    } catch (NoSuchFileException e) {
      throw new TrustException(
          "the hub's trust folder is incomplete: " + e.getFile() + " is missing." + fix, e);
    } catch (IOException e) {
      throw new TrustException("cannot read " + files.folder() + ": " + e + "." + fix, e);
    } catch (InvalidKeyException e) {
      throw new TrustException(
          "the hub's key in " + files.folder() + " is not valid: " + e.getMessage() + "." + fix, e);
    } catch (TrustException e) {
      throw new TrustException(
          "the hub's enrolment in " + files.folder() + " cannot be used: " + e.getMessage() + fix,
          e);
    }
  }

  /** Keeps a freshly enrolled hub's files and returns its trust. */
  static HubTrust store(TrustFiles files, SignedBundle signed, DeviceKeys keys, String secret)
      throws TrustException, IOException {
    Bundle bundle = signed.verifyFirst();
    checkOwn(bundle);
    files.write(TrustFiles.KEY, keys.privateKeyPkcs8());
    files.write(TrustFiles.SECRET, secret.getBytes(StandardCharsets.UTF_8));
    // The bundle last: a folder with a bundle is an enrolled folder.
    java.nio.file.Files.deleteIfExists(files.file(TrustFiles.CONFIG));
    files.write(TrustFiles.BUNDLE, signed.text().getBytes(StandardCharsets.UTF_8));
    try {
      return new HubTrust(
          files,
          bundle,
          signed.text(),
          keys,
          secret,
          DeviceKeys.publicKeyFromText(bundle.serverKey()));
    } catch (InvalidKeyException e) {
      throw new TrustException("the bundle's server key is not an Ed25519 key", e);
    }
  }

  /** The hub's own entry: the bundle was made for a hub. */
  static Bundle.Entry checkOwn(Bundle bundle) throws TrustException {
    if (bundle.recipient() == null) {
      throw new TrustException("the bundle names no recipient: it is not an enrolment bundle");
    }
    Bundle.Entry self =
        bundle
            .self()
            .orElseThrow(
                () ->
                    new TrustException(
                        "the bundle does not list its recipient " + bundle.recipient()));
    if (self.kind() != DeviceKind.HUB) {
      throw new TrustException(
          self.id()
              + " is enrolled as a "
              + self.kind().label()
              + ", not a hub: use its text with terrain kiosk --enrol, or enrol a hub with"
              + " terrain provision device enrol --kind hub");
    }
    return self;
  }

  private void loadConfig() {
    Path file = files.file(TrustFiles.CONFIG);
    if (!java.nio.file.Files.isRegularFile(file)) {
      return;
    }
    try {
      String text = new String(files.read(TrustFiles.CONFIG), StandardCharsets.UTF_8);
      Outcome outcome = accept(text, false);
      log.info("Kept event configuration {}: {}", file, outcome);
    } catch (IOException | TrustException e) {
      log.warn(
          "Ignored {} ({}); the hub uses its enrolment bundle until the server sends a newer"
              + " configuration",
          file,
          e.getMessage());
    }
  }

  /**
   * Takes a configuration received over the uplink if the pinned server key signed it, it is for no
   * single device, for this hub's event, and newer than the one in force; it is then kept in {@code
   * DATA/trust/config}.
   *
   * @throws TrustException with the reason when the configuration is refused
   */
  public Outcome offer(String text) throws TrustException, IOException {
    return accept(text, true);
  }

  private synchronized Outcome accept(String text, boolean keep)
      throws TrustException, IOException {
    SignedBundle signed = SignedBundle.parse(text);
    Bundle bundle = signed.verify(serverKey);
    if (bundle.recipient() != null) {
      throw new TrustException(
          "the configuration is made for device " + bundle.recipient() + ", not for a hub");
    }
    if (!bundle.eventId().equals(enrolment.eventId())) {
      throw new TrustException(
          "the configuration is for event "
              + bundle.eventId()
              + " and this hub is enrolled for "
              + enrolment.eventId());
    }
    if (bundle.sequence() <= current.bundle().sequence()) {
      return Outcome.NOT_NEWER;
    }
    String canonical = signed.text();
    if (keep) {
      files.write(TrustFiles.CONFIG, canonical.getBytes(StandardCharsets.UTF_8));
    }
    current = new Current(bundle, sha256(canonical));
    return Outcome.ACCEPTED;
  }

  public DeviceId id() {
    return enrolment.recipient();
  }

  /** The bundle received at enrolment (uplink address, event...). */
  public Bundle enrolment() {
    return enrolment;
  }

  /** The device list in force: the newest signed bundle. */
  public Current current() {
    return current;
  }

  public DeviceKeys keys() {
    return keys;
  }

  /** The hub's own MQTT secret, for its uplink to the server. */
  public String mqttSecret() {
    return mqttSecret;
  }

  public PublicKey serverKey() {
    return serverKey;
  }

  public TrustFiles files() {
    return files;
  }

  /** Hex SHA-256 of a signed bundle's text, as the preflight shows it. */
  public static String sha256(String signedText) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(signedText.strip().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "HubTrust[" + id() + ", sequence " + current.bundle().sequence() + "]";
  }
}
