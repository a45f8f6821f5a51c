// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import terrain.core.event.EventFileException.Problem;

/**
 * Typed reading of a SnakeYAML node tree that collects problems instead of stopping at the first.
 *
 * <p>Every method that cannot give a value reports why and returns {@code null}; a {@code null}
 * argument means the problem was already reported, so it gives {@code null} again silently. The
 * {@code context} of a problem names the thing being read ({@code question "venue"}) and starts its
 * message.
 */
final class NodeReader {

  /** The checked keys of one YAML map. */
  static final class Fields {
    private final MappingNode node;
    private final String context;
    private final Map<String, NodeTuple> entries;

    private Fields(MappingNode node, String context, Map<String, NodeTuple> entries) {
      this.node = node;
      this.context = context;
      this.entries = entries;
    }

    String context() {
      return context;
    }

    boolean has(String key) {
      return entries.containsKey(key);
    }

    /** The value of {@code key} as written, or null if the key is absent. */
    Node value(String key) {
      NodeTuple tuple = entries.get(key);
      return tuple == null ? null : tuple.getValueNode();
    }

    Node keyNode(String key) {
      NodeTuple tuple = entries.get(key);
      return tuple == null ? null : tuple.getKeyNode();
    }

    Map<String, Node> values() {
      Map<String, Node> values = new LinkedHashMap<>();
      entries.forEach((key, tuple) -> values.put(key, tuple.getValueNode()));
      return values;
    }
  }

  private final String source;
  private final List<Problem> problems = new ArrayList<>();

  NodeReader(String source) {
    this.source = source;
  }

  /** The problems found so far, in the order of the file. */
  List<Problem> problems() {
    List<Problem> sorted = new ArrayList<>(problems);
    sorted.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
    return sorted;
  }

  boolean hasProblems() {
    return !problems.isEmpty();
  }

  void report(Node at, String context, String message) {
    Mark mark = at.getStartMark();
    int line = mark == null ? 0 : mark.getLine() + 1;
    int column = mark == null ? 0 : mark.getColumn() + 1;
    problems.add(new Problem(source, line, column, context + ": " + message));
  }

  /**
   * The entries of a map with only {@code allowed} keys, each at most once.
   *
   * @param expectation how the node should look, e.g. "rewards must be a map like {response: 2}"
   */
  Fields map(Node node, String context, String expectation, List<String> allowed) {
    if (node == null) {
      return null;
    }
    if (!(node instanceof MappingNode mapping)) {
      report(node, context, expectation + ", but it is " + describe(node));
      return null;
    }
    Map<String, NodeTuple> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode scalarKey) || isEmpty(scalarKey)) {
        report(keyNode, context, "a key must be a plain word like " + allowed.get(0));
        continue;
      }
      String key = scalarKey.getValue();
      if (!allowed.contains(key)) {
        report(keyNode, context, unknownKey(key, allowed));
      } else if (entries.containsKey(key)) {
        report(
            keyNode,
            context,
            "key \""
                + key
                + "\" appears twice (first at line "
                + line(entries.get(key).getKeyNode())
                + "); keep only one");
      } else {
        entries.put(key, tuple);
      }
    }
    return new Fields(mapping, context, entries);
  }

  /** The items of a list. */
  List<Node> list(Node node, String context, String expectation) {
    if (node == null) {
      return null;
    }
    if (!(node instanceof SequenceNode sequence)) {
      report(node, context, expectation + ", but it is " + describe(node));
      return null;
    }
    return sequence.getValue();
  }

  /**
   * The value of a key that must be there, or null after reporting it missing or empty.
   *
   * @param example how to write it, e.g. {@code date: 2026-11-28}
   */
  Node required(Fields fields, String key, String example) {
    if (fields == null) {
      return null;
    }
    if (!fields.has(key)) {
      report(fields.node, fields.context, "missing \"" + key + "\"; add " + example);
      return null;
    }
    return nonEmpty(fields, key, example);
  }

  /** The value of a key that may be absent: null, silently, when absent. */
  Node optional(Fields fields, String key, String example) {
    if (fields == null || !fields.has(key)) {
      return null;
    }
    return nonEmpty(fields, key, example + ", or remove the line");
  }

  private Node nonEmpty(Fields fields, String key, String example) {
    Node value = fields.value(key);
    if (isEmpty(value)) {
      report(fields.keyNode(key), fields.context, "\"" + key + "\" has no value; write " + example);
      return null;
    }
    return value;
  }

  /** The text of a scalar, not blank. */
  String text(Node node, String context, String what) {
    if (node == null) {
      return null;
    }
    if (!(node instanceof ScalarNode scalar)) {
      report(node, context, what + " must be text, but it is " + describe(node));
      return null;
    }
    if (isEmpty(scalar) || scalar.getValue().isBlank()) {
      report(node, context, what + " is empty; write some text");
      return null;
    }
    return scalar.getValue();
  }

  /** A whole number written as a scalar. */
  Integer wholeNumber(Node node, String context, String what, String example) {
    String text = text(node, context, what);
    if (text == null) {
      return null;
    }
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      report(
          node,
          context,
          what + " must be a whole number like " + example + ", not \"" + text + "\"");
      return null;
    }
  }

  /**
   * A yes/no written as {@code true}/{@code false} (or yes/no, oui/non), or null after reporting.
   *
   * @param meaning what true and false mean, e.g. "true (show the idea screen) or false (skip it)"
   */
  Boolean yesNo(Node node, String context, String what, String meaning) {
    String text = text(node, context, what);
    if (text == null) {
      return null;
    }
    Boolean value =
        switch (text.strip()) {
          case "true", "yes", "oui" -> Boolean.TRUE;
          case "false", "no", "non" -> Boolean.FALSE;
          default -> null;
        };
    if (value == null) {
      report(node, context, what + " is \"" + text + "\"; write " + meaning);
    }
    return value;
  }

  /**
   * Builds a record, turning a broken invariant into a problem at {@code at}.
   *
   * <p>The reading methods check every rule with a precise position first, so this only catches a
   * rule that they missed.
   */
  <T> T build(Node at, String context, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      report(at, context, e.getMessage());
      return null;
    }
  }

  /** The text of {@code key} if {@code node} is a map where it is plain text, without reporting. */
  static String rawText(Node node, String key) {
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode k
            && k.getValue().equals(key)
            && tuple.getValueNode() instanceof ScalarNode v
            && !isEmpty(v)) {
          return v.getValue();
        }
      }
    }
    return null;
  }

  static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }

  static boolean isEmpty(Node node) {
    return node instanceof ScalarNode scalar
        && (scalar.getTag().equals(Tag.NULL) || scalar.getValue().isEmpty());
  }

  /** "a map", "a list", "empty" or the text, for messages. */
  static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a map";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (isEmpty(node)) {
      return "empty";
    }
    String value = ((ScalarNode) node).getValue();
    return "the text \"" + (value.length() > 40 ? value.substring(0, 37) + "..." : value) + "\"";
  }

  static String unknownKey(String key, List<String> allowed) {
    return "unknown key \""
        + key
        + "\"; expected one of "
        + String.join(", ", allowed)
        + closest(key, allowed).map(c -> " (did you mean \"" + c + "\"?)").orElse("");
  }

  /** The candidate a typo most likely meant: at most 2 edits away, ignoring case. */
  static Optional<String> closest(String typo, List<String> candidates) {
    String best = null;
    int bestDistance = 3;
    for (String candidate : candidates) {
      int distance = distance(typo.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance && distance < candidate.length()) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
