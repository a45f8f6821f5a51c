// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A complete HTTP answer, built by a route and written in one go. Pages and API answers are small
 * and change all the time, so none is cached.
 */
public record Reply(int status, String contentType, byte[] body) {
  public static final String JSON = "application/json";
  public static final String HTML = "text/html;charset=utf-8";
  public static final String TEXT = "text/plain;charset=utf-8";

  public static Reply json(Json json, int status, Object value) {
    return new Reply(status, JSON, json.write(value));
  }

  public static Reply json(Json json, Object value) {
    return json(json, 200, value);
  }

  /** A page whose dynamic parts the caller has escaped with {@link Html#escape}. */
  public static Reply html(String page) {
    return new Reply(200, HTML, page.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes the reply and completes the callback. */
  public void send(Response response, Callback callback) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    if (contentType.startsWith("text/html")) {
      response
          .getHeaders()
          .put("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
      // Pages speak the language the request prefers.
      response.getHeaders().put(HttpHeader.VARY, HttpHeader.ACCEPT_LANGUAGE.asString());
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
