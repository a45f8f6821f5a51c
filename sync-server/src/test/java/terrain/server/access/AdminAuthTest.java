// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdminAuthTest {

  @Test
  void matches_onlyTheToken() {
    AdminAuth auth = new AdminAuth("admin-token-0123456789abcdef");

    assertTrue(auth.enabled());
    assertTrue(auth.matches("admin-token-0123456789abcdef"));
    assertFalse(auth.matches("admin-token-0123456789abcdeF"));
    assertFalse(auth.matches(""));
    assertFalse(auth.matches(null));
  }

  @Test
  void withoutAToken_isDisabledAndMatchesNothing() {
    AdminAuth auth = new AdminAuth(null);

    assertFalse(auth.enabled());
    assertFalse(auth.matches(""));
    assertFalse(auth.matches(null));
  }

  @Test
  void messages_sayWhatToDo() {
    assertTrue(Access.DISABLED.contains("--admin-token"));
    assertTrue(Access.DISABLED.contains("./terrain staff add"));
    assertTrue(Access.UNAUTHORIZED.contains("Authorization: Bearer"));
  }
}
