// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.trust;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A device's (or a service's) own MQTT password: 256 random bits made on the device, never sent
 * anywhere but to a broker at login. Hubs and the server keep only its SHA-256 ({@link #hash}): the
 * secret has 256 bits of entropy, so a plain hash cannot be brute-forced, and a broker checks a
 * login with one hash instead of a slow key derivation on every CONNECT.
 */
public final class MqttSecret {

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private MqttSecret() {}

  /** A new secret: 32 random bytes as base64url text without padding (43 characters). */
  public static String generate(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The lower-case hex SHA-256 of the secret's UTF-8 bytes, as hubs and the server keep it. */
  public static String hash(String secret) {
    return HexFormat.of().formatHex(sha256(secret.getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether {@code hash} has the form {@link #hash} writes. */
  public static boolean isHash(String hash) {
    return hash != null && HASH.matcher(hash).matches();
  }

  /**
   * Whether {@code password} (as a broker receives it) hashes to {@code hash}, in constant time.
   */
  public static boolean matches(String hash, byte[] password) {
    if (!isHash(hash) || password == null) {
      return false;
    }
    return MessageDigest.isEqual(HexFormat.of().parseHex(hash), sha256(password));
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
