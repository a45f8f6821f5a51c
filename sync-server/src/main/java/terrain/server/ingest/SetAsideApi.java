// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import terrain.http.Endpoint;
import terrain.http.Json;
import terrain.server.access.Access;
import terrain.store.StoreException;

/**
 * The records kept aside, for ops.
 *
 * <pre>
 * GET /api/admin/set-aside   Bearer ADMIN; 200 {"count": N, "setAside": [{"device","seq","kind",
 *                            "event","reason","receivedAt","hubTime"?,"revokedAfter"}]}
 *                            (newest first, at most 1000)
 * </pre>
 */
public final class SetAsideApi {
  public static final String PATH = "/api/admin/set-aside";

  private SetAsideApi() {}

  /** What answers GET {@link #PATH}. */
  public static Endpoint endpoint(SetAside setAside, Access access) {
    return new AdminListApi(PATH, access, () -> list(setAside)).endpoint();
  }

  private static ObjectNode list(SetAside setAside) throws StoreException {
    ObjectNode root = Json.object();
    root.put("count", setAside.count());
    ArrayNode list = root.putArray("setAside");
    for (SetAside.Entry entry : setAside.list(SetAside.MAX_LIST)) {
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
    return root;
  }
}
