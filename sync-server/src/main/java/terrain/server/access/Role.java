// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.access;

import java.util.Locale;
import java.util.Optional;

/**
 * What a staff account may do. A route names the role it needs; {@link #ADMIN} may do everything,
 * the others only their own part: a moderator moderates, an analyst reads results, exports and the
 * operational lists; neither manages accounts, events or devices, nor reads the audit log.
 */
public enum Role {
  MODERATOR("moderator"),
  ANALYST("analyst"),
  ADMIN("admin");

  private final String id;

  Role(String id) {
    this.id = id;
  }

  /** The role as written in the database, the API and the command line. */
  public String id() {
    return id;
  }

  /** True when an account of this role may use a route that needs {@code needed}. */
  public boolean allows(Role needed) {
    return this == ADMIN || this == needed;
  }

  /** The role written {@code id} (any case), or empty. */
  public static Optional<Role> parse(String id) {
    if (id == null) {
      return Optional.empty();
    }
    String lower = id.strip().toLowerCase(Locale.ROOT);
    for (Role role : values()) {
      if (role.id.equals(lower)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }

  /** "moderator, analyst or admin", for messages. */
  public static String choices() {
    return "moderator, analyst or admin";
  }
}
