// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import terrain.core.event.NodeReader.Fields;

/** Reads the {@code profile} section: the age bands and neighbourhoods of "who are you". */
final class ProfileSection {

  /** How to write the section, for the hint when its value is missing. */
  static final String EXAMPLE =
      "profile: {neighbourhoods: [{id: saint-michel, fr: \"Saint-Michel\"}]}";

  private static final List<String> PROFILE_KEYS = List.of("ageBands", "neighbourhoods");

  private final NodeReader reader;
  private final ChoicesReader choices;

  ProfileSection(NodeReader reader, ChoicesReader choices) {
    this.reader = reader;
    this.choices = choices;
  }

  /** The "who are you" screen, or null after reporting a problem. */
  Optional<ProfileSettings> profile(Node node) {
    String context = "profile";
    Fields f =
        reader.map(
            node,
            context,
            "must be a map like {ageBands: [...], neighbourhoods: [{id: ..., fr: ..., en: ...}]}",
            PROFILE_KEYS);
    if (f == null) {
      return null;
    }
    List<AnswerOption> ages = ProfileSettings.DEFAULT_AGE_BANDS;
    if (f.has("ageBands")) {
      ages =
          choices.choices(
              reader.optional(
                  f, "ageBands", "ageBands: with a list of {id: ..., fr: ..., en: ...}"),
              context,
              "ageBands",
              "age band",
              ProfileSettings.MAX_CHOICES,
              2);
    }
    List<AnswerOption> areas = List.of();
    if (f.has("neighbourhoods")) {
      areas =
          choices.choices(
              reader.optional(
                  f,
                  "neighbourhoods",
                  "neighbourhoods: with a list of {id: ..., fr: ..., en: ...}"),
              context,
              "neighbourhoods",
              "neighbourhood",
              ProfileSettings.MAX_CHOICES,
              0);
    }
    if (ages == null || areas == null) {
      return null;
    }
    List<AnswerOption> bands = ages;
    List<AnswerOption> places = areas;
    ProfileSettings settings =
        reader.build(node, context, () -> new ProfileSettings(bands, places));
    return settings == null ? null : Optional.of(settings);
  }
}
