// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.devices;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;
import terrain.core.trust.Bundle;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;
import terrain.core.trust.MqttSecret;
import terrain.core.trust.SignedBundle;
import terrain.core.trust.TrustException;
import terrain.server.ledger.Transactions;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * The devices ops staff enrol ({@code enrolled_devices}): each gets an id and a single-use,
 * expiring token; the device sends its own public key and the hash of its own MQTT secret with the
 * token, and receives a bundle signed by the server ({@link TrustBundles}). Revocation, a new token
 * for the same identity (roll) and the replacement of a broken device change the event's
 * configuration, which {@link Listener} hears once committed.
 *
 * <p>The token is never stored, only its SHA-256; the current Ed25519 key is also registered in
 * {@code device_keys} (through {@link DeviceRegistry}) so that tickets verify, and the keys a
 * device had before a roll stay there as earlier keys.
 */
public final class Enrolments {
  private static final Logger log = LoggerFactory.getLogger(Enrolments.class);

  /** Default and bounds of a token's validity, in hours. */
  public static final int DEFAULT_VALID_HOURS = 48;

  public static final int MAX_VALID_HOURS = 720;

  /** Devices enrolled at once at most. */
  public static final int MAX_COUNT = 200;

  /** Characters of a device's name at most. */
  public static final int MAX_NAME = 80;

  /** What an admin or a device sees of an enrolled device's life. */
  public enum State {
    WAITING,
    ENROLLED,
    EXPIRED,
    REVOKED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A device as the server keeps it (public parts only).
   *
   * @param publicKey base64url of the raw Ed25519 key, null until enrolled
   * @param secretHash hex SHA-256 of its MQTT secret, null until enrolled
   */
  public record Device(
      DeviceId id,
      DeviceKind kind,
      String name,
      EventId event,
      String hub,
      State state,
      Long enrolledAt,
      Long revokedAfter,
      DeviceId replaces,
      DeviceId replacedBy,
      String publicKey,
      String secretHash,
      String pinHash,
      long tokenExpiresAt) {

    /** The MQTT username the device logs in with. */
    public String mqttUsername() {
      return (kind == DeviceKind.HUB ? "hub:" : "dev:") + id.value();
    }

    /** Its entry in bundles, when enrolled. */
    public Optional<Bundle.Entry> entry() {
      if (publicKey == null || secretHash == null) {
        return Optional.empty();
      }
      return Optional.of(new Bundle.Entry(id, kind, name, publicKey, secretHash, revokedAfter));
    }
  }

  /**
   * What ops staff ask for.
   *
   * @param name null: the id; with {@code count > 1}, "NAME 1", "NAME 2"...
   * @param hub the hub's MQTT address for kiosks and tablets, or null
   * @param pinHash the staff PIN's {@link terrain.core.trust.PinHash}, or null
   */
  public record Order(
      DeviceKind kind,
      EventId event,
      String name,
      int count,
      int validHours,
      String hub,
      String pinHash) {
    public Order {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(event, "event");
      if (count < 1 || count > MAX_COUNT) {
        throw new IllegalArgumentException("count must be 1 to " + MAX_COUNT);
      }
      if (validHours < 1 || validHours > MAX_VALID_HOURS) {
        throw new IllegalArgumentException("validHours must be 1 to " + MAX_VALID_HOURS);
      }
    }
  }

  /** A device with its fresh token (shown once, never stored). */
  public record Issued(Device device, String token) {
    /** The text to print as the enrolment QR code. */
    public EnrolmentText text(java.net.URI server) {
      return new EnrolmentText(server, device.id(), token);
    }
  }

  /** What came of an enrolment. */
  public sealed interface Enrolment {}

  /** Enrolled: the signed bundle for the device. */
  public record Enrolled(Device device, SignedBundle bundle) implements Enrolment {}

  /** Unknown device or wrong token: the same answer for both. */
  public record NotFound() implements Enrolment {}

  /** The token was used, expired, or the device is revoked; {@code reason} says which. */
  public record Gone(String reason) implements Enrolment {}

