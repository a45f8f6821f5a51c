// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import terrain.core.event.NodeReader.Fields;

/** Reads what a map question adds: the picture of the map and its zones. */
final class MapSection {

  private static final List<String> ZONE_KEYS = List.of("id", "fr", "en", "ar", "area");

  private final NodeReader reader;
  private final IdReader ids;
  private final LocalizedReader texts;

  /** Where map images are looked for; null when reading text that is not in a file. */
  private final Path baseDir;

  MapSection(NodeReader reader, IdReader ids, LocalizedReader texts, Path baseDir) {
    this.reader = reader;
    this.ids = ids;
    this.texts = texts;
    this.baseDir = baseDir;
  }

  /** The map image, resolved and checked when the file's folder is known. */
  Path image(Fields question, String context) {
    Node node =
        reader.required(
            question, "image", "image: quartier.png (a PNG or JPEG next to the event file)");
    String written = reader.text(node, context, "image");
    if (written == null) {
      return null;
    }
    Path path;
    try {
      path = Path.of(written.strip());
    } catch (java.nio.file.InvalidPathException e) {
      reader.report(node, context, "image \"" + written + "\" is not a valid file path");
      return null;
    }
    if (baseDir == null) {
      return path;
    }
    Path resolved = baseDir.resolve(path).normalize();
    if (!Files.isRegularFile(resolved)) {
      reader.report(
          node,
          context,
          "image \""
              + written
              + "\" is not found (looked for "
              + resolved
              + "); put the picture next to the event file or fix the path, which is relative"
              + " to the event file's folder");
      return null;
    }
    byte[] head = new byte[8];
    int read;
    try (var in = Files.newInputStream(resolved)) {
      read = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      reader.report(node, context, "image \"" + written + "\" cannot be read: " + e);
      return null;
    }
    boolean png =
        read == 8 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G';
    boolean jpeg = read >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8;
    if (!png && !jpeg) {
      reader.report(
          node,
          context,
          "image \""
              + written
              + "\" is not a PNG or JPEG picture; export the map as PNG (or JPEG)");
      return null;
    }
    return resolved;
  }

  /** Reads the zones into {@code zones} and {@code names}; false after reporting a problem. */
  boolean zones(
      Fields question, String context, List<MapSpec.Zone> zones, List<LocalizedText> names) {
    Node node =
        reader.optional(
            question,
            "zones",
            "zones: with a list like - {id: marche, fr: \"Le marché\", area: [10, 20, 40, 50]}");
    List<Node> items =
        reader.list(
            node,
            context,
            "zones must be a list, one \"- {id: ..., fr: ..., en: ..., area: [left, top, right,"
                + " bottom]}\" per line");
    if (items == null) {
      return false;
    }
    Map<String, Node> seen = new HashMap<>();
    boolean complete = true;
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String zoneContext = context + ", " + IdReader.label("zone", item, i + 1);
      Fields f =
          reader.map(
              item,
              zoneContext,
              "each zone must be a map like {id: marche, fr: \"Le marché\", en: \"The market\","
                  + " area: [10, 20, 40, 50]}",
              ZONE_KEYS);
      if (f == null) {
        complete = false;
        continue;
      }
      String id = ids.unique(f, ids.id(f, "id: marche"), seen, context, "zone");
      LocalizedText name = texts.localized(f, zoneContext, "name of the zone");
      int[] area = area(f, zoneContext);
      if (id == null || name == null || area == null) {
        complete = false;
        continue;
      }
      MapSpec.Zone zone =
          reader.build(
              item, zoneContext, () -> new MapSpec.Zone(id, area[0], area[1], area[2], area[3]));
      if (zone == null) {
        complete = false;
        continue;
      }
      zones.add(zone);
      names.add(name);
    }
    return complete;
  }

  /** {@code area: [left, top, right, bottom]} in percent, as per mille; null after reporting. */
  private int[] area(Fields zone, String context) {
    String example = "area: [10, 20, 40, 50] (left, top, right, bottom, in % of the map)";
    Node node = reader.required(zone, "area", example);
    List<Node> items = reader.list(node, context, "area must be a list like [10, 20, 40, 50]");
    if (items == null) {
      return null;
    }
    if (items.size() != 4) {
      reader.report(
          node,
          context,
          "area has "
              + items.size()
              + " numbers; write 4: left, top, right, bottom, in % of the map's width and"
              + " height, like [10, 20, 40, 50]");
      return null;
    }
    String[] names = {"left", "top", "right", "bottom"};
    int[] perMille = new int[4];
    boolean complete = true;
    for (int i = 0; i < 4; i++) {
      Node item = items.get(i);
      String written = reader.text(item, context, "area " + names[i]);
      if (written == null) {
        complete = false;
        continue;
      }
      double percent;
      try {
        percent = Double.parseDouble(written.strip());
      } catch (NumberFormatException e) {
        percent = Double.NaN;
      }
      if (!(percent >= 0 && percent <= 100)) {
        reader.report(
            item,
            context,
            "area "
                + names[i]
                + " is \""
                + written
                + "\"; write a percentage of the map from 0 to 100");
        complete = false;
        continue;
      }
      perMille[i] = (int) Math.round(percent * 10);
    }
    if (!complete) {
      return null;
    }
    if (perMille[0] >= perMille[2] || perMille[1] >= perMille[3]) {
      reader.report(
          node,
          context,
          "area [left, top, right, bottom] must have left < right and top < bottom (0, 0 is the"
              + " top left corner of the map); swap the numbers");
      return null;
    }
    return perMille;
  }
}
