// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.tablet;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.event.AnswerOption;
import terrain.core.event.EventDefinition;
import terrain.core.event.Population;
import terrain.core.event.ProfileSettings;
import terrain.core.results.ProfileCounts;
import terrain.core.results.Representation;
import terrain.core.wire.Topics;
import terrain.kiosk.ui.Language;

/**
 * "Who is missing" on the facilitator's tablet: the hub publishes, retained, how many respondents
 * gave each band of the event's population ({@link ProfileCounts} on {@link
 * Topics#eventMissing(String)}); this keeps the last one that is valid for this tablet's event and
 * says the lines with core's {@link Representation}, in the tablet's language (decision 0040).
 * Nothing is said until the hub has spoken, nor when the event file gives no population.
 */
public final class WhoIsMissing {
  private static final Logger log = LoggerFactory.getLogger(WhoIsMissing.class);

  private final EventDefinition event;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile ProfileCounts counts;
  private volatile int refused;

  public WhoIsMissing(EventDefinition event) {
    this.event = event;
  }

  /** The topic to follow on the hub. */
  public String topic() {
    return Topics.eventMissing(event.id());
  }

  /** Whether the event file gives a population to compare with (else there is nothing to say). */
  public boolean applies() {
    return event.population().isPresent();
  }

  /** Told (on the MQTT thread) when new counts arrived. */
  public void addListener(Runnable listener) {
    listeners.add(listener);
  }

  /** How many messages were refused (not counts, another event, bands it does not know). */
  public int refused() {
    return refused;
  }

  /**
   * A message from the hub: kept when it is this event's counts of its population's bands, else
   * refused and logged (the last good counts stay).
   */
  public void relayed(String topic, byte[] payload) {
    ProfileCounts next;
    try {
      next = check(ProfileCounts.decode(payload));
    } catch (IllegalArgumentException e) {
      refused++;
      log.warn("Who is missing from the hub refused on {}: {}", topic, e.getMessage());
      return;
    }
    counts = next;
    listeners.forEach(Runnable::run);
  }

  private ProfileCounts check(ProfileCounts given) {
    if (!given.eventId().equals(event.id())) {
      throw new IllegalArgumentException(
          "counts of event " + given.eventId() + ", not of " + event.id());
    }
    Population population =
        event
            .population()
            .orElseThrow(() -> new IllegalArgumentException("this event has no population"));
    for (String id : given.ageBands().keySet()) {
      if (!population.ageBands().values().containsKey(id)) {
        throw new IllegalArgumentException("age band " + id + " is not in the population");
      }
    }
    for (String id : given.areas().keySet()) {
      if (!population.areas().values().containsKey(id)) {
        throw new IllegalArgumentException("neighbourhood " + id + " is not in the population");
      }
    }
    return given;
  }

  /** The lines in {@code language}, most missing first; empty when there is nothing to say. */
  public List<String> lines(Language language) {
    ProfileCounts now = counts;
    if (now == null || event.population().isEmpty()) {
      return List.of();
    }
    String lang = language.tag();
    Optional<ProfileSettings> profile = event.profile();
    // Digits 0-9 in Arabic too, as everywhere on the kiosk (Messages.format).
    java.util.Locale locale =
        language == Language.AR
            ? java.util.Locale.forLanguageTag("ar-u-nu-latn")
            : language.locale();
    return Representation.of(event.population().get(), now.ageBands(), now.areas())
        .lines(
            locale,
            m ->
                profile
                    .map(
                        p ->
                            m.dimension() == Representation.Dimension.AGE_BAND
                                ? p.ageBands()
                                : p.areas())
                    .orElse(List.of())
                    .stream()
                    .filter(o -> o.id().equals(m.id()))
                    .map(AnswerOption::label)
                    .map(l -> l.in(lang))
                    .findFirst()
                    .orElse(m.id()));
  }
}
