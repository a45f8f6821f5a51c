// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.trust;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import terrain.core.ticket.DeviceKeys;

/**
 * A {@link Bundle} with the server's Ed25519 signature, as text: {@code PAYLOAD.SIGNATURE}, both
 * base64url without padding. The signature covers {@code "terrain/bundle\n"} followed by the
 * payload's exact bytes, so a bundle signature can never pass for a ticket's.
 *
 * <p>A device trusts the server key of the bundle it receives in answer to its own enrolment (it
 * chose the server from the kit) and from then on accepts only bundles signed by that key ({@link
 * #verify}).
 */
public final class SignedBundle {

  private static final byte[] DOMAIN = "terrain/bundle\n".getBytes(StandardCharsets.US_ASCII);
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final byte[] payload;
  private final byte[] signature;

  private SignedBundle(byte[] payload, byte[] signature) {
    this.payload = payload;
    this.signature = signature;
  }

  /** Signs {@code bundle} with the server's keys; its {@code serverKey} must be theirs. */
  public static SignedBundle sign(Bundle bundle, DeviceKeys serverKeys) {
    Objects.requireNonNull(bundle, "bundle");
    if (!bundle.serverKey().equals(serverKeys.publicKeyText())) {
      throw new IllegalArgumentException("the bundle names another server key than the signer's");
    }
    byte[] payload = bundle.toYaml();
    return new SignedBundle(payload, serverKeys.sign(signed(payload)));
  }

  /** Reads the text form; the signature is checked by {@link #verify}. */
  public static SignedBundle parse(String text) throws TrustException {
    if (text == null) {
      throw new TrustException("the bundle is empty");
    }
    String t = text.strip();
    int dot = t.indexOf('.');
    if (dot < 0 || t.length() > Bundle.MAX_BYTES * 2) {
      throw new TrustException("the bundle is not PAYLOAD.SIGNATURE text");
    }
    try {
      byte[] payload = Base64.getUrlDecoder().decode(t.substring(0, dot));
      byte[] signature = Base64.getUrlDecoder().decode(t.substring(dot + 1));
      if (signature.length != 64) {
        throw new TrustException("the bundle's signature is not 64 bytes");
      }
      return new SignedBundle(payload, signature);
    } catch (IllegalArgumentException e) {
      throw new TrustException("the bundle is not base64url text: " + e.getMessage(), e);
    }
  }

  /** The bundle, if {@code serverKey} signed it. */
  public Bundle verify(PublicKey serverKey) throws TrustException {
    if (!DeviceKeys.verify(serverKey, signed(payload), signature)) {
      throw new TrustException(
          "the bundle's signature does not match the server's key: it was altered or comes from"
              + " another server. Enrol the device again from its kit.");
    }
    return Bundle.fromYaml(payload);
  }

  /** The bundle, if signed by the key it names (a device's first bundle, from its enrolment). */
  public Bundle verifyFirst() throws TrustException {
    Bundle unverified = Bundle.fromYaml(payload);
    PublicKey key;
    try {
      key = DeviceKeys.publicKeyFromText(unverified.serverKey());
    } catch (InvalidKeyException e) {
      throw new TrustException("the bundle's server key is not an Ed25519 key", e);
    }
    return verify(key);
  }

  /** The text form. */
  public String text() {
    return B64.encodeToString(payload) + "." + B64.encodeToString(signature);
  }

  private static byte[] signed(byte[] payload) {
    byte[] out = Arrays.copyOf(DOMAIN, DOMAIN.length + payload.length);
    System.arraycopy(payload, 0, out, DOMAIN.length, payload.length);
    return out;
  }

  @Override
  public String toString() {
    return "SignedBundle[" + payload.length + " bytes]";
  }
}
