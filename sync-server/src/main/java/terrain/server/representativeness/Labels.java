// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.representativeness;

import java.util.List;
import terrain.core.event.AnswerOption;
import terrain.core.event.EventDefinition;
import terrain.core.event.ProfileSettings;
import terrain.core.results.Representation;

/** The words of an age band or a neighbourhood in a language, from the event file. */
final class Labels {
  private Labels() {}

  static String label(EventDefinition event, Representation.Missing missing, String tag) {
    return label(event, missing.dimension(), missing.id(), tag);
  }

  static String label(
      EventDefinition event, Representation.Dimension dimension, String id, String tag) {
    List<AnswerOption> options =
        event
            .profile()
            .map(p -> dimension == Representation.Dimension.AGE_BAND ? p.ageBands() : p.areas())
            .orElse(ProfileSettings.DEFAULT_AGE_BANDS);
    return options.stream()
        .filter(o -> o.id().equals(id))
        .map(o -> o.label().in(tag))
        .findFirst()
        .orElse(id);
  }
}
