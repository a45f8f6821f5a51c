// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Complete answers written in one go. Pages and API answers are small and change all the time, so
 * none is cached ({@code no-store}); the type is never guessed ({@code nosniff}); a HEAD request
 * gets the headers and no bytes.
 */
public final class Responses {
  public static final String JSON = "application/json; charset=utf-8";
  public static final String HTML = "text/html; charset=utf-8";
  public static final String TEXT = "text/plain; charset=utf-8";

  /** Pages carry no script and load nothing; their style is inline. */
  static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

  private Responses() {}

  /** {@code value} (a tree, a record...) as JSON with {@code status}. */
  public static void sendJson(Response response, Callback callback, int status, Object value) {
    send(response, callback, status, JSON, Json.write(value));
  }

  /** {@code {"error": message}} with {@code status}. */
  public static void sendError(Response response, Callback callback, int status, String message) {
    sendJson(response, callback, status, Json.error(message));
  }

  /**
   * A page whose dynamic parts the caller has escaped. It may not run scripts or load anything, and
   * it says that it depends on the language the request prefers.
   */
  public static void sendHtml(Response response, Callback callback, int status, String page) {
    sendHtml(response, callback, status, page, PAGE_POLICY);
  }

  /**
   * The policy of a page that runs exactly these inline scripts (by their SHA-256, so an injected
   * script still cannot run) and fetches from its own origin only.
   */
  public static String scriptPolicy(String... scripts) {
    StringBuilder policy =
        new StringBuilder(PAGE_POLICY).append("; connect-src 'self'; script-src");
    for (String script : scripts) {
      try {
        byte[] digest =
            MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
        policy.append(" 'sha256-").append(Base64.getEncoder().encodeToString(digest)).append('\'');
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java has SHA-256", e);
      }
    }
    return policy.toString();
  }

  /** As {@link #sendHtml(Response, Callback, int, String)} under {@code policy}. */
  public static void sendHtml(
      Response response, Callback callback, int status, String page, String policy) {
    response.getHeaders().put("Content-Security-Policy", policy);
    response.getHeaders().put(HttpHeader.VARY, HttpHeader.ACCEPT_LANGUAGE.asString());
    send(response, callback, status, HTML, page.getBytes(StandardCharsets.UTF_8));
  }

  public static void sendText(Response response, Callback callback, int status, String text) {
    send(response, callback, status, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code body} of {@code contentType} with {@code status}; completes the callback. */
  public static void send(
      Response response, Callback callback, int status, String contentType, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    boolean head = HttpMethod.HEAD.is(response.getRequest().getMethod());
    response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
  }
}
