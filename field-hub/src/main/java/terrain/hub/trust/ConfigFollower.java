// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.record.DeviceId;
import terrain.core.trust.Bundle;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.TrustException;
import terrain.core.wire.Topics;

/**
 * Follows the event's signed configuration, retained by the server on {@code
 * terrain/v1/event/{eventId}/config}: a newer one signed by the pinned server key replaces the
 * device list in force (so the broker's logins change at once) and every device it revokes is
 * disconnected. Devices revoked "after T" with T still ahead are disconnected by {@link #recheck}
 * once T passes.
 */
public final class ConfigFollower {
  private static final Logger log = LoggerFactory.getLogger(ConfigFollower.class);

  private final HubTrust trust;
  private final Clock clock;
  private volatile Consumer<String> disconnect = id -> {};
  private final Set<DeviceId> refused = new HashSet<>();

  public ConfigFollower(HubTrust trust, Clock clock) {
    this.trust = trust;
    this.clock = clock;
    synchronized (this) {
      refused.addAll(revokedNow(trust.current().bundle()));
    }
  }

  /** The topic to subscribe to over the uplink. */
  public String topic() {
    return Topics.eventConfig(trust.enrolment().eventId().value());
  }

  /** How to close a device's MQTT session (the hub's broker, once it runs). */
  public void disconnectWith(Consumer<String> disconnect) {
    this.disconnect = disconnect;
  }

  /** Handler of {@link #topic()}. */
  public void handle(String topic, byte[] payload) {
    if (payload.length == 0) {
      return; // a retained message cleared: nothing to take
    }
    Bundle before = trust.current().bundle();
    HubTrust.Outcome outcome;
    try {
      outcome = trust.offer(new String(payload, StandardCharsets.UTF_8));
    } catch (TrustException e) {
      log.warn("Ignored a configuration on {}: {}", topic, e.getMessage());
      return;
    } catch (IOException e) {
      log.error(
          "Could not keep the event configuration in {} ({}); the hub keeps the previous one."
              + " Check the data folder's disk space and permissions.",
          trust.files().folder(),
          e.toString());
      return;
    }
    if (outcome != HubTrust.Outcome.ACCEPTED) {
      log.debug("Configuration on {} is not newer than sequence {}", topic, before.sequence());
      return;
    }
    Bundle after = trust.current().bundle();
    log.info(
        "Event {} configuration {} in force: {} devices",
        after.eventId(),
        after.sequence(),
        after.devices().size());
    Set<DeviceId> newly =
        DeviceRoster.newlyRevoked(before, after, clock.instant().getEpochSecond());
    for (DeviceId id : newly) {
      log.warn("Device {} is revoked: disconnected", id);
      disconnect.accept(id.value());
    }
    synchronized (this) {
      refused.addAll(newly);
    }
    recheck();
  }

  /** Disconnects the devices whose revocation time has passed since the last check. */
  public synchronized void recheck() {
    Set<DeviceId> now = revokedNow(trust.current().bundle());
    for (DeviceId id : now) {
      if (!refused.contains(id)) {
        log.warn("Device {} is revoked from now: disconnected", id);
        disconnect.accept(id.value());
      }
    }
    refused.clear();
    refused.addAll(now);
  }

  private Set<DeviceId> revokedNow(Bundle bundle) {
    long now = clock.instant().getEpochSecond();
    Set<DeviceId> out = new HashSet<>();
    for (Bundle.Entry e : bundle.devices()) {
      if (e.kind() != DeviceKind.HUB && e.revokedAt(now)) {
        out.add(e.id());
      }
    }
    return out;
  }
}
