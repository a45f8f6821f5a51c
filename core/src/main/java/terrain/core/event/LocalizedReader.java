// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import terrain.core.event.NodeReader.Fields;

/** Reads texts in French, English and Arabic: titles, question texts, labels, zone names. */
final class LocalizedReader {

  /** How to write a text in several languages, for problem messages. */
  static final String EXAMPLE = "{fr: \"...\", en: \"...\"}";

  private static final List<String> TEXT_KEYS = List.of("fr", "en", "ar");

  private final NodeReader reader;

  LocalizedReader(NodeReader reader) {
    this.reader = reader;
  }

  /** A text in French and English written {@code {fr: ..., en: ...}}, or only French text. */
  LocalizedText text(Node node, String context, String what) {
    if (node == null) {
      return null;
    }
    if (node instanceof ScalarNode) {
      String fr = reader.text(node, context, what);
      return fr == null ? null : LocalizedText.of(fr);
    }
    if (!(node instanceof MappingNode)) {
      reader.report(
          node,
          context,
          what
              + " must be "
              + EXAMPLE
              + " or a French text, but it is "
              + NodeReader.describe(node));
      return null;
    }
    String textContext = context + ", " + what;
    Fields f = reader.map(node, textContext, what + " must be " + EXAMPLE, TEXT_KEYS);
    return localized(f, textContext, "text");
  }

  /**
   * The {@code fr}, {@code en} and {@code ar} keys of a map that has other keys too (an option, a
   * zone), or null after reporting a problem.
   *
   * @param noun what the keys hold, in the hints: "label" gives {@code fr: "..." with the French
   *     label}
   */
  LocalizedText localized(Fields f, String context, String noun) {
    if (f == null) {
      return null;
    }
    String fr =
        reader.text(reader.required(f, "fr", "fr: \"...\" with the French " + noun), context, "fr");
    String en =
        reader.text(
            reader.optional(f, "en", "en: \"...\" with the English " + noun), context, "en");
    String ar =
        reader.text(reader.optional(f, "ar", "ar: \"...\" with the Arabic " + noun), context, "ar");
    if (fr == null || (f.has("en") && en == null) || (f.has("ar") && ar == null)) {
      return null;
    }
    // Cannot throw: reader.text gave a French text that is not blank.
    return LocalizedText.of(fr, en, ar);
  }
}
