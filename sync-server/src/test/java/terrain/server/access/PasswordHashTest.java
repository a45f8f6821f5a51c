// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PasswordHashTest {
  /**
   * The Argon2id vector of the reference implementation (P-H-C/phc-winner-argon2, test.c): password
   * "password", salt "somesalt", m=65536 KiB, t=2, p=1, 32 bytes. Bouncy Castle and our PHC
   * encoding must agree with it, so that hashes move to and from other tools.
   */
  static final String REFERENCE =
      "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

  final PasswordHash hasher = new PasswordHash(PasswordHash.DEFAULT, new SecureRandom());

  @Test
  void verify_referenceVector_acceptsOnlyItsPassword() {
    assertTrue(hasher.verify(REFERENCE, "password"));
    assertFalse(hasher.verify(REFERENCE, "Password"));
    assertFalse(hasher.verify(REFERENCE, "password "));
    assertEquals(
        Optional.of(new PasswordHash.Params(65_536, 2, 1)), PasswordHash.params(REFERENCE));
  }

  @Test
  void hash_thenVerify_roundTripsWithItsParametersWritten() {
    String phc = hasher.hash("correct horse battery");

    assertTrue(phc.startsWith("$argon2id$v=19$m=47104,t=1,p=1$"), phc);
    assertTrue(hasher.verify(phc, "correct horse battery"));
    assertFalse(hasher.verify(phc, "correct horse batterY"));
    assertNotEquals(phc, hasher.hash("correct horse battery"), "a fresh salt each time");
  }

  @Test
  void needsRehash_whenMadeWithWeakerParameters_isTrue() {
    assertTrue(
        hasher.needsRehash(
            new PasswordHash(new PasswordHash.Params(8_192, 1, 1), new SecureRandom()).hash("x")));
    assertFalse(hasher.needsRehash(hasher.hash("x")));
    assertFalse(hasher.needsRehash(REFERENCE), "stronger on memory and passes");
    assertTrue(hasher.needsRehash("not a hash"));
  }

  @Test
  void verify_whenMalformedOrTooLong_isFalse() {
    assertFalse(hasher.verify("$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$abc", "password"));
    assertFalse(hasher.verify("", "password"));
    assertFalse(hasher.verify(null, "password"));
    assertFalse(hasher.verify(REFERENCE, null));
    assertFalse(hasher.verify(REFERENCE, "p".repeat(PasswordHash.MAX_LENGTH + 1)));
  }

  @Test
  void problem_whenShortOrLong_saysTheRule() {
    assertTrue(PasswordHash.problem("eleven char").orElseThrow().contains("12 characters"));
    assertTrue(PasswordHash.problem(null).isPresent());
    assertTrue(PasswordHash.problem("x".repeat(201)).isPresent());
    assertEquals(Optional.empty(), PasswordHash.problem("twelve chars"));
  }
}
