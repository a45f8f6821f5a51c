// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import terrain.core.event.NodeReader.Fields;

/**
 * Reads the {@code population} section: the census margins the residents who answered "who are you"
 * are compared with. Every age band and neighbourhood must be one of the profile's, and every one
 * of the profile's must have a figure (or, for a neighbourhood, be listed as {@code outside}).
 */
final class PopulationSection {

  /** How to write the section, for the hint when its value is missing. */
  static final String EXAMPLE =
      "population: {source: \"INSEE RP 2021\", ageBands: {18-29: 41250, ...},"
          + " neighbourhoods: {saint-michel: 12.5%, ...}}";

  private static final List<String> KEYS =
      List.of("source", "ageBands", "neighbourhoods", "outside");
  private static final Pattern PERCENT = Pattern.compile("(\\d+(?:[.,]\\d+)?)\\s*%");
  private static final Pattern COUNT = Pattern.compile("\\d[\\d_]*");

  /** Percentages must add up to 100 within this, for rounding in the census table. */
  private static final double PERCENT_SLACK = 1.0;

  private final NodeReader reader;

  PopulationSection(NodeReader reader) {
    this.reader = reader;
  }

  /**
   * The population, or null after reporting a problem.
   *
   * @param profile the event's "who are you" screen: empty when it has none; null when it could not
   *     be read (its problems are reported already, the codes are then not checked)
   */
  Optional<Population> population(Node node, Optional<ProfileSettings> profile) {
    String context = "population";
    Fields f =
        reader.map(
            node,
            context,
            "must be a map like {source: \"INSEE RP 2021\", ageBands: {...}, neighbourhoods:"
                + " {...}}",
            KEYS);
    if (f == null) {
      return null;
    }
    String source =
        reader.text(
            reader.required(f, "source", "source: \"INSEE, recensement 2021, Bordeaux\""),
            context,
            "source");
    if (profile != null && profile.isEmpty()) {
      reader.report(
          node,
          context,
          "the event has no \"profile\" section: residents are not asked their age band nor"
              + " neighbourhood, so there is nothing to compare with the population; add"
              + " profile: (see examples/events/market-day.yaml) or remove population:");
      return null;
    }
    List<String> bands =
        profile == null ? null : profile.get().ageBands().stream().map(AnswerOption::id).toList();
    List<String> areas =
        profile == null ? null : profile.get().areas().stream().map(AnswerOption::id).toList();
    List<String> outside = new ArrayList<>();
    boolean ok = true;
    if (f.has("outside")) {
      List<Node> items =
          reader.list(
              reader.optional(f, "outside", "outside: [hors-metropole]"),
              context,
              "outside must be a list of neighbourhood ids, like [hors-metropole]");
      if (items == null) {
        ok = false;
      } else {
        for (Node item : items) {
          String id = reader.text(item, context, "outside");
          if (id == null) {
            ok = false;
          } else if (areas != null && !areas.contains(id.strip())) {
            reader.report(
                item,
                context,
                "outside \"" + id + "\" is not a neighbourhood of profile; " + oneOf(areas));
            ok = false;
          } else {
            outside.add(id.strip());
          }
        }
      }
    }
    Population.Margin ages = Population.Margin.none();
    if (f.has("ageBands")) {
      ages =
          margin(
              reader.optional(f, "ageBands", "ageBands: {18-29: 41250, 30-44: 52100}"),
              "ageBands",
              "age band",
              bands,
              List.of());
    }
    Population.Margin places = Population.Margin.none();
    if (f.has("neighbourhoods")) {
      places =
          margin(
              reader.optional(f, "neighbourhoods", "neighbourhoods: {saint-michel: 12400}"),
              "neighbourhoods",
              "neighbourhood",
              areas,
              outside);
    }
    if (!f.has("ageBands") && !f.has("neighbourhoods")) {
      reader.report(
          node,
          context,
          "gives neither ageBands nor neighbourhoods; add at least one, like ageBands:"
              + " {18-29: 41250, ...} with the figures of the census table");
      return null;
    }
    if (!ok || source == null || ages == null || places == null) {
      return null;
    }
    Population.Margin a = ages;
    Population.Margin p = places;
    Population population =
        reader.build(node, context, () -> new Population(source.strip(), a, p, outside));
    return population == null ? null : Optional.of(population);
  }

