// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import terrain.core.event.AnswerOption;
import terrain.core.event.ProfileSettings;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.ManualTime;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.TapFilter;
import terrain.kiosk.ui.pick.SinglePick;

/** The "who are you" screen's model, without a toolkit. */
class ProfileModelTest {
  private final ManualTime time = new ManualTime();
  private final TapFilter taps = new TapFilter(time, Duration.ofMillis(300));
  private final List<AnswerOption> areas =
      List.of(AnswerOption.of("centre", "Centre-ville", "Town centre"));

  private ProfileModel model(ProfileSettings settings, Language language) {
    return new ProfileModel(settings, language, Messages.of(language), taps);
  }

  @Test
  void labels_whenDefaultAgeBandsInArabic_useTheKioskWords() {
    ProfileModel model = model(ProfileSettings.withDefaultAgeBands(areas), Language.AR);
    List<SinglePick.Item> ages = model.ages().items();
    assertEquals(6, ages.size());
    assertEquals("أقل من 18 سنة", ages.get(0).label());
    assertFalse(ages.get(0).fromEvent());
    // A neighbourhood is a name from the event file: French in Arabic.
    assertEquals("Centre-ville", model.areas().items().get(0).label());
    assertTrue(model.areas().items().get(0).fromEvent());
  }

  @Test
  void labels_whenEventGivesItsOwnBands_useTheEventTexts() {
    ProfileSettings own =
        new ProfileSettings(
            List.of(
                AnswerOption.of("jeune", "Jeune", "Young"), AnswerOption.of("aine", "Aîné", null)),
            List.of());
    ProfileModel model = model(own, Language.EN);
    assertEquals("Young", model.ages().items().get(0).label());
    assertTrue(model.areas().isEmpty());
  }

  @Test
  void tap_whenAgeThenArea_answeredWithBoth() {
    ProfileModel model = model(ProfileSettings.withDefaultAgeBands(areas), Language.FR);
    assertFalse(model.isAnswered());
    model.ages().tap("30-44");
    assertTrue(model.isAnswered());
    time.advance(Duration.ofSeconds(1));
    model.areas().tap("centre");

    assertEquals(Optional.of("30-44"), model.ageBand());
    assertEquals(Optional.of("centre"), model.area());
    model.clear();
    assertFalse(model.isAnswered());
  }

  @Test
  void tap_whenHammeredOnOneBand_countsOnce() {
    ProfileModel model = model(ProfileSettings.withDefaultAgeBands(areas), Language.FR);
    assertTrue(model.ages().tap("18-29"));
    time.advance(Duration.ofMillis(100));
    assertFalse(model.ages().tap("18-29"));
    assertEquals(Optional.of("18-29"), model.ageBand());
  }
}
