// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one {@link ObjectMapper} of HTTP answers and bodies. It is configured here once and never
 * changed afterwards, which is what makes sharing it between threads safe.
 */
public final class Json {
  // Records become objects; an empty record is {} rather than a failure.
  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Json() {}

  static ObjectMapper mapper() {
    return MAPPER;
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** The body of every error answer: {@code {"error": message}}. */
  public static ObjectNode error(String message) {
    ObjectNode node = object();
    node.put("error", message);
    return node;
  }

  /** {@code value} as JSON bytes: a tree, a record, a list, a map... */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot write a " + value.getClass().getName() + " as JSON: " + e.getMessage(), e);
    }
  }
}
