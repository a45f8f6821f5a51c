// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.moderation;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import terrain.server.access.AdminAuth;

/**
 * Sign-in of the town's staff with the admin token: a session cookie {@code NAME.EXPIRY.MAC} signed
 * with a key derived from the token, so that no session is stored, a restart keeps them, and
 * changing the token ends them all. The name is who decides, written into each decision.
 */
public final class AdminSessions {
  /** How long a sign-in lasts. */
  public static final Duration SESSION = Duration.ofHours(12);

  private final String token;
  private final AdminAuth auth;
  private final Clock clock;

  /**
   * @param token the admin token; null when admin calls are disabled (nobody can sign in)
   */
  public AdminSessions(String token, Clock clock) {
    this.token = token;
    this.auth = new AdminAuth(token);
    this.clock = clock;
  }

  public boolean enabled() {
    return auth.enabled();
  }

  /** The check of the admin token, for the API's {@code Authorization: Bearer}. */
  public AdminAuth auth() {
    return auth;
  }

  /** True when {@code given} is the admin token (in constant time). */
  public boolean tokenMatches(String given) {
    return auth.matches(given);
  }

  /** A session cookie value for {@code name}. */
  public String session(String name) {
    long expiry = clock.instant().plus(SESSION).getEpochSecond();
    String body =
        Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(name.getBytes(StandardCharsets.UTF_8))
            + "."
            + expiry;
    return body + "." + mac(body);
  }

  /** The name of a valid, unexpired session cookie. */
  public Optional<String> fromSession(String cookie) {
    if (token == null || cookie == null || cookie.length() > 600) {
      return Optional.empty();
    }
    String[] parts = cookie.split("\\.");
    if (parts.length != 3) {
      return Optional.empty();
    }
    long expiry;
    String name;
    try {
      expiry = Long.parseLong(parts[1]);
      name = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (clock.instant().getEpochSecond() >= expiry) {
      return Optional.empty();
    }
    byte[] expected = mac(parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))
        ? Optional.of(name)
        : Optional.empty();
  }

  private String mac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              ("terrain-admin-session:" + token).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("this Java runtime has no HmacSHA256", e);
    }
  }
}
