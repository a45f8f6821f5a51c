// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;
import terrain.core.event.NodeReader.Fields;

/**
 * Reads one question of a poll: its id, kind and text, and what its kind needs (options, the most
 * choices, scale labels, the most characters, a map); a key another kind needs is reported.
 */
final class QuestionSection {

  private static final List<String> QUESTION_KEYS =
      List.of("id", "kind", "text", "options", "max", "labels", "image", "zones", "maxLength");
  private static final List<String> SCALE_POINTS = List.of("1", "2", "3", "4", "5");

  private final NodeReader reader;
  private final IdReader ids;
  private final LocalizedReader texts;
  private final ChoicesReader choices;
  private final MapSection maps;

  QuestionSection(
      NodeReader reader,
      IdReader ids,
      LocalizedReader texts,
      ChoicesReader choices,
      MapSection maps) {
    this.reader = reader;
    this.ids = ids;
    this.texts = texts;
    this.choices = choices;
    this.maps = maps;
  }

  /** One question of a poll, or null after reporting its problems. */
  Question question(Node node, int number, String pollContext, Map<String, Node> seen) {
    String context = IdReader.label("question", node, number);
    Fields f =
        reader.map(
            node,
            context,
            "each question must be a map with id, kind, text and (for single and multiple)"
                + " options",
            QUESTION_KEYS);
    if (f == null) {
      return null;
    }
    String id =
        notReserved(f, ids.unique(f, ids.id(f, "id: transport"), seen, pollContext, "question"));
    QuestionKind kind = kind(f, context);
    LocalizedText text =
        texts.text(reader.required(f, "text", "text: " + LocalizedReader.EXAMPLE), context, "text");
    if (kind == null) {
      // Still read what can be read, to report all the problems of the file at once.
      if (f.has("options")) {
        options(f, context);
      }
      if (f.has("labels")) {
        labels(f, context);
      }
      if (f.has("max")) {
        reader.wholeNumber(reader.optional(f, "max", "max: 2"), context, "max", "2");
      }
      return null;
    }
    if (kind != QuestionKind.MAP) {
      notFor(f, context, "image", "image is only for kind map; remove it");
      notFor(f, context, "zones", "zones are only for kind map; remove them");
    }
    if (kind != QuestionKind.TEXT) {
      notFor(f, context, "maxLength", "maxLength is only for kind text; remove it");
    }
    return switch (kind) {
      case SINGLE -> {
        notFor(f, context, "max", "max is only for kinds multiple and ranking; remove it");
        notFor(f, context, "labels", "labels are only for kind scale; remove them");
        List<AnswerOption> options = options(f, context);
        yield id == null || text == null || options == null
            ? null
            : reader.build(node, context, () -> Question.single(id, text, options));
      }
      case MULTIPLE -> {
        notFor(f, context, "labels", "labels are only for kind scale; remove them");
        List<AnswerOption> options = options(f, context);
        Integer max = max(f, context, options);
        yield id == null || text == null || options == null || max == null
            ? null
            : reader.build(node, context, () -> Question.multiple(id, text, options, max));
      }
      case SCALE -> {
        notFor(
            f,
            context,
            "options",
            "a scale question has the options 1 to 5 already; remove \"options\""
                + " (to name the points, write labels: {1: {fr: ..., en: ...}, 5: ...})");
        notFor(f, context, "max", "max is only for kinds multiple and ranking; remove it");
        Map<Integer, LocalizedText> labels = f.has("labels") ? labels(f, context) : Map.of();
        yield id == null || text == null || labels == null
            ? null
            : reader.build(node, context, () -> Question.scale(id, text, labels));
      }
      case YES_NO -> {
        notFor(
            f,
            context,
            "options",
            "a yesno question has the options yes (Oui) and no (Non) already; remove \"options\"");
        notFor(f, context, "max", "max is only for kinds multiple and ranking; remove it");
        notFor(f, context, "labels", "labels are only for kind scale; remove them");
        yield id == null || text == null
            ? null
            : reader.build(node, context, () -> Question.yesNo(id, text));
      }
      case RANKING -> {
        notFor(f, context, "labels", "labels are only for kind scale; remove them");
        List<AnswerOption> options = options(f, context);
        Integer max = rankMax(f, context, options);
        yield id == null || text == null || options == null || max == null
            ? null
            : reader.build(node, context, () -> Question.ranking(id, text, options, max));
      }
      case MAP -> {
        notFor(
            f,
            context,
            "options",
            "a map question is answered on its map; name its zones under \"zones\" instead of"
                + " \"options\"");
        notFor(f, context, "max", "max is only for kinds multiple and ranking; remove it");
        notFor(f, context, "labels", "labels are only for kind scale; remove them");
        Path image = maps.image(f, context);
        List<MapSpec.Zone> zones = new ArrayList<>();
        List<LocalizedText> names = new ArrayList<>();
        boolean zonesRead = !f.has("zones") || maps.zones(f, context, zones, names);
        yield id == null || text == null || image == null || !zonesRead
            ? null
            : reader.build(
                node, context, () -> Question.map(id, text, new MapSpec(image, zones), names));
      }
      case TEXT -> {
        notFor(
            f,
            context,
            "options",
            "a text question is answered by typing; remove \"options\" (or use kind single)");
        notFor(
            f,
            context,
            "max",
            "for a text question, write the most characters as maxLength: 140; remove max");
        notFor(f, context, "labels", "labels are only for kind scale; remove them");
        Integer maxLength = maxLength(f, context);
        yield id == null || text == null || maxLength == null
            ? null
            : reader.build(node, context, () -> Question.text(id, text, maxLength));
      }
    };
  }

