// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.simulate;

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
import terrain.core.record.ResponseBody;
import terrain.core.rules.AnswerRules;

/**
 * Random but valid answers to every question of a poll, as a resident in a hurry would give: one
 * option for a single, scale or yes/no question, 1 to {@code maxChoices} distinct options (in
 * display order) for a multiple one, 1 to {@code maxChoices} options in a random order for a
 * ranking, a pin anywhere on the map (or, one time in four when the map has zones, a zone picked
 * from the list) and a short French sentence, cut to the question's length, for a text question.
 * Sometimes an idea (one resident in {@value #IDEA_ONE_IN}, when the event asks for ideas) and
 * often a "who are you" answer (when the event has the screen). The same random state gives the
 * same answers.
 */
public final class RandomAnswers {
  /** One simulated resident in this many leaves an idea. */
  public static final int IDEA_ONE_IN = 5;

  private static final List<String> TEXTS =
      List.of(
          "Plus de bancs à l'ombre, s'il vous plaît.",
          "Merci pour le marché !",
          "Des toilettes près de la place.",
          "Un marché le soir en été ?",
          "Garer son vélo est difficile.",
          "Très bien comme ça.");

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

  /**
   * Question id to chosen option ids, in the poll's question order, for the answers that are
   * options only: a text, and a pin on a map, are left out (see {@link #answers} for every answer).
   */
  public static Map<String, List<String>> choose(Poll poll, RandomGenerator random) {
    Map<String, List<String>> answers = new LinkedHashMap<>();
    for (ResponseBody.Answer answer : answers(poll, random)) {
      if (answer.text().isEmpty() && answer.pin().isEmpty()) {
        answers.put(answer.questionId(), answer.optionIds());
      }
    }
    return answers;
  }

  /** An answer to every question, in the poll's order, as {@link AnswerRules} accepts them. */
  public static List<ResponseBody.Answer> answers(Poll poll, RandomGenerator random) {
    List<ResponseBody.Answer> answers = new ArrayList<>();
    for (Question question : poll.questions()) {
      answers.add(answer(poll, question, random));
    }
    return List.copyOf(answers);
  }

  private static ResponseBody.Answer answer(Poll poll, Question question, RandomGenerator random) {
    return switch (question.kind()) {
      case TEXT -> {
        String text = TEXTS.get(random.nextInt(TEXTS.size()));
        int max = question.maxLength();
        yield ResponseBody.Answer.text(
            question.id(), AnswerRules.tidyText(text.substring(0, Math.min(max, text.length()))));
      }
      case MAP -> {
        if (!question.options().isEmpty() && random.nextInt(4) == 0) {
          yield new ResponseBody.Answer(
              question.id(),
              List.of(question.options().get(random.nextInt(question.options().size())).id()));
        }
        ResponseBody.Pin pin =
            new ResponseBody.Pin(
                random.nextInt(ResponseBody.Pin.SCALE + 1),
                random.nextInt(ResponseBody.Pin.SCALE + 1));
        yield AnswerRules.pin(poll, question.questionId(), pin);
      }
      default -> new ResponseBody.Answer(question.id(), choose(question, random));
    };
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
    if (question.kind() != terrain.core.event.QuestionKind.RANKING) {
      // A ranking keeps the shuffled order: it is the rank.
      Collections.sort(picked);
    }
    List<String> chosen = new ArrayList<>(count);
    for (int index : picked) {
      chosen.add(options.get(index).id());
    }
    return List.copyOf(chosen);
  }
}
