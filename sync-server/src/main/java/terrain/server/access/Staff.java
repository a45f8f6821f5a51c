// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.access;

/**
 * Who makes a request: a staff account (or the shared admin token) with its role, and how it proved
 * it.
 *
 * @param name the account's name; {@link #SHARED_TOKEN_NAME} for the shared admin token
 * @param sessionHash the hash of the browser's session when {@code via} is {@link Via#SESSION},
 *     else null
 */
public record Staff(String name, Role role, Via via, String sessionHash) {
  /** The name written in the audit log for the shared admin token ({@code --admin-token}). */
  public static final String SHARED_TOKEN_NAME = "admin-token";

  /** How a request proved who makes it. */
  public enum Via {
    /** A browser's session cookie, after signing in with a password. */
    SESSION("session"),
    /** One of the account's bearer tokens. */
    TOKEN("token"),
    /** The shared admin token of {@code --admin-token} (deprecated, bootstrap only). */
    SHARED_TOKEN("admin-token"),
    /** The {@code terrain staff} command on the server's database. */
    COMMAND_LINE("cli");

    private final String id;

    Via(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  /** True when this staff member may use a route that needs {@code needed}. */
  public boolean may(Role needed) {
    return role.allows(needed);
  }
}
