// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;

class TrustFormatsTest {

  private final SecureRandom random = new SecureRandom();

  @Test
  void enrolmentTextRoundTripsAndHidesItsToken() throws Exception {
    String token = EnrolmentText.newToken(random);
    EnrolmentText text =
        new EnrolmentText(URI.create("https://terrain.example.fr/"), DeviceId.of("kiosk-1"), token);
    assertEquals("https://terrain.example.fr/enrol#v1/kiosk-1/" + token, text.text());
    assertEquals(text, EnrolmentText.parse("  " + text.text() + "\n"));
    assertFalse(text.toString().contains(token));
  }

  @Test
  void enrolmentTextRefusalsSayWhatToDo() {
    String token = "A".repeat(EnrolmentText.TOKEN_LENGTH);
    TrustException v2 =
        assertThrows(
            TrustException.class,
            () -> EnrolmentText.parse("http://h:8080/enrol#v2/kiosk-1/" + token));
    assertTrue(v2.getMessage().contains("update Terrain"), v2.getMessage());
    assertThrows(TrustException.class, () -> EnrolmentText.parse("hello"));
    assertThrows(TrustException.class, () -> EnrolmentText.parse("http://h/enrol#v1/kiosk-1/abc"));
    assertThrows(TrustException.class, () -> EnrolmentText.parse("ftp://h/enrol#v1/k/" + token));
    assertThrows(TrustException.class, () -> EnrolmentText.parse(""));
  }

  @Test
  void mqttSecretIsCheckedAgainstItsHashOnly() {
    String secret = MqttSecret.generate(random);
    String hash = MqttSecret.hash(secret);
    assertTrue(MqttSecret.isHash(hash));
    assertTrue(MqttSecret.matches(hash, secret.getBytes(StandardCharsets.UTF_8)));
    assertFalse(MqttSecret.matches(hash, "guess".getBytes(StandardCharsets.UTF_8)));
    assertFalse(MqttSecret.matches("not-a-hash", secret.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void pinHashMatchesOnlyItsPin() throws Exception {
    String stored = PinHash.hash("482913", random, 1_000);
    assertTrue(PinHash.isHash(stored));
    assertTrue(PinHash.matches(stored, "482913"));
    assertFalse(PinHash.matches(stored, "482914"));
    assertFalse(PinHash.matches("pbkdf2-sha256$x$y$z", "482913"));
    assertThrows(TrustException.class, () -> PinHash.hash("12", random));
  }

  @Test
  void signedBundleVerifiesAndRefusesTamperingAndOtherServers() throws Exception {
    DeviceKeys server = DeviceKeys.generate(random);
    Bundle bundle = bundle(server, 7);
    SignedBundle signed = SignedBundle.sign(bundle, server);
    Bundle back = SignedBundle.parse(signed.text()).verify(server.publicKey());
    assertEquals(bundle, back);
    assertEquals(bundle, SignedBundle.parse(signed.text()).verifyFirst());
    assertEquals(1L, back.device(DeviceId.of("kiosk-2")).orElseThrow().revokedAfter());

    DeviceKeys other = DeviceKeys.generate(random);
    assertThrows(
        TrustException.class, () -> SignedBundle.parse(signed.text()).verify(other.publicKey()));

    String text = signed.text();
    char c = text.charAt(10);
    String altered = text.substring(0, 10) + (c == 'A' ? 'B' : 'A') + text.substring(11);
    assertThrows(
        TrustException.class, () -> SignedBundle.parse(altered).verify(server.publicKey()));
    assertThrows(TrustException.class, () -> SignedBundle.parse("no-dot-here"));
  }

  @Test
  void bundleYamlRefusesMissingFields() {
    assertThrows(
        TrustException.class,
        () -> Bundle.fromYaml("format: 1\nsequence: 1\n".getBytes(StandardCharsets.UTF_8)));
    assertThrows(
        TrustException.class, () -> Bundle.fromYaml("[1, 2]".getBytes(StandardCharsets.UTF_8)));
  }

  private static Bundle bundle(DeviceKeys server, long sequence) {
    String hash = MqttSecret.hash("secret");
    return new Bundle(
        Bundle.FORMAT,
        sequence,
        1_764_000_000L,
        server.publicKeyText(),
        DeviceId.of("kiosk-1"),
        EventId.of("marche-2026"),
        2,
        "id: marche-2026\ntitle: é\n",
        "https://claim.example",
        "tcp://server:1883",
        "tcp://10.0.0.2:1883",
        null,
        "0.1.0",
        "pbkdf2-sha256$1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        List.of(
            new Bundle.Entry(
                DeviceId.of("kiosk-1"), DeviceKind.KIOSK, "Stand A", "key1", hash, null),
            new Bundle.Entry(DeviceId.of("kiosk-2"), DeviceKind.KIOSK, "", "key2", hash, 1L)));
  }
}
