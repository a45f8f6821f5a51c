// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.Node;
import terrain.core.event.NodeReader.Fields;
import terrain.core.event.WorkshopPhase.Kind;

/** Reads the {@code workshop} section: the script a facilitator's tablet runs in the room. */
final class WorkshopSection {

  /** How to write the section, for the hint when its value is missing. */
  static final String EXAMPLE =
      "workshop: {title: {fr: \"Atelier\"}, tables: 6, phases: [{id: idees, kind: ideas,"
          + " duration: 15m, question: {fr: \"...\"}}]}";

  private static final List<String> WORKSHOP_KEYS = List.of("title", "tables", "phases");
  private static final List<String> PHASE_KEYS =
      List.of("id", "kind", "duration", "question", "dots", "cap", "anonymous");
  private static final String KIND_WORDS =
      Arrays.stream(Kind.values()).map(Kind::word).collect(Collectors.joining(", "));
  private static final int DEFAULT_TABLES = 8;

  private final NodeReader reader;
  private final LocalizedReader texts;
  private final IdReader ids;

  WorkshopSection(NodeReader reader, LocalizedReader texts, IdReader ids) {
    this.reader = reader;
    this.texts = texts;
    this.ids = ids;
  }

  /** The script, or null after reporting a problem. */
  Optional<WorkshopScript> workshop(Node node) {
    String context = "workshop";
    Fields f =
        reader.map(
            node,
            context,
            "must be a map like {title: {fr: ...}, tables: 6, phases: [...]}",
            WORKSHOP_KEYS);
    if (f == null) {
      return null;
    }
    LocalizedText title =
        texts.text(
            reader.required(f, "title", "title: " + LocalizedReader.EXAMPLE), context, "title");
    Integer tables = DEFAULT_TABLES;
    if (f.has("tables")) {
      tables =
          reader.wholeNumber(reader.optional(f, "tables", "tables: 6"), context, "tables", "6");
      if (tables != null && (tables < 1 || tables > WorkshopScript.MAX_TABLES)) {
        reader.report(
            f.value("tables"),
            context,
            "tables is " + tables + "; write 1 to " + WorkshopScript.MAX_TABLES);
        tables = null;
      }
    }
    List<Node> items =
        reader.list(
            reader.required(f, "phases", "phases: [{id: idees, kind: ideas, duration: 15m}]"),
            context,
            "phases must be a list of {id: ..., kind: ..., duration: ...}");
    if (items == null) {
      return null;
    }
    List<WorkshopPhase> phases = new ArrayList<>();
    Map<String, Node> seen = new HashMap<>();
    boolean failed = false;
    for (int i = 0; i < items.size(); i++) {
      WorkshopPhase phase =
          phase(items.get(i), IdReader.label("workshop phase", items.get(i), i + 1), seen);
      failed |= phase == null;
      if (phase != null) {
        phases.add(phase);
      }
    }
    if (title == null || tables == null || failed) {
      return null;
    }
    int tableCount = tables;
    WorkshopScript script =
        reader.build(node, context, () -> new WorkshopScript(title, tableCount, phases));
    return script == null ? null : Optional.of(script);
  }

  private WorkshopPhase phase(Node node, String context, Map<String, Node> seen) {
    Fields f =
        reader.map(
            node,
            context,
            "must be a map like {id: idees, kind: ideas, duration: 15m}",
            PHASE_KEYS);
    if (f == null) {
      return null;
    }
    String id = ids.id(f, "id: idees");
    if (id != null) {
      id = ids.unique(f, id, seen, context, "phase");
    }
    Kind kind = kind(reader.required(f, "kind", "kind: ideas"), context);
    Duration duration = duration(reader.required(f, "duration", "duration: 15m"), context);
    Optional<LocalizedText> prompt = Optional.empty();
    if (f.has("question")) {
      LocalizedText text =
          texts.text(
              reader.optional(f, "question", "question: " + LocalizedReader.EXAMPLE),
              context,
              "question");
      prompt = text == null ? null : Optional.of(text);
    }
    Optional<WorkshopPhase.Vote> vote = Optional.empty();
    boolean voteKeys = f.has("dots") || f.has("cap") || f.has("anonymous");
    if (kind == Kind.VOTE) {
      vote = vote(node, f, context);
    } else if (kind != null && voteKeys) {
      String key = f.has("dots") ? "dots" : f.has("cap") ? "cap" : "anonymous";
      reader.report(
          f.keyNode(key),
          context,
          "dots, cap and anonymous belong to a vote phase; remove them or write kind: vote");
      vote = null;
    }
    if (id == null || kind == null || duration == null || prompt == null || vote == null) {
      return null;
    }
    String phaseId = id;
    Optional<LocalizedText> question = prompt;
    Optional<WorkshopPhase.Vote> rules = vote;
    return reader.build(
        node, context, () -> new WorkshopPhase(phaseId, kind, duration, question, rules));
  }

  private Kind kind(Node node, String context) {
    String text = reader.text(node, context, "kind");
    if (text == null) {
      return null;
    }
    for (Kind kind : Kind.values()) {
      if (kind.word().equals(text.strip())) {
        return kind;
      }
    }
    reader.report(node, context, "kind \"" + text + "\" is not one of " + KIND_WORDS);
    return null;
  }

  private Duration duration(Node node, String context) {
    String text = reader.text(node, context, "duration");
    if (text == null) {
      return null;
    }
    Optional<Duration> duration = Timeouts.parseDuration(text);
    if (duration.isEmpty()) {
      reader.report(
          node, context, "duration \"" + text + "\" is not a duration; write it like 15m or 1m30s");
      return null;
    }
    Duration value = duration.get();
    if (value.compareTo(WorkshopPhase.MIN_DURATION) < 0
        || value.compareTo(WorkshopPhase.MAX_DURATION) > 0) {
      reader.report(node, context, "duration \"" + text + "\" is out of range; write 1m to 180m");
      return null;
    }
    return value;
  }

  /** The vote rules: dots (required), cap (default: dots), anonymous (default: true). */
  private Optional<WorkshopPhase.Vote> vote(Node node, Fields f, String context) {
    Integer dots = reader.wholeNumber(reader.required(f, "dots", "dots: 3"), context, "dots", "3");
    Integer cap = dots;
    if (f.has("cap")) {
      cap = reader.wholeNumber(reader.optional(f, "cap", "cap: 2"), context, "cap", "2");
    }
    Boolean anonymous = Boolean.TRUE;
    if (f.has("anonymous")) {
      anonymous =
          reader.yesNo(
              reader.optional(f, "anonymous", "anonymous: true"),
              context,
              "anonymous",
              "true (totals hidden until revealed) or false (shown as dots are placed)");
    }
    if (dots == null || cap == null || anonymous == null) {
      return null;
    }
    int d = dots;
    int c = cap;
    boolean a = anonymous;
    WorkshopPhase.Vote vote = reader.build(node, context, () -> new WorkshopPhase.Vote(d, c, a));
    return vote == null ? null : Optional.of(vote);
  }
}