  /** What came of a change an admin asked for. */
  public sealed interface Change {}

  /** Done; {@code device} as it is now, {@code token} a new token for a roll (else null). */
  public record Changed(Device device, String token) implements Change {}

  /** No such device. */
  public record Unknown(DeviceId id) implements Change {}

  /** Refused, with the reason and what to do. */
  public record Refused(String reason) implements Change {}

  /** Hears every committed change of an event's devices. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param event whose configuration changed
     * @param revoked devices whose revocation counts from now on (to disconnect), maybe empty
     */
    void changed(EventId event, List<Device> revoked);
  }

  private final Database database;
  private final DeviceRegistry registry;
  private final TrustBundles bundles;
  private final Clock clock;
  private final SecureRandom random;
  private volatile java.util.function.Consumer<Enrolment> enrolled = result -> {};
  private volatile Listener listener = (event, revoked) -> {};

  public Enrolments(
      Database database,
      DeviceRegistry registry,
      TrustBundles bundles,
      Clock clock,
      SecureRandom random) {
    this.database = Objects.requireNonNull(database, "database");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.bundles = Objects.requireNonNull(bundles, "bundles");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Who hears changes (one listener; set before serving requests). */
  public void listen(Listener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** The bundles this service signs. */
  public TrustBundles bundles() {
    return bundles;
  }

  /** New devices waiting for their enrolment, each with a token valid {@code validHours}. */
  public List<Issued> create(Order order) throws StoreException {
    long now = now();
    long expires = now + Duration.ofHours(order.validHours()).toSeconds();
    List<Issued> issued =
        Transactions.run(
            database,
            "enrolling " + order.count() + " " + order.kind().label(),
            c -> {
              List<Issued> out = new ArrayList<>();
              for (int i = 1; i <= order.count(); i++) {
                DeviceId id = newId(order.kind());
                String name =
                    order.name() == null
                        ? id.value()
                        : order.count() > 1 ? order.name() + " " + i : order.name();
                String token = EnrolmentText.newToken(random);
                try (PreparedStatement insert =
                    c.prepareStatement(
                        "INSERT INTO enrolled_devices (id, kind, name, event_id, hub_address,"
                            + " token_hash, token_expires_at, state, pin_hash, created_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?)")) {
                  insert.setString(1, id.value());
                  insert.setString(2, order.kind().label());
                  insert.setString(3, name);
                  insert.setString(4, order.event().value());
                  insert.setString(5, order.hub());
                  insert.setString(6, tokenHash(token));
                  insert.setLong(7, expires);
                  insert.setString(8, order.pinHash());
                  insert.setLong(9, now);
                  insert.executeUpdate();
                }
                out.add(new Issued(find(c, id, now).orElseThrow(), token));
              }
              return out;
            });
    log.info(
        "{} {} enrolment(s) created for event {}, valid until {}",
        issued.size(),
        order.kind().label(),
        order.event(),
        java.time.Instant.ofEpochSecond(expires));
    return issued;
  }

  /** Every device, or those of one event, by event then name. */
  public List<Device> list(Optional<EventId> event) throws StoreException {
    long now = now();
    return Transactions.run(
        database,
        "listing enrolled devices",
        c -> {
          String sql =
              SELECT
                  + (event.isPresent() ? " WHERE event_id = ?" : "")
                  + " ORDER BY event_id, name, id";
          try (PreparedStatement select = c.prepareStatement(sql)) {
            if (event.isPresent()) {
              select.setString(1, event.get().value());
            }
            return read(select, now);
          }
        });
  }

  /** One device. */
  public Optional<Device> find(DeviceId id) throws StoreException {
    long now = now();
    return Transactions.run(database, "reading device " + id, c -> find(c, id, now));
  }

  /** The enrolled devices of every event (the MQTT logins). */
  public List<Device> enrolled() throws StoreException {
    return enrolled(database, clock);
  }

  /** As {@link #enrolled()}, before the service is made (the broker starts first). */
  public static List<Device> enrolled(Database database, Clock clock) throws StoreException {
    long now = clock.instant().getEpochSecond();
    return Transactions.run(
        database,
        "reading enrolled devices",
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(SELECT + " WHERE mqtt_secret_hash IS NOT NULL")) {
            return read(select, now);
          }
        });
  }

