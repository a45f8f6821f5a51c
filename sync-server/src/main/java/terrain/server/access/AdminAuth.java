// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The shared admin token of {@code --admin-token}: since decision 0037 a deprecated bootstrap
 * credential that {@link Access} accepts as an admin (named staff accounts replace it). Tokens are
 * compared in constant time, through their SHA-256 so that their lengths do not leak.
 */
public final class AdminAuth {
  /** The error of a call to a server started without an admin token (403). */
  public static final String DISABLED =
      "admin calls are disabled: start the server with --admin-token TOKEN"
          + " (or TERRAIN_ADMIN_TOKEN)";

  /** The error of a call without the admin token (401). */
  public static final String UNAUTHORIZED =
      "send Authorization: Bearer ADMIN_TOKEN with the token the server was started"
          + " with (--admin-token)";

  private final byte[] tokenHash;

  /**
   * @param token the admin token; null disables admin calls
   */
  public AdminAuth(String token) {
    this.tokenHash = token == null ? null : sha256(token);
  }

  /** True when the server has an admin token. */
  public boolean enabled() {
    return tokenHash != null;
  }

  /** True when {@code given} is the admin token (in constant time); false when disabled. */
  public boolean matches(String given) {
    return tokenHash != null && given != null && MessageDigest.isEqual(sha256(given), tokenHash);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
