// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.ticket;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A device's Ed25519 key pair, made with Java's built-in provider.
 *
 * <p>The server registry keeps the public key as its raw 32 bytes or as base64url text ({@link
 * #publicKeyText()}); the device stores its private key as PKCS#8 bytes ({@link
 * #privateKeyPkcs8()}), from which {@link #fromPkcs8} rebuilds the pair.
 *
 * @param publicKey an Ed25519 public key
 * @param privateKey the matching Ed25519 private key
 */
public record DeviceKeys(PublicKey publicKey, PrivateKey privateKey) {

  /** Length of a raw public key and of a private key seed. */
  public static final int KEY_LENGTH = 32;

  static final String ALGORITHM = "Ed25519";

  /** The DER header of an Ed25519 public key in X.509 SubjectPublicKeyInfo form (RFC 8410). */
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  /** The DER header of an Ed25519 private key in PKCS#8 form (RFC 8410), before the seed. */
  private static final byte[] PKCS8_PREFIX =
      HexFormat.of().parseHex("302e020100300506032b657004220420");

  public DeviceKeys {
    Objects.requireNonNull(publicKey, "DeviceKeys publicKey must not be null");
    Objects.requireNonNull(privateKey, "DeviceKeys privateKey must not be null");
    rawPublicKey(publicKey);
    seed(privateKey);
  }

  /** A new key pair drawn from {@code random}. */
  public static DeviceKeys generate(SecureRandom random) {
    Objects.requireNonNull(random, "random must not be null");
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(255, random);
      KeyPair pair = generator.generateKeyPair();
      return new DeviceKeys(pair.getPublic(), pair.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java runtime has no Ed25519 (needs Java 15+)", e);
    }
  }

  /**
   * The key pair of a 32-byte private key seed (RFC 8032): the same seed always gives the same
   * pair. For stored keys and test keys.
   */
  public static DeviceKeys fromSeed(byte[] seed) {
    Objects.requireNonNull(seed, "seed must not be null");
    if (seed.length != KEY_LENGTH) {
      throw new IllegalArgumentException(
          "Ed25519 seed must be " + KEY_LENGTH + " bytes, not " + seed.length);
    }
    // The built-in generator reads the seed as the 32 bytes it asks of its random source; that
    // is how it derives the public key, which the JDK offers no other way to compute.
    SecureRandom fixed =
        new SecureRandom() {
          private static final long serialVersionUID = 1L;

          @Override
          public void nextBytes(byte[] bytes) {
            if (bytes.length != KEY_LENGTH) {
              throw new IllegalStateException(
                  "Ed25519 generator asked for " + bytes.length + " random bytes, not 32");
            }
            System.arraycopy(seed, 0, bytes, 0, KEY_LENGTH);
          }
        };
    DeviceKeys keys = generate(fixed);
    if (!Arrays.equals(seed(keys.privateKey), seed)) {
      throw new IllegalStateException(
          "this Java runtime's Ed25519 generator does not derive keys from its seed bytes");
    }
    return keys;
  }

  /** The key pair whose private key is {@code pkcs8} (as written by {@link #privateKeyPkcs8()}). */
  public static DeviceKeys fromPkcs8(byte[] pkcs8) throws InvalidKeyException {
    Objects.requireNonNull(pkcs8, "pkcs8 must not be null");
    try {
      PrivateKey key =
          KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      return fromSeed(seed(key));
    } catch (InvalidKeySpecException | IllegalArgumentException e) {
      throw new InvalidKeyException("not an Ed25519 private key in PKCS#8 form: " + e, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java runtime has no Ed25519 (needs Java 15+)", e);
    }
  }

  /** The public key of its raw 32 bytes (RFC 8032 encoding). */
  public static PublicKey publicKeyFromRaw(byte[] raw) throws InvalidKeyException {
    Objects.requireNonNull(raw, "raw must not be null");
    if (raw.length != KEY_LENGTH) {
      throw new InvalidKeyException(
          "an Ed25519 public key is " + KEY_LENGTH + " bytes, not " + raw.length);
    }
    byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + KEY_LENGTH);
    System.arraycopy(raw, 0, encoded, X509_PREFIX.length, KEY_LENGTH);
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(encoded));
    } catch (InvalidKeySpecException e) {
      throw new InvalidKeyException("not an Ed25519 public key: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java runtime has no Ed25519 (needs Java 15+)", e);
    }
  }

  /** The public key of its base64url text, as {@link #publicKeyText()} writes it. */
  public static PublicKey publicKeyFromText(String text) throws InvalidKeyException {
    Objects.requireNonNull(text, "text must not be null");
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyException(
          "public key [" + text + "] is not base64url text: " + e.getMessage(), e);
    }
    return publicKeyFromRaw(raw);
  }

  /** The raw 32 bytes of an Ed25519 public key. */
  public static byte[] rawPublicKey(PublicKey key) {
    byte[] encoded = key.getEncoded();
    if (encoded == null
        || encoded.length != X509_PREFIX.length + KEY_LENGTH
        || !Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
      throw new IllegalArgumentException(
          "public key [" + key.getAlgorithm() + "] must be an Ed25519 key");
    }
    return Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
  }

  /** The raw public key, 32 bytes. */
  public byte[] publicKeyRaw() {
    return rawPublicKey(publicKey);
  }

  /** The raw public key as base64url without padding: 43 characters. */
  public String publicKeyText() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(publicKeyRaw());
  }

  /** The private key in PKCS#8 form, 48 bytes, to store on the device (keep it secret). */
  public byte[] privateKeyPkcs8() {
    return privateKey.getEncoded();
  }

  /** The Ed25519 signature of {@code message}, 64 bytes; the same message gives the same bytes. */
  public byte[] sign(byte[] message) {
    return sign(privateKey, message);
  }

  /** The Ed25519 signature of {@code message} by {@code key}, 64 bytes. */
  public static byte[] sign(PrivateKey key, byte[] message) {
    Objects.requireNonNull(key, "key must not be null");
    try {
      Signature signer = Signature.getInstance(ALGORITHM);
      signer.initSign(key);
      signer.update(message);
      return signer.sign();
    } catch (InvalidKeyException | SignatureException e) {
      throw new IllegalStateException("cannot sign with this Ed25519 key: " + e, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java runtime has no Ed25519 (needs Java 15+)", e);
    }
  }

  /** Whether {@code signature} is {@code key}'s Ed25519 signature of {@code message}. */
  public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("key [" + key + "] is not an Ed25519 public key", e);
    } catch (SignatureException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java runtime has no Ed25519 (needs Java 15+)", e);
    }
  }

  private static byte[] seed(PrivateKey key) {
    byte[] encoded = key.getEncoded();
    if (encoded == null
        || encoded.length != PKCS8_PREFIX.length + KEY_LENGTH
        || !Arrays.equals(encoded, 0, PKCS8_PREFIX.length, PKCS8_PREFIX, 0, PKCS8_PREFIX.length)) {
      throw new IllegalArgumentException(
          "private key [" + key.getAlgorithm() + "] must be an Ed25519 key in PKCS#8 v1 form");
    }
    return Arrays.copyOfRange(encoded, PKCS8_PREFIX.length, encoded.length);
  }

  @Override
  public String toString() {
    return "DeviceKeys[public=" + publicKeyText() + "]";
  }
}
