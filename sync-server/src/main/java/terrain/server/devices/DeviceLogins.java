// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.devices;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import terrain.store.StoreException;
import terrain.transport.Logins;

/**
 * The MQTT logins of enrolled devices and hubs on the server's broker: each username with the hash
 * of its own secret, read from the database at start and after every change ({@link #refresh}), so
 * that the broker answers each CONNECT from memory. A device revoked from a time before now is
 * refused.
 */
public final class DeviceLogins {

  private record Login(String secretHash, Long revokedAfter) {}

  /** Where the enrolled devices are read. */
  @FunctionalInterface
  public interface Source {
    List<Enrolments.Device> enrolled() throws StoreException;
  }

  private final Source enrolments;
  private final Clock clock;
  private volatile Map<String, Login> byUsername = Map.of();

  public DeviceLogins(Source enrolments, Clock clock) {
    this.enrolments = Objects.requireNonNull(enrolments, "enrolments");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Reads the enrolled devices again. */
  public void refresh() throws StoreException {
    Map<String, Login> map = new HashMap<>();
    for (Enrolments.Device device : enrolments.enrolled()) {
      map.put(device.mqttUsername(), new Login(device.secretHash(), device.revokedAfter()));
    }
    byUsername = Map.copyOf(map);
  }

  /** The broker's check: the device's own secret, unless it is revoked. */
  public Logins logins() {
    return Logins.hashes(this::hashOf);
  }

  private Optional<String> hashOf(String username) {
    Login login = byUsername.get(username);
    if (login == null) {
      return Optional.empty();
    }
    if (login.revokedAfter() != null && clock.instant().getEpochSecond() >= login.revokedAfter()) {
      return Optional.empty();
    }
    return Optional.of(login.secretHash());
  }
}
