// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.devices;

import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import terrain.core.record.DeviceId;
import terrain.core.store.Database;
import terrain.core.store.StoreException;
import terrain.core.ticket.DeviceKeys;
import terrain.server.ledger.Transactions;

/**
 * The devices' Ed25519 public keys ({@code device_keys}), with which the server verifies tickets. A
 * key, once registered, is never replaced: a different key for the same device is a conflict.
 */
public final class DeviceRegistry {

  /** A registered device. */
  public record Registered(
      DeviceId device, PublicKey publicKey, long registeredAt, OptionalLong revokedAfter) {
    /** Whether a ticket issued at {@code issuedAt} (epoch seconds) falls after the revocation. */
    public boolean revokes(long issuedAt) {
      return revokedAfter.isPresent() && issuedAt > revokedAfter.getAsLong();
    }
  }

  /** What registering a key did. */
  public enum Registration {
    REGISTERED,
    ALREADY_KNOWN,
    CONFLICT
  }

  private final Database database;

  public DeviceRegistry(Database database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  public Optional<Registered> find(DeviceId device) throws StoreException {
    return Transactions.run(database, "reading the key of device " + device, c -> find(c, device));
  }

  /** Registers a key in its own transaction (for provisioning and tests). */
  public Registration register(DeviceId device, byte[] rawPublicKey, long now)
      throws StoreException {
    return Transactions.run(
        database,
        "registering the key of device " + device,
        c -> register(c, device, rawPublicKey, now));
  }

  /** Registers a key in the caller's transaction; an existing key is never replaced. */
  public Registration register(Connection c, DeviceId device, byte[] rawPublicKey, long now)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT public_key FROM device_keys WHERE device_id = ?")) {
      select.setString(1, device.value());
      try (ResultSet rs = select.executeQuery()) {
        if (rs.next()) {
          return Arrays.equals(rs.getBytes(1), rawPublicKey)
              ? Registration.ALREADY_KNOWN
              : Registration.CONFLICT;
        }
      }
    }
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO device_keys (device_id, public_key, registered_at, revoked_after)"
                + " VALUES (?, ?, ?, NULL)")) {
      insert.setString(1, device.value());
      insert.setBytes(2, rawPublicKey);
      insert.setLong(3, now);
      insert.executeUpdate();
    }
    return Registration.REGISTERED;
  }

  /**
   * Refuses the device's tickets issued after {@code after} (epoch seconds). Returns false when the
   * device is unknown.
   */
  public boolean revoke(DeviceId device, long after) throws StoreException {
    return Transactions.run(
        database,
        "revoking device " + device,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement("UPDATE device_keys SET revoked_after = ? WHERE device_id = ?")) {
            update.setLong(1, after);
            update.setString(2, device.value());
            return update.executeUpdate() == 1;
          }
        });
  }

  private static Optional<Registered> find(Connection c, DeviceId device) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT public_key, registered_at, revoked_after FROM device_keys"
                + " WHERE device_id = ?")) {
      select.setString(1, device.value());
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        PublicKey key;
        try {
          key = DeviceKeys.publicKeyFromRaw(rs.getBytes(1));
        } catch (InvalidKeyException e) {
          throw new SQLException("the stored key of device " + device + " is not valid: " + e);
        }
        long registered = rs.getLong(2);
        long revoked = rs.getLong(3);
        OptionalLong revokedAfter = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(revoked);
        return Optional.of(new Registered(device, key, registered, revokedAfter));
      }
    }
  }
}
