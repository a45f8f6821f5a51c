// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The map of a {@link QuestionKind#MAP} question: the image residents touch and its named zones.
 *
 * @param image the picture file (PNG or JPEG), resolved against the event file's folder
 * @param zones named rectangles of the image; each zone's id is an option id of the question
 */
public record MapSpec(Path image, List<Zone> zones) {

  /** Coordinates on a map are per-mille of its width and height: 0 to this. */
  public static final int SCALE = 1000;

  /**
   * A named rectangle of the map, in per-mille of the image's width and height, origin top left.
   *
   * @param id the id of the question option that names the zone
   */
  public record Zone(String id, int left, int top, int right, int bottom) {
    public Zone {
      Ids.require("Zone id", id);
      if (left < 0 || top < 0 || right > SCALE || bottom > SCALE) {
        throw new IllegalArgumentException(
            "Zone [" + id + "] must lie within 0 to " + SCALE + " per mille of the map");
      }
      if (left >= right || top >= bottom) {
        throw new IllegalArgumentException(
            "Zone ["
                + id
                + "] left ["
                + left
                + "] must be less than right ["
                + right
                + "] and top ["
                + top
                + "] less than bottom ["
                + bottom
                + "]");
      }
    }

    /** Whether the point (per mille) is in this zone, edges included. */
    public boolean contains(int x, int y) {
      return x >= left && x <= right && y >= top && y <= bottom;
    }
  }

  public MapSpec {
    Objects.requireNonNull(image, "MapSpec image must not be null");
    zones = List.copyOf(Objects.requireNonNull(zones, "MapSpec zones must not be null"));
    Set<String> seen = new HashSet<>();
    for (Zone zone : zones) {
      if (!seen.add(zone.id())) {
        throw new IllegalArgumentException(
            "MapSpec zone id [" + zone.id() + "] must be unique in the map");
      }
    }
  }

  /** The first zone, in file order, that holds the point (per mille); zones may overlap. */
  public Optional<Zone> zoneAt(int x, int y) {
    return zones.stream().filter(z -> z.contains(x, y)).findFirst();
  }
}
