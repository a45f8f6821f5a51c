// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import terrain.core.event.NodeReader.Fields;

/** Reads the ids of the event, its polls, questions, options and zones: valid and unique. */
final class IdReader {

  private final NodeReader reader;

  IdReader(NodeReader reader) {
    this.reader = reader;
  }

  /** The id of a map, checked against the id rule, or null after reporting why not. */
  String id(Fields f, String example) {
    Node node = reader.required(f, "id", example);
    String id = reader.text(node, f.context(), "id");
    if (id == null) {
      return null;
    }
    if (!Ids.isValid(id)) {
      reader.report(
          node,
          f.context(),
          "id \""
              + id
              + "\" is not allowed: use "
              + Ids.RULE
              + Ids.suggest(id).map(s -> ", like \"" + s + "\"").orElse(""));
      return null;
    }
    return id;
  }

  /** {@code id}, or null after reporting that an earlier sibling has it already. */
  String unique(Fields f, String id, Map<String, Node> seen, String context, String what) {
    if (id == null) {
      return null;
    }
    Node node = f.value("id");
    Node first = seen.putIfAbsent(id, node);
    if (first != null) {
      reader.report(
          node,
          context,
          what
              + " id \""
              + id
              + "\" is used twice (first at line "
              + NodeReader.line(first)
              + "); give each "
              + what
              + " its own id");
      return null;
    }
    return id;
  }

  /** {@code question "venue"}, or {@code question 2} when it has no readable id. */
  static String label(String what, Node node, int number) {
    String id = NodeReader.rawText(node, "id");
    return id == null ? what + " " + number : what + " \"" + id + "\"";
  }
}
