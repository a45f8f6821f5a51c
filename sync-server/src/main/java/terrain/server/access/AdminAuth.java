// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.access;

import static terrain.http.Requests.bearer;
import static terrain.http.Responses.sendError;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The admin token of the server's admin calls ({@code --admin-token}), checked the same way by
 * every admin endpoint: 403 when the server was started without one, 401 (with {@code
 * WWW-Authenticate: Bearer}) without {@code Authorization: Bearer TOKEN} or with another token.
 * Tokens are compared in constant time, through their SHA-256 so that their lengths do not leak.
 */
public final class AdminAuth {
  /** The error of a call to a server started without an admin token (403). */
  public static final String DISABLED =
      "admin calls are disabled: start the server with --admin-token TOKEN"
          + " (or TERRAIN_ADMIN_TOKEN)";

  /** The error of a call without the admin token (401). */
  public static final String UNAUTHORIZED =
      "send Authorization: Bearer ADMIN_TOKEN with the token the server was started"
          + " with (--admin-token)";

  private final byte[] tokenHash;

  /**
   * @param token the admin token; null disables admin calls
   */
  public AdminAuth(String token) {
    this.tokenHash = token == null ? null : sha256(token);
  }

  /** True when the server has an admin token. */
  public boolean enabled() {
    return tokenHash != null;
  }

  /** True when {@code given} is the admin token (in constant time); false when disabled. */
  public boolean matches(String given) {
    return tokenHash != null && given != null && MessageDigest.isEqual(sha256(given), tokenHash);
  }

  /**
   * True when the request carries the admin token as {@code Authorization: Bearer}; otherwise the
   * refusal (403 or 401, {@code {"error": what to do}}) is sent and the callback completed.
   */
  public boolean allows(Request request, Response response, Callback callback) {
    if (!enabled()) {
      sendError(response, callback, 403, DISABLED);
      return false;
    }
    if (!matches(bearer(request))) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
      sendError(response, callback, 401, UNAUTHORIZED);
      return false;
    }
    return true;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
