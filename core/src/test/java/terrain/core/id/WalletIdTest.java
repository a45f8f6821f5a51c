// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class WalletIdTest {

  /** As the server makes them: "w" and 12 random bytes in lowercase hex. */
  private static final String MADE = "w0123456789abcdef01234567";

  @Test
  void of_whenMadeByTheServer_keepsTheTextAsValueAndToString() {
    WalletId id = WalletId.of(MADE);

    assertEquals(MADE, id.value());
    assertEquals(MADE, id.toString());
    assertTrue(WalletId.isValid(MADE));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "w",
        "w0123456789abcdef0123456", // 23 digits
        "w0123456789abcdef012345678", // 25 digits
        "W0123456789abcdef01234567", // capital W
        "w0123456789ABCDEF01234567", // uppercase hex
        "x0123456789abcdef01234567",
        "w0123456789abcdef0123456g",
        "piscine"
      })
  void of_whenNotWAnd24HexDigits_throwsNamingTheValueAndTheRule(String value) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WalletId.of(value));

    assertEquals(
        "Wallet id [" + value + "] must be \"w\" followed by 24 lowercase hex digits 0-9a-f",
        e.getMessage());
    assertFalse(WalletId.isValid(value));
  }

  @Test
  void equalsAndCompareTo_followTheText() {
    String other = "w1123456789abcdef01234567";

    assertEquals(WalletId.of(MADE), new WalletId(MADE));
    assertTrue(WalletId.of(MADE).compareTo(WalletId.of(other)) < 0);
    assertEquals(0, WalletId.of(other).compareTo(WalletId.of(other)));
  }
}
