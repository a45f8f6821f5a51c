// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.devices;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import terrain.core.id.EventId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.trust.Bundle;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.SignedBundle;

/**
 * Makes the bundles the server signs with its own key: a device's, in answer to its enrolment, and
 * an event's configuration for its hubs (no recipient). Every bundle takes the next value of a
 * counter kept in the database ({@code trust_counters}), so a newer bundle always has a higher
 * sequence, whichever server instance signed it.
 */
public final class TrustBundles {

  /** The oldest Terrain version allowed to run an event, written in every bundle. */
  public static final String MINIMUM_VERSION = "0.1.0";

  /**
   * What every bundle says of the server.
   *
   * @param uplink the server's MQTT address for hubs ({@code tcp://HOST:PORT})
   * @param claimHost the claim site printed on tickets (the server's public address, known once
   *     HTTP listens), or null
   * @param certificateSha256 hex SHA-256 of the server's TLS certificate, which hubs pin, or null
   */
  public record Settings(
      String uplink, java.util.function.Supplier<String> claimHost, String certificateSha256) {
    /** Settings of a server without TLS. */
    public Settings(String uplink, java.util.function.Supplier<String> claimHost) {
      this(uplink, claimHost, null);
    }
  }

  private final DeviceKeys serverKeys;
  private final EventTexts events;
  private final Settings settings;
  private final Clock clock;

  public TrustBundles(DeviceKeys serverKeys, EventTexts events, Settings settings, Clock clock) {
    this.serverKeys = Objects.requireNonNull(serverKeys, "serverKeys");
    this.events = Objects.requireNonNull(events, "events");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The server's public key, base64url of the raw 32 bytes. */
  public String serverKey() {
    return serverKeys.publicKeyText();
  }

  /** The server's signing keys (tests verify with the public one). */
  public DeviceKeys serverKeys() {
    return serverKeys;
  }

  /** A device's bundle, in the caller's transaction. */
  SignedBundle forDevice(Connection c, Enrolments.Device device, List<Bundle.Entry> devices)
      throws SQLException {
    return sign(
        c,
        device.event(),
        device.id(),
        device.hub(),
        device.kind() == DeviceKind.HUB ? settings.uplink() : null,
        device.pinHash(),
        devices);
  }

  /** An event's configuration for its hubs, in the caller's transaction. */
  SignedBundle forEvent(Connection c, EventId event, List<Bundle.Entry> devices)
      throws SQLException {
    return sign(c, event, null, null, settings.uplink(), null, devices);
  }

  private SignedBundle sign(
      Connection c,
      EventId event,
      terrain.core.record.DeviceId recipient,
      String hub,
      String uplink,
      String pinHash,
      List<Bundle.Entry> devices)
      throws SQLException {
    Optional<EventTexts.Text> text = events.latest(c, event);
    Bundle bundle =
        new Bundle(
            Bundle.FORMAT,
            nextSequence(c),
            clock.instant().getEpochSecond(),
            serverKeys.publicKeyText(),
            recipient,
            event,
            text.map(EventTexts.Text::version).orElse(0),
            text.map(EventTexts.Text::yaml).orElse(null),
            settings.claimHost().get(),
            uplink,
            hub,
            settings.certificateSha256(),
            MINIMUM_VERSION,
            pinHash,
            devices);
    return SignedBundle.sign(bundle, serverKeys);
  }

  /** The next bundle sequence, in the caller's transaction (the row lock orders signers). */
  static long nextSequence(Connection c) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE trust_counters SET counter_value = counter_value + 1 WHERE name = 'bundle'")) {
      if (update.executeUpdate() != 1) {
        throw new SQLException("the bundle counter row is missing from trust_counters");
      }
    }
    try (PreparedStatement select =
            c.prepareStatement("SELECT counter_value FROM trust_counters WHERE name = 'bundle'");
        ResultSet rs = select.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
