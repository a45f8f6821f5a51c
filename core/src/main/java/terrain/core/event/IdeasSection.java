// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import terrain.core.event.NodeReader.Fields;

/** Reads the {@code ideas} section: whether the idea screen shows, its prompt and its themes. */
final class IdeasSection {

  /** How to write the section, for the hint when its value is missing. */
  static final String EXAMPLE =
      "ideas: {enabled: true, themes: [{id: commerces, fr: \"Commerces\", en: \"Shops\"}]}";

  private static final List<String> IDEAS_KEYS = List.of("enabled", "prompt", "themes");

  private final NodeReader reader;
  private final LocalizedReader texts;
  private final ChoicesReader choices;

  IdeasSection(NodeReader reader, LocalizedReader texts, ChoicesReader choices) {
    this.reader = reader;
    this.texts = texts;
    this.choices = choices;
  }

  /** The settings of the idea screen, or null after reporting a problem. */
  IdeaSettings ideas(Node node) {
    String context = "ideas";
    Fields f =
        reader.map(
            node,
            context,
            "must be a map like {enabled: true, themes: [{id: ..., fr: ..., en: ...}]}",
            IDEAS_KEYS);
    if (f == null) {
      return null;
    }
    Boolean enabled = Boolean.TRUE;
    if (f.has("enabled")) {
      enabled =
          reader.yesNo(
              reader.optional(f, "enabled", "enabled: true"),
              context,
              "enabled",
              "true (show the idea screen) or false (skip it)");
    }
    List<AnswerOption> themes = List.of();
    if (f.has("themes")) {
      themes =
          choices.choices(
              reader.optional(f, "themes", "themes: with a list of {id: ..., fr: ..., en: ...}"),
              context,
              "themes",
              "theme",
              IdeaSettings.MAX_THEMES,
              0);
    }
    Optional<LocalizedText> prompt = Optional.empty();
    if (f.has("prompt")) {
      LocalizedText text =
          texts.text(
              reader.optional(f, "prompt", "prompt: " + LocalizedReader.EXAMPLE),
              context,
              "prompt");
      prompt = text == null ? null : Optional.of(text);
    }
    if (enabled == null || themes == null || prompt == null) {
      return null;
    }
    boolean on = enabled;
    Optional<LocalizedText> question = prompt;
    List<AnswerOption> list = themes;
    return reader.build(node, context, () -> new IdeaSettings(on, question, list));
  }
}
