// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.partner;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import terrain.core.id.PartnerId;

/**
 * The partners configured on the server, their cashiers' sign-in and sessions. A session is a
 * cookie {@code ID.EXPIRY.MAC}, the MAC keyed by the partner's key: any server instance with the
 * same configuration accepts it, and changing a partner's key ends its sessions.
 */
public final class Partners {
  /** How long a cashier stays signed in. */
  public static final Duration SESSION = Duration.ofHours(12);

  private final Map<PartnerId, Partner> byId = new LinkedHashMap<>();
  private final Clock clock;

  public Partners(List<Partner> partners, Clock clock) {
    for (Partner partner : partners) {
      if (byId.putIfAbsent(partner.id(), partner) != null) {
        throw new IllegalArgumentException(
            "partner " + partner.id() + " is configured twice: give each --partner its own id");
      }
    }
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public List<Partner> all() {
    return List.copyOf(byId.values());
  }

  public Optional<Partner> find(PartnerId id) {
    return Optional.ofNullable(id == null ? null : byId.get(id));
  }

  /**
   * The partner whose id and key these are, as a cashier typed them (the id in any case); the
   * comparison takes the same time either way.
   */
  public Optional<Partner> authenticate(String typedId, String key) {
    Partner partner = byId(typedId == null ? null : typedId.strip().toLowerCase(Locale.ROOT));
    byte[] given = (key == null ? "" : key.strip()).getBytes(StandardCharsets.UTF_8);
    byte[] expected =
        (partner == null ? "-no-partner-" : partner.key()).getBytes(StandardCharsets.UTF_8);
    boolean same = MessageDigest.isEqual(sha256(given), sha256(expected));
    return same && partner != null ? Optional.of(partner) : Optional.empty();
  }

  /** A session cookie value for a signed-in cashier of {@code partner}. */
  public String session(Partner partner) {
    long expiry = clock.instant().plus(SESSION).getEpochSecond();
    String body = partner.id().value() + "." + expiry;
    return body + "." + mac(partner, body);
  }

  /** The partner of a valid, unexpired session cookie. */
  public Optional<Partner> fromSession(String cookie) {
    if (cookie == null || cookie.length() > 200) {
      return Optional.empty();
    }
    String[] parts = cookie.split("\\.");
    if (parts.length != 3) {
      return Optional.empty();
    }
    Partner partner = byId(parts[0]);
    if (partner == null) {
      return Optional.empty();
    }
    long expiry;
    try {
      expiry = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (clock.instant().getEpochSecond() >= expiry) {
      return Optional.empty();
    }
    String expected = mac(partner, parts[0] + "." + parts[1]);
    return MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            parts[2].getBytes(StandardCharsets.US_ASCII))
        ? Optional.of(partner)
        : Optional.empty();
  }

  /** The partner of an id read from a form or a cookie, null when there is none. */
  private Partner byId(String text) {
    return PartnerId.isValid(text) ? byId.get(PartnerId.of(text)) : null;
  }

  private static String mac(Partner partner, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              ("terrain-partner-session:" + partner.key()).getBytes(StandardCharsets.UTF_8),
              "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("this Java runtime has no HmacSHA256", e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no SHA-256", e);
    }
  }
}
