// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ingest;

import static terrain.http.Responses.sendError;
import static terrain.http.Responses.sendJson;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.http.Endpoint;
import terrain.server.access.Access;
import terrain.server.access.Role;
import terrain.store.StoreException;

/**
 * One admin list for ops at one path, read from the database on each GET, for the analyst role
 * ({@link SetAsideApi}, {@link RejectedApi}).
 */
final class AdminListApi {
  private static final Logger log = LoggerFactory.getLogger(AdminListApi.class);

  /** Reads the list as the JSON the GET answers. */
  @FunctionalInterface
  interface Listing {
    JsonNode read() throws StoreException;
  }

  private final String path;
  private final Access access;
  private final Listing listing;

  AdminListApi(String path, Access access, Listing listing) {
    this.path = path;
    this.access = access;
    this.listing = listing;
  }

  /** What answers GET on its path. */
  Endpoint endpoint() {
    return this::list;
  }

  private void list(Request request, Response response, Callback callback) {
    if (!access.allows(request, response, callback, Role.ANALYST)) {
      return;
    }
    JsonNode body;
    try {
      body = listing.read();
    } catch (StoreException e) {
      log.warn("HTTP GET {} failed", path, e);
      sendError(response, callback, 503, "the database does not answer; try again shortly");
      return;
    }
    sendJson(response, callback, 200, body);
  }
}
