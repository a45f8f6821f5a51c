// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.record.IdeaBody;
import terrain.core.simulate.RandomAnswers;
import terrain.kiosk.testing.TestEvents;

/** The ideas and "who are you" answers simulated residents leave. */
class RandomIdeasTest {
  private static final int SEEDS = 2_000;

  @Test
  void idea_whenEventAsksForIdeas_aboutOneResidentInFiveWithValidThemes() throws Exception {
    EventDefinition market = EventLoader.load(Path.of("../examples/events/market-day.yaml"));
    int ideas = 0;
    Set<String> themes = new HashSet<>();
    for (int seed = 0; seed < SEEDS; seed++) {
      Optional<IdeaBody> idea =
          RandomAnswers.idea(market, market.defaultPoll(), new SplittableRandom(seed));
      if (idea.isPresent()) {
        ideas++;
        themes.add(idea.get().themeId());
        assertTrue(
            idea.get().themeId().isEmpty()
                || market.ideas().theme(idea.get().themeId()).isPresent());
      }
    }
    assertTrue(ideas > SEEDS / 7 && ideas < SEEDS / 3, ideas + " ideas");
    assertEquals(market.ideas().themes().size() + 1, themes.size(), "every theme, and none");
  }

  @Test
  void idea_whenEventHasNoIdeaScreen_neverAndDrawsNothing() {
    EventDefinition bare = TestEvents.market();
    SplittableRandom random = new SplittableRandom(1);
    SplittableRandom untouched = new SplittableRandom(1);
    assertEquals(Optional.empty(), RandomAnswers.idea(bare, bare.defaultPoll(), random));
    assertEquals(List.of(Optional.empty(), Optional.empty()), RandomAnswers.profile(bare, random));
    assertEquals(untouched.nextLong(), random.nextLong(), "the answers that follow do not change");
  }

  @Test
  void profile_whenEventHasTheScreen_givesValidBandsAndSometimesSkips() throws Exception {
    EventDefinition market = EventLoader.load(Path.of("../examples/events/market-day.yaml"));
    int skippedAge = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      List<Optional<String>> profile = RandomAnswers.profile(market, new SplittableRandom(seed));
      if (profile.get(0).isEmpty()) {
        skippedAge++;
      } else {
        assertTrue(market.profile().get().ageBand(profile.get(0).get()).isPresent());
      }
      profile.get(1).ifPresent(a -> assertTrue(market.profile().get().area(a).isPresent()));
    }
    assertTrue(skippedAge > SEEDS / 8 && skippedAge < SEEDS / 3, skippedAge + " skipped");
  }
}
