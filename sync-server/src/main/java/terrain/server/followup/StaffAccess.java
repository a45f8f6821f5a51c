// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.followup;

import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import terrain.server.claim.ClaimWeb;
import terrain.server.moderation.AdminSessions;

/**
 * Who may write follow-ups: the one place the staff routes of this package are checked. Today it is
 * the moderation's check, unchanged: the admin token as {@code Authorization: Bearer} for the API,
 * the moderation sign-in's session cookie for the pages. When staff accounts with roles land, only
 * this class changes.
 */
public final class StaffAccess {
  /** The cookie of the moderation sign-in ({@code /admin/login}, path {@code /admin}). */
  static final String SESSION_COOKIE = "terrain_admin";

  private final AdminSessions sessions;

  public StaffAccess(AdminSessions sessions) {
    this.sessions = sessions;
  }

  /** False when the server has no admin token: nobody can sign in. */
  public boolean enabled() {
    return sessions.enabled();
  }

  /** True for an API call with the admin token; otherwise 403 or 401 is sent. */
  public boolean allowsApi(Request request, Response response, Callback callback) {
    return sessions.auth().allows(request, response, callback);
  }

  /** The signed-in staff member's name, or empty (the page then sends to the sign-in). */
  public Optional<String> signedIn(Request request) {
    return sessions.fromSession(ClaimWeb.cookies(request).get(SESSION_COOKIE));
  }
}
