// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.transport;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import terrain.core.trust.MqttSecret;
import terrain.transport.MqttCredentials.Principal;

/**
 * Who may log in to a Terrain broker: given a well-formed username ({@link Principal}) and the
 * CONNECT password, accept or refuse. Brokers ask on every CONNECT, so an implementation answers
 * from memory.
 *
 * <p>Production brokers accept each device's own secret, checked against the SHA-256 the device
 * sent at enrolment ({@link #hashes}), and each service's own secret; the public development site
 * key ({@link #siteKey}) only with {@code --dev}.
 */
@FunctionalInterface
public interface Logins {

  /** Whether {@code who} may log in with {@code password} (the CONNECT password's bytes). */
  boolean accepts(Principal who, byte[] password);

  /** Passwords derived from a site key ({@link MqttCredentials#passwordFor}). */
  static Logins siteKey(String siteKey) {
    MqttCredentials.passwordFor(siteKey, MqttCredentials.serviceUsername("check"));
    return (who, password) -> MqttCredentials.verify(siteKey, who.username(), password);
  }

  /**
   * Each username's own secret, checked against its {@link MqttSecret#hash}; {@code hashOf} gives
   * the hash of a username, or empty when the username is unknown or refused (revoked).
   */
  static Logins hashes(Function<String, Optional<String>> hashOf) {
    Objects.requireNonNull(hashOf, "hashOf");
    return (who, password) ->
        hashOf.apply(who.username()).map(h -> MqttSecret.matches(h, password)).orElse(false);
  }

  /** Fixed usernames with their secrets' hashes (a process's own services). */
  static Logins of(Map<String, String> hashByUsername) {
    Map<String, String> copy = Map.copyOf(hashByUsername);
    return hashes(username -> Optional.ofNullable(copy.get(username)));
  }

  /** Accepts what this or {@code other} accepts. */
  default Logins or(Logins other) {
    Objects.requireNonNull(other, "other");
    return (who, password) -> accepts(who, password) || other.accepts(who, password);
  }
}
