// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.trust;

import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.record.DeviceId;
import terrain.core.trust.Bundle;
import terrain.core.trust.DeviceKind;
import terrain.transport.Logins;
import terrain.transport.MqttCredentials;

/**
 * Who may log in to an enrolled hub's broker, from the signed device list in force: each kiosk or
 * tablet of the event with its own secret (checked against its hash) unless revoked, and the hub
 * itself as {@code hub:ID} (its own uplink identity, for a hub that is its own uplink). Everything
 * else is refused; a device unknown to the list is logged once.
 */
public final class DeviceRoster {
  private static final Logger log = LoggerFactory.getLogger(DeviceRoster.class);

  /** Ids logged as unknown at most: a scanner must not fill the memory. */
  private static final int MAX_LOGGED = 1000;

  private final Supplier<Bundle> bundle;
  private final DeviceId self;
  private final String selfHash;
  private final Clock clock;
  private final Set<String> loggedUnknown = ConcurrentHashMap.newKeySet();

  public DeviceRoster(Supplier<Bundle> bundle, DeviceId self, String selfHash, Clock clock) {
    this.bundle = bundle;
    this.self = self;
    this.selfHash = selfHash;
    this.clock = clock;
  }

  /** The logins of the kiosks and tablets (and of the hub itself). */
  public Logins logins() {
    return Logins.hashes(this::hashOf);
  }

  private Optional<String> hashOf(String username) {
    Optional<MqttCredentials.Principal> who = MqttCredentials.parse(username);
    if (who.isEmpty()) {
      return Optional.empty();
    }
    switch (who.get().role()) {
      case HUB:
        return who.get().id().equals(self.value()) ? Optional.of(selfHash) : Optional.empty();
      case DEVICE:
        break;
      default:
        return Optional.empty();
    }
    String id = who.get().id();
    Optional<Bundle.Entry> entry =
        DeviceId.isValid(id) ? bundle.get().device(DeviceId.of(id)) : Optional.empty();
    if (entry.isEmpty() || entry.get().kind() == DeviceKind.HUB) {
      if (loggedUnknown.size() < MAX_LOGGED && loggedUnknown.add(id)) {
        log.warn(
            "Device {} is not enrolled for event {}: refused. Enrol it (terrain provision device"
                + " enrol) and start it with its enrolment text.",
            id,
            bundle.get().eventId());
      }
      return Optional.empty();
    }
    if (entry.get().revokedAt(clock.instant().getEpochSecond())) {
      return Optional.empty();
    }
    return Optional.of(entry.get().secretHash());
  }

  /** Whether {@code device} is revoked now (records it sends are set aside). */
  public boolean revoked(DeviceId device) {
    return bundle
        .get()
        .device(device)
        .map(e -> e.revokedAt(clock.instant().getEpochSecond()))
        .orElse(false);
  }

  /**
   * The kiosks and tablets allowed by {@code before} and not by {@code after} at {@code now}
   * (revoked, or gone from the list).
   */
  public static Set<DeviceId> newlyRevoked(Bundle before, Bundle after, long now) {
    Set<DeviceId> out = new HashSet<>();
    for (Bundle.Entry e : after.devices()) {
      if (e.kind() == DeviceKind.HUB || !e.revokedAt(now)) {
        continue;
      }
      boolean was = before.device(e.id()).map(b -> b.revokedAt(now)).orElse(false);
      if (!was) {
        out.add(e.id());
      }
    }
    for (Bundle.Entry e : before.devices()) {
      if (e.kind() != DeviceKind.HUB && after.device(e.id()).isEmpty()) {
        out.add(e.id());
      }
    }
    return out;
  }
}
