// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ingest;

import static terrain.http.Responses.sendError;
import static terrain.http.Responses.sendJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.http.Json;
import terrain.http.Routes;
import terrain.server.access.AdminAuth;
import terrain.store.RecordStore;
import terrain.store.RejectedRecords;
import terrain.store.StoreException;

/**
 * The records quarantined by this server or by a hub before it (decision 0016), for ops; other
 * paths are left to the next handler.
 *
 * <pre>
 * GET /api/rejected   Bearer ADMIN; 200 [{"device","seq","reason","at","kind","event","hop"}...]
 *                     (newest first, at most 1000; "hop" is the node that quarantined it)
 * </pre>
 */
public final class RejectedApi extends Handler.Wrapper {
  private static final Logger log = LoggerFactory.getLogger(RejectedApi.class);
  public static final String PATH = "/api/rejected";

  private final RejectedRecords rejected;
  private final AdminAuth adminAuth;

  /**
   * @param adminAuth the check of admin calls' bearer token
   */
  public RejectedApi(RejectedRecords rejected, AdminAuth adminAuth) {
    this.rejected = rejected;
    this.adminAuth = adminAuth;
    setHandler(Routes.builder().get(PATH, this::list).build());
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!PATH.equals(request.getHttpURI().getPath())) {
      return false;
    }
    return super.handle(request, response, callback);
  }

  private void list(Request request, Response response, Callback callback) {
    if (!adminAuth.allows(request, response, callback)) {
      return;
    }
    List<RecordStore.Rejected> entries;
    try {
      entries = rejected.list(RejectedRecords.MAX_LIST);
    } catch (StoreException e) {
      log.warn("HTTP GET {} failed", PATH, e);
      sendError(response, callback, 503, "the database does not answer; try again shortly");
      return;
    }
    ArrayNode list = Json.array();
    for (RecordStore.Rejected entry : entries) {
      list.addObject()
          .put("device", entry.device().value())
          .put("seq", entry.seq())
          .put("reason", entry.reason())
          .put("at", Instant.ofEpochMilli(entry.receivedTime()).toString())
          .put("kind", entry.kind().name())
          .put("event", entry.eventId())
          .put("hop", entry.hop().value());
    }
    sendJson(response, callback, 200, list);
  }
}
