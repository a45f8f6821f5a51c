// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.trust.Bundle;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;
import terrain.core.trust.SignedBundle;
import terrain.core.trust.TrustException;
import terrain.enrolment.EnrolledDevice;
import terrain.enrolment.EnrolmentClient;
import terrain.enrolment.EnrolmentException;
import terrain.enrolment.TrustFiles;

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

  /** The newest event configuration received over the uplink, in {@code DATA/trust/}. */
  public static final String CONFIG = "config";

  /** The kind a hub's bundle must give it. */
  private static final Set<DeviceKind> HUB = EnumSet.of(DeviceKind.HUB);

  private final TrustFiles files;
  private final EnrolledDevice device;
  private final PublicKey serverKey;
  private volatile Current current;

  private HubTrust(TrustFiles files, EnrolledDevice device) {
    this.files = files;
    this.device = device;
    this.serverKey = device.serverKey();
    this.current = new Current(device.bundle(), device.sha256());
  }

  /**
   * The trust kept in {@code dataDir}, empty when the folder was never enrolled; with the newest
   * configuration kept in {@code DATA/trust/config}, if it still checks out.
   */
  public static Optional<HubTrust> load(Path dataDir) throws TrustException {
    Optional<EnrolledDevice> device = EnrolledDevice.load(dataDir, HUB);
    if (device.isEmpty()) {
      return Optional.empty();
    }
    HubTrust trust = new HubTrust(new TrustFiles(dataDir), device.get());
    trust.loadConfig();
    return Optional.of(trust);
  }

  /**
   * Enrols the hub whose data folder is {@code dataDir} with its kit's {@code text}; a
   * configuration kept from an earlier enrolment is forgotten.
   *
   * @throws EnrolmentException with what to do; nothing was written
   */
  public static HubTrust enrol(EnrolmentClient client, EnrolmentText text, Path dataDir)
      throws EnrolmentException {
    EnrolledDevice device = client.forgetting(CONFIG).enrol(text, dataDir, HUB, Optional.empty());
    return new HubTrust(new TrustFiles(dataDir), device);
  }

  private void loadConfig() {
    Path file = files.file(CONFIG);
    if (!Files.isRegularFile(file)) {
      return;
    }
    try {
      String text = new String(files.read(CONFIG), StandardCharsets.UTF_8);
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
    if (!bundle.eventId().equals(enrolment().eventId())) {
      throw new TrustException(
          "the configuration is for event "
              + bundle.eventId()
              + " and this hub is enrolled for "
              + enrolment().eventId());
    }
    if (bundle.sequence() <= current.bundle().sequence()) {
      return Outcome.NOT_NEWER;
    }
    String canonical = signed.text();
    if (keep) {
      files.write(CONFIG, canonical.getBytes(StandardCharsets.UTF_8));
    }
    current = new Current(bundle, EnrolledDevice.sha256(canonical));
    return Outcome.ACCEPTED;
  }

  public DeviceId id() {
    return device.id();
  }

  /** The bundle received at enrolment (uplink address, event...). */
  public Bundle enrolment() {
    return device.bundle();
  }

  /** The device list in force: the newest signed bundle. */
  public Current current() {
    return current;
  }

  public DeviceKeys keys() {
    return device.keys();
  }

  /** The hub's own MQTT secret, for its uplink to the server. */
  public String mqttSecret() {
    return device.mqttSecret();
  }

  public PublicKey serverKey() {
    return serverKey;
  }

  public TrustFiles files() {
    return files;
  }

  @Override
  public String toString() {
    return "HubTrust[" + id() + ", sequence " + current.bundle().sequence() + "]";
  }
}
