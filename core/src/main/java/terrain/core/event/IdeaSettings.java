// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the kiosk offers the optional "an idea for ..." screen after the questions, and the
 * themes a resident may file an idea under.
 *
 * @param enabled the idea screen shows; when false it is skipped
 * @param prompt the screen's question, e.g. "Une idée pour le marché ?"; empty: the kiosk's own
 * @param themes in the order shown, with unique ids; may be empty (no theme to choose)
 */
public record IdeaSettings(
    boolean enabled, Optional<LocalizedText> prompt, List<AnswerOption> themes) {

  /** More themes than a screen can show as large buttons. */
  public static final int MAX_THEMES = 12;

  public IdeaSettings {
    Objects.requireNonNull(prompt, "IdeaSettings prompt must not be null");
    themes = List.copyOf(Objects.requireNonNull(themes, "IdeaSettings themes must not be null"));
    if (themes.size() > MAX_THEMES) {
      throw new IllegalArgumentException(
          "IdeaSettings has " + themes.size() + " themes; at most " + MAX_THEMES + " fit a screen");
    }
    Set<String> seen = new HashSet<>();
    for (AnswerOption theme : themes) {
      if (!seen.add(theme.id())) {
        throw new IllegalArgumentException(
            "IdeaSettings theme id [" + theme.id() + "] must be unique");
      }
    }
  }

  /** No idea screen: what an event file without an {@code ideas:} section gives. */
  public static IdeaSettings disabled() {
    return new IdeaSettings(false, Optional.empty(), List.of());
  }

  /** An idea screen with the kiosk's own prompt. */
  public static IdeaSettings enabled(List<AnswerOption> themes) {
    return new IdeaSettings(true, Optional.empty(), themes);
  }

  public Optional<AnswerOption> theme(String id) {
    return themes.stream().filter(t -> t.id().equals(id)).findFirst();
  }
}