  /** The events that have at least one enrolled device. */
  public List<EventId> eventsWithDevices() throws StoreException {
    return Transactions.run(
        database,
        "reading events with devices",
        c -> {
          List<EventId> out = new ArrayList<>();
          try (PreparedStatement select =
                  c.prepareStatement(
                      "SELECT DISTINCT event_id FROM enrolled_devices"
                          + " WHERE public_key IS NOT NULL");
              ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
              out.add(EventId.of(rs.getString(1)));
            }
          }
          return out;
        });
  }

  /**
   * Exchanges a token for the device's bundle: the device's public key and MQTT secret hash become
   * its own (a key it had before moves to the earlier keys). A token works once.
   */
  public Enrolment enrol(
      DeviceId id, String token, byte[] rawPublicKey, String secretHash, String version)
      throws StoreException {
    Enrolment result = enrolOnce(id, token, rawPublicKey, secretHash, version);
    enrolled.accept(result);
    return result;
  }

  /** Tells {@code observer} the result of every enrolment (for the metrics); replaces the last. */
  public void observeEnrolments(java.util.function.Consumer<Enrolment> observer) {
    this.enrolled = java.util.Objects.requireNonNull(observer, "observer");
  }

  private Enrolment enrolOnce(
      DeviceId id, String token, byte[] rawPublicKey, String secretHash, String version)
      throws StoreException {
    long now = now();
    String publicKey = Base64.getUrlEncoder().withoutPadding().encodeToString(rawPublicKey);
    Enrolment result =
        Transactions.run(
            database,
            "enrolling device " + id,
            c -> {
              Optional<Row> row = row(c, id);
              if (row.isEmpty() || !sameHash(row.get().tokenHash, tokenHash(token))) {
                return new NotFound();
              }
              Row r = row.get();
              if (r.state.equals("revoked")) {
                return new Gone(
                    "device "
                        + id
                        + " is revoked: enrol a new device (terrain provision device enrol), and"
                        + " replace this one with it (terrain provision device replace)");
              }
              if (r.tokenUsedAt != null) {
                return new Gone(
                    "this enrolment token was used already: ask ops for a new one: terrain"
                        + " provision device roll "
                        + id);
              }
              if (now >= r.tokenExpiresAt) {
                return new Gone(
                    "this enrolment token expired at "
                        + java.time.Instant.ofEpochSecond(r.tokenExpiresAt)
                        + ": ask ops for a new one: terrain provision device roll "
                        + id);
              }
              try (PreparedStatement update =
                  c.prepareStatement(
                      "UPDATE enrolled_devices SET token_used_at = ?, state = 'enrolled',"
                          + " enrolled_at = ?, public_key = ?, mqtt_secret_hash = ?,"
                          + " client_version = ? WHERE id = ? AND token_used_at IS NULL")) {
                update.setLong(1, now);
                update.setLong(2, now);
                update.setString(3, publicKey);
                update.setString(4, secretHash);
                update.setString(5, version);
                update.setString(6, id.value());
                if (update.executeUpdate() != 1) {
                  return new Gone(
                      "this enrolment token was used already: ask ops for a new one: terrain"
                          + " provision device roll "
                          + id);
                }
              }
              registry.roll(c, id, rawPublicKey, now);
              Device device = find(c, id, now).orElseThrow();
              return new Enrolled(
                  device, bundles.forDevice(c, device, devicesOf(c, device.event())));
            });
    if (result instanceof Enrolled enrolled) {
      registry.forget(id);
      log.info(
          "Device {} ({} of event {}) enrolled",
          id,
          enrolled.device().kind().label(),
          enrolled.device().event());
      listener.changed(enrolled.device().event(), List.of());
    }
    return result;
  }

  /** Refuses the device from {@code after} (epoch seconds): its tickets issued later too. */
  public Change revoke(DeviceId id, long after) throws StoreException {
    Change result =
        Transactions.run(
            database,
            "revoking device " + id,
            c -> {
              if (row(c, id).isEmpty()) {
                return new Unknown(id);
              }
              revoke(c, id, after);
              return new Changed(find(c, id, now()).orElseThrow(), null);
            });
    if (result instanceof Changed changed) {
      registry.forget(id);
      log.info("Device {} revoked after {}", id, java.time.Instant.ofEpochSecond(after));
      listener.changed(changed.device().event(), revokedNow(changed.device()));
    }
    return result;
  }

  /** A new token for the same identity; enrolling with it gives the device new keys. */
  public Change roll(DeviceId id, int validHours) throws StoreException {
    long now = now();
    long expires = now + Duration.ofHours(validHours).toSeconds();
    String token = EnrolmentText.newToken(random);
    Change result =
        Transactions.run(
            database,
            "rolling device " + id,
            c -> {
              Optional<Row> row = row(c, id);
              if (row.isEmpty()) {
                return new Unknown(id);
              }
              if (row.get().state.equals("revoked")) {
                return new Refused(
                    "device "
                        + id
                        + " is revoked and stays so: enrol a new device and replace this one with"
                        + " it (terrain provision device replace "
                        + id
                        + " NEW)");
              }
              try (PreparedStatement update =
                  c.prepareStatement(
                      "UPDATE enrolled_devices SET token_hash = ?, token_expires_at = ?,"
                          + " token_used_at = NULL WHERE id = ?")) {
                update.setString(1, tokenHash(token));
                update.setLong(2, expires);
                update.setString(3, id.value());
                update.executeUpdate();
              }
              return new Changed(find(c, id, now).orElseThrow(), token);
            });
    if (result instanceof Changed changed) {
      log.info("Device {} has a new enrolment token (roll)", id);
      listener.changed(changed.device().event(), List.of());
    }
    return result;
  }

  /**
   * {@code by} replaces {@code old}: old is revoked from now, by (a waiting or enrolled device of
   * the same event and kind) takes its name.
   */
  public Change replace(DeviceId old, DeviceId by) throws StoreException {
    long now = now();
    Change result =
        Transactions.run(
            database,
            "replacing device " + old + " by " + by,
            c -> {
              Optional<Device> o = find(c, old, now);
              if (o.isEmpty()) {
                return new Unknown(old);
              }
              Optional<Device> n = find(c, by, now);
              if (n.isEmpty()) {
                return new Unknown(by);
              }
              if (old.equals(by)) {
                return new Refused("a device cannot replace itself: give the new device's id");
              }
              if (!o.get().event().equals(n.get().event()) || o.get().kind() != n.get().kind()) {
                return new Refused(
                    "device "
                        + by
                        + " is a "
                        + n.get().kind().label()
                        + " of event "
                        + n.get().event()
                        + ", not a "
                        + o.get().kind().label()
                        + " of event "
                        + o.get().event()
                        + ": enrol a replacement of the same kind for the same event");
              }
              if (n.get().state() == State.REVOKED) {
                return new Refused(
                    "device " + by + " is revoked: enrol a new device to replace " + old);
              }
              if (o.get().state() != State.REVOKED
                  || o.get().revokedAfter() == null
                  || o.get().revokedAfter() > now) {
                revoke(c, old, now);
              }
              try (PreparedStatement update =
                  c.prepareStatement("UPDATE enrolled_devices SET replaced_by = ? WHERE id = ?")) {
                update.setString(1, by.value());
                update.setString(2, old.value());
                update.executeUpdate();
              }
              try (PreparedStatement update =
                  c.prepareStatement(
                      "UPDATE enrolled_devices SET replaces = ?, name = ? WHERE id = ?")) {
                update.setString(1, old.value());
                update.setString(2, o.get().name());
                update.setString(3, by.value());
                update.executeUpdate();
              }
              return new Changed(find(c, old, now).orElseThrow(), null);
            });
    if (result instanceof Changed changed) {
      registry.forget(old);
      log.info("Device {} replaced by {}", old, by);
      listener.changed(changed.device().event(), revokedNow(changed.device()));
    }
    return result;
  }

  /** The configuration of an event for its hubs: every enrolled device, signed, numbered. */
  public SignedBundle eventConfig(EventId event) throws StoreException {
    return Transactions.run(
        database,
        "signing the configuration of event " + event,
        c -> bundles.forEvent(c, event, devicesOf(c, event)));
  }

  /** The hex SHA-256 the server keeps of a token. */
  static String tokenHash(String token) {
    return MqttSecret.hash(token);
  }

  private List<Device> revokedNow(Device device) {
    return device.revokedAfter() != null && device.revokedAfter() <= now()
        ? List.of(device)
        : List.of();
  }

  private void revoke(Connection c, DeviceId id, long after) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE enrolled_devices SET state = 'revoked', revoked_after = ? WHERE id = ?")) {
      update.setLong(1, after);
      update.setString(2, id.value());
      update.executeUpdate();
    }
    registry.revoke(c, id, after);
  }

  private List<Bundle.Entry> devicesOf(Connection c, EventId event) throws SQLException {
    List<Bundle.Entry> out = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement(SELECT + " WHERE event_id = ? ORDER BY id")) {
      select.setString(1, event.value());
      for (Device d : read(select, now())) {
        d.entry().ifPresent(out::add);
      }
    }
    return out;
  }

  private DeviceId newId(DeviceKind kind) {
    byte[] bytes = new byte[3];
    random.nextBytes(bytes);
    return DeviceId.of(kind.label() + "-" + HexFormat.of().formatHex(bytes));
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }

  private static boolean sameHash(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  private record Row(String state, String tokenHash, Long tokenUsedAt, long tokenExpiresAt) {}

  private static Optional<Row> row(Connection c, DeviceId id) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT state, token_hash, token_used_at, token_expires_at FROM enrolled_devices"
                + " WHERE id = ?")) {
      select.setString(1, id.value());
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Row(rs.getString(1), rs.getString(2), nullableLong(rs, 3), rs.getLong(4)));
      }
    }
  }

  private static final String SELECT =
      "SELECT id, kind, name, event_id, hub_address, state, token_expires_at, enrolled_at,"
          + " revoked_after, replaces, replaced_by, public_key, mqtt_secret_hash, pin_hash"
          + " FROM enrolled_devices";

  private static Optional<Device> find(Connection c, DeviceId id, long now) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(SELECT + " WHERE id = ?")) {
      select.setString(1, id.value());
      List<Device> found = read(select, now);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
  }

  private static List<Device> read(PreparedStatement select, long now) throws SQLException {
    List<Device> out = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        DeviceKind kind;
        try {
          kind = DeviceKind.parse(rs.getString(2));
        } catch (TrustException e) {
          throw new SQLException("device " + rs.getString(1) + ": " + e.getMessage(), e);
        }
        String stored = rs.getString(6);
        long expires = rs.getLong(7);
        State state =
            switch (stored) {
              case "revoked" -> State.REVOKED;
              case "enrolled" -> State.ENROLLED;
              default -> now >= expires ? State.EXPIRED : State.WAITING;
            };
        String replaces = rs.getString(10);
        String replacedBy = rs.getString(11);
        out.add(
            new Device(
                DeviceId.of(rs.getString(1)),
                kind,
                rs.getString(3),
                EventId.of(rs.getString(4)),
                rs.getString(5),
                state,
                nullableLong(rs, 8),
                nullableLong(rs, 9),
                replaces == null ? null : DeviceId.of(replaces),
                replacedBy == null ? null : DeviceId.of(replacedBy),
                rs.getString(12),
                rs.getString(13),
                rs.getString(14),
                expires));
      }
    }
    return out;
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }
}
