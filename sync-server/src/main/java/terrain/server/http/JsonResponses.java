// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The JSON side shared by the server's APIs (claims, moderation): reading a bounded JSON object
 * body, the Bearer token of a request, error bodies and JSON answers that are never cached.
 */
public final class JsonResponses {
  private static final String JSON = "application/json; charset=utf-8";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonResponses() {}

  /** {@code {"error": message}}. */
  public static ObjectNode error(String message) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("error", message);
    return node;
  }

  /** The token of an {@code Authorization: Bearer TOKEN} header, or "" when there is none. */
  public static String bearer(Request request) {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return "";
    }
    return header.substring(7).strip();
  }

  /**
   * The request's body as a JSON object of at most {@code maxBytes}; otherwise answers 400 or 413
   * and gives empty. {@code notJson} is the error text when the body does not parse at all.
   */
  public static Optional<JsonNode> jsonBody(
      Request request, Response response, Callback callback, int maxBytes, String notJson) {
    byte[] bytes;
    try (InputStream in = Content.Source.asInputStream(request)) {
      bytes = in.readNBytes(maxBytes + 1);
    } catch (IOException e) {
      sendJson(response, callback, 400, error("the request body could not be read"));
      return Optional.empty();
    }
    if (bytes.length > maxBytes) {
      sendJson(response, callback, 413, error("the body exceeds " + maxBytes + " bytes"));
      return Optional.empty();
    }
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || !node.isObject()) {
        sendJson(response, callback, 400, error("the body must be a JSON object"));
        return Optional.empty();
      }
      return Optional.of(node);
    } catch (IOException e) {
      sendJson(response, callback, 400, error(notJson));
      return Optional.empty();
    }
  }

  /** Answers {@code body} with {@code status}, no-store and nosniff; no bytes for HEAD. */
  public static void sendJson(Response response, Callback callback, int status, ObjectNode body) {
    byte[] bytes;
    try {
      bytes = MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      Response.writeError(response.getRequest(), response, callback, e);
      return;
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    boolean head = HttpMethod.HEAD.is(response.getRequest().getMethod());
    response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes), callback);
  }
}
