// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.results;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.event.EventDefinition;
import terrain.core.event.Population;
import terrain.core.results.ProfileCounts;
import terrain.core.results.Tally;
import terrain.core.wire.Topics;
import terrain.store.StoreException;

/**
 * Tells the tablets who is missing while the event runs: for every event the hub was given with a
 * {@code population:}, the hub's live counts per age band and neighbourhood (only the population's
 * bands) are published as one small retained {@link ProfileCounts} on {@link
 * Topics#eventMissing(String)}, again whenever they change, checked every {@value #PERIOD_SECONDS}
 * s. A tablet computes the lines with core's {@code Representation} in its own language, as the
 * hub's live page does (decision 0040).
 */
public final class MissingRelay {
  private static final Logger log = LoggerFactory.getLogger(MissingRelay.class);
  static final long PERIOD_SECONDS = 3;

  /** Publishes a retained message; completes when the broker has it. */
  @FunctionalInterface
  public interface Publisher {
    java.util.concurrent.CompletableFuture<?> publish(String topic, byte[] payload, boolean retain);
  }

  private final LiveResults results;
  private final Publisher publisher;
  private final Map<String, ProfileCounts> published = new HashMap<>();

  public MissingRelay(LiveResults results, Publisher publisher) {
    this.results = results;
    this.publisher = publisher;
  }

  /** Starts publishing on {@code scheduler}, if any event the hub follows has a population. */
  public void schedule(ScheduledExecutorService scheduler) {
    if (results.definitions().values().stream().anyMatch(d -> d.population().isPresent())) {
      scheduler.scheduleWithFixedDelay(this::relay, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** Publishes the counts of each event with a population that changed since the last time. */
  public void relay() {
    for (EventDefinition definition : results.definitions().values()) {
      if (definition.population().isEmpty()) {
        continue;
      }
      try {
        Tally.Counts counts =
            results
                .event(definition.id())
                .map(LiveResults.Event::counts)
                .orElse(Tally.Counts.empty());
        Population population = definition.population().get();
        ProfileCounts now =
            new ProfileCounts(
                definition.id(),
                only(population.ageBands(), counts::ageBands),
                only(population.areas(), counts::areas));
        synchronized (this) {
          if (now.equals(published.get(definition.id()))) {
            continue;
          }
          published.put(definition.id(), now);
        }
        publisher
            .publish(Topics.eventMissing(definition.id()), now.encode(), true)
            .whenComplete(
                (ok, failure) -> {
                  if (failure != null) {
                    log.warn(
                        "Who is missing for {} not published: {}",
                        definition.id(),
                        failure.toString());
                    synchronized (this) {
                      published.remove(definition.id());
                    }
                  }
                });
      } catch (StoreException | RuntimeException e) {
        log.warn("Who is missing for {} skipped a turn: {}", definition.id(), e.toString());
      }
    }
  }

  /** The counts of the population's bands only, every band given (0 when nobody). */
  private static Map<String, Long> only(
      Population.Margin margin, Supplier<Map<String, Long>> counted) {
    Map<String, Long> out = new LinkedHashMap<>();
    Map<String, Long> all = counted.get();
    for (String id : margin.values().keySet()) {
      out.put(id, all.getOrDefault(id, 0L));
    }
    return out;
  }
}
