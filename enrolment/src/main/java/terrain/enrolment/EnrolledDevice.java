// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.enrolment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.trust.Bundle;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.MqttSecret;
import terrain.core.trust.SignedBundle;
import terrain.core.trust.TrustException;

/**
 * What an enrolled device (kiosk, tablet or hub) knows of itself: its Ed25519 key pair, its MQTT
 * secret and the bundle the server signed for it. Made only through {@link #check}: the bundle's
 * signature holds, it names this device, lists it with one of the kinds the program runs as, and
 * its entry holds the public parts of {@code keys} and {@code mqttSecret}.
 *
 * @param bundleText the signed bundle as the server sent it
 * @param bundle the verified bundle
 * @param self the bundle's entry of this device
 */
public record EnrolledDevice(
    DeviceKeys keys, String mqttSecret, String bundleText, Bundle bundle, Bundle.Entry self) {

  public EnrolledDevice {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(mqttSecret, "mqttSecret");
    Objects.requireNonNull(bundleText, "bundleText");
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(self, "self");
  }

  /**
   * Checks a bundle received for (or kept by) a device against the device's own key and secret.
   *
   * @param allowed the kinds the program runs as
   * @throws TrustException if the bundle's signature, recipient, kind or entry does not hold
   */
  public static EnrolledDevice check(
      String bundleText, DeviceKeys keys, String mqttSecret, Set<DeviceKind> allowed)
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
    if (!allowed.contains(self.kind())) {
      throw new TrustException(
          self.id()
              + " is enrolled as a "
              + self.kind().label()
              + ", and this program runs as a "
              + allowed.stream().map(DeviceKind::label).sorted().collect(Collectors.joining(" or "))
              + ": "
              + kindAdvice(self.kind(), allowed));
    }
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
    String running = EnrolmentClient.version();
    if (olderThan(running, bundle.minimumVersion())) {
      throw new TrustException(
          "this device runs Terrain "
              + running
              + " and the event "
              + bundle.eventId()
              + " needs "
              + bundle.minimumVersion()
              + " or newer: update Terrain on this device, then start it again");
    }
    return new EnrolledDevice(keys, mqttSecret, bundleText.strip(), bundle, self);
  }

  /**
   * Whether dotted version {@code version} is older than {@code minimum} (numbers compared part by
   * part, missing parts as 0, anything after a '-' ignored). A minimum that is not a dotted number
   * is not enforced.
   */
  static boolean olderThan(String version, String minimum) {
    int[] v = parts(version);
    int[] m = parts(minimum);
    if (v == null || m == null) {
      return false;
    }
    for (int i = 0; i < Math.max(v.length, m.length); i++) {
      int a = i < v.length ? v[i] : 0;
      int b = i < m.length ? m[i] : 0;
      if (a != b) {
        return a < b;
      }
    }
    return false;
  }

  private static int[] parts(String version) {
    String core = version.split("-", 2)[0];
    if (!core.matches("[0-9]+(\\.[0-9]+){0,3}")) {
      return null;
    }
    return java.util.Arrays.stream(core.split("\\.")).mapToInt(Integer::parseInt).toArray();
  }

  private static String kindAdvice(DeviceKind actual, Set<DeviceKind> allowed) {
    if (actual == DeviceKind.HUB) {
      return "enrol a hub with terrain hub --enrol";
    }
    if (allowed.contains(DeviceKind.HUB)) {
      return "use its text with terrain kiosk --enrol, or enrol a hub with terrain provision"
          + " device enrol --kind hub";
    }
    return actual == DeviceKind.TABLET ? "add --mode tablet" : "leave --mode tablet out";
  }

  /**
   * The enrolment kept in {@code dataDir}, or empty when the folder was never enrolled (no bundle).
   * Needs no network.
   *
   * @throws TrustException if the files are unreadable, incomplete or do not match, with what to do
   */
  public static Optional<EnrolledDevice> load(Path dataDir, Set<DeviceKind> allowed)
      throws TrustException {
    TrustFiles files = new TrustFiles(dataDir);
    if (!files.enrolled()) {
      return Optional.empty();
    }
    String fix =
        ": restore "
            + files.folder()
            + " from a backup, or enrol this device again with a new text (terrain provision"
            + " device roll ID)";
    try {
      String text = new String(files.read(TrustFiles.BUNDLE), StandardCharsets.UTF_8);
      DeviceKeys keys = DeviceKeys.fromPkcs8(files.read(TrustFiles.KEY));
      String secret = new String(files.read(TrustFiles.SECRET), StandardCharsets.UTF_8).strip();
      return Optional.of(check(text, keys, secret, allowed));
    } catch (NoSuchFileException e) {
      throw new TrustException("the trust folder misses " + e.getFile() + fix, e);
    } catch (IOException e) {
      throw new TrustException("cannot read " + files.folder() + " (" + e + ")" + fix, e);
    } catch (InvalidKeyException | IllegalArgumentException e) {
      throw new TrustException(
          files.file(TrustFiles.KEY)
              + " is not an Ed25519 private key ("
              + e.getMessage()
              + ")"
              + fix,
          e);
    } catch (TrustException e) {
      throw new TrustException(e.getMessage() + fix, e);
    }
  }

  /** Keeps this enrolment in {@code DATA/trust/}: the key, the secret, then the bundle. */
  public void save(TrustFiles files) throws IOException {
    files.write(TrustFiles.KEY, keys.privateKeyPkcs8());
    files.write(TrustFiles.SECRET, mqttSecret.getBytes(StandardCharsets.UTF_8));
    // The bundle last: a folder with a bundle is an enrolled folder.
    files.write(TrustFiles.BUNDLE, (bundleText + "\n").getBytes(StandardCharsets.UTF_8));
  }

  public DeviceId id() {
    return self.id();
  }

  public DeviceKind kind() {
    return self.kind();
  }

  /** The server's key, pinned at enrolment (the bundle's signature was checked with it). */
  public PublicKey serverKey() {
    try {
      return DeviceKeys.publicKeyFromText(bundle.serverKey());
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("the bundle was verified with its server key", e);
    }
  }

  /** Hex SHA-256 of this enrolment's signed bundle, as the preflight shows it. */
  public String sha256() {
    return sha256(bundleText);
  }

  /** Hex SHA-256 of a signed bundle's text (stripped), as the preflight shows it. */
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
    return "EnrolledDevice[" + id() + ", " + kind().label() + ", event " + bundle.eventId() + "]";
  }
}
