// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ingest;

import static terrain.http.Responses.sendError;
import static terrain.http.Responses.sendJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import terrain.store.StoreException;

/**
 * The records kept aside, for ops; other paths are left to the next handler.
 *
 * <pre>
 * GET /api/admin/set-aside   Bearer ADMIN; 200 {"count": N, "setAside": [{"device","seq","kind",
 *                            "event","reason","receivedAt","hubTime"?,"revokedAfter"}]}
 *                            (newest first, at most 1000)
 * </pre>
 */
public final class SetAsideApi extends Handler.Wrapper {
  private static final Logger log = LoggerFactory.getLogger(SetAsideApi.class);
  public static final String PATH = "/api/admin/set-aside";

  private final SetAside setAside;
  private final AdminAuth adminAuth;

  /**
   * @param adminAuth the check of admin calls' bearer token
   */
  public SetAsideApi(SetAside setAside, AdminAuth adminAuth) {
    this.setAside = setAside;
    this.adminAuth = adminAuth;
    setHandler(Routes.builder().get(PATH, this::list).build());
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = request.getHttpURI().getPath();
    if (!PATH.equals(path)) {
      return false;
    }
    return super.handle(request, response, callback);
  }

  private void list(Request request, Response response, Callback callback) {
    if (!adminAuth.allows(request, response, callback)) {
      return;
    }
    long count;
    List<SetAside.Entry> entries;
    try {
      count = setAside.count();
      entries = setAside.list(SetAside.MAX_LIST);
    } catch (StoreException e) {
      log.warn("HTTP GET {} failed", PATH, e);
      sendError(response, callback, 503, "the database does not answer; try again shortly");
      return;
    }
    ObjectNode root = Json.object();
    root.put("count", count);
    ArrayNode list = root.putArray("setAside");
    for (SetAside.Entry entry : entries) {
      ObjectNode item = list.addObject();
      item.put("device", entry.device().value());
      item.put("seq", entry.seq());
      item.put("kind", entry.kind().name());
      item.put("event", entry.eventId());
      item.put("reason", entry.reason());
      item.put("receivedAt", Instant.ofEpochMilli(entry.receivedAt()).toString());
      if (entry.hubTime() > 0) {
        item.put("hubTime", Instant.ofEpochMilli(entry.hubTime()).toString());
      }
      item.put("revokedAfter", Instant.ofEpochSecond(entry.revokedAfter()).toString());
    }
    sendJson(response, callback, 200, root);
  }
}
