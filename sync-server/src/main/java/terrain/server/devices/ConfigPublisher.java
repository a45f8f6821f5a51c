// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.devices;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.id.EventId;
import terrain.core.wire.Topics;
import terrain.store.StoreException;

/**
 * Publishes each event's signed configuration, retained at QoS 1, on {@code
 * terrain/v1/event/{eventId}/config}: hubs subscribe to it over their uplink and keep the highest
 * sequence. A configuration that could not be published (the server's MQTT link is down) is sent
 * again every {@link #RETRY_SECONDS} until the broker has it.
 */
public final class ConfigPublisher {
  private static final Logger log = LoggerFactory.getLogger(ConfigPublisher.class);

  /** Seconds between two tries of a configuration the broker did not take. */
  static final long RETRY_SECONDS = 2;

  /** Sends a message through the server's own MQTT link. */
  @FunctionalInterface
  public interface Sender {
    CompletableFuture<Void> publish(String topic, byte[] payload, boolean retained);
  }

  private final Enrolments enrolments;
  private final Sender sender;
  private final Map<EventId, String> pending = new ConcurrentHashMap<>();

  public ConfigPublisher(Enrolments enrolments, Sender sender, ScheduledExecutorService scheduler) {
    this.enrolments = Objects.requireNonNull(enrolments, "enrolments");
    this.sender = Objects.requireNonNull(sender, "sender");
    scheduler.scheduleWithFixedDelay(this::retry, RETRY_SECONDS, RETRY_SECONDS, TimeUnit.SECONDS);
  }

  /** Signs the event's configuration now and publishes it. */
  public void changed(EventId event) {
    String text;
    try {
      text = enrolments.eventConfig(event).text();
    } catch (StoreException e) {
      log.warn(
          "The configuration of event {} could not be signed; hubs keep the previous one",
          event,
          e);
      return;
    }
    pending.put(event, text);
    send(event, text);
  }

  /** Whether every configuration was taken by the broker. */
  public boolean idle() {
    return pending.isEmpty();
  }

  private void retry() {
    pending.forEach(this::send);
  }

  private void send(EventId event, String text) {
    sender
        .publish(Topics.eventConfig(event.value()), text.getBytes(StandardCharsets.US_ASCII), true)
        .whenComplete(
            (ok, failure) -> {
              if (failure == null) {
                pending.remove(event, text);
                log.debug("Configuration of event {} published", event);
              } else {
                log.debug(
                    "Configuration of event {} not published yet ({}); trying again",
                    event,
                    failure.toString());
              }
            });
  }
}
