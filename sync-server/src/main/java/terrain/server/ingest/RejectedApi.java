// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import terrain.http.Endpoint;
import terrain.http.Json;
import terrain.server.access.Access;
import terrain.store.RecordStore;
import terrain.store.RejectedRecords;
import terrain.store.StoreException;

/**
 * The records quarantined by this server or by a hub before it (decision 0016), for ops.
 *
 * <pre>
 * GET /api/rejected   Bearer ADMIN; 200 [{"device","seq","reason","at","kind","event","hop"}...]
 *                     (newest first, at most 1000; "hop" is the node that quarantined it)
 * </pre>
 */
public final class RejectedApi {
  public static final String PATH = "/api/rejected";

  private RejectedApi() {}

  /** What answers GET {@link #PATH}. */
  public static Endpoint endpoint(RejectedRecords rejected, Access access) {
    return new AdminListApi(PATH, access, () -> list(rejected)).endpoint();
  }

  private static ArrayNode list(RejectedRecords rejected) throws StoreException {
    ArrayNode list = Json.array();
    for (RecordStore.Rejected entry : rejected.list(RejectedRecords.MAX_LIST)) {
      list.addObject()
          .put("device", entry.device().value())
          .put("seq", entry.seq())
          .put("reason", entry.reason())
          .put("at", Instant.ofEpochMilli(entry.receivedTime()).toString())
          .put("kind", entry.kind().name())
          .put("event", entry.eventId())
          .put("hop", entry.hop().value());
    }
    return list;
  }
}
