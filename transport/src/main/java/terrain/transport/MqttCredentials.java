// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.transport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The credential scheme every Terrain MQTT client uses, on the hub's broker and on the server's.
 *
 * <p>The username names the principal: {@code dev:{deviceId}} for a kiosk or tablet, {@code
 * hub:{hubId}} for a field hub uplink, {@code svc:{name}} for a Terrain service (ingest, hub
 * store). Ids match {@code [A-Za-z0-9._-]{1,64}}, so they are safe inside topic names. The password
 * is {@code Base64url-without-padding(HMAC-SHA256(siteKey, username))}: whoever holds the site key
 * can derive any client's password, and a broker can check a password without a user table.
 *
 * <p>This class has no broker dependency; clients use {@link #passwordFor} to connect.
 */
public final class MqttCredentials {

  /**
   * The site key used until provisioning issues a real one. It is public, so anyone can derive any
   * password from it: callers that fall back to it must log a warning.
   */
  public static final String DEVELOPMENT_KEY = "terrain-development-site-key";

  /** Username prefix of kiosks and tablets. */
  public static final String DEVICE_PREFIX = "dev:";

  /** Username prefix of field hubs. */
  public static final String HUB_PREFIX = "hub:";

  /** Username prefix of Terrain services (sync server ingest, hub store...). */
  public static final String SERVICE_PREFIX = "svc:";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String HMAC = "HmacSHA256";

  /** What kind of client a username names. */
  public enum Role {
    DEVICE,
    HUB,
    SERVICE
  }

  /**
   * A parsed username.
   *
   * @param role the kind of client
   * @param id the device id, hub id or service name
   */
  public record Principal(Role role, String id) {
    public Principal {
      Objects.requireNonNull(role, "role");
      if (!isValidId(id)) {
        throw new IllegalArgumentException("Invalid Terrain id: " + id);
      }
    }

    /** The MQTT username of this principal. */
    public String username() {
      return switch (role) {
        case DEVICE -> DEVICE_PREFIX + id;
        case HUB -> HUB_PREFIX + id;
        case SERVICE -> SERVICE_PREFIX + id;
      };
    }
  }

  private MqttCredentials() {}

  /** Whether {@code id} is a valid device id, hub id or service name. */
  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** The username of a device ({@code dev:{deviceId}}). */
  public static String deviceUsername(String deviceId) {
    return new Principal(Role.DEVICE, deviceId).username();
  }

  /** The username of a field hub ({@code hub:{hubId}}). */
  public static String hubUsername(String hubId) {
    return new Principal(Role.HUB, hubId).username();
  }

  /** The username of a Terrain service ({@code svc:{name}}). */
  public static String serviceUsername(String name) {
    return new Principal(Role.SERVICE, name).username();
  }

  /** Parses a username; empty if it is not a well-formed Terrain username. */
  public static Optional<Principal> parse(String username) {
    if (username == null) {
      return Optional.empty();
    }
    Role role;
    if (username.startsWith(DEVICE_PREFIX)) {
      role = Role.DEVICE;
    } else if (username.startsWith(HUB_PREFIX)) {
      role = Role.HUB;
    } else if (username.startsWith(SERVICE_PREFIX)) {
      role = Role.SERVICE;
    } else {
      return Optional.empty();
    }
    String id = username.substring(4);
    return isValidId(id) ? Optional.of(new Principal(role, id)) : Optional.empty();
  }

  /**
   * The password of {@code username} under {@code siteKey}.
   *
   * @throws IllegalArgumentException if the site key is empty or the username is not a well-formed
   *     Terrain username
   */
  public static String passwordFor(String siteKey, String username) {
    requireSiteKey(siteKey);
    if (parse(username).isEmpty()) {
      throw new IllegalArgumentException(
          "Not a Terrain MQTT username (dev:ID, hub:ID or svc:NAME with ID in [A-Za-z0-9._-]{1,64}): "
              + username);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(siteKey, username));
  }

  /**
   * Whether {@code password} (the raw bytes of the MQTT CONNECT password) is the password of {@code
   * username} under {@code siteKey}. The comparison takes the same time whatever the password. A
   * malformed username or a missing password is simply not valid.
   */
  public static boolean verify(String siteKey, String username, byte[] password) {
    requireSiteKey(siteKey);
    if (password == null || parse(username).isEmpty()) {
      return false;
    }
    byte[] expected =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encode(mac(siteKey, username)); // ASCII bytes of the password string
    return MessageDigest.isEqual(expected, password);
  }

  private static void requireSiteKey(String siteKey) {
    if (siteKey == null || siteKey.isEmpty()) {
      throw new IllegalArgumentException("The site key must not be empty");
    }
  }

  private static byte[] mac(String siteKey, String username) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(siteKey.getBytes(StandardCharsets.UTF_8), HMAC));
      return mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      // HmacSHA256 is mandatory in every Java platform.
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
