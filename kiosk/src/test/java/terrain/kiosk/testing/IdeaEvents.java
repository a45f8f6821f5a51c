// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.testing;

import java.util.List;
import java.util.Optional;
import terrain.core.event.AnswerOption;
import terrain.core.event.EventDefinition;
import terrain.core.event.IdeaSettings;
import terrain.core.event.ProfileSettings;

/** {@link TestEvents#market()} with the idea and "who are you" screens. */
public final class IdeaEvents {
  private IdeaEvents() {}

  /** Themes "commerces" and "places"; default age bands; neighbourhoods "centre" and "bastide". */
  public static EventDefinition marketWithScreens() {
    return TestEvents.market()
        .withScreens(
            IdeaSettings.enabled(
                List.of(
                    AnswerOption.of("commerces", "Commerces", "Shops"),
                    AnswerOption.of("places", "Places et rues", "Squares and streets"))),
            Optional.of(
                ProfileSettings.withDefaultAgeBands(
                    List.of(
                        AnswerOption.of("centre", "Centre-ville", "Town centre"),
                        AnswerOption.of("bastide", "La Bastide", "La Bastide")))));
  }
}
