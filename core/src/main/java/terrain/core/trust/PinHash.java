// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.trust;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The staff PIN as the bundle carries it: {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (PBKDF2 with
 * HMAC-SHA-256, salt and hash base64url). A PIN has few digits, so the hash alone would fall to a
 * search; the kiosk's growing lockout is what protects it on the device, the slow hash what
 * protects it in a copied bundle.
 */
public final class PinHash {

  /** Iterations written now (OWASP's 2023 figure for PBKDF2-HMAC-SHA256). */
  public static final int ITERATIONS = 600_000;

  private static final Pattern PIN = Pattern.compile("[0-9]{4,8}");
  private static final String PREFIX = "pbkdf2-sha256$";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private PinHash() {}

  /** Whether {@code pin} is 4 to 8 digits. */
  public static boolean isValidPin(String pin) {
    return pin != null && PIN.matcher(pin).matches();
  }

  /** The hash of a PIN of 4 to 8 digits, with a fresh salt. */
  public static String hash(String pin, SecureRandom random) throws TrustException {
    return hash(pin, random, ITERATIONS);
  }

  /** As {@link #hash(String, SecureRandom)} with fewer iterations (tests). */
  public static String hash(String pin, SecureRandom random, int iterations) throws TrustException {
    if (!isValidPin(pin)) {
      throw new TrustException("the staff PIN must be 4 to 8 digits: choose another one.");
    }
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return PREFIX
        + iterations
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(derive(pin, salt, iterations));
  }

  /** Whether {@code stored} has the form {@link #hash} writes. */
  public static boolean isHash(String stored) {
    try {
      parse(stored);
      return true;
    } catch (TrustException e) {
      return false;
    }
  }

  /** Whether {@code pin} matches {@code stored}; false for a malformed stored hash. */
  public static boolean matches(String stored, String pin) {
    if (!isValidPin(pin)) {
      return false;
    }
    try {
      Parsed p = parse(stored);
      return MessageDigest.isEqual(p.hash, derive(pin, p.salt, p.iterations));
    } catch (TrustException e) {
      return false;
    }
  }

  private record Parsed(int iterations, byte[] salt, byte[] hash) {}

  private static Parsed parse(String stored) throws TrustException {
    if (stored == null || !stored.startsWith(PREFIX)) {
      throw new TrustException("the PIN hash must start with " + PREFIX);
    }
    String[] parts = stored.substring(PREFIX.length()).split("\\$", -1);
    try {
      if (parts.length != 3) {
        throw new IllegalArgumentException("3 parts expected");
      }
      int iterations = Integer.parseInt(parts[0]);
      if (iterations < 1 || iterations > 10_000_000) {
        throw new IllegalArgumentException("iterations out of range");
      }
      byte[] salt = Base64.getUrlDecoder().decode(parts[1]);
      byte[] hash = Base64.getUrlDecoder().decode(parts[2]);
      if (salt.length < 8 || hash.length != 32) {
        throw new IllegalArgumentException("salt or hash of the wrong length");
      }
      return new Parsed(iterations, salt, hash);
    } catch (IllegalArgumentException e) {
      throw new TrustException("the PIN hash is not valid: " + e.getMessage(), e);
    }
  }

  private static byte[] derive(String pin, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(pin.toCharArray(), salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
    }
  }
}
