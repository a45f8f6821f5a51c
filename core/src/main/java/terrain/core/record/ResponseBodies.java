// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.record;

import java.util.IdentityHashMap;
import java.util.Map;
import terrain.core.codec.WireException;

/**
 * The response bodies of one batch, each decoded once (decision 0044): the record rules decode a
 * body to check it, and the receiver's hooks read the same bodies again, each for its own tables.
 * Keyed by the body array itself (a {@link Record} hands out its own), so a record stamped with a
 * hub time shares its decoded body. A body that does not decode is not kept: whoever asks again
 * gets the error again. For one batch on one thread: not thread-safe, held no longer than the
 * batch.
 */
public final class ResponseBodies {
  private final Map<byte[], ResponseBody> decoded;

  /** For a batch of a few records. */
  public ResponseBodies() {
    this(32);
  }

  /**
   * @param records how many records the batch holds: the map is made that large once
   */
  public ResponseBodies(int records) {
    decoded = new IdentityHashMap<>(records);
  }

  /** The body of a RESPONSE record, decoded the first time it is asked for. */
  public ResponseBody decode(Record record) throws WireException {
    return decode(record.body());
  }

  /** As {@link ResponseBody#decode}, once per array. */
  public ResponseBody decode(byte[] body) throws WireException {
    ResponseBody known = decoded.get(body);
    if (known == null) {
      known = ResponseBody.decode(body);
      decoded.put(body, known);
    }
    return known;
  }
}
