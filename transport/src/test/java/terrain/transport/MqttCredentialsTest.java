// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import terrain.transport.MqttCredentials.Principal;
import terrain.transport.MqttCredentials.Role;

class MqttCredentialsTest {

  // Expected values computed independently with Python's hmac, hashlib and base64 modules.
  @Test
  void passwordFor_whenGivenKnownInputs_matchesIndependentHmacSha256Base64Url() {
    assertEquals(
        "EZ-FiHtRdM7UjhCtrDTjf-Hvc4m3giF5OqqpDzn_i_Y",
        MqttCredentials.passwordFor(MqttCredentials.DEVELOPMENT_KEY, "dev:kiosk-1"));
    assertEquals(
        "v5drnJOZllQ7oia_tnl0oU0RtkGi9VeFhroknt5OXG0",
        MqttCredentials.passwordFor("test-site-key", "svc:ingest"));
  }

  @Test
  void passwordFor_whenSiteKeyIsNotAscii_usesItsUtf8Bytes() {
    assertEquals(
        "ll5dmImiiEbyKqJVnRlzQQE-oU0K81BmPpIHC36anjc",
        MqttCredentials.passwordFor("clé-du-site", "hub:market-hub"));
  }

  @Test
  void passwordFor_always_hasNoPaddingAndIsUrlSafe() {
    String password = MqttCredentials.passwordFor("k", "dev:a");
    assertEquals(43, password.length());
    assertTrue(password.matches("[A-Za-z0-9_-]+"), password);
  }

  @Test
  void verify_whenPasswordIsRight_returnsTrue() {
    String password = MqttCredentials.passwordFor("site", "dev:kiosk-1");
    assertTrue(MqttCredentials.verify("site", "dev:kiosk-1", password.getBytes(UTF_8)));
  }

  @Test
  void verify_whenPasswordIsWrongOrForAnotherUserOrSite_returnsFalse() {
    String password = MqttCredentials.passwordFor("site", "dev:kiosk-1");
    assertFalse(MqttCredentials.verify("site", "dev:kiosk-2", password.getBytes(UTF_8)));
    assertFalse(MqttCredentials.verify("other", "dev:kiosk-1", password.getBytes(UTF_8)));
    assertFalse(MqttCredentials.verify("site", "dev:kiosk-1", new byte[0]));
    assertFalse(MqttCredentials.verify("site", "dev:kiosk-1", null));
    assertFalse(MqttCredentials.verify("site", "dev:kiosk-1", (password + "=").getBytes(UTF_8)));
  }

  @Test
  void verify_whenUsernameIsMalformed_returnsFalse() {
    assertFalse(MqttCredentials.verify("site", "admin", "x".getBytes(UTF_8)));
    assertFalse(MqttCredentials.verify("site", null, "x".getBytes(UTF_8)));
  }

  @Test
  void passwordFor_whenUsernameOrSiteKeyIsInvalid_throws() {
    assertThrows(IllegalArgumentException.class, () -> MqttCredentials.passwordFor("k", "admin"));
    assertThrows(IllegalArgumentException.class, () -> MqttCredentials.passwordFor("k", "dev:a/b"));
    assertThrows(
        IllegalArgumentException.class, () -> MqttCredentials.passwordFor("", "dev:kiosk-1"));
    assertThrows(
        IllegalArgumentException.class, () -> MqttCredentials.passwordFor(null, "dev:kiosk-1"));
  }

  @Test
  void parse_whenUsernameIsWellFormed_returnsRoleAndId() {
    assertEquals(
        Optional.of(new Principal(Role.DEVICE, "kiosk-1")), MqttCredentials.parse("dev:kiosk-1"));
    assertEquals(
        Optional.of(new Principal(Role.HUB, "hub.market_2")),
        MqttCredentials.parse("hub:hub.market_2"));
    assertEquals(
        Optional.of(new Principal(Role.SERVICE, "ingest")), MqttCredentials.parse("svc:ingest"));
  }

  @Test
  void parse_whenIdHasTopicCharactersOrWrongLength_returnsEmpty() {
    for (String bad :
        new String[] {
          "dev:",
          "dev:a+b",
          "dev:a#",
          "dev:a/b",
          "dev:a b",
          "dev:é",
          "DEV:a",
          "usr:a",
          "dev:a\n",
          "dev:" + "x".repeat(65)
        }) {
      assertEquals(Optional.empty(), MqttCredentials.parse(bad), bad);
    }
    assertTrue(MqttCredentials.parse("dev:" + "x".repeat(64)).isPresent());
  }

  @Test
  void usernameHelpers_whenGivenIds_buildPrefixedUsernames() {
    assertEquals("dev:kiosk-1", MqttCredentials.deviceUsername("kiosk-1"));
    assertEquals("hub:h1", MqttCredentials.hubUsername("h1"));
    assertEquals("svc:ingest", MqttCredentials.serviceUsername("ingest"));
    assertThrows(IllegalArgumentException.class, () -> MqttCredentials.deviceUsername("a/b"));
  }
}
