// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.events;

import static terrain.http.Json.error;
import static terrain.http.Responses.sendError;
import static terrain.http.Responses.sendJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.http.Endpoint;
import terrain.http.Json;
import terrain.server.access.Access;
import terrain.server.access.Role;
import terrain.server.http.PageRoutes;
import terrain.store.StoreException;

/**
 * The admin API of events, behind {@link Access} (publish: admin role, audited; list: analyst):
 *
 * <pre>
 * POST /api/admin/events[?file=NAME]  body: the event file's YAML text
 *        201 {"event","version","sha256"} a new version | 200 the same text as the latest version
 *        | 400 {"error","problems":["file:line:column: what to fix",...]} (NAME, else event.yaml)
 *        | 409 {"error","ids":[...]} a poll or question id that records name renamed or removed
 * GET  /api/admin/events               [{"event","version","sha256","publishedAt"}]
 * </pre>
 */
public final class EventsApi {
  private static final Logger log = LoggerFactory.getLogger(EventsApi.class);
  private static final String PATH = "/api/admin/events";

  private final PublishedEvents events;
  private final Access access;
  private final java.util.function.Consumer<terrain.core.id.EventId> published;

  /**
   * @param access the check of admin calls: publishing needs the admin role, the list the analyst
   *     role
   * @param published hears of each new version (the hubs' signed configuration is sent again)
   */
  public EventsApi(
      PublishedEvents events,
      Access access,
      java.util.function.Consumer<terrain.core.id.EventId> published) {
    this.events = events;
    this.access = access;
    this.published = published;
  }

  /** POST publishes (admin), GET lists (analyst). */
  public void routes(PageRoutes.Builder routes) {
    routes
        .guarded(EventsApi::guard)
        .post(PATH, this::publish)
        .get(
            PATH,
            (request, response, callback) -> {
              if (access.allows(request, response, callback, Role.ANALYST)) {
                list(response, callback);
              }
            });
  }

  /** A database that does not answer: 503. */
  private static Endpoint guard(Endpoint endpoint) {
    return (request, response, callback) -> {
      try {
        endpoint.handle(request, response, callback);
      } catch (StoreException e) {
        log.warn("HTTP {} {} failed", request.getMethod(), PATH, e);
        sendError(response, callback, 503, "the database does not answer; try again shortly");
      }
    };
  }

  private void publish(Request request, Response response, Callback callback)
      throws StoreException {
    // Read the body before any refusal, so that the connection stays usable.
    byte[] bytes;
    if (request.getLength() > PublishedEvents.MAX_BYTES) {
      sendJson(response, callback, 413, tooLarge());
      return;
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      bytes = in.readNBytes(PublishedEvents.MAX_BYTES + 1);
    } catch (IOException e) {
      sendError(response, callback, 400, "the request body could not be read; send it again");
      return;
    }
    if (!access.allows(request, response, callback, Role.ADMIN)) {
      return;
    }
    if (bytes.length > PublishedEvents.MAX_BYTES) {
      sendJson(response, callback, 413, tooLarge());
      return;
    }
    String fileName = fileName(request);
    if (fileName == null) {
      sendError(
          response,
          callback,
          400,
          "the file parameter must be 1 to 100 of A-Z a-z 0-9 . _ - (the file's name)");
      return;
    }
    String yaml;
    try {
      yaml =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      ObjectNode body =
          error("the body is not UTF-8 text; save the event file with the encoding UTF-8");
      body.putArray("problems")
          .add(fileName + ": the file is not UTF-8 text; save it again with the encoding UTF-8");
      sendJson(response, callback, 400, body);
      return;
    }
    PublishedEvents.Outcome outcome = events.publish(yaml, fileName);
    if (outcome instanceof PublishedEvents.Published published) {
      ObjectNode body = Json.object();
      body.put("event", published.eventId());
      body.put("version", published.version());
      body.put("sha256", published.sha256());
      access.audit(
          request,
          "event.publish",
          published.eventId(),
          "version "
              + published.version()
              + (published.created() ? " (new)" : " (unchanged)")
              + " sha256 "
              + published.sha256());
      if (published.created()) {
        this.published.accept(terrain.core.id.EventId.of(published.eventId()));
      }
      sendJson(response, callback, published.created() ? 201 : 200, body);
    } else if (outcome instanceof PublishedEvents.Invalid invalid) {
      ObjectNode body =
          error(
              "the event file has "
                  + invalid.problems().size()
                  + (invalid.problems().size() == 1 ? " problem" : " problems")
                  + "; fix each one at its line and column, then publish again");
      ArrayNode problems = body.putArray("problems");
      invalid.problems().forEach(problems::add);
      sendJson(response, callback, 400, body);
    } else if (outcome instanceof PublishedEvents.Conflict conflict) {
      ObjectNode body = error(conflict.message());
      body.put("event", conflict.eventId());
      ArrayNode ids = body.putArray("ids");
      conflict.ids().forEach(ids::add);
      sendJson(response, callback, 409, body);
    } else {
      throw new IllegalStateException("unexpected publish outcome " + outcome);
    }
  }

  private void list(Response response, Callback callback) throws StoreException {
    ArrayNode list = Json.array();
    for (PublishedEvents.Version version : events.list()) {
      ObjectNode item = list.addObject();
      item.put("event", version.eventId());
      item.put("version", version.version());
      item.put("sha256", version.sha256());
      item.put("publishedAt", Instant.ofEpochSecond(version.publishedAt()).toString());
    }
    sendJson(response, callback, 200, list);
  }

  /** The {@code file} query parameter, {@code event.yaml} without one, null when malformed. */
  private static String fileName(Request request) {
    Fields query = Request.extractQueryParameters(request);
    String file = query.getValue("file");
    if (file == null) {
      return "event.yaml";
    }
    return file.matches("[A-Za-z0-9._-]{1,100}") ? file : null;
  }

  private static ObjectNode tooLarge() {
    return error(
        "the event file exceeds "
            + PublishedEvents.MAX_BYTES
            + " bytes; remove comments or long texts and publish again");
  }
}
