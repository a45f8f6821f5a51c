// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** What the server takes from a request: its Bearer token and a bounded JSON body. */
public final class Requests {
  private Requests() {}

  /** The token of an {@code Authorization: Bearer TOKEN} header, or "" when there is none. */
  public static String bearer(Request request) {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return "";
    }
    return header.substring(7).strip();
  }

  /** A request body read as a JSON object, or why it was refused. */
  public sealed interface JsonBody {
    /** The body parsed into an object. */
    record Parsed(ObjectNode object) implements JsonBody {}

    /** The body was refused: {@code status} 400 or 413 and the reason for the client. */
    record Refused(int status, String reason) implements JsonBody {}
  }

  /**
   * Reads the body as a JSON object of at most {@code maxBytes}. A Content-Length above the limit
   * is refused before a byte is read; a body without one is read only up to the limit.
   *
   * @param notJson the reason given when the body does not parse at all
   */
  public static JsonBody jsonBody(Request request, int maxBytes, String notJson) {
    if (request.getLength() > maxBytes) {
      return tooLarge(maxBytes);
    }
    byte[] bytes;
    try (InputStream in = Content.Source.asInputStream(request)) {
      bytes = in.readNBytes(maxBytes + 1);
    } catch (IOException e) {
      return new JsonBody.Refused(400, "the request body could not be read");
    }
    if (bytes.length > maxBytes) {
      return tooLarge(maxBytes);
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(bytes);
    } catch (IOException e) {
      return new JsonBody.Refused(400, notJson);
    }
    if (node instanceof ObjectNode object) {
      return new JsonBody.Parsed(object);
    }
    return new JsonBody.Refused(400, "the body must be a JSON object");
  }

  /**
   * The body as a JSON object of at most {@code maxBytes}, see {@link #jsonBody}; otherwise answers
   * 400 or 413 with {@code {"error": reason}} and gives empty.
   */
  public static Optional<JsonNode> jsonBody(
      Request request, Response response, Callback callback, int maxBytes, String notJson) {
    JsonBody body = jsonBody(request, maxBytes, notJson);
    if (body instanceof JsonBody.Parsed parsed) {
      return Optional.of(parsed.object());
    }
    JsonBody.Refused refused = (JsonBody.Refused) body;
    Responses.sendError(response, callback, refused.status(), refused.reason());
    return Optional.empty();
  }

  private static JsonBody tooLarge(int maxBytes) {
    return new JsonBody.Refused(413, "the body exceeds " + maxBytes + " bytes");
  }
}
