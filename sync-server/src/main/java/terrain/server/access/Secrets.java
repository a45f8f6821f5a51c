// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random session ids and tokens, and the hash under which the database keeps them. */
final class Secrets {
  private Secrets() {}

  /** 256 random bits, base64url without padding (43 characters). */
  static String random(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A short public id (8 lower-case hex digits) for a token, shown in lists. */
  static String shortId(SecureRandom random) {
    byte[] bytes = new byte[4];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Hex SHA-256 of {@code secret}: what the database keeps of a session id or a token. */
  static String hash(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