  private Integer rankMax(Fields question, String context, List<AnswerOption> options) {
    int count = question.value("options") instanceof SequenceNode list ? list.getValue().size() : 0;
    int limit = Math.min(count, Question.MAX_RANKED);
    if (!question.has("max")) {
      return options == null ? null : Math.min(options.size(), Question.MAX_RANKED);
    }
    Node node = reader.optional(question, "max", "max: 3");
    Integer max = reader.wholeNumber(node, context, "max", "3");
    if (max == null || count == 0) {
      return null;
    }
    if (max < 1 || max > limit) {
      reader.report(
          node,
          context,
          "max is "
              + max
              + " but a resident can rank at most "
              + limit
              + (count > Question.MAX_RANKED
                  ? " (a ranking stops at " + Question.MAX_RANKED + ")"
                  : " (the question has " + count + " options)")
              + "; write a number from 1 to "
              + limit);
      return null;
    }
    return options == null ? null : max;
  }

  private Integer maxLength(Fields question, String context) {
    if (!question.has("maxLength")) {
      return Question.DEFAULT_TEXT_LENGTH;
    }
    Node node = reader.optional(question, "maxLength", "maxLength: 140");
    Integer max = reader.wholeNumber(node, context, "maxLength", "140");
    if (max == null) {
      return null;
    }
    if (max < 1 || max > Question.MAX_TEXT_LENGTH) {
      reader.report(
          node,
          context,
          "maxLength is "
              + max
              + "; write a number of characters from 1 to "
              + Question.MAX_TEXT_LENGTH
              + " (140 is a good length for a kiosk)");
      return null;
    }
    return max;
  }

  private QuestionKind kind(Fields question, String context) {
    Node node =
        reader.required(
            question, "kind", "kind: single (or multiple, scale, yesno, ranking, map, text)");
    String name = reader.text(node, context, "kind");
    if (name == null) {
      return null;
    }
    Optional<QuestionKind> kind = QuestionKind.fromYaml(name);
    if (kind.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (QuestionKind k : QuestionKind.values()) {
        names.add(k.yamlName());
      }
      reader.report(
          node,
          context,
          "kind \""
              + name
              + "\" is not one of "
              + QuestionKind.yamlNames()
              + NodeReader.closest(name, names)
                  .map(c -> " (did you mean \"" + c + "\"?)")
                  .orElse(""));
      return null;
    }
    return kind.get();
  }

  private void notFor(Fields question, String context, String key, String message) {
    if (question.has(key)) {
      reader.report(question.keyNode(key), context, message);
    }
  }

  private List<AnswerOption> options(Fields question, String context) {
    Node node =
        reader.required(
            question,
            "options",
            "options: with a list like - {id: pied, fr: \"À pied\", en: \"On foot\"}");
    List<Node> items =
        reader.list(
            node,
            context,
            "options must be a list, one \"- {id: ..., fr: ..., en: ...}\" per line");
    if (items == null) {
      return null;
    }
    Map<String, Node> seen = new HashMap<>();
    List<AnswerOption> options = new ArrayList<>();
    boolean complete = true;
    for (int i = 0; i < items.size(); i++) {
      AnswerOption option = choices.option(items.get(i), i + 1, context, seen, "option");
      complete &= option != null;
      options.add(option);
    }
    if (complete && options.size() < 2) {
      reader.report(
          node,
          context,
          "a question needs at least 2 options, this one has "
              + options.size()
              + "; add options, or use kind yesno");
      return null;
    }
    return complete ? options : null;
  }

  private Integer max(Fields question, String context, List<AnswerOption> options) {
    Node node = reader.optional(question, "max", "max: 2");
    if (!question.has("max")) {
      return options == null ? null : options.size();
    }
    Integer max = reader.wholeNumber(node, context, "max", "2");
    // Counted on the list as written, so that max is checked even when an option is wrong.
    int count = question.value("options") instanceof SequenceNode list ? list.getValue().size() : 0;
    if (max == null || count == 0) {
      return null;
    }
    if (max < 1 || max > count) {
      reader.report(
          node,
          context,
          "max is "
              + max
              + " but the question has "
              + count
              + " options; write a number from 1 to "
              + count);
      return null;
    }
    return options == null ? null : max;
  }

  private Map<Integer, LocalizedText> labels(Fields question, String context) {
    Node node =
        reader.optional(question, "labels", "labels: {1: " + LocalizedReader.EXAMPLE + ", 5: ...}");
    String labelsContext = context + ", labels";
    Fields f =
        reader.map(
            node,
            labelsContext,
            "must be a map from points of the scale to texts, like {1: "
                + LocalizedReader.EXAMPLE
                + ", 5: ...}",
            SCALE_POINTS);
    if (f == null) {
      return null;
    }
    Map<Integer, LocalizedText> labels = new LinkedHashMap<>();
    boolean complete = true;
    for (Map.Entry<String, Node> entry : f.values().entrySet()) {
      Node value =
          reader.required(f, entry.getKey(), entry.getKey() + ": " + LocalizedReader.EXAMPLE);
      LocalizedText label = texts.text(value, labelsContext, entry.getKey());
      complete &= label != null;
      labels.put(Integer.parseInt(entry.getKey()), label);
    }
    return complete ? labels : null;
  }

  /** {@code id}, or null after reporting that it starts with the profile's reserved prefix. */
  private String notReserved(Fields question, String id) {
    if (id != null && ProfileSettings.isReserved(id)) {
      reader.report(
          question.value("id"),
          question.context(),
          "question ids starting with \""
              + ProfileSettings.RESERVED_PREFIX
              + "\" are kept for the \"who are you\" screen; choose another id");
      return null;
    }
    return id;
  }
}