  /** One dimension's figures: a map of profile id to a count or a percentage; null on problems. */
  private Population.Margin margin(
      Node node, String key, String what, List<String> known, List<String> outside) {
    String context = "population " + key;
    if (node == null) {
      return null;
    }
    if (!(node instanceof MappingNode mapping)) {
      reader.report(
          node,
          context,
          "must be a map of "
              + what
              + " id to its population, like {"
              + (known == null || known.isEmpty() ? "id" : known.get(0))
              + ": 41250}, but it is "
              + NodeReader.describe(node));
      return null;
    }
    Map<String, Double> values = new LinkedHashMap<>();
    Map<String, Node> at = new LinkedHashMap<>();
    Boolean percentages = null;
    boolean ok = true;
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      String id = keyNode instanceof ScalarNode s ? s.getValue().strip() : null;
      if (id == null || id.isEmpty()) {
        reader.report(keyNode, context, "a key must be a " + what + " id");
        ok = false;
        continue;
      }
      if (known != null && !known.contains(id)) {
        reader.report(
            keyNode,
            context,
            "\"" + id + "\" is not " + article(what) + " of profile; " + oneOf(known));
        ok = false;
        continue;
      }
      if (outside.contains(id)) {
        reader.report(
            keyNode,
            context,
            "\""
                + id
                + "\" is listed in outside too; give it a figure or list it as outside, not both");
        ok = false;
        continue;
      }
      if (values.containsKey(id)) {
        reader.report(keyNode, context, "\"" + id + "\" appears twice; keep only one");
        ok = false;
        continue;
      }
      String written = reader.text(tuple.getValueNode(), context, what + " \"" + id + "\"");
      if (written == null) {
        ok = false;
        continue;
      }
      String text = written.strip().replace('\u00a0', ' ');
      Matcher percent = PERCENT.matcher(text);
      double value;
      boolean isPercent;
      if (percent.matches()) {
        value = Double.parseDouble(percent.group(1).replace(',', '.'));
        isPercent = true;
      } else if (COUNT.matcher(text).matches()) {
        value = Double.parseDouble(text.replace("_", ""));
        isPercent = false;
      } else {
        reader.report(
            tuple.getValueNode(),
            context,
            what
                + " \""
                + id
                + "\" is \""
                + written
                + "\"; write a number of people like 41250, or a percentage like 12.5%");
        ok = false;
        continue;
      }
      if (!(value > 0)) {
        reader.report(
            tuple.getValueNode(),
            context,
            what
                + " \""
                + id
                + "\" is 0; write its population (more than 0) from the census table");
        ok = false;
        continue;
      }
      if (percentages == null) {
        percentages = isPercent;
      } else if (percentages != isPercent) {
        reader.report(
            tuple.getValueNode(),
            context,
            "mixes numbers of people and percentages; write them all the same way");
        ok = false;
        continue;
      }
      values.put(id, value);
      at.put(id, keyNode);
    }
    if (!ok) {
      return null;
    }
    if (known != null) {
      List<String> missing = new ArrayList<>();
      for (String id : known) {
        if (!values.containsKey(id) && !outside.contains(id)) {
          missing.add(id);
        }
      }
      if (!missing.isEmpty()) {
        reader.report(
            node,
            context,
            "lacks "
                + String.join(", ", missing)
                + " (in profile); add "
                + missing.get(0)
                + ": followed by its population"
                + (what.equals("neighbourhood")
                    ? ", or list it under outside: if it is not part of this population"
                    : ""));
        return null;
      }
    }
    if (values.isEmpty()) {
      reader.report(node, context, "is empty; give the population of each " + what);
      return null;
    }
    if (Boolean.TRUE.equals(percentages)) {
      double sum = values.values().stream().mapToDouble(Double::doubleValue).sum();
      if (Math.abs(sum - 100) > PERCENT_SLACK) {
        reader.report(
            node,
            context,
            "the percentages add up to "
                + String.format(java.util.Locale.ROOT, "%.1f", sum)
                + "%, not 100%; check the figures (or write numbers of people)");
        return null;
      }
    }
    // In the profile's order, whatever the file's.
    Map<String, Double> ordered = new LinkedHashMap<>();
    if (known != null) {
      known.stream().filter(values::containsKey).forEach(id -> ordered.put(id, values.get(id)));
    }
    values.forEach(ordered::putIfAbsent);
    return new Population.Margin(ordered, Boolean.TRUE.equals(percentages));
  }

  private static String article(String what) {
    return (what.startsWith("a") ? "an " : "a ") + what;
  }

  private static String oneOf(List<String> ids) {
    return ids.isEmpty() ? "profile gives none" : "write one of " + String.join(", ", ids);
  }
}
