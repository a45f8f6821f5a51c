// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import terrain.core.event.NodeReader.Fields;

/**
 * Reads lists of {@code {id, fr, en, ar}} choices: a question's options, the idea themes, the age
 * bands and neighbourhoods of the "who are you" screen.
 */
final class ChoicesReader {

  private static final List<String> OPTION_KEYS = List.of("id", "fr", "en", "ar");

  private final NodeReader reader;
  private final IdReader ids;
  private final LocalizedReader texts;

  ChoicesReader(NodeReader reader, IdReader ids, LocalizedReader texts) {
    this.reader = reader;
    this.ids = ids;
    this.texts = texts;
  }

  /** A list of {@code {id, fr, en}} with unique ids, between {@code min} and {@code max} long. */
  List<AnswerOption> choices(Node node, String context, String key, String what, int max, int min) {
    List<Node> items =
        reader.list(
            node, context, key + " must be a list, one \"- {id: ..., fr: ..., en: ...}\" per line");
    if (items == null) {
      return null;
    }
    if (items.size() < min || items.size() > max) {
      reader.report(
          node,
          context,
          key
              + " has "
              + items.size()
              + " items; give "
              + (min == 0 ? "at most " + max : min + " to " + max));
      return null;
    }
    Map<String, Node> seen = new HashMap<>();
    List<AnswerOption> out = new ArrayList<>();
    boolean complete = true;
    for (int i = 0; i < items.size(); i++) {
      AnswerOption option = option(items.get(i), i + 1, context, seen, what);
      complete &= option != null;
      out.add(option);
    }
    return complete ? out : null;
  }

  /**
   * One choice of a list.
   *
   * @param number its place in the list, from 1, naming it when it has no readable id
   * @param seen the ids of the choices before it in the list, to which it adds its own
   * @param what names the choice in problems: "option", "theme"...
   */
  AnswerOption option(
      Node node, int number, String listContext, Map<String, Node> seen, String what) {
    String context = listContext + ", " + IdReader.label(what, node, number);
    Fields f =
        reader.map(
            node,
            context,
            "each " + what + " must be a map like {id: pied, fr: \"À pied\", en: \"On foot\"}",
            OPTION_KEYS);
    if (f == null) {
      return null;
    }
    String id = ids.unique(f, ids.id(f, "id: pied"), seen, listContext, what);
    LocalizedText label = texts.localized(f, context, "label");
    if (id == null || label == null) {
      return null;
    }
    return reader.build(node, context, () -> new AnswerOption(id, label));
  }
}
