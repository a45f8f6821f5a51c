// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.results;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How many respondents gave each age band and neighbourhood of an event: what a hub publishes,
 * retained, on {@link terrain.core.wire.Topics#eventMissing(String)} so that the event's tablets
 * say "who is missing" with {@link Representation} in their own language (decision 0040).
 *
 * <p>The wire form is small UTF-8 text, one fact a line, checked on receipt:
 *
 * <pre>
 * terrain-profile-counts 1
 * event market-day
 * age 18-29 4
 * area bastide 40
 * </pre>
 */
public record ProfileCounts(String eventId, Map<String, Long> ageBands, Map<String, Long> areas) {
  /** The first line, with the format's version. */
  public static final String HEADER = "terrain-profile-counts 1";

  /** At most this many bytes on the wire (a few dozen bands take a few hundred). */
  public static final int MAX_BYTES = 8192;

  /** At most this many bands per dimension. */
  public static final int MAX_BANDS = 100;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public ProfileCounts {
    Objects.requireNonNull(eventId, "eventId must not be null");
    ageBands = Collections.unmodifiableMap(new LinkedHashMap<>(ageBands));
    areas = Collections.unmodifiableMap(new LinkedHashMap<>(areas));
  }

  /** The wire form. */
  public byte[] encode() {
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    out.append("event ").append(eventId).append('\n');
    ageBands.forEach((id, n) -> out.append("age ").append(id).append(' ').append(n).append('\n'));
    areas.forEach((id, n) -> out.append("area ").append(id).append(' ').append(n).append('\n'));
    byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "profile counts of " + bytes.length + " bytes exceed " + MAX_BYTES);
    }
    return bytes;
  }

  /**
   * Reads the wire form.
   *
   * @throws IllegalArgumentException saying what is wrong when it is not one
   */
  public static ProfileCounts decode(byte[] payload) {
    if (payload == null || payload.length == 0) {
      throw new IllegalArgumentException("empty profile counts");
    }
    if (payload.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "profile counts of " + payload.length + " bytes exceed " + MAX_BYTES);
    }
    String[] lines = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
    if (!HEADER.equals(lines[0])) {
      throw new IllegalArgumentException("not profile counts of version 1 (first line)");
    }
    String eventId = null;
    Map<String, Long> ages = new LinkedHashMap<>();
    Map<String, Long> areas = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty() && i == lines.length - 1) {
        break;
      }
      String[] words = line.split(" ", -1);
      String where = "line " + (i + 1) + " of the profile counts";
      if (words.length == 2 && words[0].equals("event") && eventId == null) {
        eventId = id(words[1], where);
      } else if (words.length == 3 && (words[0].equals("age") || words[0].equals("area"))) {
        Map<String, Long> into = words[0].equals("age") ? ages : areas;
        String id = id(words[1], where);
        long n;
        try {
          n = Long.parseLong(words[2]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(where + ": the count is not a number");
        }
        if (n < 0 || n > 1_000_000_000L) {
          throw new IllegalArgumentException(where + ": the count is out of range");
        }
        if (into.putIfAbsent(id, n) != null) {
          throw new IllegalArgumentException(where + ": " + id + " is given twice");
        }
        if (into.size() > MAX_BANDS) {
          throw new IllegalArgumentException(where + ": more than " + MAX_BANDS + " bands");
        }
      } else {
        throw new IllegalArgumentException(where + " is not understood");
      }
    }
    if (eventId == null) {
      throw new IllegalArgumentException("the profile counts name no event");
    }
    return new ProfileCounts(eventId, ages, areas);
  }

  private static String id(String id, String where) {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(where + ": not an id");
    }
    return id;
  }
}
