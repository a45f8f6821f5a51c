// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.devices;

import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.server.ledger.Transactions;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * The devices' Ed25519 public keys ({@code device_keys}), with which the server verifies tickets. A
 * key, once registered, is never replaced: a different key for the same device is a conflict.
 *
 * <p>Keys read are kept in memory for {@link #CACHE_TTL} (a claim needs its device's key, and keys
 * do not change): a revocation made through this instance counts at once, one made through another
 * instance sharing the database counts here within {@link #CACHE_TTL}.
 */
public final class DeviceRegistry {

  /** How long a key read from the database is trusted before being read again. */
  public static final java.time.Duration CACHE_TTL = java.time.Duration.ofSeconds(10);

  private static final int CACHE_MAX = 10_000;

  private static final String FIND =
      "SELECT public_key, registered_at, revoked_after FROM device_keys WHERE device_id = ?";
  private static final String FIND_EARLIER =
      "SELECT public_key FROM device_earlier_keys WHERE device_id = ? ORDER BY replaced_at DESC";
  private static final String SELECT_KEY = "SELECT public_key FROM device_keys WHERE device_id = ?";
  private static final String INSERT_KEY =
      "INSERT INTO device_keys (device_id, public_key, registered_at, revoked_after)"
          + " VALUES (?, ?, ?, NULL)";

  /**
   * What a batch's lookups and first-use registrations run inside the ingest's transaction ({@link
   * #findIn}, {@link #register}), for {@code RecordStore.prepareAccept}.
   */
  public static final List<String> INGEST_STATEMENTS =
      List.of(FIND, FIND_EARLIER, SELECT_KEY, INSERT_KEY);

  /**
   * A registered device; {@code rawKey} is the current public key's 32 bytes (do not modify),
   * {@code earlierKeys} the raw keys it had before it rolled (enrolment again), whose tickets stay
   * valid.
   */
  public record Registered(
      DeviceId device,
      PublicKey publicKey,
      byte[] rawKey,
      long registeredAt,
      OptionalLong revokedAfter,
      List<byte[]> earlierKeys) {
    public Registered {
      earlierKeys = List.copyOf(earlierKeys);
    }

    /** A device that never rolled. */
    public Registered(
        DeviceId device,
        PublicKey publicKey,
        byte[] rawKey,
        long registeredAt,
        OptionalLong revokedAfter) {
      this(device, publicKey, rawKey, registeredAt, revokedAfter, List.of());
    }

    /**
     * Whether what a trusted hop (the hub or this server) first received at {@code receivedAt}
     * (epoch seconds) falls after the revocation. Pass a receive time, never a ticket's own issue
     * time: a thief's device backdates what it signs.
     */
    public boolean revokes(long receivedAt) {
      return revokedAfter.isPresent() && receivedAt > revokedAfter.getAsLong();
    }
  }

  /** What registering a key did. */
  public enum Registration {
    REGISTERED,
    ALREADY_KNOWN,
    CONFLICT
  }

  private record Cached(Registered registered, long readAtMillis) {}

  private final Database database;
  private final java.time.Clock clock;
  private final java.util.concurrent.ConcurrentHashMap<DeviceId, Cached> cache =
      new java.util.concurrent.ConcurrentHashMap<>();

  public DeviceRegistry(Database database, java.time.Clock clock) {
    this.database = Objects.requireNonNull(database, "database");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The device's key; from memory when read less than {@link #CACHE_TTL} ago. */
  public Optional<Registered> find(DeviceId device) throws StoreException {
    long now = clock.millis();
    Optional<Registered> cached = cached(device, now);
    if (cached.isPresent()) {
      return cached;
    }
    return remember(
        device,
        Transactions.run(database, "reading the key of device " + device, c -> find(c, device)),
        now);
  }

  /**
   * As {@link #find(DeviceId)}, reading through the caller's transaction on a miss: for a hook that
   * runs inside the ingest's transaction and must not wait on a second connection.
   */
  public Optional<Registered> findIn(Connection c, DeviceId device) throws SQLException {
    long now = clock.millis();
    Optional<Registered> cached = cached(device, now);
    if (cached.isPresent()) {
      return cached;
    }
    return remember(device, find(c, device), now);
  }

  /** The device's key read less than {@link #CACHE_TTL} before {@code now}. */
  private Optional<Registered> cached(DeviceId device, long now) {
    Cached cached = cache.get(device);
    return cached != null && now - cached.readAtMillis() < CACHE_TTL.toMillis()
        ? Optional.of(cached.registered())
        : Optional.empty();
  }

  /** Keeps {@code found} (read at {@code now}) in memory, or forgets the device; gives it back. */
  private Optional<Registered> remember(DeviceId device, Optional<Registered> found, long now) {
    if (found.isPresent()) {
      if (cache.size() >= CACHE_MAX) {
        cache.clear();
      }
      cache.put(device, new Cached(found.get(), now));
    } else {
      cache.remove(device);
    }
    return found;
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
    byte[] current = currentKey(c, device);
    if (current != null) {
      return Arrays.equals(current, rawPublicKey)
          ? Registration.ALREADY_KNOWN
          : Registration.CONFLICT;
    }
    try (PreparedStatement insert = c.prepareStatement(INSERT_KEY)) {
      insert.setString(1, device.value());
      insert.setBytes(2, rawPublicKey);
      insert.setLong(3, now);
      insert.executeUpdate();
    }
    return Registration.REGISTERED;
  }

  /** The device's current key, null when it has none. */
  private static byte[] currentKey(Connection c, DeviceId device) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(SELECT_KEY)) {
      select.setString(1, device.value());
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
      }
    }
  }

  /**
   * Makes {@code rawPublicKey} the device's current key in the caller's transaction (an enrolment):
   * a different current key moves to {@code device_earlier_keys}, so that the tickets it signed
   * stay valid. Call {@link #forget} once committed.
   */
  public void roll(Connection c, DeviceId device, byte[] rawPublicKey, long now)
      throws SQLException {
    byte[] current = currentKey(c, device);
    if (current == null) {
      register(c, device, rawPublicKey, now);
      return;
    }
    if (Arrays.equals(current, rawPublicKey)) {
      return;
    }
    try (PreparedStatement keep =
        c.prepareStatement(
            "INSERT INTO device_earlier_keys (device_id, public_key, replaced_at)"
                + " VALUES (?, ?, ?)")) {
      keep.setString(1, device.value());
      keep.setBytes(2, current);
      keep.setLong(3, now);
      keep.executeUpdate();
    }
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE device_keys SET public_key = ?, registered_at = ? WHERE device_id = ?")) {
      update.setBytes(1, rawPublicKey);
      update.setLong(2, now);
      update.setString(3, device.value());
      update.executeUpdate();
    }
  }

  /**
   * Sets the revocation of a registered device in the caller's transaction; false when it has no
   * key. Call {@link #forget} once committed.
   */
  public boolean revoke(Connection c, DeviceId device, long after) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE device_keys SET revoked_after = ? WHERE device_id = ?")) {
      update.setLong(1, after);
      update.setString(2, device.value());
      return update.executeUpdate() == 1;
    }
  }

  /** Drops what is kept in memory of a device, after a change committed elsewhere. */
  public void forget(DeviceId device) {
    cache.remove(device);
  }

  /**
   * Refuses the device's tickets issued after {@code after} (epoch seconds). Returns false when the
   * device is unknown.
   */
  public boolean revoke(DeviceId device, long after) throws StoreException {
    boolean revoked =
        Transactions.run(
            database,
            "revoking device " + device,
            c -> {
              try (PreparedStatement update =
                  c.prepareStatement(
                      "UPDATE device_keys SET revoked_after = ? WHERE device_id = ?")) {
                update.setLong(1, after);
                update.setString(2, device.value());
                return update.executeUpdate() == 1;
              }
            });
    cache.remove(device);
    return revoked;
  }

  private static Optional<Registered> find(Connection c, DeviceId device) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(FIND)) {
      select.setString(1, device.value());
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        PublicKey key;
        byte[] raw = rs.getBytes(1);
        try {
          key = DeviceKeys.publicKeyFromRaw(raw);
        } catch (InvalidKeyException e) {
          throw new SQLException("the stored key of device " + device + " is not valid: " + e);
        }
        long registered = rs.getLong(2);
        long revoked = rs.getLong(3);
        OptionalLong revokedAfter = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(revoked);
        List<byte[]> earlier = new ArrayList<>();
        try (PreparedStatement keys = c.prepareStatement(FIND_EARLIER)) {
          keys.setString(1, device.value());
          try (ResultSet k = keys.executeQuery()) {
            while (k.next()) {
              earlier.add(k.getBytes(1));
            }
          }
        }
        return Optional.of(new Registered(device, key, raw, registered, revokedAfter, earlier));
      }
    }
  }
}
