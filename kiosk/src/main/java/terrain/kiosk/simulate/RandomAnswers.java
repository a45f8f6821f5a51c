// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.simulate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import terrain.core.event.AnswerOption;
import terrain.core.event.Poll;
import terrain.core.event.Question;
import terrain.kiosk.session.AnswerRules;

/**
 * Random but valid answers to every question of a poll, as a resident in a hurry would give: one
 * option for a single, scale or yes/no question, 1 to {@code maxChoices} distinct options (in
 * display order) for a multiple one. The same random state gives the same answers.
 */
public final class RandomAnswers {
  private RandomAnswers() {}

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
