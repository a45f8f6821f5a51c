// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.simulate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import terrain.core.event.AnswerOption;
import terrain.core.event.EventDefinition;
import terrain.core.event.IdeaSettings;
import terrain.core.event.Poll;
import terrain.core.event.ProfileSettings;
import terrain.core.event.Question;
import terrain.core.record.IdeaBody;
import terrain.kiosk.session.AnswerRules;

/**
 * Random but valid answers to every question of a poll, as a resident in a hurry would give: one
 * option for a single, scale or yes/no question, 1 to {@code maxChoices} distinct options (in
 * display order) for a multiple one. Sometimes an idea (one resident in {@value #IDEA_ONE_IN}, when
 * the event asks for ideas) and often a "who are you" answer (when the event has the screen). The
 * same random state gives the same answers.
 */
public final class RandomAnswers {
  /** One simulated resident in this many leaves an idea. */
  public static final int IDEA_ONE_IN = 5;

  private static final List<String[]> SAMPLE_IDEAS =
      List.of(
          new String[] {"Des bancs à l'ombre", "Quelques bancs sous les arbres, près des étals."},
          new String[] {"", "Un point d'eau pour remplir sa gourde."},
          new String[] {"Marché du soir", "Ouvrir un jeudi soir par mois, avec de la musique."},
          new String[] {"Vélos", "Plus d'arceaux pour attacher les vélos à l'entrée."},
          new String[] {"Consigne", "Une consigne pour les bocaux et les cabas."});

  private RandomAnswers() {}

  /** A resident's idea, or none, for an event that asks for ideas (never for one that does not). */
  public static Optional<IdeaBody> idea(EventDefinition event, Poll poll, RandomGenerator random) {
    IdeaSettings ideas = event.ideas();
    if (!ideas.enabled() || random.nextInt(IDEA_ONE_IN) != 0) {
      return Optional.empty();
    }
    String[] sample = SAMPLE_IDEAS.get(random.nextInt(SAMPLE_IDEAS.size()));
    List<AnswerOption> themes = ideas.themes();
    // Some residents choose no theme.
    int pick = random.nextInt(themes.size() + 1);
    String theme = pick == themes.size() ? "" : themes.get(pick).id();
    return Optional.of(new IdeaBody(poll.id(), theme, "fr", sample[0], sample[1]));
  }

  /**
   * A resident's "who are you" answers: age band and neighbourhood each given 4 times in 5 (empty
   * when skipped, or when the event has no such screen).
   */
  public static List<Optional<String>> profile(EventDefinition event, RandomGenerator random) {
    if (event.profile().isEmpty()) {
      return List.of(Optional.empty(), Optional.empty());
    }
    ProfileSettings profile = event.profile().get();
    Optional<String> age =
        random.nextInt(5) == 0
            ? Optional.empty()
            : Optional.of(profile.ageBands().get(random.nextInt(profile.ageBands().size())).id());
    Optional<String> area =
        profile.areas().isEmpty() || random.nextInt(5) == 0
            ? Optional.empty()
            : Optional.of(profile.areas().get(random.nextInt(profile.areas().size())).id());
    return List.of(age, area);
  }

  /** Question id to chosen option ids, in the poll's question order. */
  public static Map<String, List<String>> choose(Poll poll, RandomGenerator random) {
    Map<String, List<String>> answers = new LinkedHashMap<>();
    for (Question question : poll.questions()) {
      answers.put(question.id(), choose(question, random));
    }
    return answers;
  }

  static List<String> choose(Question question, RandomGenerator random) {
    List<AnswerOption> options = question.options();
    int count = 1 + random.nextInt(AnswerRules.maxChoices(question));
    // A partial Fisher-Yates shuffle of the option indexes picks `count` distinct ones.
    int[] indexes = new int[options.size()];
    for (int i = 0; i < indexes.length; i++) {
      indexes[i] = i;
    }
    List<Integer> picked = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(indexes.length - i);
      int swap = indexes[i];
      indexes[i] = indexes[j];
      indexes[j] = swap;
      picked.add(indexes[i]);
    }
    Collections.sort(picked);
    List<String> chosen = new ArrayList<>(count);
    for (int index : picked) {
      chosen.add(options.get(index).id());
    }
    return List.copyOf(chosen);
  }
}
