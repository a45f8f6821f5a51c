// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.ticket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DeviceKeysTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void fromSeed_whenRfc8032Vector_givesItsPublicKey() {
    DeviceKeys keys = TestKeys.kiosk();

    assertEquals(TestKeys.RFC8032_PUBLIC, HEX.formatHex(keys.publicKeyRaw()));
    assertEquals("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", keys.publicKeyText());
  }

  @Test
  void sign_whenRfc8032EmptyMessage_givesItsSignature() {
    // RFC 8032, section 7.1, test 1: the empty message.
    assertEquals(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
            + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        HEX.formatHex(TestKeys.kiosk().sign(new byte[0])));
  }

  @Test
  void fromPkcs8_whenStoredPrivateKey_rebuildsThePair() throws Exception {
    DeviceKeys keys = DeviceKeys.generate(new SecureRandom());
    byte[] stored = keys.privateKeyPkcs8();

    DeviceKeys loaded = DeviceKeys.fromPkcs8(stored);

    assertEquals(48, stored.length);
    assertArrayEquals(keys.publicKeyRaw(), loaded.publicKeyRaw());
    byte[] message = "bonjour".getBytes(StandardCharsets.UTF_8);
    assertTrue(DeviceKeys.verify(keys.publicKey(), message, loaded.sign(message)));
  }

  @Test
  void fromPkcs8_whenNotAKey_throwsInvalidKey() {
    assertThrows(InvalidKeyException.class, () -> DeviceKeys.fromPkcs8(new byte[48]));
  }

  @Test
  void publicKeyFromText_whenRegistryText_verifiesTheDevicesSignatures() throws Exception {
    DeviceKeys keys = TestKeys.kiosk();
    byte[] message = {1, 2, 3};

    assertTrue(
        DeviceKeys.verify(
            DeviceKeys.publicKeyFromText(keys.publicKeyText()), message, keys.sign(message)));
    assertTrue(
        DeviceKeys.verify(
            DeviceKeys.publicKeyFromRaw(keys.publicKeyRaw()), message, keys.sign(message)));
  }

  @Test
  void verify_whenOtherDevicesKey_returnsFalse() {
    byte[] message = {1, 2, 3};

    assertFalse(
        DeviceKeys.verify(TestKeys.other().publicKey(), message, TestKeys.kiosk().sign(message)));
  }

  @Test
  void publicKeyFromRaw_whenWrongLength_throwsNamingTheLength() {
    InvalidKeyException e =
        assertThrows(InvalidKeyException.class, () -> DeviceKeys.publicKeyFromRaw(new byte[31]));
    assertEquals("an Ed25519 public key is 32 bytes, not 31", e.getMessage());
  }

  @Test
  void publicKeyFromText_whenNotBase64_throwsInvalidKey() {
    assertThrows(InvalidKeyException.class, () -> DeviceKeys.publicKeyFromText("not base64!"));
  }
}
